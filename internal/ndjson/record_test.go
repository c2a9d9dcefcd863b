package ndjson_test

import (
	"errors"
	"io"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/resindex/resindex"
	"github.com/resindex/resindex/internal/ndjson"
)

const fullRecord = `{"source":"electoral_roll","id":"ER-1","version":"2026-05-01T00:00:00Z","deleted":false,
 "name":{"title":"Mrs","given":"Mary Ann","family":"Smith-Jones"},
 "other_names":[{"given":"Mary","family":"Jones"}],
 "dob":"1980-04-07","sex":"F",
 "addresses":[{"uprn":"100021234567","lines":["Flat 2","10 High Street"],"town":"London",
               "postcode":"NW1 4AB","from":"2023-01-01","to":"","current":true}],
 "identifiers":{"nhs":"9434765919","nino":"AB123456C"},
 "emails":["m@example.org"],"phones":["020 7946 0000"],
 "flags":["child_protection_plan"],"attributes":{"tenancy_role":"tenant"},
 "last_activity":"2026-03-01"}`

func TestDecodeRecordDocumentedShape(t *testing.T) {
	r, err := ndjson.DecodeRecord([]byte(fullRecord))
	if err != nil {
		t.Fatal(err)
	}
	if r.Key() != (resindex.RecordKey{Source: "electoral_roll", ID: "ER-1"}) {
		t.Errorf("key = %v", r.Key())
	}
	if r.Name.Family != "Smith-Jones" || r.OtherNames[0].Family != "Jones" || r.DOB != "1980-04-07" {
		t.Errorf("names/dob not decoded: %+v", r)
	}
	a := r.Addresses[0]
	if a.UPRN != "100021234567" || len(a.Lines) != 2 || !a.Current || a.Postcode != "NW1 4AB" {
		t.Errorf("address not decoded: %+v", a)
	}
	if r.Identifiers["nhs"] != "9434765919" || r.Attributes["tenancy_role"] != "tenant" || r.Flags[0] != "child_protection_plan" {
		t.Errorf("maps not decoded: %+v", r)
	}
}

func TestDecodeRecordMalformed(t *testing.T) {
	cases := []struct {
		name, in, wantInErr string
	}{
		{"empty", ``, "empty"},
		{"not an object", `[1,2]`, "field"},
		{"truncated", `{"source":"a","id":"1"`, "truncated"},
		{"syntax", `{"source":"a",,}`, "invalid JSON"},
		{"missing source", `{"id":"1"}`, "field source"},
		{"missing id", `{"source":"a"}`, "field id"},
		{"wrong type", `{"source":"a","id":"1","dob":19800407}`, "field dob"},
		{"wrong nested type", `{"source":"a","id":"1","name":{"given":7}}`, "name.given"},
		{"unknown field", `{"source":"a","id":"1","surname":"x"}`, "surname"},
		{"trailing data", `{"source":"a","id":"1"} {}`, "trailing"},
		{"identifiers not a map", `{"source":"a","id":"1","identifiers":["x"]}`, "identifiers"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := ndjson.DecodeRecord([]byte(c.in))
			if err == nil || !strings.Contains(err.Error(), c.wantInErr) {
				t.Fatalf("err = %v, want mention of %q", err, c.wantInErr)
			}
		})
	}
}

func TestDecodeRecordErrorHidesValues(t *testing.T) {
	for _, in := range []string{
		`{"source":"a","id":"1","name":{"given":["Oyelaran"]}}`,
		`{"source":"a","id":"1","name":{"given":Oyelaran}}`,
	} {
		_, err := ndjson.DecodeRecord([]byte(in))
		if err == nil || strings.Contains(err.Error(), "Oyelaran") || strings.Contains(err.Error(), "'O'") {
			t.Errorf("error must name the field or offset, not the value: %v", err)
		}
	}
	_, err := resindex.ParsePartialDate("1984-13-45")
	if err == nil || strings.Contains(err.Error(), "1984") {
		t.Errorf("date error carries the value: %v", err)
	}
}

func TestRecordReaderSkipsBadLines(t *testing.T) {
	long := `{"source":"a","id":"long","name":{"given":"` + strings.Repeat("x", ndjson.MaxLineBytes+10) + `"}}`
	in := strings.Join([]string{
		`{"source":"a","id":"1"}`,
		``,
		`{"source":"a","id":`,
		long,
		`{"source":"a","id":"2"}`,
		`{"source":"a","id":"3"}`, // no trailing newline
	}, "\n")
	rr := ndjson.NewRecordReader(strings.NewReader(in))
	var ids []string
	var badLines []int
	for {
		r, _, err := rr.Next()
		var le *ndjson.LineError
		if errors.Is(err, io.EOF) {
			break
		}
		if errors.As(err, &le) {
			badLines = append(badLines, le.Line)
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, r.ID)
	}
	if strings.Join(ids, ",") != "1,2,3" {
		t.Errorf("ids = %v", ids)
	}
	if len(badLines) != 2 || badLines[0] != 3 || badLines[1] != 4 {
		t.Errorf("bad lines = %v, want [3 4]", badLines)
	}
}

func FuzzDecodeRecord(f *testing.F) {
	f.Add([]byte(fullRecord))
	f.Add([]byte(`{"source":"a","id":"1"}`))
	f.Add([]byte(`{"source":"a","id":"1","dob":7}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		r, err := ndjson.DecodeRecord(b)
		if err == nil && (r.Source == "" || r.ID == "") {
			t.Fatalf("decoded a record without source or id")
		}
	})
}

func BenchmarkDecodeRecord(b *testing.B) {
	line := []byte(strings.ReplaceAll(fullRecord, "\n", ""))
	b.SetBytes(int64(len(line)))
	for b.Loop() {
		if _, err := ndjson.DecodeRecord(line); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkReadRecords(b *testing.B) {
	line := strings.ReplaceAll(fullRecord, "\n", "") + "\n"
	in := strings.Repeat(line, 10000)
	b.SetBytes(int64(len(in)))
	for b.Loop() {
		n := 0
		if _, err := ndjson.ReadRecords(strings.NewReader(in), 2, func(resindex.Record) { n++ }, func(*ndjson.LineError) {}); err != nil || n != 10000 {
			b.Fatal(err, n)
		}
	}
}

func TestReadRecordsReportsBadLinesByNumber(t *testing.T) {
	var b strings.Builder
	for i := 1; i <= 5000; i++ {
		switch i {
		case 17, 2500, 4999:
			b.WriteString(`{"source":"a","id":` + "\n")
		case 100:
			b.WriteString("\n")
		default:
			b.WriteString(`{"source":"a","id":"` + strings.Repeat("x", i%7) + `-` + itoa(i) + `"}` + "\n")
		}
	}
	var ids int
	var bad []int
	lines, err := ndjson.ReadRecords(strings.NewReader(b.String()), 3, func(resindex.Record) { ids++ }, func(le *ndjson.LineError) { bad = append(bad, le.Line) })
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(bad)
	if lines != 5000 || ids != 4996 || !slices.Equal(bad, []int{17, 2500, 4999}) {
		t.Fatalf("lines %d, records %d, bad %v", lines, ids, bad)
	}
}

func itoa(i int) string { return strconv.Itoa(i) }
