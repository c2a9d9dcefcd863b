package febrl_test

import (
	"bufio"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/resindex/resindex/evaluate"
	"github.com/resindex/resindex/internal/febrl"
	"github.com/resindex/resindex/internal/ndjson"
)

const header = "rec_id, given_name, surname, street_number, address_1, address_2, suburb, postcode, state, date_of_birth, soc_sec_id"

// fileA and fileB are the two files of a small linkage task: person 1 is
// in both, with typing errors; fileA has CRLF endings like dataset4a.csv.
const (
	fileA = header + "\r\n" +
		"rec-1-org, mary, smith, 12, high street, flat 2, hobart, 7000, tas, 19700131, 1234567\r\n" +
		"rec-2-org, john, brown, 4, kent road, , perth, 6000, wa, 19551102, 7654321\r\n" +
		"rec-3-org, ann, lee, , , , , , , 1970, \r\n"
	fileB = header + "\n" +
		"rec-1-dup-0, mary, smyth, 12, high st, flat 2, hobart, 7000, tas, 19700131, 1234567\n" +
		"rec-4-org, , jones, 9, park lane, , darwin, 0800, nt, 19801340, 1112223\n"
)

func TestConvert(t *testing.T) {
	type in struct{ name, text string }
	tests := []struct {
		name    string
		files   []in
		ssn     bool
		wantErr string // empty: success
		want    febrl.Converted
		sources []string
	}{
		{name: "two files", files: []in{{"dataset4a.csv", fileA}, {"dataset4b.csv", fileB}},
			want: febrl.Converted{Records: 5, Persons: 4, Files: 2}, sources: []string{"dataset4a", "dataset4b"}},
		{name: "with ssn", files: []in{{"dataset4a.csv", fileA}, {"dataset4b.csv", fileB}}, ssn: true,
			want: febrl.Converted{Records: 5, Persons: 4, Files: 2}, sources: []string{"dataset4a", "dataset4b"}},
		{name: "one file", files: []in{{"d1.csv", fileA}}, want: febrl.Converted{Records: 3, Persons: 3, Files: 1}, sources: []string{"d1"}},
		{name: "malformed row", files: []in{{"good.csv", fileA}, {"bad.csv", fileB + "rec-5-org, tom, ash\n"}},
			wantErr: "bad.csv: evaluate: line 4: 3 columns, want 11"},
		{name: "bad rec_id", files: []in{{"bad.csv", header + "\nperson-1, a, b, , , , , , , , \n"}},
			wantErr: "bad.csv: evaluate: line 2: column rec_id"},
		{name: "duplicate rec_id", files: []in{{"bad.csv", fileA + "rec-2-org, x, y, , , , , , , , \r\n"}},
			wantErr: "bad.csv: evaluate: line 5: duplicate rec_id rec-2-org (first on line 3)"},
		{name: "not febrl", files: []in{{"bad.csv", "source,id,person_id\na,1,p\n"}},
			wantErr: "bad.csv: evaluate: line 1: header has 3 columns"},
		{name: "header only", files: []in{{"empty.csv", header + "\n"}}, wantErr: "empty.csv: no records"},
		{name: "same source twice", files: []in{{"a/x.csv", fileA}, {"b/x.csv", fileB}}, wantErr: `would both be source "x"`},
		{name: "missing file", files: []in{{"", ""}}, wantErr: "no such file"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			out := filepath.Join(dir, "out")
			var paths []string
			for _, f := range tt.files {
				path := filepath.Join(dir, "in", "absent.csv")
				if f.name != "" {
					path = filepath.Join(dir, "in", f.name)
					mustWrite(t, path, f.text)
				}
				paths = append(paths, path)
			}
			got, err := febrl.Convert(paths, tt.ssn, out)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want %q", err, tt.wantErr)
				}
				if _, err := os.Stat(out); !os.IsNotExist(err) {
					t.Errorf("a failed conversion left %s behind", out)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Fatalf("Convert = %+v, %v; want %+v", got, err, tt.want)
			}
			checkConverted(t, out, tt.sources, tt.want.Records, tt.ssn)
		})
	}
}

// checkConverted reads what Convert wrote back as link and eval read it.
func checkConverted(t *testing.T, out string, sources []string, records int, ssn bool) {
	t.Helper()
	n := 0
	for _, s := range sources {
		f, err := os.Open(filepath.Join(out, "canonical", s+".ndjson"))
		if err != nil {
			t.Fatal(err)
		}
		sc := bufio.NewScanner(f)
		for sc.Scan() {
			r, err := ndjson.DecodeRecord(sc.Bytes())
			if err != nil {
				t.Fatalf("%s line %d: %v", s, n+1, err)
			}
			if r.Source != s {
				t.Errorf("record %s in %s.ndjson", r.Key(), s)
			}
			if _, has := r.Identifiers["soc_sec_id"]; has != ssn && r.ID != "rec-3-org" {
				t.Errorf("record %s: soc_sec_id present %v, want %v", r.Key(), has, ssn)
			}
			n++
		}
		f.Close()
	}
	if n != records {
		t.Errorf("%d records written, want %d", n, records)
	}
	f, err := os.Open(filepath.Join(out, "truth", "records.csv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	truth, err := evaluate.ReadAssignments(f)
	if err != nil || len(truth) != records {
		t.Fatalf("truth has %d rows (%v), want %d", len(truth), err, records)
	}
	for _, a := range truth {
		if a.Key.ID == "rec-1-dup-0" && a.PersonID != "febrl-1" {
			t.Errorf("truth of %s = %s, want febrl-1", a.Key, a.PersonID)
		}
	}
}

func mustWrite(t *testing.T, path, s string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(s), 0o600); err != nil {
		t.Fatal(err)
	}
}
