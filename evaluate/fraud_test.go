package evaluate

import (
	"strings"
	"testing"

	"github.com/resindex/resindex"
)

var subletColumns = []string{"finding_id", "score", "tenancy_source", "tenancy_id", "uprn", "tenant_records", "signals"}

const subletHeader = "finding_id,score,tenancy_source,tenancy_id,uprn,tenant_records,signals\n"

func TestReadFindings(t *testing.T) {
	tests := []struct {
		name, in, err string
		n             int
	}{
		{"empty list", subletHeader, "", 0},
		{"two rows", subletHeader + "FS1,0.9,housing,T1,100,housing/T1;council_tax/C1,a;b\nFS2,0.5,housing,T2,,,\n", "", 2},
		{"wrong header", "finding_id,score\n", "header", 0},
		{"no header", "", "", 0},
		{"score not a number", subletHeader + "FS1,high,housing,T1,100,,a\n", "line 2: column score", 0},
		{"score above 1", subletHeader + "FS1,1.5,housing,T1,100,,a\n", "line 2: column score", 0},
		{"score NaN", subletHeader + "FS1,NaN,housing,T1,100,,a\n", "line 2: column score", 0},
		{"no account id", subletHeader + "FS1,0.5,housing,,100,,a\n", "line 2: columns tenancy_source, tenancy_id", 0},
		{"bad record key", subletHeader + "FS1,0.5,housing,T1,100,nokey,a\n", "line 2: column tenant_records", 0},
		{"duplicate id", subletHeader + "FS1,0.5,housing,T1,,,\nFS1,0.5,housing,T2,,,\n", "line 3: column finding_id: duplicate", 0},
		{"empty id", subletHeader + ",0.5,housing,T1,,,\n", "line 2: column finding_id: empty", 0},
		{"short row", subletHeader + "FS1,0.5\n", "line 2", 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ReadFindings(strings.NewReader(tc.in), subletColumns)
			if tc.err != "" || tc.name == "no header" {
				if err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("got %v, want an error with %q", err, tc.err)
				}
				if strings.Contains(err.Error(), "T1") || strings.Contains(err.Error(), "nokey") {
					t.Errorf("the error quotes a value: %v", err)
				}
				return
			}
			if err != nil || len(got) != tc.n {
				t.Fatalf("got %d rows, %v; want %d", len(got), err, tc.n)
			}
		})
	}
}

const fraudScenariosJSON = `{"safeguarding": [], "sublets": [
 {"tenancy_record_id": "T1-01", "tenant_person_id": "P1", "records": [{"source": "council_tax", "id": "C9"}]},
 {"tenancy_record_id": "T2-01", "tenant_person_id": "P2", "records": [{"source": "council_tax", "id": "C8"}]},
 {"tenancy_record_id": "T3-01", "tenant_person_id": "P3", "records": []}],
 "single_person_discounts": [{"account_record_id": "C1-1", "liable_person_id": "P4", "records": null}]}`

func TestReadFraudCases(t *testing.T) {
	cs, err := ReadFraudCases(strings.NewReader(fraudScenariosJSON), "sublets")
	if err != nil || len(cs) != 3 || cs[0].Account != (resindex.RecordKey{Source: "housing", ID: "T1-01"}) || cs[0].Subject != "P1" || len(cs[2].Records) != 0 {
		t.Fatalf("sublets: %+v, %v", cs, err)
	}
	cs, err = ReadFraudCases(strings.NewReader(fraudScenariosJSON), "single_person_discounts")
	if err != nil || len(cs) != 1 || cs[0].Account.Source != "council_tax" {
		t.Fatalf("discounts: %+v, %v", cs, err)
	}
	for _, tc := range []struct{ name, in, list, err string }{
		{"unknown list", fraudScenariosJSON, "frauds", "no fraud list"},
		{"missing list", `{"safeguarding": []}`, "sublets", "sublets: missing"},
		{"not a list", `{"sublets": {}}`, "sublets", "want a list"},
		{"not an object", `{"sublets": [3]}`, "sublets", "sublets[0]: want an object"},
		{"no record id", `{"sublets": [{"tenant_person_id": "P1", "records": []}]}`, "sublets", "sublets[0].tenancy_record_id"},
		{"empty record id", `{"sublets": [{"tenancy_record_id": "", "tenant_person_id": "P1"}]}`, "sublets", "tenancy_record_id: empty"},
		{"bad records", `{"sublets": [{"tenancy_record_id": "T", "tenant_person_id": "P", "records": [{"source": 1}]}]}`, "sublets", "sublets[0].records[0]"},
		{"malformed", `{"sublets": [`, "sublets", "malformed JSON"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := ReadFraudCases(strings.NewReader(tc.in), tc.list); err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Fatalf("got %v, want an error with %q", err, tc.err)
			}
		})
	}
}

func TestScoreFindings(t *testing.T) {
	cases, err := ReadFraudCases(strings.NewReader(fraudScenariosJSON), "sublets")
	if err != nil {
		t.Fatal(err)
	}
	h := func(id string, s float64, sig ...string) FindingRow {
		return FindingRow{ID: "F" + id, Score: s, Account: resindex.RecordKey{Source: "housing", ID: id}, Signals: sig}
	}
	m := ScoreFindings(cases, []FindingRow{h("T1-01", 0.9, "a"), h("T2-01", 0.3, "b"), h("T9-01", 0.6, "c"), h("T8-01", 0.2)}, 0.5)
	if m.Cases != 3 || m.Shown != 2 || m.Found != 1 || m.FoundShown != 1 || m.Findings != 2 || m.Correct != 1 {
		t.Fatalf("counts %+v", m)
	}
	if m.Recall != 1.0/3 || m.RecallShown != 0.5 || m.Precision != 0.5 {
		t.Errorf("recall %v, shown %v, precision %v", m.Recall, m.RecallShown, m.Precision)
	}
	if len(m.Misses) != 2 || !strings.Contains(m.Misses[0].Why, "scored 0.300, below 0.50 (b)") || m.Misses[1].Why != "no source's records show it" {
		t.Errorf("misses %+v", m.Misses)
	}
	if len(m.False) != 1 || m.False[0].Account.ID != "T9-01" {
		t.Errorf("false findings %+v", m.False)
	}
	var b strings.Builder
	if err := FormatFindings(&b, "subletting", m, 10); err != nil || !strings.Contains(b.String(), "precision 0.5000 (1/2)") {
		t.Errorf("%v\n%s", err, b.String())
	}
}
