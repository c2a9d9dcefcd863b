package ndjson

import (
	"bytes"
	"errors"
	"io"
	"slices"
	"sync"
	"sync/atomic"

	"github.com/resindex/resindex"
)

// lineBatch is a run of consecutive lines handed to a decoding worker.
type lineBatch struct {
	first int // line number of lines[0]
	lines [][]byte
	long  []bool // line was over MaxLineBytes
	// blocks are the recycled blocks the lines lie in (see recycled).
	blocks []*block
}

// decoded is a worker's output for one batch.
type decoded struct {
	records []resindex.Record
	errs    []*LineError
}

// ReadRecords decodes NDJSON records on several workers: decoding JSON is
// the slow part of reading a large extract. fn and bad are called from the
// calling goroutine only, in no particular order; bad gets each malformed
// line, which is skipped. It returns the number of lines read.
func ReadRecords(r io.Reader, workers int, fn func(resindex.Record), bad func(*LineError)) (int, error) {
	return pipeline(r, workers, decodeBatch, func(d decoded) {
		for _, rec := range d.records {
			fn(rec)
		}
		for _, e := range d.errs {
			bad(e)
		}
	})
}

// pipeline splits r into batches of lines, runs work on them on several
// workers and hands each result to consume on the calling goroutine.
func pipeline[T any](r io.Reader, workers int, work func(lineBatch) T, consume func(T)) (int, error) {
	return pipelineOf(r, nil, workers, work, consume)
}

// recycledPipeline is pipeline for work that keeps nothing of the lines
// (neither work nor consume may): each block is read into again once its
// lines are done with. The second reading of a timeline, and the first
// when only headers are kept, would otherwise allocate, and have the
// collector reclaim, the two gigabytes of a million records' timeline
// each, while little else is live to pace the collector.
func recycledPipeline[T any](r io.Reader, workers int, work func(lineBatch) T, consume func(T)) (int, error) {
	return pipelineOf(r, &blocks, workers, work, consume)
}

func pipelineOf[T any](r io.Reader, pool *sync.Pool, workers int, work func(lineBatch) T, consume func(T)) (int, error) {
	workers = max(workers, 1)
	batches := make(chan lineBatch, workers*2)
	results := make(chan T, workers*2)
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for b := range batches {
				res := work(b)
				b.release(pool)
				results <- res
			}
		})
	}
	var lines int
	var readErr error
	go func() {
		lines, readErr = splitBlocksFrom(r, batches, blockBytes, pool)
		close(batches)
		wg.Wait()
		close(results)
	}()
	for res := range results {
		consume(res)
	}
	return lines, readErr
}

// blockBytes is the size of the blocks splitLines reads into.
const blockBytes = 1 << 20

// splitBlocks reads r in large blocks and cuts the lines out of them where
// they lie, instead of copying each line into an allocation of its own:
// a million-record timeline is five million lines, and reading them one by
// one was a tenth of linking it. The lines it hands out are never written
// again. It numbers and judges lines as RecordReader does.
func splitBlocks(r io.Reader, out chan<- lineBatch, size int) (int, error) {
	return splitBlocksFrom(r, out, size, nil)
}

// splitBlocksFrom is splitBlocks taking its blocks from pool, if not nil,
// and counting the batches that use each (see recycledPipeline).
func splitBlocksFrom(r io.Reader, out chan<- lineBatch, size int, pool *sync.Pool) (int, error) {
	s := splitter{r: r, out: out, size: size, pool: pool, b: lineBatch{first: 1}}
	s.cur = s.newBlock(size)
	s.blk = s.cur.buf
	defer func() { s.cur.unref(pool) }()
	for {
		err := s.fill()
		eof := errors.Is(err, io.EOF)
		if err != nil && !eof {
			return s.line, err
		}
		s.cut(eof)
		if eof {
			if len(s.b.lines) > 0 {
				out <- s.b
			}
			return s.line, nil
		}
	}
}

type splitter struct {
	r        io.Reader
	out      chan<- lineBatch
	size     int
	blk      []byte // blk[start:] is read but not yet cut
	start    int
	scanned  int // blk[start:start+scanned] holds no newline
	line     int
	b        lineBatch
	skipping bool // inside an over-long line, discarding up to its newline
	pool     *sync.Pool
	cur      *block // the block blk is
}

// fill reads more into the block, first moving what is not yet cut to a
// new block when this one is full (growing it for a long line).
func (s *splitter) fill() error {
	if len(s.blk) == cap(s.blk) {
		pending := s.blk[s.start:]
		next := s.newBlock(max(s.size, 2*len(pending)))
		s.blk = append(next.buf, pending...)
		s.start = 0
		s.cur.unref(s.pool)
		s.cur = next
	}
	for range maxEmptyReads {
		n, err := s.r.Read(s.blk[len(s.blk):cap(s.blk)])
		s.blk = s.blk[:len(s.blk)+n]
		if n > 0 && errors.Is(err, io.EOF) {
			return nil // the next read says EOF again, after these bytes are cut
		}
		if n > 0 || err != nil {
			return err
		}
	}
	return io.ErrNoProgress
}

// maxEmptyReads is how many reads returning nothing, and no error, fill
// takes before giving up, as bufio does.
const maxEmptyReads = 100

// cut hands out every complete line; at the end of input, the last line
// too. A line that grows past MaxLineBytes is reported once and skipped.
func (s *splitter) cut(eof bool) {
	for {
		i := bytes.IndexByte(s.blk[s.start+s.scanned:], '\n')
		if i < 0 {
			// Searched already: a long line read in small pieces is
			// not searched again from its start each time.
			s.scanned = len(s.blk) - s.start
			break
		}
		i += s.scanned
		if !s.skipping {
			s.emit(s.blk[s.start:s.start+i], true)
		}
		s.skipping, s.scanned = false, 0
		s.start += i + 1
	}
	pending := len(s.blk) - s.start
	switch {
	case s.skipping:
		s.start, s.scanned = len(s.blk), 0
	case pending > MaxLineBytes+2: // room for "\r\n"
		s.emit(nil, false)
		s.skipping, s.start, s.scanned = true, len(s.blk), 0
	case eof && pending > 0:
		s.emit(s.blk[s.start:], false)
		s.start = len(s.blk)
	}
}

// emit adds one line, without its newline, to the batch; nil is a line
// over MaxLineBytes. A line is too long as RecordReader judges it: over
// MaxLineBytes once trimmed, or over MaxLineBytes+2 bytes with its newline
// and any carriage returns before it.
func (s *splitter) emit(line []byte, newline bool) {
	s.line++
	raw := len(line)
	if newline {
		raw++
	}
	line = bytes.TrimRight(line, "\r\n")
	long := line == nil || len(line) > MaxLineBytes || raw > MaxLineBytes+2
	if long {
		line = nil
	}
	s.b.lines = append(s.b.lines, line[:len(line):len(line)])
	s.b.long = append(s.b.long, long)
	if n := len(s.b.blocks); s.pool != nil && len(line) > 0 && (n == 0 || s.b.blocks[n-1] != s.cur) {
		s.cur.refs.Add(1)
		s.b.blocks = append(s.b.blocks, s.cur)
	}
	if len(s.b.lines) == 1024 {
		s.out <- s.b
		s.b = lineBatch{first: s.line + 1}
	}
}

// block is one block lines are cut from. Recycled, it counts its users:
// the splitter while it reads into it, and each batch with a line in it.
type block struct {
	buf  []byte
	refs atomic.Int32
}

// blocks holds the blocks of recycledPipeline, of blockBytes each.
var blocks sync.Pool

// newBlock takes a block of size bytes from the pool, if there is one and
// size is its blocks', or makes one.
func (s *splitter) newBlock(size int) *block {
	if s.pool != nil && size == blockBytes {
		if b, ok := s.pool.Get().(*block); ok {
			b.buf = b.buf[:0]
			b.refs.Store(1)
			return b
		}
	}
	b := &block{buf: make([]byte, 0, size)}
	b.refs.Store(1)
	return b
}

// unref ends one use of the block; the last returns it to the pool, if it
// came from one (a longer block, grown for a long line, is left to the
// collector).
func (b *block) unref(pool *sync.Pool) {
	if pool != nil && b.refs.Add(-1) == 0 && cap(b.buf) == blockBytes {
		pool.Put(b)
	}
}

// release ends the batch's use of its blocks.
func (b *lineBatch) release(pool *sync.Pool) {
	for _, blk := range b.blocks {
		blk.unref(pool)
	}
	b.blocks = nil
}

func decodeBatch(b lineBatch) decoded {
	var d decoded
	d.errs = forLines(b, func(_ int, line []byte) error {
		rec, err := DecodeRecord(line)
		if err == nil {
			d.records = append(d.records, rec)
		}
		return err
	})
	return d
}

// forLines calls f with each non-blank line of a batch and its number, and
// returns the over-long lines and f's failures as line errors.
func forLines(b lineBatch, f func(n int, line []byte) error) []*LineError {
	var errs []*LineError
	for i, line := range b.lines {
		n := b.first + i
		if b.long[i] {
			errs = append(errs, &LineError{Line: n, Err: errTooLong})
			continue
		}
		if line = bytes.TrimSpace(line); len(line) == 0 {
			continue
		}
		if err := f(n, line); err != nil {
			errs = append(errs, &LineError{Line: n, Err: err})
		}
	}
	return errs
}

// DecodeLines decodes only the listed lines of r, given by their numbers
// in ascending order (as ReadHeaders numbers lines), on several workers:
// the second reading of a timeline whose headers picked the lines worth
// decoding. fn is called on the worker with each listed line's index in
// lines and its record, or why it did not decode. It returns the number
// of lines read.
func DecodeLines(r io.Reader, workers int, lines []int, fn func(k int, rec resindex.Record, err error)) (int, error) {
	return recycledPipeline(r, workers, func(b lineBatch) struct{} {
		k, _ := slices.BinarySearch(lines, b.first)
		for ; k < len(lines) && lines[k] < b.first+len(b.lines); k++ {
			j := lines[k] - b.first
			if b.long[j] {
				fn(k, resindex.Record{}, errTooLong)
				continue
			}
			rec, err := DecodeRecord(bytes.TrimSpace(b.lines[j]))
			fn(k, rec, err)
		}
		return struct{}{}
	}, func(struct{}) {})
}

// HeaderLine is one line of an NDJSON stream with its record header.
type HeaderLine struct {
	Header RecordHeader
	Line   []byte // the whole line; it may share memory with the lines read with it, and must not be written
	No     int    // line number
	File   string // where the line came from, for error messages; set by the caller
}

// ReadHeaders reads NDJSON on several workers, scanning only each record's
// header (see ScanHeader); a line the scan cannot follow is decoded in full
// and, if that fails, handed to bad. fn and bad are called from the calling
// goroutine only. It returns the number of lines read.
func ReadHeaders(r io.Reader, workers int, fn func(HeaderLine), bad func(*LineError)) (int, error) {
	return pipeline(r, workers, scanBatch, func(sc scanned) {
		for _, hl := range sc.lines {
			fn(hl)
		}
		for _, e := range sc.errs {
			bad(e)
		}
	})
}

// ReadHeaderBatches is ReadHeaders for a consumer safe for concurrent use
// that keeps the headers only: fn gets each batch's lines on the worker
// that scanned them, so that what the consumer does with five million
// lines is shared by the workers too, and the lines' bytes (Line) are
// valid only until fn returns: their memory is read into again. bad is
// called from the calling goroutine only.
func ReadHeaderBatches(r io.Reader, workers int, fn func([]HeaderLine), bad func(*LineError)) (int, error) {
	return recycledPipeline(r, workers, func(b lineBatch) []*LineError {
		sc := scanBatch(b)
		fn(sc.lines)
		return sc.errs
	}, func(errs []*LineError) {
		for _, e := range errs {
			bad(e)
		}
	})
}

type scanned struct {
	lines []HeaderLine
	errs  []*LineError
}

func scanBatch(b lineBatch) scanned {
	var sc scanned
	sc.errs = forLines(b, func(n int, line []byte) error {
		h, ok := ScanHeader(line)
		if !ok {
			r, err := DecodeRecord(line)
			if err != nil {
				return err
			}
			h = RecordHeader{Source: r.Source, ID: r.ID, Version: r.Version, Deleted: r.Deleted}
		}
		sc.lines = append(sc.lines, HeaderLine{Header: h, Line: line, No: n})
		return nil
	})
	return sc
}
