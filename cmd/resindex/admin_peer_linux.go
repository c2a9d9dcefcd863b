//go:build linux

package main

import (
	"fmt"
	"net"

	"golang.org/x/sys/unix"
)

// peerUID is the uid of the process at the other end of c, as the kernel
// recorded it when the peer connected (SO_PEERCRED): the peer cannot
// claim another.
func peerUID(c *net.UnixConn) (uint32, error) {
	raw, err := c.SyscallConn()
	if err != nil {
		return 0, fmt.Errorf("admin socket: peer credentials: %w", err)
	}
	var cred *unix.Ucred
	var cerr error
	if err := raw.Control(func(fd uintptr) {
		cred, cerr = unix.GetsockoptUcred(int(fd), unix.SOL_SOCKET, unix.SO_PEERCRED)
	}); err != nil {
		return 0, fmt.Errorf("admin socket: peer credentials: %w", err)
	}
	if cerr != nil {
		return 0, fmt.Errorf("admin socket: peer credentials: %w", cerr)
	}
	return cred.Uid, nil
}

// adminSupported: the socket needs SO_PEERCRED to know who connects.
func adminSupported() error { return nil }

// dirOwner is the uid that owns dir.
func dirOwner(dir string) (uint32, error) {
	var st unix.Stat_t
	if err := unix.Stat(dir, &st); err != nil {
		return 0, fmt.Errorf("store directory %s: %w", dir, err)
	}
	return st.Uid, nil
}
