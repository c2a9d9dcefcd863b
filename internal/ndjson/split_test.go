package ndjson

import (
	"bytes"
	"errors"
	"io"
	"strings"
	"testing"
	"testing/iotest"
)

// readerLines is what RecordReader makes of the input, line by line: the
// reference splitBlocks must agree with.
func readerLines(t testing.TB, in []byte) ([]string, []bool) {
	rr := NewRecordReader(bytes.NewReader(in))
	var lines []string
	var long []bool
	for {
		line, tooLong, err := rr.readLine()
		if errors.Is(err, io.EOF) {
			return lines, long
		}
		if err != nil {
			t.Fatal(err)
		}
		if tooLong {
			line = nil
		}
		lines = append(lines, string(line))
		long = append(long, tooLong)
	}
}

func splitAll(t testing.TB, r io.Reader, size int) ([]string, []bool, int) {
	out := make(chan lineBatch, 1)
	var lines []string
	var long []bool
	done := make(chan struct{})
	go func() {
		next := 1
		for b := range out {
			if b.first != next {
				t.Errorf("batch starts at line %d, want %d", b.first, next)
			}
			for i, l := range b.lines {
				lines = append(lines, string(l))
				long = append(long, b.long[i])
			}
			next += len(b.lines)
		}
		close(done)
	}()
	n, err := splitBlocks(r, out, size)
	close(out)
	<-done
	if err != nil {
		t.Fatal(err)
	}
	return lines, long, n
}

func checkSplit(t testing.TB, in []byte, size int, r io.Reader) {
	wantLines, wantLong := readerLines(t, in)
	lines, long, n := splitAll(t, r, size)
	if n != len(wantLines) || len(lines) != len(wantLines) {
		t.Fatalf("block %d: %d lines (counted %d), want %d", size, len(lines), n, len(wantLines))
	}
	for i := range lines {
		if lines[i] != wantLines[i] || long[i] != wantLong[i] {
			t.Fatalf("block %d, line %d: got %.40q long=%v, want %.40q long=%v", size, i+1, lines[i], long[i], wantLines[i], wantLong[i])
		}
	}
}

func TestSplitBlocksAgreesWithRecordReader(t *testing.T) {
	long := strings.Repeat("x", MaxLineBytes+10)
	edge := strings.Repeat("y", MaxLineBytes)
	cases := map[string]string{
		"empty":              "",
		"one line":           `{"a":1}`,
		"trailing newline":   "a\nb\n",
		"blank lines":        "\n\n a \n\n",
		"crlf":               "a\r\nb\r\n\r\nc",
		"only cr":            "\r",
		"too long in middle": "a\n" + long + "\nb\n",
		"too long at end":    "a\n" + long,
		"too long crlf":      long + "\r\nz",
		"at the limit":       edge + "\r\n" + edge + "\n",
		"over by one":        edge + "y\n",
		"two long lines":     long + "\n" + long + "\n",
		"limit, then crs":    edge + "\r\r\n" + edge + "\r\n" + edge[1:] + "\r\r\n",
		"limit, crs at end":  edge + "\r\r",
		"limit, many crs":    edge[2:] + strings.Repeat("\r", 5) + "\nz",
	}
	for name, in := range cases {
		t.Run(name, func(t *testing.T) {
			for _, size := range []int{1, 3, 64, 4096, blockBytes} {
				checkSplit(t, []byte(in), size, strings.NewReader(in))
			}
			// A reader that returns one byte at a time, and data with EOF.
			checkSplit(t, []byte(in), 64, iotest.OneByteReader(strings.NewReader(in)))
			checkSplit(t, []byte(in), 64, iotest.DataErrReader(strings.NewReader(in)))
		})
	}
}

// stuckReader returns nothing, and no error, for ever.
type stuckReader struct{}

func (stuckReader) Read([]byte) (int, error) { return 0, nil }

func TestSplitBlocksGivesUpOnAStuckReader(t *testing.T) {
	out := make(chan lineBatch, 10)
	if _, err := splitBlocks(stuckReader{}, out, 64); !errors.Is(err, io.ErrNoProgress) {
		t.Fatalf("err = %v, want io.ErrNoProgress", err)
	}
}

func TestSplitBlocksReportsReadErrors(t *testing.T) {
	out := make(chan lineBatch, 10)
	r := io.MultiReader(strings.NewReader("a\nb\n"), iotest.ErrReader(errors.New("disk gone")))
	if _, err := splitBlocks(r, out, 64); err == nil || !strings.Contains(err.Error(), "disk gone") {
		t.Fatalf("err = %v", err)
	}
}

// FuzzSplitBlocks: for any input and block size, the lines cut from blocks
// are RecordReader's, numbered alike.
func FuzzSplitBlocks(f *testing.F) {
	f.Add([]byte("a\nb\r\n\n c"), uint16(3))
	f.Add([]byte(`{"source":"a","id":"1"}`+"\n"), uint16(1))
	f.Fuzz(func(t *testing.T, in []byte, size uint16) {
		checkSplit(t, in, int(size)%512+1, bytes.NewReader(in))
	})
}
