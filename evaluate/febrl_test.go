package evaluate

import (
	"reflect"
	"strings"
	"testing"

	"github.com/resindex/resindex"
)

const febrlHeader = "rec_id, given_name, surname, street_number, address_1, address_2, suburb, postcode, state, date_of_birth, soc_sec_id"

// febrlSnippet has CRLF endings, missing fields, an impossible date, a
// partial date and a row with no address at all.
const febrlSnippet = febrlHeader + "\r\n" +
	"rec-1-org, mary, smith, 12, high street, flat 2, hobart, 7000, tas, 19700131, 1234567\r\n" +
	"rec-1-dup-0, , smith, , high street, , hobart, 7000, tas, 19700231, \r\n" +
	"rec-2-org, john, , , , , , , , , \r\n" +
	"rec-3-dup-12, ann, lee, 5, , , , , nsw, 1970, 999\r\n"

func TestReadFEBRLSnippet(t *testing.T) {
	recs, truth, err := ReadFEBRL(strings.NewReader(febrlSnippet), FEBRLOptions{Source: "snip", WithSSN: true})
	if err != nil {
		t.Fatal(err)
	}
	want := []resindex.Record{
		{Source: "snip", ID: "rec-1-org", Name: resindex.Name{Given: "mary", Family: "smith"}, DOB: "1970-01-31",
			Addresses:  []resindex.Address{{Lines: []string{"12 high street", "flat 2"}, Town: "hobart", Postcode: "7000", Current: true}},
			Attributes: map[string]string{"state": "tas"}, Identifiers: map[string]string{"soc_sec_id": "1234567"}},
		{Source: "snip", ID: "rec-1-dup-0", Name: resindex.Name{Family: "smith"}, DOB: "19700231",
			Addresses:  []resindex.Address{{Lines: []string{"high street"}, Town: "hobart", Postcode: "7000", Current: true}},
			Attributes: map[string]string{"state": "tas"}},
		{Source: "snip", ID: "rec-2-org", Name: resindex.Name{Given: "john"}},
		{Source: "snip", ID: "rec-3-dup-12", Name: resindex.Name{Given: "ann", Family: "lee"}, DOB: "1970",
			Addresses:  []resindex.Address{{Lines: []string{"5"}, Current: true}},
			Attributes: map[string]string{"state": "nsw"}, Identifiers: map[string]string{"soc_sec_id": "999"}},
	}
	if !reflect.DeepEqual(recs, want) {
		t.Errorf("records:\ngot  %+v\nwant %+v", recs, want)
	}
	wantTruth := []resindex.Assignment{
		{Key: resindex.RecordKey{Source: "snip", ID: "rec-1-org"}, PersonID: "febrl-1"},
		{Key: resindex.RecordKey{Source: "snip", ID: "rec-1-dup-0"}, PersonID: "febrl-1"},
		{Key: resindex.RecordKey{Source: "snip", ID: "rec-2-org"}, PersonID: "febrl-2"},
		{Key: resindex.RecordKey{Source: "snip", ID: "rec-3-dup-12"}, PersonID: "febrl-3"},
	}
	if !reflect.DeepEqual(truth, wantTruth) {
		t.Errorf("truth:\ngot  %+v\nwant %+v", truth, wantTruth)
	}
}

func TestReadFEBRLOptions(t *testing.T) {
	recs, truth, err := ReadFEBRL(strings.NewReader(febrlSnippet), FEBRLOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for i, r := range recs {
		if r.Identifiers != nil {
			t.Errorf("record %s: identifiers %v without WithSSN", r.Key(), r.Identifiers)
		}
		if r.Source != "febrl" || truth[i].Key.Source != "febrl" {
			t.Errorf("record %s: want default source febrl", r.Key())
		}
	}
}

func TestReadFEBRLDates(t *testing.T) {
	tests := map[string]string{
		"19700131": "1970-01-31",
		"20000229": "2000-02-29", // leap year
		"19000229": "19000229",   // 1900 was not
		"19701301": "19701301",
		"19700100": "19700100",
		"1970013":  "1970013",
		"1970-1-1": "1970-1-1",
		"":         "",
	}
	for in, want := range tests {
		if got := febrlDate(in); got != want {
			t.Errorf("febrlDate(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestReadFEBRLErrors(t *testing.T) {
	row := "rec-1-org, mary, smith, 12, high street, flat 2, hobart, 7000, tas, 19700131, 1234567\n"
	tests := []struct {
		name, in, wantErr string
	}{
		{"empty", "", "missing header"},
		{"no header", row, "line 1: header column 1"},
		{"assignment header", "source,id,person_id\n", "header has 3 columns"},
		{"too few columns", febrlHeader + "\n" + row + "rec-2-org, mary, smith\n", "line 3: 3 columns, want 11"},
		{"too many columns", febrlHeader + "\n" + strings.TrimSuffix(row, "\n") + ", extra\n", "line 2: 12 columns, want 11"},
		{"duplicate rec_id", febrlHeader + "\n" + row + row, "line 3: duplicate rec_id rec-1-org (first on line 2)"},
		{"bare quote", febrlHeader + "\n" + `rec-1-org, ma"ry, smith, 12, high street, flat 2, hobart, 7000, tas, 19700131, 1` + "\n", "line 2"},
	}
	for _, id := range []string{"rec-x-org", "rec--org", "rec-1", "rec-1-dup-", "rec-1-dup-x", "rec-1-dip-0", "rec-1-org-2", "1-org", "mary"} {
		tests = append(tests, struct{ name, in, wantErr string }{"rec_id " + id,
			febrlHeader + "\n" + strings.Replace(row, "rec-1-org", id, 1), "line 2: column rec_id: want rec-N-org or rec-N-dup-K"})
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := ReadFEBRL(strings.NewReader(tt.in), FEBRLOptions{Source: "x"})
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("err = %v, want containing %q", err, tt.wantErr)
			}
			if strings.Contains(err.Error(), "mary") || strings.Contains(err.Error(), "smith") {
				t.Errorf("error %q leaks resident data", err)
			}
		})
	}
}

func TestReadFEBRLDatasets(t *testing.T) {
	// Counts from the benchmark's README.
	tests := []struct {
		file             string
		records, persons int
		pairs            int64
	}{
		{"dataset1.csv", 1000, 500, 500},
		{"dataset2.csv", 5000, 4000, 1934},
		{"dataset3.csv", 5000, 2000, 6538},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			recs, truth := mustReadFEBRL(t, tt.file, FEBRLOptions{Source: tt.file, WithSSN: true})
			m := Compare(truth, truth)
			if len(recs) != tt.records || m.Records != tt.records || m.TruePersons != tt.persons || m.TruePairs != tt.pairs {
				t.Errorf("%d records, %d persons, %d pairs; want %d, %d, %d",
					len(recs), m.TruePersons, m.TruePairs, tt.records, tt.persons, tt.pairs)
			}
			checkFEBRLRecords(t, recs)
		})
	}
}

func TestReadFEBRLLinkage(t *testing.T) {
	recsA, truthA := mustReadFEBRL(t, "dataset4a.csv", FEBRLOptions{Source: "dataset4a"})
	recsB, truthB := mustReadFEBRL(t, "dataset4b.csv", FEBRLOptions{Source: "dataset4b"})
	if len(recsA) != 5000 || len(recsB) != 5000 {
		t.Fatalf("got %d + %d records, want 5000 + 5000", len(recsA), len(recsB))
	}
	checkFEBRLRecords(t, recsA) // CRLF file: no field may keep a carriage return.
	checkFEBRLRecords(t, recsB)
	both := append(truthA, truthB...)
	m := Compare(both, both)
	if m.Records != 10000 || m.TruePersons != 5000 || m.TruePairs != 5000 {
		t.Errorf("linked: %d records, %d persons, %d pairs; want 10000, 5000, 5000", m.Records, m.TruePersons, m.TruePairs)
	}
}

// checkFEBRLRecords checks that parsed records are clean: no padding or
// carriage returns, and most dates of birth converted.
func checkFEBRLRecords(t *testing.T, recs []resindex.Record) {
	t.Helper()
	converted := 0
	for _, r := range recs {
		fields := []string{r.ID, r.Name.Given, r.Name.Family, r.DOB, r.Attributes["state"], r.Identifiers["soc_sec_id"]}
		for _, a := range r.Addresses {
			fields = append(append(fields, a.Lines...), a.Town, a.Postcode)
		}
		for _, f := range fields {
			if f != strings.TrimSpace(f) {
				t.Fatalf("record %s: a field keeps surrounding white space", r.Key())
			}
		}
		if _, err := resindex.ParsePartialDate(r.DOB); err == nil && len(r.DOB) == 10 {
			converted++
		}
	}
	if converted < len(recs)*9/10 {
		t.Errorf("only %d of %d dates of birth converted", converted, len(recs))
	}
}
