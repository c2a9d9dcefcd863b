package main

import (
	"bufio"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/resindex/resindex/evaluate"
	"github.com/resindex/resindex/internal/ndjson"
)

const convertHeader = "rec_id, given_name, surname, street_number, address_1, address_2, suburb, postcode, state, date_of_birth, soc_sec_id"

// convertA and convertB are the two files of a small linkage task: person 1
// is in both, with typing errors; convertA has CRLF endings like
// dataset4a.csv.
const (
	convertA = convertHeader + "\r\n" +
		"rec-1-org, mary, smith, 12, high street, flat 2, hobart, 7000, tas, 19700131, 1234567\r\n" +
		"rec-2-org, john, brown, 4, kent road, , perth, 6000, wa, 19551102, 7654321\r\n" +
		"rec-3-org, ann, lee, , , , , , , 1970, \r\n"
	convertB = convertHeader + "\n" +
		"rec-1-dup-0, mary, smyth, 12, high st, flat 2, hobart, 7000, tas, 19700131, 1234567\n" +
		"rec-4-org, , jones, 9, park lane, , darwin, 0800, nt, 19801340, 1112223\n"
)

func TestConvertFEBRL(t *testing.T) {
	type file struct{ name, text string }
	tests := []struct {
		name     string
		files    []file
		extra    []string
		wantErr  string // on stderr; empty: success
		wantCode int
		sources  []string
		records  int
		ssn      bool
	}{
		{name: "two files", files: []file{{"dataset4a.csv", convertA}, {"dataset4b.csv", convertB}}, sources: []string{"dataset4a", "dataset4b"}, records: 5},
		{name: "with ssn", files: []file{{"dataset4a.csv", convertA}, {"dataset4b.csv", convertB}}, extra: []string{"--ssn"}, sources: []string{"dataset4a", "dataset4b"}, records: 5, ssn: true},
		{name: "one file", files: []file{{"d1.csv", convertA}}, sources: []string{"d1"}, records: 3},
		{name: "malformed row", files: []file{{"good.csv", convertA}, {"bad.csv", convertB + "rec-5-org, tom, ash\n"}},
			wantErr: "bad.csv: evaluate: line 4: 3 columns, want 11", wantCode: 1},
		{name: "bad rec_id", files: []file{{"bad.csv", convertHeader + "\nperson-1, a, b, , , , , , , , \n"}},
			wantErr: "bad.csv: evaluate: line 2: column rec_id", wantCode: 1},
		{name: "duplicate rec_id", files: []file{{"bad.csv", convertA + "rec-2-org, x, y, , , , , , , , \r\n"}},
			wantErr: "bad.csv: evaluate: line 5: duplicate rec_id rec-2-org (first on line 3)", wantCode: 1},
		{name: "not febrl", files: []file{{"bad.csv", "source,id,person_id\na,1,p\n"}},
			wantErr: "bad.csv: evaluate: line 1: header has 3 columns", wantCode: 1},
		{name: "header only", files: []file{{"empty.csv", convertHeader + "\n"}}, wantErr: "empty.csv: no records", wantCode: 1},
		{name: "same source twice", files: []file{{"a/x.csv", convertA}, {"b/x.csv", convertB}}, wantErr: `would both be source "x"`, wantCode: 1},
		{name: "missing file", files: []file{{"", ""}}, wantErr: "no such file", wantCode: 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			out := filepath.Join(dir, "out")
			args := []string{"convert", "febrl", "--out", out}
			for _, f := range tt.files {
				path := filepath.Join(dir, "in", "absent.csv")
				if f.name != "" {
					path = filepath.Join(dir, "in", f.name)
					if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
						t.Fatal(err)
					}
					mustWriteFile(t, path, f.text)
				}
				args = append(args, "--in", path)
			}
			args = append(args, tt.extra...)
			_, errs, code := runCLI(t, args...)
			if tt.wantErr != "" {
				if code != tt.wantCode || !strings.Contains(errs, tt.wantErr) {
					t.Fatalf("exit %d, stderr %q; want exit %d and %q", code, errs, tt.wantCode, tt.wantErr)
				}
				if _, err := os.Stat(out); !os.IsNotExist(err) {
					t.Errorf("a failed conversion left %s behind", out)
				}
				return
			}
			if code != 0 {
				t.Fatalf("exit %d\n%s", code, errs)
			}
			checkConverted(t, out, tt.sources, tt.records, tt.ssn)
		})
	}
}

// checkConverted reads what convert wrote back as link and eval read it,
// then links it.
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
	truthPath := filepath.Join(out, "truth", "records.csv")
	f, err := os.Open(truthPath)
	if err != nil {
		t.Fatal(err)
	}
	truth, err := evaluate.ReadAssignments(f)
	f.Close()
	if err != nil {
		t.Fatal(err)
	}
	if len(truth) != records {
		t.Fatalf("truth has %d rows, want %d", len(truth), records)
	}
	for _, a := range truth {
		if a.Key.ID == "rec-1-dup-0" && a.PersonID != "febrl-1" {
			t.Errorf("truth of %s = %s, want febrl-1", a.Key, a.PersonID)
		}
	}
	clusters := filepath.Join(out, "clusters.csv")
	_, errs := mustRun(t, "link", "--in", filepath.Join(out, "canonical"), "--out", clusters, "--truth", truthPath, "--quiet")
	if strings.Contains(errs, "line") {
		t.Errorf("link reported bad lines in convert's output:\n%s", errs)
	}
	mustRun(t, "eval", "--truth", truthPath, "--clusters", clusters)
}

func TestConvertUsage(t *testing.T) {
	for _, args := range [][]string{
		{"convert"},
		{"convert", "csv", "--in", "x.csv", "--out", "d"},
		{"convert", "febrl", "--out", "d"},
		{"convert", "febrl", "--in", "x.csv"},
		{"convert", "febrl", "--in", "x.csv", "--out", "d", "stray"},
	} {
		if _, _, code := runCLI(t, args...); code != 2 {
			t.Errorf("resindex %s: exit %d, want 2", strings.Join(args, " "), code)
		}
	}
}
