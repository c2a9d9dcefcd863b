package file

import (
	"slices"
	"strings"
	"testing"

	"github.com/resindex/resindex/internal/ndjson"
)

func TestLiveRecords(t *testing.T) {
	change := func(no int, line string, deleted bool) ndjson.HeaderLine {
		return ndjson.HeaderLine{File: "f", No: no, Line: []byte(line), Header: ndjson.RecordHeader{Deleted: deleted}}
	}
	tests := []struct {
		name    string
		changes []ndjson.HeaderLine
		want    []string // ids
		log     string
	}{
		{"none", nil, nil, ""},
		{"deletes left out", []ndjson.HeaderLine{change(1, `{"source":"s","id":"a"}`, false), change(2, `{"source":"s","id":"b","deleted":true}`, true)}, []string{"a"}, ""},
		{"a bad line reported and skipped", []ndjson.HeaderLine{change(1, `{`, false), change(2, `{"source":"s","id":"c"}`, false)}, []string{"c"}, "f:line 1: "},
	}
	for _, tt := range tests {
		var log strings.Builder
		var got []string
		for _, r := range LiveRecords(tt.changes, &log) {
			got = append(got, r.ID)
		}
		if !slices.Equal(got, tt.want) || !strings.HasPrefix(log.String(), tt.log) || tt.log == "" && log.Len() > 0 {
			t.Errorf("%s: %v, log %q; want %v, %q", tt.name, got, log.String(), tt.want, tt.log)
		}
	}
}
