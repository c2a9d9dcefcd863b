package file

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/resindex/resindex"
	"github.com/resindex/resindex/internal/ndjson"
)

// applier records what it is given; it takes effect for ids not starting
// with "same", and fails on "fail".
type applier struct {
	got []resindex.Position
}

func (a *applier) Apply(rec resindex.Record, pos resindex.Position) (bool, error) {
	if rec.ID == "fail" {
		return false, errors.New("store full")
	}
	a.got = append(a.got, pos)
	return !strings.HasPrefix(rec.ID, "same"), nil
}

func TestReplay(t *testing.T) {
	line := func(id string) ndjson.HeaderLine {
		return ndjson.HeaderLine{File: "f", No: 1, Line: []byte(`{"source":"s","id":"` + id + `","version":"2024-01-01T00:00:00Z"}`)}
	}
	stopped, stop := context.WithCancel(context.Background())
	stop()
	cases := []struct {
		name     string
		ctx      context.Context
		lines    []ndjson.HeaderLine
		applied  int
		offsets  []int64
		err, log string
	}{
		{"all", context.Background(), []ndjson.HeaderLine{line("a"), line("same"), line("b")}, 2, []int64{1, 2, 3}, "", ""},
		{"a bad line is skipped, its position kept", context.Background(),
			[]ndjson.HeaderLine{line("a"), {File: "f", No: 2, Line: []byte(`{`)}, line("b")}, 2, []int64{1, 3}, "", "f:line 2"},
		{"an Apply error stops it", context.Background(), []ndjson.HeaderLine{line("a"), line("fail"), line("b")}, 1, []int64{1}, "store full", ""},
		{"a stopped context stops it", stopped, []ndjson.HeaderLine{line("a")}, 0, nil, "interrupted", ""},
	}
	for _, c := range cases {
		a := &applier{}
		var log strings.Builder
		r, err := Replay(c.ctx, a, "st", c.lines, &log, nil)
		if (err == nil) != (c.err == "") || err != nil && !strings.Contains(err.Error(), c.err) {
			t.Errorf("%s: err %v, want %q", c.name, err, c.err)
		}
		if r.Applied != c.applied || r.Read != len(c.lines) || len(a.got) != len(c.offsets) {
			t.Errorf("%s: %+v, applied at %v", c.name, r, a.got)
			continue
		}
		for i, p := range a.got {
			if p.Stream != "st" || p.Offset != c.offsets[i] {
				t.Errorf("%s: position %d = %+v, want offset %d", c.name, i, p, c.offsets[i])
			}
		}
		if !strings.Contains(log.String(), c.log) {
			t.Errorf("%s: log %q lacks %q", c.name, log.String(), c.log)
		}
	}
}
