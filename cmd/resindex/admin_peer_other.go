//go:build !linux

package main

import (
	"errors"
	"net"
)

// errNoPeerCred: elsewhere than Linux the server cannot learn who
// connects (SO_PEERCRED), and a file mode alone is not authentication
// enough for commands that create tokens and read resident data.
var errNoPeerCred = errors.New("the admin socket needs Linux (SO_PEERCRED) to authenticate who connects; on this system stop the server to run store commands")

func peerUID(*net.UnixConn) (uint32, error) { return 0, errNoPeerCred }

func adminSupported() error { return errNoPeerCred }

func dirOwner(string) (uint32, error) { return 0, errNoPeerCred }
