package ndjson_test

import (
	"errors"
	"fmt"
	"io"
	"strings"
	"sync"
	"testing"

	"github.com/resindex/resindex"
	"github.com/resindex/resindex/internal/ndjson"
)

// decodeLinesInput has more lines than a batch holds, blank, malformed
// and over-long lines among them, so that numbering across batches and
// the lines skipped by the header reading are exercised.
func decodeLinesInput() string {
	var b strings.Builder
	for i := 1; i <= 5000; i++ {
		switch {
		case i%1000 == 0:
			b.WriteString(`{"source":"a","id":"` + strings.Repeat("x", ndjson.MaxLineBytes) + `"}`)
		case i%311 == 0:
			b.WriteString("   ")
		case i%97 == 0:
			fmt.Fprintf(&b, `{"source":"a","id":"%d","dob":7}`, i)
		default:
			fmt.Fprintf(&b, `{"source":"a","id":"%d","name":{"family":"F%d"}}`, i, i)
		}
		b.WriteString("\r\n")
	}
	return b.String()
}

// TestDecodeLinesAgreesWithRecordReader: a line decoded by its number is
// the record, or the error, that reading every line gives it.
func TestDecodeLinesAgreesWithRecordReader(t *testing.T) {
	in := decodeLinesInput()
	want := map[int]string{}
	rr := ndjson.NewRecordReader(strings.NewReader(in))
	for {
		r, no, err := rr.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		want[no] = describe(r, err)
	}
	var nos []int
	for no := 1; no <= 5000; no += 1 + no%3 {
		nos = append(nos, no)
	}
	var mu sync.Mutex
	got := map[int]string{}
	n, err := ndjson.DecodeLines(strings.NewReader(in), 3, nos, func(k int, r resindex.Record, err error) {
		mu.Lock()
		defer mu.Unlock()
		got[nos[k]] = describe(r, err)
	})
	if err != nil || n != 5000 {
		t.Fatalf("read %d lines, %v", n, err)
	}
	if len(got) != len(nos) {
		t.Fatalf("decoded %d lines, want %d", len(got), len(nos))
	}
	for _, no := range nos {
		w, ok := want[no]
		if !ok {
			w = describe(resindex.Record{}, errors.New("empty line")) // blank: the reader skips it
		}
		if got[no] != w {
			t.Errorf("line %d: %s, want %s", no, got[no], w)
		}
	}
}

func describe(r resindex.Record, err error) string {
	if err != nil {
		var le *ndjson.LineError
		if errors.As(err, &le) {
			err = le.Err
		}
		return "error: " + err.Error()
	}
	return r.Key().String() + " " + r.Name.Family
}

// BenchmarkDecodeLines decodes a fifth of 50,000 lines, as the second
// reading of a timeline does.
func BenchmarkDecodeLines(b *testing.B) {
	var sb strings.Builder
	for i := range 50000 {
		fmt.Fprintf(&sb, `{"source":"council_tax","id":"%d","version":"2024-01-01T00:00:00Z","name":{"given":"Ann","family":"Smith"},"dob":"1980-01-01","addresses":[{"lines":["1 High Street"],"postcode":"NW1 4AB"}]}`+"\n", i)
	}
	in := sb.String()
	var nos []int
	for no := 1; no <= 50000; no += 5 {
		nos = append(nos, no)
	}
	b.SetBytes(int64(len(in)))
	for b.Loop() {
		if _, err := ndjson.DecodeLines(strings.NewReader(in), 2, nos, func(int, resindex.Record, error) {}); err != nil {
			b.Fatal(err)
		}
	}
}

// TestDecodeLinesReusesBlocksSafely: over several megabytes the blocks
// are read into again once their lines are decoded; every line still
// decodes to itself, whichever worker has it (run with -race).
func TestDecodeLinesReusesBlocksSafely(t *testing.T) {
	var b strings.Builder
	const n = 60000
	for i := 1; i <= n; i++ {
		fmt.Fprintf(&b, `{"source":"a","id":"%d","name":{"family":"F%d","given":"%s"}}`+"\n", i, i, strings.Repeat("g", i%200))
	}
	nos := make([]int, n)
	for i := range nos {
		nos[i] = i + 1
	}
	var bad sync.Map
	_, err := ndjson.DecodeLines(strings.NewReader(b.String()), 3, nos, func(k int, r resindex.Record, err error) {
		if err != nil || r.ID != fmt.Sprint(k+1) || r.Name.Family != fmt.Sprint("F", k+1) || len(r.Name.Given) != (k+1)%200 {
			bad.Store(k+1, fmt.Sprint(r.ID, r.Name.Family, err))
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	bad.Range(func(k, v any) bool {
		t.Errorf("line %v decoded as %v", k, v)
		return false
	})
}
