package evaluate_test

import (
	"strings"
	"testing"

	"github.com/resindex/resindex"
	"github.com/resindex/resindex/evaluate"
)

func TestReadResidences(t *testing.T) {
	good := "person_id,uprn,from,to\nP1,100,2020-01-01,2021-01-01\nP1,200,2021-01-01,\n"
	rs, err := evaluate.ReadResidences(strings.NewReader(good))
	if err != nil || len(rs) != 2 || rs[1] != (evaluate.Residence{Person: "P1", UPRN: "200", From: "2021-01-01"}) {
		t.Fatalf("%+v, %v", rs, err)
	}
	for name, in := range map[string]string{
		"no header":     "",
		"wrong header":  "person,uprn,from,to\n",
		"short row":     "person_id,uprn,from,to\nP1,100,2020-01-01\n",
		"long row":      "person_id,uprn,from,to\nP1,100,2020-01-01,,x\n",
		"empty person":  "person_id,uprn,from,to\n,100,2020-01-01,\n",
		"empty uprn":    "person_id,uprn,from,to\nP1,,2020-01-01,\n",
		"empty from":    "person_id,uprn,from,to\nP1,100,,\n",
		"broken quotes": "person_id,uprn,from,to\n\"P1,100,2020-01-01,\n",
	} {
		if _, err := evaluate.ReadResidences(strings.NewReader(in)); err == nil {
			t.Errorf("%s: accepted", name)
		} else if strings.Contains(err.Error(), "P1") {
			t.Errorf("%s: the error quotes a value: %v", name, err)
		}
	}
}

func FuzzReadResidences(f *testing.F) {
	f.Add("person_id,uprn,from,to\nP1,100,2020-01-01,\n")
	f.Add("person_id,uprn,from,to\n\"P1\n")
	f.Fuzz(func(t *testing.T, in string) {
		rs, err := evaluate.ReadResidences(strings.NewReader(in))
		if err != nil {
			return
		}
		for _, r := range rs {
			if strings.TrimSpace(r.Person) == "" || strings.TrimSpace(r.UPRN) == "" || strings.TrimSpace(r.From) == "" {
				t.Fatalf("accepted a residence with an empty field: %+v", r)
			}
		}
	})
}

// TestCoResidence: pairs of people living together at the end, true
// against predicted; a member stands for the true person most of its
// records belong to; people no record names are left out.
func TestCoResidence(t *testing.T) {
	k := func(id string) resindex.RecordKey { return resindex.RecordKey{Source: "s", ID: id} }
	truthOf := map[resindex.RecordKey]string{k("a1"): "A", k("a2"): "A", k("b1"): "B", k("c1"): "C", k("d1"): "D"}
	res := []evaluate.Residence{
		{Person: "A", UPRN: "1", From: "2020"}, {Person: "B", UPRN: "1", From: "2020"}, {Person: "C", UPRN: "1", From: "2020"},
		{Person: "D", UPRN: "1", From: "2019", To: "2020"}, {Person: "D", UPRN: "2", From: "2020"},
		{Person: "E", UPRN: "1", From: "2020"}, // no record: the index cannot know them
	}
	for _, tc := range []struct {
		name                 string
		households           [][][]resindex.RecordKey
		precision, recall    float64
		truePairs, predPairs int64
	}{
		{"right", [][][]resindex.RecordKey{{{k("a1"), k("a2")}, {k("b1")}, {k("c1")}}, {{k("d1")}}}, 1, 1, 3, 3},
		{"split in two", [][][]resindex.RecordKey{{{k("a1")}, {k("b1")}}, {{k("c1")}}, {{k("d1")}}}, 1, 1.0 / 3, 3, 1},
		{"a leaver kept", [][][]resindex.RecordKey{{{k("a1")}, {k("b1")}, {k("c1")}, {k("d1")}}}, 0.5, 1, 3, 6},
		{"a false merge counts once", [][][]resindex.RecordKey{{{k("a1"), k("a2"), k("b1")}, {k("c1")}}, {{k("d1")}}}, 1, 1.0 / 3, 3, 1},
	} {
		m := evaluate.CoResidence(res, truthOf, tc.households)
		if m.Precision != tc.precision || m.Recall != tc.recall || m.TruePairs != tc.truePairs || m.PredictedPairs != tc.predPairs {
			t.Errorf("%s: %+v, want precision %.3f recall %.3f pairs %d/%d", tc.name, m, tc.precision, tc.recall, tc.truePairs, tc.predPairs)
		}
	}
}
