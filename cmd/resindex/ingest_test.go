package main

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/resindex/resindex"
)

func TestSelection(t *testing.T) {
	line := func(id, version string) resindex.HeaderLine {
		return resindex.HeaderLine{Header: resindex.RecordHeader{Source: "s", ID: id, Version: version}}
	}
	timeline := func() []resindex.HeaderLine { // in version order, as readTimeline gives it
		return []resindex.HeaderLine{line("a", "2024-01"), line("b", "2024-02"), line("a", "2024-03"), line("c", "2024-04"), line("b", "2024-05")}
	}
	cases := []struct {
		name string
		sel  selection
		want []string // id@version
	}{
		{"everything", selection{}, []string{"a@2024-01", "b@2024-02", "a@2024-03", "c@2024-04", "b@2024-05"}},
		{"since", selection{since: "2024-03"}, []string{"a@2024-03", "c@2024-04", "b@2024-05"}},
		{"before", selection{before: "2024-03"}, []string{"a@2024-01", "b@2024-02"}},
		{"range", selection{since: "2024-02", before: "2024-05"}, []string{"b@2024-02", "a@2024-03", "c@2024-04"}},
		{"latest", selection{latest: true}, []string{"a@2024-03", "c@2024-04", "b@2024-05"}},
		{"latest before", selection{latest: true, before: "2024-04"}, []string{"b@2024-02", "a@2024-03"}},
		{"empty range", selection{since: "2025", before: "2024"}, nil},
	}
	for _, c := range cases {
		var got []string
		for _, hl := range c.sel.apply(timeline()) {
			got = append(got, hl.Header.ID+"@"+hl.Header.Version)
		}
		if len(got) != len(c.want) {
			t.Errorf("%s: got %v, want %v", c.name, got, c.want)
			continue
		}
		for i := range got {
			if got[i] != c.want[i] {
				t.Errorf("%s: got %v, want %v", c.name, got, c.want)
				break
			}
		}
	}
}

// The position stream names the input and the selection: the same ingest
// resumes, another is applied in full.
func TestSelectionStream(t *testing.T) {
	file := func() string {
		p := filepath.Join(t.TempDir(), "x.ndjson")
		if err := os.WriteFile(p, []byte("{}\n"), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	in := []string{file()}
	a, err := selection{}.stream(in)
	if err != nil {
		t.Fatal(err)
	}
	again, _ := selection{}.stream(in)
	latest, _ := selection{latest: true}.stream(in)
	other, _ := selection{}.stream([]string{file()})
	if a != again || a == latest || a == other {
		t.Errorf("streams: %s %s %s %s", a, again, latest, other)
	}
}
