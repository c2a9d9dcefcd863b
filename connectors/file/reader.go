package file

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"sync/atomic"

	"github.com/resindex/resindex"
	"github.com/resindex/resindex/connectors/mapping"
)

// RowError is a row that could not be read or mapped. It names the file
// and where the row starts, and never quotes the row's values.
type RowError struct {
	File    string
	Line    int   // where the row starts: a line, or for a JSON document the element
	Element bool  // Line counts the array's elements (JSON documents), not lines
	Err     error // the cause: a *mapping.FieldError, or what is wrong with the row
}

func (e *RowError) Error() string {
	unit := "line"
	if e.Element {
		unit = "element"
	}
	return fmt.Sprintf("file: %s: %s %d: %v", e.File, unit, e.Line, e.Err)
}

// Unwrap gives the cause, so that errors.As finds a *mapping.FieldError.
func (e *RowError) Unwrap() error { return e.Err }

// rowSource yields the native rows of one format. A *RowError (File left
// empty) is a bad row and the source stays usable; any other error stops
// it.
type rowSource interface {
	next() (mapping.Row, int, error)
}

// Reader reads one extract and yields its records one at a time.
type Reader struct {
	name   string
	m      *mapping.Mapping
	src    rowSource
	count  *counter
	size   int64
	closer io.Closer
	err    error // sticky: io.EOF or the fatal error

	element bool // positions count a JSON document's array elements
}

// bufSize is the read buffer; NDJSON lines may be longer (maxLine).
const bufSize = 256 << 10

// Open opens an extract, in the format FormatFor picks. A CSV header
// is checked at once: no column twice, and the mapping's key among them.
func Open(path string, m *mapping.Mapping) (*Reader, error) {
	f, err := FormatFor(m, path)
	if err != nil {
		return nil, err
	}
	fh, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("file: %w", err)
	}
	r, err := NewReader(fh, path, f, m)
	if err != nil {
		fh.Close()
		return nil, err
	}
	r.closer = fh
	return r, nil
}

// NewReader reads an extract from r; name is the file named in errors.
// Close does not close r.
func NewReader(r io.Reader, name string, f Format, m *mapping.Mapping) (*Reader, error) {
	rd := &Reader{name: name, m: m, count: &counter{r: r}, size: sizeOf(r), element: f == JSON}
	br := bufio.NewReaderSize(rd.count, bufSize)
	bomLen, err := skipBOM(br)
	if err != nil {
		return nil, fmt.Errorf("file: %s: %w", name, err)
	}
	switch f {
	case CSV:
		rd.src, err = newCSV(br, m.Key)
	case NDJSON:
		rd.src = &ndjsonRows{br: br}
	case JSON:
		rd.src, err = newJSONDoc(br, m.Array, bomLen)
	default:
		err = fmt.Errorf("unknown format %q (want csv, ndjson or json)", f)
	}
	if err != nil {
		return nil, fmt.Errorf("file: %s: %w", name, err)
	}
	return rd, nil
}

// Next returns the next row's record and where the row starts: the line
// (1-based; a CSV header is line 1) or, for a JSON document, the element
// of the array (1-based). It returns io.EOF at the end. A *RowError is one
// bad row: call Next again for the following ones. Any other error is
// fatal and Next keeps returning it. Version stays empty when the mapping
// gives none: the caller decides.
func (r *Reader) Next() (resindex.Record, int, error) {
	if r.err != nil {
		return resindex.Record{}, 0, r.err
	}
	row, pos, err := r.src.next()
	var re *RowError
	switch {
	case errors.As(err, &re):
		re.File = r.name
		return resindex.Record{}, re.Line, re
	case err == io.EOF:
		r.err = io.EOF
		return resindex.Record{}, 0, io.EOF
	case err != nil:
		r.err = fmt.Errorf("file: %s: %w", r.name, err)
		return resindex.Record{}, 0, r.err
	}
	rec, err := r.m.Record(row)
	if err != nil {
		return resindex.Record{}, pos, &RowError{File: r.name, Line: pos, Element: r.element, Err: err}
	}
	return rec, pos, nil
}

// Close closes the file Open opened.
func (r *Reader) Close() error {
	if r.closer == nil {
		return nil
	}
	err := r.closer.Close()
	r.closer = nil
	if err != nil {
		return fmt.Errorf("file: close %s: %w", r.name, err)
	}
	return nil
}

// BytesRead is how much of the input has been read, for progress
// reporting; safe to call from another goroutine.
func (r *Reader) BytesRead() int64 { return r.count.n.Load() }

// Size is the input's size, or 0 when unknown.
func (r *Reader) Size() int64 { return r.size }

// counter counts the bytes read through it.
type counter struct {
	r io.Reader
	n atomic.Int64
}

func (c *counter) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n.Add(int64(n))
	return n, err
}

func sizeOf(r io.Reader) int64 {
	st, ok := r.(interface{ Stat() (fs.FileInfo, error) })
	if !ok {
		return 0
	}
	fi, err := st.Stat()
	if err != nil || !fi.Mode().IsRegular() {
		return 0
	}
	return fi.Size()
}

var bom = []byte("\xef\xbb\xbf")

// skipBOM drops a UTF-8 byte order mark, which Excel and many Windows
// exports put first; left in, it would become part of the first column's
// name or break the JSON.
func skipBOM(br *bufio.Reader) (int, error) {
	head, err := br.Peek(len(bom))
	switch {
	case err != nil && err != io.EOF:
		return 0, err
	case bytes.Equal(head, bom):
		return br.Discard(len(bom))
	}
	return 0, nil
}
