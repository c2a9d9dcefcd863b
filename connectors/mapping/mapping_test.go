package mapping_test

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/resindex/resindex"
	"github.com/resindex/resindex/connectors/mapping"
)

func TestShippedMappingsLoad(t *testing.T) {
	set, err := mapping.Shipped()
	if err != nil {
		t.Fatal(err)
	}
	want := []string{resindex.SourceAdultSocialCare, resindex.SourceChildrenSocial, resindex.SourceContactCentre,
		resindex.SourceCouncilTax, resindex.SourceElectoralRoll, resindex.SourceHousing, resindex.SourceHousingBenefit,
		resindex.SourceLibraries, resindex.SourceParking, resindex.SourceSchools}
	if got := set.Sources(); !reflect.DeepEqual(got, want) {
		t.Fatalf("shipped sources %v, want %v", got, want)
	}
}

// TestParseErrors: a mapping that cannot be used is refused with the file,
// line and key at fault.
func TestParseErrors(t *testing.T) {
	for _, tc := range []struct {
		name, yaml string
		line       int
		key, msg   string
	}{
		{"not yaml", "source: [a\n", 1, "(file)", "not valid YAML"},
		{"empty", "", 1, "(file)", "empty mapping"},
		{"not a mapping", "- a\n- b\n", 1, "", "want a mapping"},
		{"unknown top key", "source: a\nkey: id\nfeilds: {}\n", 3, "feilds", "unknown key"},
		{"no source", "key: id\nfields: {name.family: x}\n", 1, "source", "required"},
		{"bad source", "source: Council Tax\nkey: id\nfields: {name.family: x}\n", 1, "source", "lower-case"},
		{"no key", "source: a\nfields: {name.family: x}\n", 1, "key", "required"},
		{"no fields", "source: a\nkey: id\n", 1, "fields", "maps no field"},
		{"json without array", "source: a\nkey: id\nformat: json\nfields: {name.family: x}\n", 1, "array", "required when format is json"},
		{"bad format", "source: a\nkey: id\nformat: xml\nfields: {name.family: x}\n", 3, "format", "want csv, ndjson or json"},
		{"unknown target", "source: a\nkey: id\nfields:\n  name.surname: x\n", 4, "fields.name.surname", "unknown canonical field"},
		{"bad date layout", "source: a\nkey: id\nfields:\n  dob: {from: D, date: DD-MM-YY}\n", 4, "fields.dob.date", "unknown date layout"},
		{"unknown rule key", "source: a\nkey: id\nfields:\n  dob: {form: D}\n", 4, "fields.dob.form", "unknown key"},
		{"from and value", "source: a\nkey: id\nfields:\n  sex: {from: S, value: M}\n", 4, "fields.sex", "either from or value"},
		{"neither", "source: a\nkey: id\nfields:\n  sex: {codes: {a: b}}\n", 4, "fields.sex", "needs from"},
		{"when_true with codes", "source: a\nkey: id\nfields:\n  flags: {from: x, when_true: vip, codes: {a: b}}\n", 4, "fields.flags", "when_true"},
		{"empty split", "source: a\nkey: id\nfields:\n  flags: {from: x, split: ''}\n", 4, "fields.flags.split", "empty separator"},
		{"required not bool", "source: a\nkey: id\nfields:\n  dob: {from: x, required: maybe}\n", 4, "fields.dob.required", "true or false"},
		{"key given twice", "source: a\nkey: id\nkey: id2\nfields: {dob: x}\n", 3, "key", "given twice"},
		{"addresses not a list", "source: a\nkey: id\naddresses: {town: T}\n", 3, "addresses", "list"},
		{"unknown address key", "source: a\nkey: id\naddresses:\n  - town: T\n    county: C\n", 5, "addresses[0].county", "unknown key"},
		{"codes not a table", "source: a\nkey: id\nfields:\n  sex: {from: S, codes: [M, F]}\n", 4, "fields.sex.codes", "want a mapping"},
		{"empty rule list", "source: a\nkey: id\nfields:\n  flags: []\n", 4, "fields.flags", "empty list"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := mapping.Parse("m.yaml", []byte(tc.yaml))
			var se *mapping.SpecError
			if !errors.As(err, &se) {
				t.Fatalf("got %v, want a SpecError", err)
			}
			if se.File != "m.yaml" || se.Line != tc.line || se.Key != tc.key || !strings.Contains(se.Msg, tc.msg) {
				t.Fatalf("got %q (line %d, key %q), want line %d, key %q, %q", err, se.Line, se.Key, tc.line, tc.key, tc.msg)
			}
			if !strings.HasPrefix(err.Error(), "mapping m.yaml:") {
				t.Fatalf("message %q does not start with the file", err)
			}
		})
	}
}

const testMapping = `
source: test_system
key: ref
fields:
  version: {from: changed, date: RFC3339}
  name.given: {from: [first, middle]}
  name.family: [surname, alias]
  dob: {from: born, date: DD/MM/YYYY}
  sex: {from: gender, codes: {"1": M, "2": F, "9": ""}}
  identifiers.nino: person.nino
  other_names: {from: previous, split: "|"}
  flags:
    - {from: vip, when_true: vip}
    - {from: codes, codes: {CAU: caution, STF: staff}}
  attributes.kind: {value: test}
addresses:
  - each: homes
    lines: [l1, {from: l2, split: ", "}]
    postcode: pc
    from: {from: since, date: YYYYMMDD}
    current: now
`

func mustParse(t *testing.T, y string) *mapping.Mapping {
	t.Helper()
	m, err := mapping.Parse("test.yaml", []byte(y))
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func row(t *testing.T, js string) mapping.Row {
	t.Helper()
	var r mapping.Row
	dec := json.NewDecoder(strings.NewReader(js))
	dec.UseNumber()
	if err := dec.Decode(&r); err != nil {
		t.Fatal(err)
	}
	return r
}

func TestRecord(t *testing.T) {
	m := mustParse(t, testMapping)
	got, err := m.Record(row(t, `{"ref": 42, "changed": "2024-01-02T03:04:05+01:00", "first": "Mary", "middle": " Ann ",
		"alias": "Smith", "born": "05/04/1990", "gender": 2, "person": {"nino": "AB123456C"}, "previous": "Jones|Brown",
		"vip": true, "codes": ["CAU", "STF"],
		"homes": [{"l1": "1 High St", "l2": "Flat A, Annex", "pc": "N1 1AA", "since": "20200102", "now": true},
		          {"l1": "", "pc": ""}]}`))
	if err != nil {
		t.Fatal(err)
	}
	want := resindex.Record{Source: "test_system", ID: "42", Version: "2024-01-02T02:04:05Z",
		Name: resindex.Name{Given: "Mary Ann", Family: "Smith"}, DOB: "1990-04-05", Sex: "F",
		Identifiers: map[string]string{"nino": "AB123456C"},
		OtherNames:  []resindex.Name{{Family: "Jones"}, {Family: "Brown"}},
		Flags:       []string{"vip", "caution", "staff"},
		Attributes:  map[string]string{"kind": "test"},
		Addresses:   []resindex.Address{{Lines: []string{"1 High St", "Flat A", "Annex"}, Postcode: "N1 1AA", From: "2020-01-02", Current: true}},
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("got  %+v\nwant %+v", got, want)
	}
}

// TestRecordErrors: a row that does not fit names the source, record and
// native field, and never quotes the value.
func TestRecordErrors(t *testing.T) {
	m := mustParse(t, testMapping)
	for _, tc := range []struct {
		name, row     string
		record, field string
		msg           string
	}{
		{"no key", `{"surname": "Secretname"}`, "", "ref", "key is empty"},
		{"key is an object", `{"ref": {"a": 1}}`, "", "ref", "got an object"},
		{"bad date", `{"ref": "r1", "born": "31/02/Secretname"}`, "r1", "born", "not a date in the layout DD/MM/YYYY"},
		{"impossible date", `{"ref": "r1", "born": "31/02/1990"}`, "r1", "born", "not a date"},
		{"unknown code", `{"ref": "r1", "gender": "Secretname"}`, "r1", "gender", "not in the mapping's table"},
		{"list for a scalar", `{"ref": "r1", "surname": ["Secretname", "B"]}`, "r1", "surname", "several values"},
		{"object for text", `{"ref": "r1", "first": {"x": "Secretname"}}`, "r1", "first+middle", "got an object"},
		{"bool flag not bool", `{"ref": "r1", "vip": "Secretname"}`, "r1", "vip", "true or false"},
		{"address not object", `{"ref": "r1", "homes": "Secretname"}`, "r1", "homes", "address object"},
		{"address list of text", `{"ref": "r1", "homes": ["Secretname"]}`, "r1", "homes", "list of address objects"},
		{"current not bool", `{"ref": "r1", "homes": [{"l1": "x", "now": "Secretname"}]}`, "r1", "now", "true or false"},
		{"bad version", `{"ref": "r1", "changed": "yesterday"}`, "r1", "changed", "RFC3339"},
		{"key too long", `{"ref": "` + strings.Repeat("Secretname", 30) + `"}`, "", "ref", "longer than 256 bytes"},
		{"value too long", `{"ref": "r1", "surname": "` + strings.Repeat("Secretname", 500) + `"}`, "r1", "surname", "longer than 4096 bytes"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := m.Record(row(t, tc.row))
			var fe *mapping.FieldError
			if !errors.As(err, &fe) {
				t.Fatalf("got %v, want a FieldError", err)
			}
			if fe.Source != "test_system" || fe.Record != tc.record || fe.Field != tc.field || !strings.Contains(fe.Msg, tc.msg) {
				t.Fatalf("got %q, want record %q field %q msg %q", err, tc.record, tc.field, tc.msg)
			}
			if strings.Contains(err.Error(), "Secretname") {
				t.Fatalf("error %q quotes the value", err)
			}
		})
	}
}

func TestRequired(t *testing.T) {
	m := mustParse(t, "source: s\nkey: id\nfields:\n  name.family: {from: sn, required: true}\n")
	if _, err := m.Record(mapping.Row{"id": "1", "sn": " "}); err == nil || !strings.Contains(err.Error(), "required") {
		t.Fatalf("got %v, want required", err)
	}
	if r, err := m.Record(mapping.Row{"id": "1", "sn": "Lee"}); err != nil || r.Name.Family != "Lee" {
		t.Fatalf("got %+v, %v", r, err)
	}
}

func TestLoadDirReplacesShipped(t *testing.T) {
	base, err := mapping.Shipped()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	own := "source: council_tax\nkey: ACCOUNT_PARTY\nfields:\n  name.family: NAME\n"
	if err := os.WriteFile(filepath.Join(dir, "ctax.yml"), []byte(own), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "README.md"), []byte("not a mapping"), 0o644); err != nil {
		t.Fatal(err)
	}
	set, err := mapping.LoadDir(dir, base)
	if err != nil {
		t.Fatal(err)
	}
	m, _ := set.Get("council_tax")
	if m.Key != "ACCOUNT_PARTY" || len(set) != len(base) {
		t.Fatalf("council's mapping did not replace the shipped one: key %q, %d sources", m.Key, len(set))
	}
	if _, err := set.Get("pensions"); err == nil || !strings.Contains(err.Error(), "council_tax") {
		t.Fatalf("missing source: %v", err)
	}
	if err := os.WriteFile(filepath.Join(dir, "again.yaml"), []byte(own), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := mapping.LoadDir(dir, base); err == nil || !strings.Contains(err.Error(), "both map source council_tax") {
		t.Fatalf("two mappings for one source: %v", err)
	}
	if err := os.WriteFile(filepath.Join(dir, "again.yaml"), []byte("source: x\nkey: k\nfields:\n  dob: {date: x}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := mapping.LoadDir(dir, base); err == nil || !strings.Contains(err.Error(), filepath.Join(dir, "again.yaml")+":4") {
		t.Fatalf("a bad mapping's error names its file and line: %v", err)
	}
}
