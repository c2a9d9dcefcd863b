package file

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/resindex/resindex/internal/ndjson"
)

func TestSelection(t *testing.T) {
	line := func(id, version string) ndjson.HeaderLine {
		return ndjson.HeaderLine{Header: ndjson.RecordHeader{Source: "s", ID: id, Version: version + "-01T00:00:00Z"}}
	}
	timeline := func() []ndjson.HeaderLine { // in version order, as ReadTimeline gives it
		return []ndjson.HeaderLine{line("a", "2024-01"), line("b", "2024-02"), line("a", "2024-03"), line("c", "2024-04"), line("b", "2024-05")}
	}
	cases := []struct {
		name string
		sel  Selection
		want []string // id@version
	}{
		{"everything", Selection{}, []string{"a@2024-01", "b@2024-02", "a@2024-03", "c@2024-04", "b@2024-05"}},
		{"since", Selection{From: day(2024, 3, 1)}, []string{"a@2024-03", "c@2024-04", "b@2024-05"}},
		{"before", Selection{To: day(2024, 3, 1)}, []string{"a@2024-01", "b@2024-02"}},
		{"range", Selection{From: day(2024, 2, 1), To: day(2024, 5, 1)}, []string{"b@2024-02", "a@2024-03", "c@2024-04"}},
		{"latest", Selection{Latest: true}, []string{"a@2024-03", "c@2024-04", "b@2024-05"}},
		{"latest before", Selection{Latest: true, To: day(2024, 4, 1)}, []string{"b@2024-02", "a@2024-03"}},
		{"empty range", Selection{From: day(2025, 1, 1), To: day(2024, 1, 1)}, nil},
	}
	for _, c := range cases {
		var got []string
		for _, hl := range c.sel.Apply(timeline()) {
			got = append(got, hl.Header.ID+"@"+hl.Header.Version[:7])
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
	a, err := Selection{}.Stream(in)
	if err != nil {
		t.Fatal(err)
	}
	again, _ := Selection{}.Stream(in)
	latest, _ := Selection{Latest: true}.Stream(in)
	other, _ := Selection{}.Stream([]string{file()})
	if a != again || a == latest || a == other {
		t.Errorf("streams: %s %s %s %s", a, again, latest, other)
	}
}

// TestSelectionComparesInstants: a version's offset counts; a bound is an
// instant.
func TestSelectionComparesInstants(t *testing.T) {
	sel := Selection{From: day(2026, 6, 1)}
	lines := []ndjson.HeaderLine{
		{Header: ndjson.RecordHeader{ID: "before midnight UTC", Version: "2026-06-01T00:30:00+01:00"}},
		{Header: ndjson.RecordHeader{ID: "after midnight UTC", Version: "2026-05-31T23:30:00-01:00"}},
	}
	got := sel.Apply(lines)
	if len(got) != 1 || got[0].Header.ID != "after midnight UTC" {
		t.Errorf("kept %v", got)
	}
}

func day(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }
