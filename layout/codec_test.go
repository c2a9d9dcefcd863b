package layout_test

import (
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/resindex/resindex"
	"github.com/resindex/resindex/layout"
)

func codecRecord() resindex.Record {
	return resindex.Record{
		Source: "housing", ID: "T-1", Version: "2024-05-01T10:00:00Z", Deleted: true,
		Name:       resindex.Name{Title: "Ms", Given: "Zoë", Family: "O'Brien-Smith"},
		OtherNames: []resindex.Name{{Family: "Brown"}, {Given: "Zoe"}},
		DOB:        "1980-02", Sex: "F",
		Addresses: []resindex.Address{
			{UPRN: "100021234567", Lines: []string{"Flat 2", "12 High St"}, Town: "London", Postcode: "NW1 1AA", From: "2020", To: "2023-01-01", Current: true},
			{Postcode: "N1 9GU"},
		},
		Identifiers:  map[string]string{"nhs": "9434765919", "nino": "AB123456C"},
		Emails:       []string{"a@example.org"},
		Phones:       []string{"020 7946 0000", "07700 900000"},
		Flags:        []string{resindex.FlagRestricted},
		Attributes:   map[string]string{"tenure": "secure"},
		LastActivity: "2025-01-31",
	}
}

func TestRecordCodecRoundTrip(t *testing.T) {
	for name, r := range map[string]resindex.Record{
		"full":  codecRecord(),
		"empty": {},
		"keys":  {Source: "libraries", ID: "2002"},
	} {
		data := layout.EncodeRecord(&r)
		var got resindex.Record
		if err := layout.DecodeRecord(data, &got); err != nil {
			t.Fatalf("%s: unmarshal: %v", name, err)
		}
		if !reflect.DeepEqual(got, r) {
			t.Errorf("%s: round trip\n got %+v\nwant %+v", name, got, r)
		}
	}
}

func TestRecordCodecDeterministic(t *testing.T) {
	r := codecRecord()
	a := layout.EncodeRecord(&r)
	for range 20 { // map order varies between runs of the loop
		b := layout.EncodeRecord(&r)
		if string(a) != string(b) {
			t.Fatal("equal records encoded to different bytes")
		}
	}
}

func TestRecordCodecMalformed(t *testing.T) {
	r := codecRecord()
	good := layout.EncodeRecord(&r)
	cases := map[string][]byte{
		"nothing":         nil,
		"unknown version": {9},
		"truncated":       good[:len(good)/2],
		"trailing bytes":  append(append([]byte(nil), good...), 0),
		"huge count":      {1, 0, 0, 0, 0, 0xff, 0xff, 0xff, 0xff, 0x0f},
		"string overruns": {1, 50, 'a'},
		"bad varint":      {1, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff},
	}
	for name, data := range cases {
		var got resindex.Record
		err := layout.DecodeRecord(data, &got)
		if !errors.Is(err, layout.ErrCorrupt) {
			t.Errorf("%s: err = %v, want ErrCorrupt", name, err)
		}
		if !reflect.DeepEqual(got, resindex.Record{}) {
			t.Errorf("%s: record changed on error: %+v", name, got)
		}
	}
}

// FuzzRecordCodec: arbitrary bytes never panic, and whatever decodes
// encodes back to the same bytes.
func FuzzRecordCodec(f *testing.F) {
	r := codecRecord()
	good := layout.EncodeRecord(&r)
	f.Add(good)
	f.Add([]byte{1})
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, data []byte) {
		var got resindex.Record
		if err := layout.DecodeRecord(data, &got); err != nil {
			return
		}
		again := layout.EncodeRecord(&got)
		var back resindex.Record
		if err := layout.DecodeRecord(again, &back); err != nil {
			t.Fatalf("re-encoded record does not decode: %v", err)
		}
		if !reflect.DeepEqual(back, got) {
			t.Fatalf("round trip changed the record")
		}
	})
}

func TestCutString(t *testing.T) {
	b := layout.AppendString(layout.AppendString(nil, "ab"), "")
	s, rest, ok := layout.CutString(b)
	if !ok || s != "ab" {
		t.Fatalf("first: %q %v", s, ok)
	}
	if s, rest, ok = layout.CutString(rest); !ok || s != "" || len(rest) != 0 {
		t.Fatalf("second: %q %v %v", s, rest, ok)
	}
	for name, bad := range map[string][]byte{"empty": nil, "overlong": {3, 'a'}, "bad varint": {0xff}} {
		if _, _, ok := layout.CutString(bad); ok {
			t.Errorf("%s: accepted", name)
		}
	}
}

// TestClocksCodec: clocks round-trip; malformed ones are refused, naming
// the source at most.
func TestClocksCodec(t *testing.T) {
	in := map[string]time.Time{"council_tax": time.Date(2025, 5, 1, 9, 0, 0, 0, time.UTC), "schools": time.Date(2024, 1, 2, 0, 0, 0, 0, time.UTC)}
	out, err := layout.DecodeClocks(layout.EncodeClocks(in))
	if err != nil || len(out) != 2 || !out["council_tax"].Equal(in["council_tax"]) || !out["schools"].Equal(in["schools"]) {
		t.Fatalf("round trip: %v, %v", out, err)
	}
	for name, bad := range map[string]string{
		"not JSON":        `{"council_tax":`,
		"not an object":   `["2025-05-01T09:00:00Z"]`,
		"a number":        `{"council_tax":20250501}`,
		"not RFC 3339":    `{"council_tax":"01/05/2025"}`,
		"a date, no time": `{"council_tax":"2025-05-01"}`,
	} {
		if _, err := layout.DecodeClocks([]byte(bad)); err == nil {
			t.Errorf("%s: accepted", name)
		} else if strings.Contains(err.Error(), "01/05") {
			t.Errorf("%s: the error quotes the value: %v", name, err)
		}
	}
}

func FuzzDecodeClocks(f *testing.F) {
	f.Add([]byte(`{"council_tax":"2025-05-01T09:00:00Z"}`))
	f.Add([]byte(`{}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		clocks, err := layout.DecodeClocks(b)
		if err != nil {
			return
		}
		again, err := layout.DecodeClocks(layout.EncodeClocks(clocks))
		if err != nil || len(again) != len(clocks) {
			t.Fatalf("re-encoded clocks: %v, %v", again, err)
		}
	})
}
