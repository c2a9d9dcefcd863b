package resolver_test

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/resindex/resindex/internal/ndjson"
	"github.com/resindex/resindex/resolver"
)

func TestReadLive(t *testing.T) {
	tests := []struct {
		name     string
		files    [][]string // each file's lines
		want     []string   // source/id:family of the live records
		versions int
		bad      []string // file:line of the malformed lines reported
		wantErr  string
	}{
		{name: "newest wins across files", files: [][]string{
			{`{"source":"a","id":"1","version":"2024","name":{"family":"Old"}}`, `{"source":"a","id":"2","version":"2025","name":{"family":"Two"}}`},
			{`{"source":"a","id":"1","version":"2025","name":{"family":"New"}}`},
		}, want: []string{"a/1:New", "a/2:Two"}, versions: 3},
		{name: "deleted dropped", files: [][]string{
			{`{"source":"a","id":"1","version":"2024"}`, `{"source":"a","id":"1","version":"2025","deleted":true}`, `{"source":"b","id":"9","version":"2025"}`},
		}, want: []string{"b/9:"}, versions: 3},
		{name: "malformed lines skipped and reported", files: [][]string{
			{`not json`, `{"source":"a","id":"1","version":"2024","name":{"family":"Kept"}}`},
		}, want: []string{"a/1:Kept"}, versions: 1, bad: []string{"f0:1"}},
		{name: "malformed newest falls back to the older", files: [][]string{
			{`{"source":"a","id":"1","version":"2024","name":{"family":"Older"}}`, `{"source":"a","id":"1","version":"2025","dob":7}`},
		}, want: []string{"a/1:Older"}, versions: 2, bad: []string{"f0:2"}},
		{name: "missing file", files: nil, wantErr: "no such file"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			files := []string{filepath.Join(dir, "absent.ndjson")}
			if tt.files != nil {
				files = nil
			}
			for i, lines := range tt.files {
				p := filepath.Join(dir, fmt.Sprintf("f%d", i))
				if err := os.WriteFile(p, []byte(strings.Join(lines, "\n")+"\n"), 0o600); err != nil {
					t.Fatal(err)
				}
				files = append(files, p)
			}
			var bad []string
			recs, versions, err := resolver.ReadLive(files, 2, func(file string, le *ndjson.LineError) {
				bad = append(bad, fmt.Sprintf("%s:%d", filepath.Base(file), le.Line))
			}, nil)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want %q", err, tt.wantErr)
				}
				return
			}
			var got []string
			for _, r := range recs {
				got = append(got, r.Key().String()+":"+r.Name.Family)
			}
			if err != nil || !slices.Equal(got, tt.want) || versions != tt.versions || !slices.Equal(bad, tt.bad) {
				t.Errorf("got %v, %d versions, bad %v, %v; want %v, %d, %v", got, versions, bad, err, tt.want, tt.versions, tt.bad)
			}
		})
	}
}

// BenchmarkReadLive reads a timeline of 60,000 versions of 12,000 records
// as link does: headers first, then the winning lines decoded.
func BenchmarkReadLive(b *testing.B) {
	var sb strings.Builder
	for v := range 5 {
		for i := range 12000 {
			fmt.Fprintf(&sb, `{"source":"council_tax","id":"CT%06d","version":"202%d-01-01T00:00:00Z","name":{"given":"Ann","family":"Smith"},"dob":"1980-01-01","addresses":[{"lines":["%d High Street"],"postcode":"NW1 4AB"}]}`+"\n", i, v, i)
		}
	}
	name := filepath.Join(b.TempDir(), "t.ndjson")
	if err := os.WriteFile(name, []byte(sb.String()), 0o600); err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(sb.Len()))
	for b.Loop() {
		recs, _, err := resolver.ReadLive([]string{name}, 2, func(string, *ndjson.LineError) {}, nil)
		if err != nil || len(recs) != 12000 {
			b.Fatal(err, len(recs))
		}
	}
}
