package file

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"testing"
)

// TestReadSelectionIsApplyOfTheWholeTimeline: dropping versions outside
// the bounds while reading keeps exactly the changes, in the order, that
// applying the selection to the whole timeline keeps, and counts the same
// records, those whose every version is outside the bounds among them.
func TestReadSelectionIsApplyOfTheWholeTimeline(t *testing.T) {
	dir := t.TempDir()
	var files []string
	for f := range 3 {
		var b bytes.Buffer
		for i := range 400 {
			// Versions out of order within and across files, some equal,
			// some with offsets; a few malformed lines.
			month, day := 1+(i*7+f*5)%12, 1+(i*13+f)%28
			fmt.Fprintf(&b, `{"source":"s%d","id":"%d","version":"2024-%02d-%02dT10:00:00+01:00","deleted":%t}`+"\n", f%2, i%150, month, day, i%17 == 0)
			if i%97 == 0 {
				b.WriteString("{not json\n")
			}
		}
		name := filepath.Join(dir, fmt.Sprintf("f%d.ndjson", f))
		if err := os.WriteFile(name, b.Bytes(), 0o600); err != nil {
			t.Fatal(err)
		}
		files = append(files, name)
	}
	for _, sel := range []Selection{
		{}, {From: day(2024, 6, 1)}, {To: day(2024, 6, 1)}, {From: day(2024, 3, 15), To: day(2024, 9, 1)},
		{Latest: true}, {Latest: true, To: day(2024, 6, 1)}, {Latest: true, From: day(2024, 11, 1)},
		{From: day(2025, 1, 1)},
	} {
		var badAll, badSel bytes.Buffer
		whole, err := ReadTimeline(files, &LineReport{W: &badAll}, nil)
		if err != nil {
			t.Fatal(err)
		}
		whole.Changes = sel.Apply(whole.Changes)
		got, err := ReadSelection(files, sel, &LineReport{W: &badSel}, nil)
		if err != nil {
			t.Fatal(err)
		}
		if got.Records != whole.Records || got.Records != 2*150 {
			t.Errorf("%+v: %d records, the whole timeline %d", sel, got.Records, whole.Records)
		}
		if len(got.Changes) == 0 && sel.From.Year() != 2025 {
			t.Errorf("%+v: kept nothing", sel)
		}
		if len(got.Changes)+len(whole.Changes) > 0 && !reflect.DeepEqual(got.Changes, whole.Changes) {
			t.Errorf("%+v: kept %d changes, the whole timeline's selection %d, or in another order", sel, len(got.Changes), len(whole.Changes))
		}
		if badAll.String() != badSel.String() || badSel.Len() == 0 {
			t.Errorf("%+v: bad lines %q, want %q", sel, badSel.String(), badAll.String())
		}
	}
}

// BenchmarkReadSelection reads a timeline of 20,000 versions keeping its
// last tenth, as an ingest --since of the last months does.
func BenchmarkReadSelection(b *testing.B) {
	var buf bytes.Buffer
	for i := range 20000 {
		fmt.Fprintf(&buf, `{"source":"s","id":"%d","version":"2024-%02d-%02dT10:00:00Z","name":{"given":"Ann","family":"Smith"},"dob":"1980-01-01"}`+"\n", i%5000, 1+i*12/20000, 1+i%28)
	}
	name := filepath.Join(b.TempDir(), "t.ndjson")
	if err := os.WriteFile(name, buf.Bytes(), 0o600); err != nil {
		b.Fatal(err)
	}
	sel := Selection{From: day(2024, 11, 20)}
	b.SetBytes(int64(buf.Len()))
	for b.Loop() {
		tl, err := ReadSelection([]string{name}, sel, &LineReport{W: &bytes.Buffer{}}, nil)
		if err != nil || len(tl.Changes) == 0 {
			b.Fatal(err, len(tl.Changes))
		}
	}
}
