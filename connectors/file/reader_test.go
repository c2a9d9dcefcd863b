package file_test

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/resindex/resindex/connectors/file"
	"github.com/resindex/resindex/connectors/mapping"
)

// testMapping maps a small system's rows; the format comes from the
// file's extension, and a JSON document holds its rows in "rows".
const testMapping = `
source: test_system
key: ref
array: rows
fields:
  name.family: surname
  dob: {from: born, date: DD/MM/YYYY}
`

func mustMapping(t testing.TB, yaml string) *mapping.Mapping {
	t.Helper()
	m, err := mapping.Parse("test.yaml", []byte(yaml))
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func mustWrite(t testing.TB, dir, name, content string) string {
	t.Helper()
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// readAll reads an extract to its end, rendering each outcome as "ok ID
// @POS" or "row error @POS: MESSAGE"; a fatal error ends the list as
// "fatal: MESSAGE". Every row error must name the file.
func readAll(t *testing.T, r *file.Reader, path string) []string {
	t.Helper()
	var out []string
	for i := 0; i < 1000; i++ {
		rec, pos, err := r.Next()
		var re *file.RowError
		switch {
		case err == io.EOF:
			return out
		case errors.As(err, &re):
			if re.File != path || re.Line != pos {
				t.Fatalf("row error %+v at %d, want file %s", re, pos, path)
			}
			out = append(out, fmt.Sprintf("row error @%d: %v", pos, re.Err))
		case err != nil:
			if _, _, again := r.Next(); again != err {
				t.Fatalf("fatal error %v not repeated: %v", err, again)
			}
			return append(out, "fatal: "+err.Error())
		default:
			out = append(out, fmt.Sprintf("ok %s @%d", rec.ID, pos))
		}
	}
	t.Fatal("Next did not reach the end")
	return nil
}

// TestMalformed: each bad row is a RowError naming the file and where the
// row starts, without its values, and reading goes on with the next
// rows; input the reader cannot get past is one fatal error.
func TestMalformed(t *testing.T) {
	const head = "ref,surname,born\n"
	for _, tc := range []struct {
		name, file, content string
		openErr             string   // Open fails with this
		want                []string // outcomes, each matched by prefix
	}{
		{"csv wrong column count", "x.csv", head + "1,Lee,01/02/1990\n2,Secretname\n3,Kaur,03/04/1985\n", "",
			[]string{"ok 1 @2", "row error @3: wrong number of fields: 2, want 3 as in the header", "ok 3 @4"}},
		{"csv too many columns", "x.csv", head + "1,Lee,01/02/1990,Secretname\n3,Kaur,03/04/1985\n", "",
			[]string{"row error @2: wrong number of fields: 4, want 3", "ok 3 @3"}},
		{"csv bare quote", "x.csv", head + "1,Lee,01/02/1990\n2,Sec\"retname,01/01/1990\n3,Kaur,03/04/1985\n", "",
			[]string{"ok 1 @2", "row error @3: bare \" in non-quoted-field (column 6)", "ok 3 @4"}},
		{"csv text after closing quote", "x.csv", head + "2,\"Secret\"name,01/01/1990\n3,Kaur,03/04/1985\n", "",
			[]string{"row error @2: extraneous or missing \" in quoted-field (column 10)", "ok 3 @3"}},
		{"csv quote swallows rows", "x.csv", head + "1,\"Secretname,01/01/1990\n2,Kaur,03/04/1985\n3,\"x\"y,01/01/1990\n4,Lee,01/02/1990\n", "",
			[]string{"row error @2: extraneous or missing \" in quoted-field (line 4, column 3); the quoted field runs over lines 2-4, which may hold other rows", "ok 4 @5"}},
		{"csv quote open to the end", "x.csv", head + "1,Lee,01/02/1990\n2,\"Secretname,01/01/1990\n3,Kaur,03/04/1985\n4,Lee,01/02/1990\n", "",
			[]string{"ok 1 @2", "fatal: file: $FILE: line 3: a quoted field opened on this line is not closed properly before the end of the file (line 5)"}},
		{"csv quote open on the last line", "x.csv", head + "1,Lee,01/02/1990\n2,\"Secretname,01/01/1990\n", "",
			[]string{"ok 1 @2", "row error @3: extraneous or missing \" in quoted-field (column 26)"}},
		{"csv bad date", "x.csv", head + "1,Lee,31/02/Secretname\n3,Kaur,03/04/1985\n", "",
			[]string{`row error @2: test_system record "1": field born (dob): not a date`, "ok 3 @3"}},
		{"csv empty key", "x.csv", head + ",Secretname,01/01/1990\n3,Kaur,03/04/1985\n", "",
			[]string{"row error @2: test_system record without a key: field ref (id): the record's key is empty", "ok 3 @3"}},
		{"csv missing key column", "x.csv", "id,surname,born\n1,Secretname,01/01/1990\n",
			`file: $FILE: header: no column "ref", the key of the source's mapping`, nil},
		{"csv duplicate column", "x.csv", "ref,surname,surname\n1,Secretname,Secretname\n",
			`file: $FILE: header: column "surname" appears twice (again as column 3)`, nil},
		{"csv bad header", "x.csv", "ref,sur\"name\n", "file: $FILE: header: parse error on line 1", nil},
		{"csv empty", "x.csv", "", "file: $FILE: empty: no header line", nil},
		{"csv bom, crlf, blank and multi-line rows", "x.csv", "\xef\xbb\xbfref,surname,born\r\n1,\"Lee\nSmith\",01/02/1990\r\n\r\n3,Kaur,03/04/1985\r\n", "",
			[]string{"ok 1 @2", "ok 3 @5"}},
		{"ndjson not json", "x.ndjson", `{"ref":"1"}` + "\n" + `{"ref":"2","surname":Secretname}` + "\n" + `{"ref":"3"}`, "",
			[]string{"ok 1 @1", "row error @2: not valid JSON: syntax error at byte 22", "ok 3 @3"}},
		{"ndjson array", "x.ndjson", `["Secretname"]` + "\n" + `{"ref":"3"}` + "\n", "",
			[]string{"row error @1: want a JSON object, got an array", "ok 3 @2"}},
		{"ndjson string", "x.ndjson", `"Secretname"` + "\n" + `{"ref":"3"}` + "\n", "",
			[]string{"row error @1: want a JSON object, got a string", "ok 3 @2"}},
		{"ndjson cut short", "x.ndjson", `{"ref":"2","surname":"Secretn` + "\n" + `{"ref":"3"}` + "\n", "",
			[]string{"row error @1: not valid JSON: cut short", "ok 3 @2"}},
		{"ndjson two objects on a line", "x.ndjson", `{"ref":"2"} {"surname":"Secretname"}` + "\n" + `{"ref":"3"}` + "\n", "",
			[]string{"row error @1: data after the JSON object", "ok 3 @2"}},
		{"ndjson bad date", "x.jsonl", `{"ref":2,"born":"Secretname"}` + "\n" + `{"ref":3}`, "",
			[]string{`row error @1: test_system record "2": field born (dob): not a date`, "ok 3 @2"}},
		{"ndjson blank lines, bom, crlf", "x.ndjson", "\xef\xbb\xbf\n{\"ref\":\"1\"}\r\n  \n\t\r\n{\"ref\":\"5\"}\n\n", "",
			[]string{"ok 1 @2", "ok 5 @5"}},
		{"json element not an object", "x.json", `{"rows":[{"ref":"1"},["Secretname"],"Secretname",null,{"ref":"5"}]}`, "",
			[]string{"ok 1 @1", "row error @2: want a JSON object, got an array", "row error @3: want a JSON object, got a string",
				"row error @4: want a JSON object, got null", "ok 5 @5"}},
		{"json bad date", "x.json", `{"meta":{"a":[1,{"b":2}]},"rows":[{"ref":"1","born":"Secretname"},{"ref":"2"}],"more":3}`, "",
			[]string{`row error @1: test_system record "1": field born (dob): not a date`, "ok 2 @2"}},
		{"json without the array", "x.json", `{"value":[{"ref":"Secretname"}]}`,
			`file: $FILE: the document has no key "rows" holding the rows`, nil},
		{"json array not an array", "x.json", `{"rows":{"ref":"Secretname"}}`,
			`file: $FILE: key "rows": want an array of rows: got an object`, nil},
		{"json not an object", "x.json", `[{"ref":"Secretname"}]`,
			`file: $FILE: want a JSON object holding the array "rows", got an array`, nil},
		{"json empty", "x.json", "", "file: $FILE: empty: no JSON document", nil},
		{"json broken mid-array", "x.json", `{"rows":[{"ref":"1"},{"ref":"2" "surname":"Secretname"},{"ref":"3"}]}`, "",
			[]string{"ok 1 @1", "fatal: file: $FILE: element 2: syntax error near byte 21 (the document is broken here)"}},
		{"json cut short", "x.json", `{"rows":[{"ref":"1"},{"ref":"2"`, "",
			[]string{"ok 1 @1", "fatal: file: $FILE: element 2: cut short"}},
		{"json cut after the array", "x.json", `{"rows":[{"ref":"1"}]`, "",
			[]string{"ok 1 @1", "fatal: file: $FILE: broken document: cut short"}},
		{"json array twice", "x.json", `{"rows":[{"ref":"1"}],"rows":[]}`, "",
			[]string{"ok 1 @1", `fatal: file: $FILE: key "rows" appears twice`}},
		{"json data after", "x.json", `{"rows":[{"ref":"1"}]} {"Secretname":1}`, "",
			[]string{"ok 1 @1", "fatal: file: $FILE: data after the JSON document"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := mustWrite(t, t.TempDir(), tc.file, tc.content)
			r, err := file.Open(path, mustMapping(t, testMapping))
			if tc.openErr != "" {
				want := strings.ReplaceAll(tc.openErr, "$FILE", path)
				if err == nil || !strings.HasPrefix(err.Error(), want) || strings.Contains(err.Error(), "Secretname") {
					t.Fatalf("Open: got %v, want %q", err, want)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			defer r.Close()
			got := readAll(t, r, path)
			if len(got) != len(tc.want) {
				t.Fatalf("got %d outcomes, want %d:\n%s", len(got), len(tc.want), strings.Join(got, "\n"))
			}
			for i, g := range got {
				if want := strings.ReplaceAll(tc.want[i], "$FILE", path); !strings.HasPrefix(g, want) {
					t.Errorf("outcome %d: got  %q\n            want %q", i, g, want)
				}
				if strings.Contains(g, "Secretname") {
					t.Errorf("outcome %d quotes the row: %q", i, g)
				}
			}
		})
	}
}

// TestRowErrorText: the message names the file and the line or element,
// and errors.As reaches the mapping's FieldError.
func TestRowErrorText(t *testing.T) {
	dir := t.TempDir()
	for _, tc := range []struct{ name, content, want string }{
		{"x.csv", "ref,born\n1,99/99/9999\n", `file: $FILE: line 2: test_system record "1": field born (dob): not a date`},
		{"x.json", `{"rows":[{"ref":"1","born":"99/99/9999"}]}`, `file: $FILE: element 1: test_system record "1": field born (dob): not a date`},
	} {
		path := mustWrite(t, dir, tc.name, tc.content)
		r, err := file.Open(path, mustMapping(t, testMapping))
		if err != nil {
			t.Fatal(err)
		}
		_, _, err = r.Next()
		var fe *mapping.FieldError
		if want := strings.ReplaceAll(tc.want, "$FILE", path); err == nil || !strings.HasPrefix(err.Error(), want) || !errors.As(err, &fe) {
			t.Errorf("%s: got %v, want %q and a FieldError", tc.name, err, want)
		}
		r.Close()
	}
}

func TestRecordFields(t *testing.T) {
	path := mustWrite(t, t.TempDir(), "x.csv", "born,surname,ref\n05/04/1990, Lee ,A1\n")
	r, err := file.Open(path, mustMapping(t, testMapping))
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	rec, line, err := r.Next()
	if err != nil || line != 2 || rec.Source != "test_system" || rec.ID != "A1" || rec.Name.Family != "Lee" ||
		rec.DOB != "1990-04-05" || rec.Version != "" {
		t.Fatalf("got %+v at line %d, %v", rec, line, err)
	}
	if r.Size() != 37 || r.BytesRead() != r.Size() {
		t.Fatalf("size %d, bytes read %d", r.Size(), r.BytesRead())
	}
}

func TestFormatFor(t *testing.T) {
	plain := mustMapping(t, testMapping)
	csvMapping := mustMapping(t, testMapping+"format: csv\n")
	for _, tc := range []struct {
		m    *mapping.Mapping
		path string
		want file.Format
		err  string
	}{
		{plain, "a/b.csv", file.CSV, ""},
		{plain, "b.CSV", file.CSV, ""},
		{plain, "b.ndjson", file.NDJSON, ""},
		{plain, "b.jsonl", file.NDJSON, ""},
		{plain, "b.json", file.JSON, ""},
		{csvMapping, "b.json", file.CSV, ""},
		{csvMapping, "extract.txt", file.CSV, ""},
		{plain, "extract.txt", "", "file: extract.txt: cannot tell the format: the mapping for test_system names none"},
	} {
		got, err := file.FormatFor(tc.m, tc.path)
		if got != tc.want || (err == nil) != (tc.err == "") || (err != nil && !strings.HasPrefix(err.Error(), tc.err)) {
			t.Errorf("FormatFor(%s, %s) = %q, %v; want %q, %q", tc.m.Format, tc.path, got, err, tc.want, tc.err)
		}
	}
}

func TestNewReader(t *testing.T) {
	m := mustMapping(t, testMapping)
	if _, err := file.NewReader(strings.NewReader(""), "in", "xml", m); err == nil || !strings.Contains(err.Error(), `unknown format "xml"`) {
		t.Fatalf("unknown format: %v", err)
	}
	noArray := mustMapping(t, "source: s\nkey: ref\nfields: {name.family: surname}\n")
	if _, err := file.NewReader(strings.NewReader(`{"rows":[]}`), "in", file.JSON, noArray); err == nil || !strings.Contains(err.Error(), "name the array") {
		t.Fatalf("json without array: %v", err)
	}
	r, err := file.NewReader(strings.NewReader(`{"ref":"1"}`), "stdin", file.NDJSON, m)
	if err != nil {
		t.Fatal(err)
	}
	if rec, pos, err := r.Next(); err != nil || rec.ID != "1" || pos != 1 || r.Size() != 0 {
		t.Fatalf("got %+v at %d, %v, size %d", rec, pos, err, r.Size())
	}
	if err := r.Close(); err != nil {
		t.Fatal(err)
	}
}

// TestLongLine: NDJSON lines of tens of MiB are read; one longer than
// the limit is a row error and the next line is read.
func TestLongLine(t *testing.T) {
	m := mustMapping(t, testMapping)
	for _, tc := range []struct {
		name    string
		maxLine int
		surname int // length of the second line's note (a field no rule reads)
		want    []string
	}{
		{"20 MiB", 0, 20 << 20, []string{"1@1 <nil>", "2@2 <nil>", "3@4 <nil>"}},
		{"over the limit", 1000, 1000, []string{"1@1 <nil>", "@2 file: big.ndjson: line 2: line longer than 1000 bytes", "3@4 <nil>"}},
		{"at the limit", 1000, 1000 - len(`{"ref":"2","note":""}`), []string{"1@1 <nil>", "2@2 <nil>", "3@4 <nil>"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if tc.maxLine > 0 {
				defer file.SetMaxLine(tc.maxLine)()
			}
			content := `{"ref":"1"}` + "\n" + `{"ref":"2","note":"` + strings.Repeat("x", tc.surname) + `"}` + "\n\n" + `{"ref":"3"}`
			r, err := file.NewReader(strings.NewReader(content), "big.ndjson", file.NDJSON, m)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for i := 0; i < 10; i++ {
				rec, pos, err := r.Next()
				if err == io.EOF {
					break
				}
				got = append(got, fmt.Sprintf("%s@%d %v", rec.ID, pos, err))
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Fatalf("got %.200q, want %q", got, tc.want)
			}
		})
	}
}

func TestMissing(t *testing.T) {
	for _, tc := range []struct {
		held []string
		seen map[string]bool
		want []string
	}{
		{nil, nil, nil},
		{[]string{"b", "a"}, nil, []string{"a", "b"}},
		{[]string{"c", "a", "b", "a"}, map[string]bool{"b": true}, []string{"a", "c"}},
		{[]string{"a"}, map[string]bool{"a": true, "z": true}, nil},
	} {
		if got := file.Missing(tc.held, tc.seen); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("Missing(%v, %v) = %v, want %v", tc.held, tc.seen, got, tc.want)
		}
	}
}
