package store

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"io"

	"github.com/resindex/resindex/layout"
)

// The replication stream's wire format, written by the writer and read
// by a replica as it arrives: a magic, then one frame per key change,
// then an end frame. Lengths are uvarints.
//
//	"RXR1"
//	'S' keylen key vallen value   a set
//	'D' keylen key                a delete
//	'E' upTo(8, big-endian) count(8, big-endian)
//
// A stream without its end frame was cut short (the writer stopped, the
// connection broke): the replica keeps what it applied but not the
// position, so the next pull covers the rest again.

const (
	wireMagic = "RXR1"
	frameSet  = 'S'
	frameDel  = 'D'
	frameEnd  = 'E'
	// maxWireValue bounds a value a replica will allocate for: a corrupt
	// or hostile length must not exhaust memory.
	maxWireValue = 256 << 20
)

// ErrStreamEnd is Next's error at the end frame.
var ErrStreamEnd = errors.New("store: end of the replication stream")

// WireWriter writes the replication stream.
type WireWriter struct {
	w     *bufio.Writer
	count uint64
	buf   []byte
}

// NewWireWriter starts a stream on w.
func NewWireWriter(w io.Writer) (*WireWriter, error) {
	ww := &WireWriter{w: bufio.NewWriterSize(w, 64<<10)}
	if _, err := ww.w.WriteString(wireMagic); err != nil {
		return nil, fmt.Errorf("store: replication stream: %w", err)
	}
	return ww, nil
}

// Write writes one key change.
func (ww *WireWriter) Write(c layout.KeyChange) error {
	b := ww.buf[:0]
	if c.Deleted {
		b = append(b, frameDel)
		b = binary.AppendUvarint(b, uint64(len(c.Key)))
		b = append(b, c.Key...)
	} else {
		b = append(b, frameSet)
		b = binary.AppendUvarint(b, uint64(len(c.Key)))
		b = append(b, c.Key...)
		b = binary.AppendUvarint(b, uint64(len(c.Value)))
		b = append(b, c.Value...)
	}
	ww.buf = b
	ww.count++
	if _, err := ww.w.Write(b); err != nil {
		return fmt.Errorf("store: replication stream: %w", err)
	}
	return nil
}

// End writes the end frame and flushes.
func (ww *WireWriter) End(upTo uint64) error {
	b := []byte{frameEnd}
	b = binary.BigEndian.AppendUint64(b, upTo)
	b = binary.BigEndian.AppendUint64(b, ww.count)
	if _, err := ww.w.Write(b); err != nil {
		return fmt.Errorf("store: replication stream: %w", err)
	}
	if err := ww.w.Flush(); err != nil {
		return fmt.Errorf("store: replication stream: %w", err)
	}
	return nil
}

// Flush sends what is buffered (a long stream sends as it goes).
func (ww *WireWriter) Flush() error { return ww.w.Flush() }

// WireReader reads the replication stream.
type WireReader struct {
	r     *bufio.Reader
	count uint64
	upTo  uint64
	ended bool
}

// NewWireReader reads a stream's magic from r.
func NewWireReader(r io.Reader) (*WireReader, error) {
	wr := &WireReader{r: bufio.NewReaderSize(r, 64<<10)}
	magic := make([]byte, len(wireMagic))
	if _, err := io.ReadFull(wr.r, magic); err != nil {
		return nil, wireErr("the stream's start", err)
	}
	if string(magic) != wireMagic {
		return nil, errors.New("store: replication stream: not a replication stream (bad magic)")
	}
	return wr, nil
}

// Next returns the next key change, or ErrStreamEnd after the end frame
// (UpTo is then the writer's version).
func (wr *WireReader) Next() (layout.KeyChange, error) {
	if wr.ended {
		return layout.KeyChange{}, ErrStreamEnd
	}
	op, err := wr.r.ReadByte()
	if err != nil {
		return layout.KeyChange{}, wireErr("a frame", err)
	}
	switch op {
	case frameSet, frameDel:
		return wr.change(op == frameDel)
	case frameEnd:
		return layout.KeyChange{}, wr.end()
	default:
		return layout.KeyChange{}, fmt.Errorf("store: replication stream: frame %d: unknown frame type %#x", wr.count+1, op)
	}
}

func (wr *WireReader) change(deleted bool) (layout.KeyChange, error) {
	c := layout.KeyChange{Deleted: deleted}
	var err error
	if c.Key, err = wr.bytes("key", maxKey); err != nil {
		return c, err
	}
	if len(c.Key) == 0 {
		return c, fmt.Errorf("store: replication stream: frame %d: an empty key", wr.count+1)
	}
	if !deleted {
		if c.Value, err = wr.bytes("value", maxWireValue); err != nil {
			return c, err
		}
	}
	wr.count++
	return c, nil
}

func (wr *WireReader) bytes(what string, limit uint64) ([]byte, error) {
	n, err := binary.ReadUvarint(wr.r)
	if err != nil {
		return nil, wireErr(what+" length", err)
	}
	if n > limit {
		return nil, fmt.Errorf("store: replication stream: frame %d: a %s of %d bytes is over the %d-byte limit", wr.count+1, what, n, limit)
	}
	b := make([]byte, n)
	if _, err := io.ReadFull(wr.r, b); err != nil {
		return nil, wireErr(what, err)
	}
	return b, nil
}

func (wr *WireReader) end() error {
	var b [16]byte
	if _, err := io.ReadFull(wr.r, b[:]); err != nil {
		return wireErr("the end frame", err)
	}
	wr.upTo = binary.BigEndian.Uint64(b[:8])
	if n := binary.BigEndian.Uint64(b[8:]); n != wr.count {
		return fmt.Errorf("store: replication stream: the end frame counts %d changes, the stream held %d", n, wr.count)
	}
	if _, err := wr.r.ReadByte(); err != io.EOF {
		return errors.New("store: replication stream: data after the end frame")
	}
	wr.ended = true
	return ErrStreamEnd
}

// UpTo is the writer's version the stream was read at (after ErrStreamEnd).
func (wr *WireReader) UpTo() uint64 { return wr.upTo }

// wireErr words a read failure: an EOF inside the stream is a stream cut short.
func wireErr(what string, err error) error {
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		return fmt.Errorf("store: replication stream cut short in %s: %w", what, io.ErrUnexpectedEOF)
	}
	return fmt.Errorf("store: replication stream: reading %s: %w", what, err)
}
