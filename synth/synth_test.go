package synth_test

import (
	"bytes"
	"encoding/csv"
	"errors"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/resindex/resindex"
	"github.com/resindex/resindex/internal/ndjson"
	"github.com/resindex/resindex/synth"
)

// The properties below are checked on one borough of 10,000 persons,
// generated once for the whole package.
var (
	once    sync.Once
	shared  *synth.Borough
	sharedE error
)

func mustGenerate(tb testing.TB) *synth.Borough {
	tb.Helper()
	once.Do(func() { shared, sharedE = synth.Generate(synth.Config{Persons: 10000, Seed: 42}, nil) })
	if sharedE != nil {
		tb.Fatalf("Generate: %v", sharedE)
	}
	return shared
}

// live returns the final version of every live record, keyed.
func live(b *synth.Borough) map[resindex.RecordKey]*resindex.Record {
	out := map[resindex.RecordKey]*resindex.Record{}
	for _, s := range resindex.Sources {
		recs := b.Records[s]
		for i := range recs {
			if recs[i].Deleted {
				delete(out, recs[i].Key())
			} else {
				out[recs[i].Key()] = &recs[i]
			}
		}
	}
	return out
}

func errorKinds(b *synth.Borough) map[resindex.RecordKey][]string {
	out := map[resindex.RecordKey][]string{}
	for _, e := range b.Errors {
		out[resindex.RecordKey{Source: e.Source, ID: e.ID}] = e.Kinds
	}
	return out
}

func TestErrorShareAndEveryKind(t *testing.T) {
	b := mustGenerate(t)
	if share := float64(len(b.Errors)) / float64(len(b.Truth)); share < 0.35 {
		t.Errorf("records with a deviation: %.3f of %d, want at least 0.35", share, len(b.Truth))
	}
	seen := map[string]int{}
	perSource := map[string]int{}
	for _, e := range b.Errors {
		perSource[e.Source]++
		for _, k := range e.Kinds {
			seen[k]++
		}
	}
	for _, k := range synth.ErrorKinds {
		if seen[k] == 0 {
			t.Errorf("deviation %s never occurs", k)
		}
	}
	// Sloppy sources deviate more than clean ones.
	rate := func(s string) float64 {
		n := 0
		for _, r := range b.Truth {
			if r.Source == s {
				n++
			}
		}
		return float64(perSource[s]) / float64(n)
	}
	if cc, er := rate(resindex.SourceContactCentre), rate(resindex.SourceElectoralRoll); cc <= er {
		t.Errorf("contact centre deviation rate %.2f, electoral roll %.2f: want the contact centre sloppier", cc, er)
	}
}

func TestTruthCoversExactlyTheLiveRecords(t *testing.T) {
	b := mustGenerate(t)
	lv := live(b)
	if len(b.Truth) != len(lv) {
		t.Fatalf("truth has %d rows, %d records are live", len(b.Truth), len(lv))
	}
	for i, r := range b.Truth {
		k := resindex.RecordKey{Source: r.Source, ID: r.ID}
		if lv[k] == nil {
			t.Fatalf("truth row %s is not live", k)
		}
		if !strings.HasPrefix(r.PersonID, "P") || len(r.PersonID) != 8 {
			t.Fatalf("truth row %s: person id %q, want P and seven digits", k, r.PersonID)
		}
		if i > 0 && !(resindex.RecordKey{Source: b.Truth[i-1].Source, ID: b.Truth[i-1].ID}).Less(k) {
			t.Fatalf("truth rows not sorted at %s", k)
		}
	}
	for _, e := range b.Errors {
		if lv[resindex.RecordKey{Source: e.Source, ID: e.ID}] == nil || len(e.Kinds) == 0 {
			t.Fatalf("errors row %s/%s: not a live record, or no kinds", e.Source, e.ID)
		}
	}
}

func TestTimelineVersions(t *testing.T) {
	b := mustGenerate(t)
	if err := b.Validate(); err != nil {
		t.Fatal(err)
	}
	for _, s := range resindex.Sources {
		if len(b.Records[s]) == 0 {
			t.Errorf("source %s has no records", s)
		}
		updated := 0
		seen := map[string]int{}
		for _, r := range b.Records[s] {
			if seen[r.ID]++; seen[r.ID] == 2 {
				updated++
			}
		}
		if updated == 0 {
			t.Errorf("source %s never updates a record", s)
		}
	}
}

func TestScenariosPresent(t *testing.T) {
	sc := mustGenerate(t).Scenarios
	if len(sc.Safeguarding) == 0 || len(sc.Sublets) == 0 || len(sc.SinglePersonDiscounts) == 0 {
		t.Fatalf("scenarios: %d safeguarding, %d sublets, %d single person discounts; want some of each",
			len(sc.Safeguarding), len(sc.Sublets), len(sc.SinglePersonDiscounts))
	}
	withRecords := 0
	for _, s := range sc.Safeguarding {
		if len(s.ChildPersonIDs) == 0 || s.UPRN == "" || s.Date == "" {
			t.Errorf("safeguarding scenario %+v is incomplete", s)
		}
		if len(s.Records) > 0 {
			withRecords++
		}
	}
	if withRecords == 0 {
		t.Error("no safeguarding scenario is shown by any record")
	}
	for _, s := range sc.Sublets {
		if len(s.OccupantPersonIDs) == 0 || s.TenantLivesAtUPRN == "" && !s.TenantOutsideBorough {
			t.Errorf("sublet scenario %+v is incomplete", s)
		}
	}
	for _, s := range sc.SinglePersonDiscounts {
		if len(s.OtherAdultPersonIDs) == 0 {
			t.Errorf("single person discount scenario %+v names no other adult", s)
		}
	}
}

// TestWriteLayout writes a small borough and reads every file back: the
// canonical timelines decode strictly, the truth files have their headers
// and the native extracts and their README exist.
func TestWriteLayout(t *testing.T) {
	b, err := synth.Generate(synth.Config{Persons: 2000, Seed: 3}, nil)
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(t.TempDir(), "out")
	if err := b.Write(dir); err != nil {
		t.Fatal(err)
	}
	for _, s := range resindex.Sources {
		n := decodeAll(t, filepath.Join(dir, "canonical", s+".ndjson"))
		if n != len(b.Records[s]) {
			t.Errorf("%s: read %d records, wrote %d", s, n, len(b.Records[s]))
		}
	}
	for file, header := range map[string]string{
		"records.csv": "source,id,person_id", "errors.csv": "source,id,errors",
	} {
		rows := readCSV(t, filepath.Join(dir, "truth", file))
		if strings.Join(rows[0], ",") != header {
			t.Errorf("%s header %v, want %s", file, rows[0], header)
		}
		if file == "records.csv" && len(rows)-1 != len(b.Truth) {
			t.Errorf("records.csv has %d rows, want %d", len(rows)-1, len(b.Truth))
		}
	}
	for _, f := range []string{"native/README.md", "native/council_tax.csv", "native/housing.csv",
		"native/housing_benefit.csv", "native/electoral_roll.csv", "native/adult_social_care.ndjson",
		"native/children_social_care.ndjson", "native/schools.csv", "native/libraries.csv", "native/parking.csv",
		"native/contact_centre.json", "truth/scenarios.json"} {
		if st, err := os.Stat(filepath.Join(dir, f)); err != nil || st.Size() == 0 {
			t.Errorf("%s: missing or empty (%v)", f, err)
		}
	}
}

func decodeAll(t *testing.T, path string) int {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rr := ndjson.NewRecordReader(f)
	n := 0
	for {
		_, line, err := rr.Next()
		if errors.Is(err, io.EOF) {
			return n
		}
		if err != nil {
			t.Fatalf("%s line %d: %v", path, line, err)
		}
		n++
	}
}

func readCSV(t *testing.T, path string) [][]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil || len(rows) == 0 {
		t.Fatalf("%s: %v (%d rows)", path, err, len(rows))
	}
	return rows
}

// TestDeterministic: the same seed writes the same bytes; another seed
// writes different ones.
func TestDeterministic(t *testing.T) {
	write := func(seed uint64) string {
		b, err := synth.Generate(synth.Config{Persons: 1500, Seed: seed}, nil)
		if err != nil {
			t.Fatal(err)
		}
		dir := t.TempDir()
		if err := b.Write(dir); err != nil {
			t.Fatal(err)
		}
		return dir
	}
	a, b, c := write(9), write(9), write(10)
	files := listFiles(t, a)
	if len(files) != 37 { // 10 canonical, 10 native and their README, 10 event timelines and theirs, 5 truth
		t.Fatalf("%d files written, want 37", len(files))
	}
	differs := false
	for _, f := range files {
		x, y, z := readFile(t, a, f), readFile(t, b, f), readFile(t, c, f)
		if !bytes.Equal(x, y) {
			t.Errorf("%s differs between two runs with the same seed", f)
		}
		differs = differs || !bytes.Equal(x, z)
	}
	if !differs {
		t.Error("seeds 9 and 10 wrote identical files")
	}
}

func listFiles(t *testing.T, dir string) []string {
	var out []string
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			rel, _ := filepath.Rel(dir, p)
			out = append(out, rel)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(out)
	return out
}

func readFile(t *testing.T, dir, name string) []byte {
	data, err := os.ReadFile(filepath.Join(dir, name))
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func TestConfigRejected(t *testing.T) {
	tests := []struct {
		name string
		cfg  synth.Config
		want string
	}{
		{"too few persons", synth.Config{Persons: 3}, "Persons"},
		{"too many years", synth.Config{Years: 50}, "Years"},
		{"rate above one", synth.Config{MoveRate: 2}, "MoveRate"},
		{"negative household share", synth.Config{Households: synth.HouseholdMix{Single: -1, Couple: 1}}, "Households"},
		{"bad source profile", synth.Config{Sources: map[string]synth.SourceProfile{
			resindex.SourceLibraries: {Coverage: 2}}}, "libraries"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := synth.Generate(tt.cfg, nil)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("Generate: %v, want an error naming %s", err, tt.want)
			}
		})
	}
}

func TestProgressReported(t *testing.T) {
	stages := map[string]bool{}
	_, err := synth.Generate(synth.Config{Persons: 500, Seed: 1}, func(stage string, done, total int) {
		if done > total || total <= 0 {
			t.Errorf("progress %s %d/%d", stage, done, total)
		}
		stages[stage] = true
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{"gazetteer", "population", "timeline", "sources", "truth"} {
		if !stages[s] {
			t.Errorf("stage %s never reported", s)
		}
	}
}

func BenchmarkGenerate(b *testing.B) {
	for b.Loop() {
		if _, err := synth.Generate(synth.Config{Persons: 10000, Seed: 1}, nil); err != nil {
			b.Fatal(err)
		}
	}
}
