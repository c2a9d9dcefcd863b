package main

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"sync"
)

// The admin socket's protocol. The client sends one request, a JSON
// object on one line: {"v":1,"args":["token","revoke","--name","x",…]}.
// The server answers with frames, each a kind byte, a big-endian uint32
// length and that many bytes: 'o' a piece of the command's stdout, 'e'
// of its stderr, and last 'x', the exit status (4 bytes). A frame is
// never longer than maxFrame, so a confused peer cannot make the other
// side allocate without bound.

const (
	adminVersion    = 1
	maxRequest      = 1 << 20 // the request line, arguments and all
	maxArgs         = 256
	maxFrame        = 1 << 20
	frameStdout     = 'o'
	frameStderr     = 'e'
	frameExitStatus = 'x'
)

// adminRequest is what a client asks the server to run.
type adminRequest struct {
	V    int      `json:"v"`
	Args []string `json:"args"`
}

// encodeRequest writes a request as its one line.
func encodeRequest(w io.Writer, args []string) error {
	data, err := json.Marshal(adminRequest{V: adminVersion, Args: args})
	if err != nil {
		return err
	}
	_, err = w.Write(append(data, '\n'))
	return err
}

// decodeRequest reads and checks a request line. The peer is trusted
// (its uid was checked) but may be another version, or broken.
func decodeRequest(r *bufio.Reader) (adminRequest, error) {
	var req adminRequest
	line, err := readLine(r, maxRequest)
	if err != nil {
		return req, err
	}
	dec := json.NewDecoder(bytes.NewReader(line))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&req); err != nil {
		return req, fmt.Errorf("admin request: %w", err)
	}
	if dec.More() {
		return req, errors.New("admin request: more than one JSON value on the line")
	}
	switch {
	case req.V != adminVersion:
		return req, fmt.Errorf("admin request: protocol version %d, want %d (client and server are different builds)", req.V, adminVersion)
	case len(req.Args) == 0 || len(req.Args) > maxArgs:
		return req, fmt.Errorf("admin request: %d arguments, want 1 to %d", len(req.Args), maxArgs)
	case req.Args[0] == "" || strings.HasPrefix(req.Args[0], "-"):
		return req, errors.New("admin request: the first argument must be a command")
	}
	return req, nil
}

// readLine reads one line of at most limit bytes, without its newline.
func readLine(r *bufio.Reader, limit int) ([]byte, error) {
	var line []byte
	for {
		part, isPrefix, err := r.ReadLine()
		if err != nil {
			return nil, fmt.Errorf("admin request: %w", err)
		}
		line = append(line, part...)
		if len(line) > limit {
			return nil, fmt.Errorf("admin request: longer than %d bytes", limit)
		}
		if !isPrefix {
			return line, nil
		}
	}
}

// frameWriter writes one kind of frame to a connection shared with the
// command's other stream: mu keeps their frames whole.
type frameWriter struct {
	mu   *sync.Mutex
	w    io.Writer
	kind byte
}

func (f *frameWriter) Write(p []byte) (int, error) {
	for done := 0; done < len(p); {
		n := min(len(p)-done, maxFrame)
		if err := writeFrame(f.mu, f.w, f.kind, p[done:done+n]); err != nil {
			return done, err
		}
		done += n
	}
	return len(p), nil
}

func writeFrame(mu *sync.Mutex, w io.Writer, kind byte, p []byte) error {
	mu.Lock()
	defer mu.Unlock()
	var head [5]byte
	head[0] = kind
	binary.BigEndian.PutUint32(head[1:], uint32(len(p)))
	if _, err := w.Write(head[:]); err != nil {
		return err
	}
	_, err := w.Write(p)
	return err
}

// exitFrame is the last frame: the command's exit status.
func exitFrame(mu *sync.Mutex, w io.Writer, code int) error {
	var p [4]byte
	binary.BigEndian.PutUint32(p[:], uint32(code))
	return writeFrame(mu, w, frameExitStatus, p[:])
}

// readFrames copies the server's frames to stdout and stderr and returns
// the exit status; an answer cut short is an error.
func readFrames(r io.Reader, stdout, stderr io.Writer) (int, error) {
	br := bufio.NewReader(r)
	var head [5]byte
	for {
		if _, err := io.ReadFull(br, head[:]); err != nil {
			return 1, fmt.Errorf("the server ended the connection before the command's exit status: %w", err)
		}
		n := binary.BigEndian.Uint32(head[1:])
		if n > maxFrame {
			return 1, fmt.Errorf("the server sent a frame of %d bytes (at most %d)", n, maxFrame)
		}
		p := make([]byte, n)
		if _, err := io.ReadFull(br, p); err != nil {
			return 1, fmt.Errorf("the server's answer was cut short: %w", err)
		}
		switch head[0] {
		case frameStdout:
			stdout.Write(p)
		case frameStderr:
			stderr.Write(p)
		case frameExitStatus:
			if n != 4 {
				return 1, fmt.Errorf("the server sent an exit status of %d bytes", n)
			}
			return int(binary.BigEndian.Uint32(p)), nil
		default:
			return 1, fmt.Errorf("the server sent a frame of unknown kind %q", head[0])
		}
	}
}
