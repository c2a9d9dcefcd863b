package main

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// A server whose admin socket is not DATA/admin.sock (admin_socket or
// --admin-socket) leaves its path in DATA/admin.sock.path, so that a
// command given only --data finds it. A pointer left by a server that
// crashed names a socket no one answers on: the command then runs alone,
// as with a stale socket.

// pointerFile is the pointer's place in a store directory.
func pointerFile(data string) string { return filepath.Join(data, "admin.sock.path") }

// writePointer leaves the pointer to socket in data when socket is not
// the default place (else removes a stale one, which would hide the
// socket); remove takes it away (if it still names socket).
func writePointer(data, socket string) (remove func(), err error) {
	if sameFile(socket, adminSocketPath(data, "")) {
		if err := os.Remove(pointerFile(data)); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("admin socket: a stale pointer in the store directory: %w", err)
		}
		return func() {}, nil
	}
	abs, err := filepath.Abs(socket)
	if err != nil {
		return nil, fmt.Errorf("admin socket %s: %w", socket, err)
	}
	p := pointerFile(data)
	if err := os.WriteFile(p, []byte(abs+"\n"), 0o600); err != nil {
		return nil, fmt.Errorf("admin socket: the pointer to it in the store directory: %w", err)
	}
	return func() {
		if got, _ := readPointer(data); got == abs {
			os.Remove(p)
		}
	}, nil
}

// readPointer is the socket a store's pointer names, "" if none.
func readPointer(data string) (string, error) {
	b, err := os.ReadFile(pointerFile(data))
	if errors.Is(err, fs.ErrNotExist) {
		return "", nil
	}
	if err != nil {
		return "", err
	}
	return strings.TrimSpace(string(b)), nil
}

// clientSocketPath is where a command looks for the server holding
// data: the configured socket, else the store's pointer, else
// DATA/admin.sock.
func clientSocketPath(data, configured string) string {
	if configured != "" {
		return configured
	}
	if p, err := readPointer(data); err == nil && p != "" {
		return p
	}
	return adminSocketPath(data, "")
}

func sameFile(a, b string) bool {
	aa, err1 := filepath.Abs(a)
	bb, err2 := filepath.Abs(b)
	return err1 == nil && err2 == nil && aa == bb
}
