package resindex

import (
	"bytes"
	"io"
	"sync"
)

// lineBatch is a run of consecutive lines handed to a decoding worker.
type lineBatch struct {
	first int // line number of lines[0]
	lines [][]byte
	long  []bool // line was over MaxLineBytes
}

// decoded is a worker's output for one batch.
type decoded struct {
	records []Record
	errs    []*LineError
}

// ReadRecords decodes NDJSON records on several workers: decoding JSON is
// the slow part of reading a large extract. fn and bad are called from the
// calling goroutine only, in no particular order; bad gets each malformed
// line, which is skipped. It returns the number of lines read.
func ReadRecords(r io.Reader, workers int, fn func(Record), bad func(*LineError)) (int, error) {
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
	workers = max(workers, 1)
	batches := make(chan lineBatch, workers*2)
	results := make(chan T, workers*2)
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for b := range batches {
				results <- work(b)
			}
		})
	}
	var lines int
	var readErr error
	go func() {
		lines, readErr = splitLines(r, batches)
		close(batches)
		wg.Wait()
		close(results)
	}()
	for res := range results {
		consume(res)
	}
	return lines, readErr
}

// splitLines reads lines in batches of about a thousand. A batch's lines
// are copied into one buffer of their own (batchBytes, or one long line's
// size) rather than one allocation a line: a million-record timeline is
// five million lines, and allocating each was a tenth of reading it.
func splitLines(r io.Reader, out chan<- lineBatch) (int, error) {
	rr := NewRecordReader(r)
	const size = 1024
	b := lineBatch{first: 1}
	var buf []byte
	for {
		line, tooLong, err := rr.readLine()
		if err == io.EOF {
			break
		}
		if err != nil {
			return rr.line, err
		}
		if len(buf)+len(line) > cap(buf) {
			// A full buffer is never grown: the lines already cut from
			// it must stay where they are.
			buf = make([]byte, 0, max(batchBytes, len(line)))
		}
		start := len(buf)
		buf = append(buf, line...)
		b.lines = append(b.lines, buf[start:len(buf):len(buf)])
		b.long = append(b.long, tooLong)
		if len(b.lines) == size {
			out <- b
			b = lineBatch{first: rr.line + 1}
		}
	}
	if len(b.lines) > 0 {
		out <- b
	}
	return rr.line, nil
}

// batchBytes is the size of the buffers splitLines copies lines into.
const batchBytes = 1 << 20

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

// HeaderLine is one line of an NDJSON stream with its record header.
type HeaderLine struct {
	Header RecordHeader
	Line   []byte // the whole line, owned by the receiver
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

// ReadHeaderBatches is ReadHeaders for a consumer safe for concurrent use:
// fn gets each batch's lines on the worker that scanned them, so that
// what the consumer does with five million lines is shared by the
// workers too. bad is called from the calling goroutine only.
func ReadHeaderBatches(r io.Reader, workers int, fn func([]HeaderLine), bad func(*LineError)) (int, error) {
	return pipeline(r, workers, func(b lineBatch) []*LineError {
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
