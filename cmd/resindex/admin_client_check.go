package main

import (
	"fmt"
	"net"
	"os"
)

// checkServer: a command sends its arguments (which may name residents)
// and takes its output only from a server run by its own user, root or
// the store directory's owner. Anyone else listening on the socket's
// path (a socket put there by another local user, where the directory
// let them) is refused before a byte is sent.
func checkServer(c net.Conn, path, data string) error {
	uc, ok := c.(*net.UnixConn)
	if !ok {
		return fmt.Errorf("admin socket %s: not a Unix socket", path)
	}
	uid, err := peerUID(uc)
	if err != nil {
		return fmt.Errorf("admin socket %s: who listens on it is unknown, so the command is not sent: %w", path, err)
	}
	owner, err := dirOwner(data)
	if err != nil {
		owner = uint32(os.Getuid()) // no store to own it: only self and root
	}
	if !allowedServer(uid, uint32(os.Getuid()), owner) {
		return fmt.Errorf("admin socket %s: refused: it is served by uid %d, not by this user (uid %d), root or the store's owner (uid %d): the command is not sent", path, uid, os.Getuid(), owner)
	}
	return nil
}

// allowedServer: the server's uid is the client's own, root's or the
// store directory owner's.
func allowedServer(server, self, owner uint32) bool {
	return server == self || server == 0 || server == owner
}
