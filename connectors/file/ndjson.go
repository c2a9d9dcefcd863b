package file

import (
	"bufio"
	"bytes"
	"fmt"
	"io"

	"github.com/resindex/resindex/connectors/mapping"
)

// maxLine bounds an NDJSON line, so that a file without newlines cannot
// exhaust memory; a record with long free-text notes stays well inside it.
// A variable only so that tests can lower it.
var maxLine = 64 << 20

// ndjsonRows reads one JSON object per line.
type ndjsonRows struct {
	br   *bufio.Reader
	line int
	buf  []byte
}

func (n *ndjsonRows) next() (mapping.Row, int, error) {
	for {
		text, long, err := n.readLine()
		if err != nil {
			return nil, 0, err
		}
		n.line++
		if long {
			return nil, 0, &RowError{Line: n.line, Err: fmt.Errorf("line longer than %d bytes", maxLine)}
		}
		if len(bytes.TrimSpace(text)) == 0 {
			continue // blank lines carry nothing; a trailing one is common
		}
		row, err := mapping.DecodeRow(text)
		if err != nil {
			return nil, 0, &RowError{Line: n.line, Err: err}
		}
		return row, n.line, nil
	}
}

// readLine reads one physical line without its newline. A line over
// maxLine is read to its end and dropped (long), so the next one is found.
func (n *ndjsonRows) readLine() (text []byte, long bool, err error) {
	n.buf = n.buf[:0]
	for {
		chunk, err := n.br.ReadSlice('\n')
		body := len(chunk)
		if err == nil {
			body-- // the newline is not part of the line
		}
		if long || len(n.buf)+body > maxLine {
			long = true // keep reading to the line's end, holding none of it
		} else {
			n.buf = append(n.buf, chunk...)
		}
		switch {
		case err == bufio.ErrBufferFull:
			continue
		case err == io.EOF && (len(n.buf) > 0 || long):
			return n.buf, long, nil // a last line without a newline
		case err != nil:
			return nil, false, err
		}
		return bytes.TrimSuffix(n.buf, []byte("\n")), long, nil
	}
}
