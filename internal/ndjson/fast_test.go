package ndjson

import (
	"reflect"
	"strings"
	"testing"

	"github.com/resindex/resindex"
)

// reference is DecodeRecord as it was before the hand-written decoder:
// encoding/json and the key checks.
func reference(line []byte) (resindex.Record, error) {
	r, err := decodeJSON(line)
	if err != nil {
		return resindex.Record{}, err
	}
	if err := checkRecord(&r); err != nil {
		return resindex.Record{}, err
	}
	return r, nil
}

// sameAsReference fails unless DecodeRecord gives what encoding/json
// gives: the same record, field by field (an empty list is not a missing
// one), or the same error.
func sameAsReference(t *testing.T, line []byte) {
	t.Helper()
	got, gotErr := DecodeRecord(line)
	want, wantErr := reference(line)
	if (gotErr == nil) != (wantErr == nil) || gotErr != nil && gotErr.Error() != wantErr.Error() {
		t.Fatalf("%q: error %v, encoding/json's %v", line, gotErr, wantErr)
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("%q:\n got %#v\nwant %#v", line, got, want)
	}
}

const sample = `{"source":"electoral_roll","id":"ER-1","version":"2026-05-01T00:00:00Z","deleted":false,` +
	`"name":{"title":"Mrs","given":"Mary Ann","family":"Smith-Jones"},"other_names":[{"given":"Mary","family":"Jones"}],` +
	`"dob":"1980-04-07","sex":"F","addresses":[{"uprn":"100021234567","lines":["Flat 2","10 High Street"],"town":"London",` +
	`"postcode":"NW1 4AB","from":"2023-01-01","to":"","current":true}],"identifiers":{"nhs":"9434765919","nino":"AB123456C"},` +
	`"emails":["m@example.org"],"phones":["020 7946 0000"],"flags":["child_protection_plan"],"attributes":{"tenancy_role":"tenant"},` +
	`"last_activity":"2026-03-01"}`

// TestDecodeFastTakesTheUsualShape: the lines resindex writes are decoded
// by hand; a test of agreement alone would pass if none were.
func TestDecodeFastTakesTheUsualShape(t *testing.T) {
	for _, line := range []string{
		sample,
		`{"source":"housing","id":"H1","name":{"given":"Zoë","family":"O'Brien"},"addresses":[{"lines":["Flat 1 \u0026 2"],"current":true}]}`,
		` {"source":"a","id":"1","emails":[],"identifiers":{},"other_names":[]} `,
		`{"source":"a","id":"1","name":{"family":"Smith \"Jnr\"\\\/\b\f\n\r\t\u00e9\u2028"}}`,
	} {
		if _, ok := decodeFast([]byte(line)); !ok {
			t.Errorf("%s: left to encoding/json", line)
		}
		sameAsReference(t, []byte(line))
	}
}

// TestDecodeRecordAgreesWithEncodingJSON: lines the hand decoder takes
// and lines it leaves to encoding/json decode, or fail, as they did.
func TestDecodeRecordAgreesWithEncodingJSON(t *testing.T) {
	for _, line := range []string{
		sample,
		``, ` `, `[]`, `null`, `{}`, `{"source":"a"}`, `{"id":"1"}`, `{"source":"","id":"1"}`,
		`{"source":"a","id":"1"`, `{"source":"a","id":"1"} {}`, `{"source":"a","id":"1"}]`, `{"source":"a","id":"1"}}`,
		`{"source":"a","id":"1"} x`, `{"source":"a","id":"1",}`, `{"source":"a","id":"1" "dob":"x"}`,
		`{"Source":"a","ID":"1"}`, `{"ſource":"a","id":"1"}`, `{"source":"a","id":"1","Deleted":true}`,
		`{"source":"a","id":"1","source":"b"}`, `{"source":"a","id":"1","name":{"given":"A"},"name":{"family":"B"}}`,
		`{"source":"a","id":"1","identifiers":{"nhs":"1"},"identifiers":{"nino":"2"}}`,
		`{"source":"a","id":"1","identifiers":{"nhs":"1","nhs":"2"}}`,
		`{"source":"a","id":"1","emails":["a"],"emails":["b","c"]}`,
		`{"source":"a","id":"1","dob":null}`, `{"source":"a","id":"1","emails":null}`, `{"source":"a","id":"1","emails":[null]}`,
		`{"source":"a","id":"1","identifiers":{"nhs":null}}`, `{"source":"a","id":"1","name":null}`, `{"source":"a","id":"1","deleted":null}`,
		`{"source":"a","id":"1","dob":19800101}`, `{"source":"a","id":"1","deleted":"true"}`, `{"source":"a","id":"1","deleted":1}`,
		`{"source":"a","id":"1","name":{"given":7}}`, `{"source":"a","id":"1","name":{"nick":"x"}}`,
		`{"source":"a","id":"1","addresses":[{"flat":"1"}]}`, `{"source":"a","id":"1","addresses":{}}`,
		`{"source":"a","id":"1","identifiers":["x"]}`, `{"source":"a","id":"1","surname":"x"}`,
		`{"source":"a","id":"1","dob":"1980","surname":"x","sex":1}`, `{"source":"a","id":"1","sex":1,"surname":"x"}`,
		"{\"source\":\"a\",\"id\":\"1\",\"name\":{\"given\":\"\xff\"}}", "{\"source\":\"a\",\"id\":\"\xc3\"}",
		`{"source":"a","id":"1","name":{"given":"\ud83d\ude00"}}`, `{"source":"a","id":"1","name":{"given":"\ud83d"}}`,
		`{"source":"a","id":"1","name":{"given":"\x"}}`, `{"source":"a","id":"1","name":{"given":"\u12"}}`,
		"{\"source\":\"a\",\"id\":\"1\",\"name\":{\"given\":\"a\tb\"}}", `{"source":"a","id":"\u0000"}`, `{"source":"a\u0001","id":"1"}`,
		`{"source":"a","id":"1","deleted":tru}`, `{"source":"a","id":"1","deleted":truex}`, `{"source":"a","id":"1","deleted":true}`,
		`{"source":"a","id":"1","identifiers":{"Nhs":"1","\u006ehs":"2"}}`, `{"source":"a","id":"1","attributes":{"é":"x"}}`,
		`{"source":"a","id":"1","emails":["a",]}`, `{"source":"a","id":"1","emails":["a" "b"]}`, `{"source":"a","id":"1","emails":[,]}`,
		`{"source":"council_tax","id":"1"}`, `{"source":"council_taxx","id":"1"}`,
	} {
		sameAsReference(t, []byte(line))
	}
}

// FuzzDecodeRecord_AgreesWithEncodingJSON compares the two decoders on
// any input.
func FuzzDecodeRecordAgreesWithEncodingJSON(f *testing.F) {
	f.Add([]byte(sample))
	f.Add([]byte(`{"source":"a","id":"1","emails":[],"identifiers":{}}`))
	f.Add([]byte(`{"source":"a","id":"1","name":{"family":"\u00e9\"\\"}}`))
	f.Add([]byte(`{"source":"a","id":"1","addresses":[{"lines":["x"],"current":false}]}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		sameAsReference(t, b)
	})
}

func BenchmarkDecodeRecordJSON(b *testing.B) {
	line := []byte(sample)
	b.SetBytes(int64(len(line)))
	for b.Loop() {
		if _, err := reference(line); err != nil {
			b.Fatal(err)
		}
	}
}

// TestDecodeFastSharesOneAllocation: a record's strings, but for its id
// and a known source, cost one allocation between them.
func TestDecodeFastSharesOneAllocation(t *testing.T) {
	line := []byte(`{"source":"housing","id":"H1","version":"v","name":{"title":"Mr","given":"A","family":"B"},"dob":"1980","sex":"M"}`)
	allocs := testing.AllocsPerRun(100, func() {
		if _, ok := decodeFast(line); !ok {
			t.Fatal("left to encoding/json")
		}
	})
	if allocs > 2 {
		t.Errorf("%v allocations, want 2 (the arena and the id)", allocs)
	}
	r, _ := decodeFast(line)
	if !strings.EqualFold(r.Name.Family, "b") || r.Source != resindex.SourceHousing {
		t.Errorf("decoded %+v", r)
	}
}
