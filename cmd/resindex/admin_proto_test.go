package main

import (
	"bufio"
	"bytes"
	"strings"
	"sync"
	"testing"
)

func TestDecodeRequest(t *testing.T) {
	for _, tc := range []struct {
		name, in, err string
		args          []string
	}{
		{"ok", `{"v":1,"args":["token","list","--data","/d"]}` + "\n", "", []string{"token", "list", "--data", "/d"}},
		{"no newline at the end", `{"v":1,"args":["audit"]}`, "", []string{"audit"}},
		{"empty", "", "EOF", nil},
		{"not JSON", "token list\n", "invalid character", nil},
		{"other version", `{"v":2,"args":["token"]}` + "\n", "protocol version 2", nil},
		{"no version", `{"args":["token"]}` + "\n", "protocol version 0", nil},
		{"no arguments", `{"v":1,"args":[]}` + "\n", "0 arguments", nil},
		{"null arguments", `{"v":1,"args":null}` + "\n", "0 arguments", nil},
		{"a flag first", `{"v":1,"args":["--data","x"]}` + "\n", "must be a command", nil},
		{"empty command", `{"v":1,"args":[""]}` + "\n", "must be a command", nil},
		{"unknown field", `{"v":1,"args":["token"],"env":{}}` + "\n", "unknown field", nil},
		{"two values", `{"v":1,"args":["token"]} {"v":1}` + "\n", "more than one", nil},
		{"wrong type", `{"v":"1","args":["token"]}` + "\n", "cannot unmarshal", nil},
		{"too many arguments", `{"v":1,"args":["a"` + strings.Repeat(`,"x"`, maxArgs) + "]}\n", "arguments, want 1 to", nil},
		{"too long", `{"v":1,"args":["` + strings.Repeat("x", maxRequest) + `"]}` + "\n", "longer than", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			req, err := decodeRequest(bufio.NewReaderSize(strings.NewReader(tc.in), 4096))
			if tc.err == "" {
				if err != nil || strings.Join(req.Args, " ") != strings.Join(tc.args, " ") {
					t.Fatalf("decodeRequest = %v, %v; want %v", req.Args, err, tc.args)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Fatalf("decodeRequest error = %v, want one saying %q", err, tc.err)
			}
		})
	}
}

// FuzzDecodeRequest: any line decodes to a request a server can run (a
// command first, within the limits) or to an error; never a panic.
func FuzzDecodeRequest(f *testing.F) {
	var buf bytes.Buffer
	encodeRequest(&buf, []string{"ingest", "--source", "housing", "--file", "/x"})
	f.Add(buf.String())
	f.Add(`{"v":1,"args":["--x"]}`)
	f.Add(`{"v":1,"args":["a"]} trailing`)
	f.Add("\x00\n\n")
	f.Fuzz(func(t *testing.T, in string) {
		req, err := decodeRequest(bufio.NewReader(strings.NewReader(in)))
		if err != nil {
			return
		}
		if req.V != adminVersion || len(req.Args) == 0 || len(req.Args) > maxArgs || req.Args[0] == "" || strings.HasPrefix(req.Args[0], "-") {
			t.Fatalf("accepted %q as %+v", in, req)
		}
	})
}

// TestFrames: what a server writes in frames, a client reads back as
// the two streams and the exit status; a cut-short answer is an error.
func TestFrames(t *testing.T) {
	var conn bytes.Buffer
	var mu sync.Mutex
	out := &frameWriter{mu: &mu, w: &conn, kind: frameStdout}
	errw := &frameWriter{mu: &mu, w: &conn, kind: frameStderr}
	big := strings.Repeat("y", maxFrame+10)
	out.Write([]byte("hello\n"))
	errw.Write([]byte("warning\n"))
	out.Write([]byte(big))
	exitFrame(&mu, &conn, 2)
	whole := conn.Bytes()
	var gotOut, gotErr bytes.Buffer
	code, err := readFrames(bytes.NewReader(whole), &gotOut, &gotErr)
	if err != nil || code != 2 || gotOut.String() != "hello\n"+big || gotErr.String() != "warning\n" {
		t.Fatalf("readFrames = %d, %v; stdout %d bytes, stderr %q", code, err, gotOut.Len(), gotErr.String())
	}
	for _, cut := range [][]byte{whole[:len(whole)-1], whole[:3], {'q', 0, 0, 0, 0}, {'o', 0xff, 0xff, 0xff, 0xff}, {'x', 0, 0, 0, 1, 0}} {
		if code, err := readFrames(bytes.NewReader(cut), &gotOut, &gotErr); err == nil || code != 1 {
			t.Errorf("readFrames of a bad answer (%d bytes) = %d, %v; want exit 1 and an error", len(cut), code, err)
		}
	}
}
