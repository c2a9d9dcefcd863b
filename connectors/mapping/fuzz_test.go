package mapping_test

import (
	"encoding/json"
	"errors"
	"testing"

	"github.com/resindex/resindex/connectors/mapping"
)

// FuzzParse: any YAML either parses to a usable mapping or fails with a
// SpecError naming the file; nothing panics.
func FuzzParse(f *testing.F) {
	f.Add([]byte(testMapping))
	f.Add([]byte("source: a\nkey: id\nfields: {dob: {from: d, date: DD/MM/YYYY}}\n"))
	f.Add([]byte("source: a\nkey: id\nfields:\n  flags: [{from: x, split: '|', codes: &c {A: b}}, {from: y, codes: *c}]\n"))
	f.Add([]byte("a: &x [*x]\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		m, err := mapping.Parse("f.yaml", data)
		var se *mapping.SpecError
		switch {
		case err != nil && !errors.As(err, &se):
			t.Fatalf("error %v is not a SpecError", err)
		case err != nil && se.File != "f.yaml":
			t.Fatalf("error %v does not name the file", err)
		case err == nil:
			_, _ = m.Record(mapping.Row{m.Key: "1"})
		}
	})
}

// FuzzRecord: any JSON row either maps to a record with the row's id or
// fails with a FieldError.
func FuzzRecord(f *testing.F) {
	f.Add(`{"ref":"1","born":"05/04/1990","homes":[{"l1":"x","now":true}],"vip":true,"codes":["CAU"]}`)
	f.Add(`{"ref":1.5e3,"person":{"nino":["x"]},"gender":"9"}`)
	m, err := mapping.Parse("test.yaml", []byte(testMapping))
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, js string) {
		var row mapping.Row
		if json.Unmarshal([]byte(js), &row) != nil {
			return
		}
		rec, err := m.Record(row)
		var fe *mapping.FieldError
		switch {
		case err != nil && !errors.As(err, &fe):
			t.Fatalf("error %v is not a FieldError", err)
		case err == nil && rec.ID == "":
			t.Fatalf("a record without an id: %+v", rec)
		}
	})
}
