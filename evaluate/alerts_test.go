package evaluate

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"math"
	"reflect"
	"strings"
	"testing"

	"github.com/resindex/resindex"
)

const alertHeader = "alert_id,raised_at,kind,severity,status,uprn,adult_records,child_records,evidence_date\n"

// secret is in every value a malformed input holds, so that a test can see
// an error never quotes one.
const secret = "Smith"

func TestReadAlerts(t *testing.T) {
	in := "\ufeff" + alertHeader +
		"A1,2024-08-07T10:00:00Z,new_adult_with_child,high,open,100,council_tax/1;electoral_roll/ER-2,children_social/C1,2024-08-06\r\n" +
		"A2,2024-08-07T11:00:00+01:00,child_looked_up,info,closed,,,,\r\n"
	got, err := ReadAlerts(strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	want := []AlertRow{
		{ID: "A1", RaisedAt: "2024-08-07T10:00:00Z", Kind: "new_adult_with_child", Severity: "high", Status: "open", UPRN: "100",
			Adults:       []resindex.RecordKey{{Source: "council_tax", ID: "1"}, {Source: "electoral_roll", ID: "ER-2"}},
			Children:     []resindex.RecordKey{{Source: "children_social", ID: "C1"}},
			EvidenceDate: "2024-08-06"},
		{ID: "A2", RaisedAt: "2024-08-07T11:00:00+01:00", Kind: "child_looked_up", Severity: "info", Status: "closed"},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %+v\nwant %+v", got, want)
	}
	if got, err := ReadAlerts(strings.NewReader(alertHeader)); err != nil || got != nil {
		t.Errorf("header only: %+v, %v", got, err)
	}
}

func TestReadAlertsRefuses(t *testing.T) {
	row := func(fields ...string) string { return alertHeader + strings.Join(fields, ",") + "\n" }
	const at, kind = "2024-08-07T10:00:00Z", "new_adult_with_child"
	for _, tc := range []struct{ name, in, wantErr string }{
		{"no header", "", "missing header"},
		{"wrong header", strings.Replace(alertHeader, "uprn", "property", 1), "header column 6"},
		{"header too short", "alert_id,raised_at\n", "header has 2 columns"},
		{"short row", row("A1", at, kind, "high", "open", "100", "s/1", ""), "line 2: 8 columns, want 9"},
		{"long row", row("A1", at, kind, "high", "open", "100", "s/1", "", "", secret), "line 2: 10 columns, want 9"},
		{"empty id", row(" ", at, kind, "high", "open", secret, "", "", ""), "line 2: column alert_id: empty"},
		{"empty kind", row("A1", at, "", "high", "open", secret, "", "", ""), "column kind: empty"},
		{"empty status", row("A1", at, kind, "high", "", secret, "", "", ""), "column status: empty"},
		{"bad raised_at", row("A1", "2024-08-07 "+secret, kind, "high", "open", "", "", "", ""), "column raised_at: want an RFC 3339 time"},
		{"bad evidence_date", row("A1", at, kind, "high", "open", "", "", "", "07/08/2024"+secret), "column evidence_date: want YYYY-MM-DD"},
		{"key without slash", row("A1", at, kind, "high", "open", "", "s/1;"+secret, "", ""), "column adult_records: key 2: want SOURCE/ID"},
		{"key with empty id", row("A1", at, kind, "high", "open", "", "", secret+"/", ""), "column child_records: key 1: want SOURCE/ID"},
		{"empty key in list", row("A1", at, kind, "high", "open", "", secret+"/1;;s/2", "", ""), "column adult_records: key 2"},
		{"key with NUL", row("A1", at, kind, "high", "open", "", "s/"+secret+"\x00", "", ""), "column adult_records: key 1: field id"},
		{"duplicate id", row("A1", at, kind, "high", "open", secret, "", "", "") + "A1," + at + "," + kind + ",high,open,,,,\n", "line 3: column alert_id: duplicate (first on line 2)"},
		{"broken quotes", alertHeader + "\"A1," + secret + "\n", "malformed CSV"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ReadAlerts(strings.NewReader(tc.in))
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Fatalf("err = %v, want containing %q", err, tc.wantErr)
			}
			if strings.Contains(err.Error(), secret) {
				t.Errorf("error %q quotes a value", err)
			}
		})
	}
}

const scenariosJSON = `{
  "safeguarding": [
    {"adult_person_id": "P0002540", "child_person_ids": ["P0000327", "P0000328"], "uprn": "100021006833", "date": "2024-08-06",
     "records": [{"source": "council_tax", "id": "60006717-2"}, {"source": "electoral_roll", "id": "ER-9"}], "note": "ignored"},
    {"adult_person_id": "P0000001", "child_person_ids": ["P0000002"], "uprn": "100", "date": "2020-01-31", "records": []}
  ],
  "sublets": [{"tenancy_record_id": "H1", "records": [{"source": 1}]}],
  "single_person_discounts": "not read"
}`

func TestReadSafeguarding(t *testing.T) {
	got, err := ReadSafeguarding(strings.NewReader(scenariosJSON))
	if err != nil {
		t.Fatal(err)
	}
	want := []SafeguardingCase{
		{Adult: "P0002540", Children: []string{"P0000327", "P0000328"}, UPRN: "100021006833", Date: "2024-08-06",
			Records: []resindex.RecordKey{{Source: "council_tax", ID: "60006717-2"}, {Source: "electoral_roll", ID: "ER-9"}}},
		{Adult: "P0000001", Children: []string{"P0000002"}, UPRN: "100", Date: "2020-01-31"},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %+v\nwant %+v", got, want)
	}
	if got, err := ReadSafeguarding(strings.NewReader(`{"safeguarding": []}`)); err != nil || got != nil {
		t.Errorf("empty list: %+v, %v", got, err)
	}
}

func TestReadSafeguardingRefuses(t *testing.T) {
	// item returns a safeguarding list of one case, with member name's
	// value replaced by v (the member left out when v is "").
	item := func(name, v string) string {
		members := []struct{ k, v string }{{"adult_person_id", `"P1"`}, {"child_person_ids", `["P2"]`}, {"uprn", `"100"`},
			{"date", `"2024-01-31"`}, {"records", `[{"source": "s", "id": "1"}]`}}
		var parts []string
		for _, m := range members {
			if m.k == name {
				m.v = v
			}
			if m.v != "" {
				parts = append(parts, `"`+m.k+`": `+m.v)
			}
		}
		return `{"safeguarding": [{"adult_person_id": "P0", "child_person_ids": [], "uprn": "1", "date": "2020-01-01", "records": []}, {` +
			strings.Join(parts, ", ") + `}]}`
	}
	for _, tc := range []struct{ name, in, wantErr string }{
		{"empty", "", "line 1: byte column 1: malformed JSON"},
		{"not JSON", "{\n  \"safeguarding\": [" + secret + "]}", "line 2: byte column 20: malformed JSON"},
		{"cut short", `{"safeguarding": [{"uprn": "` + secret, "malformed JSON"},
		{"trailing data", `{"safeguarding": []} ` + secret, "malformed JSON"},
		{"a list", `[{"uprn": "` + secret + `"}]`, "want a JSON object with a safeguarding list"},
		{"no safeguarding", `{"sublets": []}`, "safeguarding: missing"},
		{"safeguarding not a list", `{"safeguarding": {"uprn": "` + secret + `"}}`, "safeguarding: want a list"},
		{"item not an object", `{"safeguarding": ["` + secret + `"]}`, "safeguarding[0]: want an object"},
		{"adult missing", item("adult_person_id", ""), "safeguarding[1].adult_person_id: missing"},
		{"adult a number", item("adult_person_id", "2540"), "safeguarding[1].adult_person_id: want a string"},
		{"adult blank", item("adult_person_id", `" "`), "safeguarding[1].adult_person_id: empty"},
		{"uprn null", item("uprn", "null"), "safeguarding[1].uprn: empty"},
		{"bad date", item("date", `"06/08/2024 `+secret+`"`), "safeguarding[1].date: want YYYY-MM-DD"},
		{"children missing", item("child_person_ids", ""), "safeguarding[1].child_person_ids: missing"},
		{"children a string", item("child_person_ids", `"`+secret+`"`), "safeguarding[1].child_person_ids: want a list"},
		{"child a number", item("child_person_ids", `["P2", 327]`), "safeguarding[1].child_person_ids[1]: want a string"},
		{"child empty", item("child_person_ids", `[""]`), "safeguarding[1].child_person_ids[0]: empty"},
		{"records an object", item("records", `{"source": "`+secret+`"}`), "safeguarding[1].records: want a list"},
		{"record a string", item("records", `["s/`+secret+`"]`), "safeguarding[1].records[0]: want an object"},
		{"record without id", item("records", `[{"source": "s", "id": "1"}, {"source": "`+secret+`"}]`), "safeguarding[1].records[1].id: missing"},
		{"record source a number", item("records", `[{"source": 7, "id": "`+secret+`"}]`), "safeguarding[1].records[0].source: want a string"},
		{"record id with NUL", item("records", `[{"source": "s", "id": "`+secret+`\u0000"}]`), "safeguarding[1].records[0]: field id"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ReadSafeguarding(strings.NewReader(tc.in))
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Fatalf("err = %v, want containing %q", err, tc.wantErr)
			}
			if strings.Contains(err.Error(), secret) {
				t.Errorf("error %q quotes a value", err)
			}
		})
	}
}

// The fixture of TestScoreAlerts: adult A has records a1 a2 a3, B b1 b2,
// C c1; z1 is in no truth.
var alertTruth = map[resindex.RecordKey]string{
	key("a1"): "A", key("a2"): "A", key("a3"): "A", key("b1"): "B", key("b2"): "B", key("c1"): "C",
}

// sgCase is a case for adult at uprn from date, shown by records ids.
func sgCase(adult, uprn, date, ids string) SafeguardingCase {
	var recs []resindex.RecordKey
	for _, id := range strings.Fields(ids) {
		recs = append(recs, key(id))
	}
	return SafeguardingCase{Adult: adult, Children: []string{"K"}, UPRN: uprn, Date: date, Records: recs}
}

// newAdultAlert is a scored alert with adult records ids.
func newAdultAlert(id, uprn, evidence, ids string) AlertRow {
	var recs []resindex.RecordKey
	for _, r := range strings.Fields(ids) {
		recs = append(recs, key(r))
	}
	return AlertRow{ID: id, RaisedAt: "2024-01-01T00:00:00Z", Kind: scoredKind, Severity: "high", Status: "open",
		UPRN: uprn, Adults: recs, EvidenceDate: evidence}
}

func TestScoreAlerts(t *testing.T) {
	caseA := sgCase("A", "100", "2024-01-10", "a1")
	alertA := newAdultAlert("X1", "100", "2024-01-10", "a1 a2")
	notification := AlertRow{ID: "N1", Kind: "child_looked_up", UPRN: "100", Adults: []resindex.RecordKey{key("b1")}}
	type counts struct{ cases, detectable, scored, matched, matchedDetectable, duplicates int }
	for _, tc := range []struct {
		name                  string
		cases                 []SafeguardingCase
		alerts                []AlertRow
		want                  counts
		precision, recall, f1 float64
		recallAll             float64
		misses, falses        []string // "adult date: reason", "alert: reason"
	}{
		{name: "right", cases: []SafeguardingCase{caseA}, alerts: []AlertRow{alertA, notification},
			want: counts{1, 1, 1, 1, 1, 0}, precision: 1, recall: 1, f1: 1, recallAll: 1},
		{name: "missed: no alert", cases: []SafeguardingCase{caseA}, alerts: []AlertRow{notification},
			want:   counts{1, 1, 0, 0, 0, 0},
			misses: []string{"A 2024-01-10: " + missNoAlert}},
		{name: "missed: alert at another property", cases: []SafeguardingCase{caseA},
			alerts: []AlertRow{newAdultAlert("X1", "200", "2024-01-10", "a1")},
			want:   counts{1, 1, 1, 0, 0, 0},
			misses: []string{"A 2024-01-10: " + missElsewhere}, falses: []string{"X1: " + falseOtherProperty}},
		{name: "missed: another adult named", cases: []SafeguardingCase{caseA},
			alerts: []AlertRow{newAdultAlert("X1", "100", "2024-01-10", "b1")},
			want:   counts{1, 1, 1, 0, 0, 0},
			misses: []string{"A 2024-01-10: " + missOtherAdults}, falses: []string{"X1: " + falseNotMovedIn}},
		{name: "missed: outvoted by a false merge", cases: []SafeguardingCase{caseA},
			alerts: []AlertRow{newAdultAlert("X1", "100", "2024-01-10", "a1 b1 b2")},
			want:   counts{1, 1, 1, 0, 0, 0},
			misses: []string{"A 2024-01-10: " + missOutvoted}, falses: []string{"X1: " + falseNotMovedIn}},
		// A record closed before the end is not in the truth, but the case
		// names it: it is the case adult's.
		{name: "found by a record only the case names", cases: []SafeguardingCase{sgCase("A", "100", "2024-01-10", "z1")},
			alerts: []AlertRow{newAdultAlert("X1", "100", "2024-01-10", "z1"), newAdultAlert("X2", "100", "", "")},
			want:   counts{1, 1, 2, 1, 1, 0}, precision: 0.5, recall: 1, f1: 2.0 / 3, recallAll: 1,
			falses: []string{"X2: " + falseNoAdult}},
		{name: "missed: alerts name no one", cases: []SafeguardingCase{caseA},
			alerts: []AlertRow{newAdultAlert("X1", "100", "2024-01-10", "z1")},
			want:   counts{1, 1, 1, 0, 0, 0},
			misses: []string{"A 2024-01-10: " + missNobody}, falses: []string{"X1: " + falseNotInTruth}},
		{name: "undetectable, missed", cases: []SafeguardingCase{sgCase("A", "100", "2024-01-10", "")},
			want:   counts{1, 0, 0, 0, 0, 0},
			misses: []string{"A 2024-01-10: " + missUndetectable}},
		{name: "undetectable, found all the same", cases: []SafeguardingCase{sgCase("A", "100", "2024-01-10", "")}, alerts: []AlertRow{alertA},
			want: counts{1, 0, 1, 1, 0, 0}, precision: 1, recallAll: 1},
		{name: "false: no case at the property", alerts: []AlertRow{newAdultAlert("X1", "300", "", "c1")},
			want: counts{0, 0, 1, 0, 0, 0}, falses: []string{"X1: " + falseNoCase}},
		{name: "false: no property", cases: []SafeguardingCase{caseA}, alerts: []AlertRow{alertA, newAdultAlert("X2", "", "", "c1")},
			want: counts{1, 1, 2, 1, 1, 0}, precision: 0.5, recall: 1, f1: 2.0 / 3, recallAll: 1,
			falses: []string{"X2: " + falseNoProperty}},
		{name: "duplicate", cases: []SafeguardingCase{caseA},
			alerts: []AlertRow{newAdultAlert("X2", "100", "2024-02-01", "a1"), alertA},
			want:   counts{1, 1, 2, 1, 1, 1}, precision: 0.5, recall: 1, f1: 2.0 / 3, recallAll: 1,
			falses: []string{"X2: duplicate of alert X1"}},
		{name: "adult by majority", cases: []SafeguardingCase{caseA},
			alerts: []AlertRow{newAdultAlert("X1", "100", "2024-01-10", "a1 a1 a1 b1 b2 a2 z1")},
			want:   counts{1, 1, 1, 1, 1, 0}, precision: 1, recall: 1, f1: 1, recallAll: 1},
		{name: "a record listed twice counts once", cases: []SafeguardingCase{caseA},
			alerts: []AlertRow{newAdultAlert("X1", "100", "2024-01-10", "b1 b1 b1 a1 a2")},
			want:   counts{1, 1, 1, 1, 1, 0}, precision: 1, recall: 1, f1: 1, recallAll: 1},
		{name: "a tie goes to the smaller id", cases: []SafeguardingCase{caseA},
			alerts: []AlertRow{newAdultAlert("X1", "100", "2024-01-10", "b1 a1")},
			want:   counts{1, 1, 1, 1, 1, 0}, precision: 1, recall: 1, f1: 1, recallAll: 1},
		{name: "paired by nearest date", cases: []SafeguardingCase{sgCase("A", "100", "2024-06-01", "a1"), sgCase("A", "100", "2023-01-01", "a2")},
			alerts: []AlertRow{newAdultAlert("X1", "100", "2024-05-20", "a1")},
			want:   counts{2, 2, 1, 1, 1, 0}, precision: 1, recall: 0.5, f1: 2.0 / 3, recallAll: 0.5,
			misses: []string{"A 2023-01-01: the adult's alert at the property went to their case of 2024-06-01"}},
		{name: "each alert its own case", cases: []SafeguardingCase{sgCase("A", "100", "2024-06-01", "a1"), sgCase("A", "100", "2023-01-01", "a2")},
			alerts: []AlertRow{newAdultAlert("X1", "100", "2023-02-01", "a1"), newAdultAlert("X2", "100", "2024-06-03", "a1")},
			want:   counts{2, 2, 2, 2, 2, 0}, precision: 1, recall: 1, f1: 1, recallAll: 1},
		{name: "no evidence date is farthest", cases: []SafeguardingCase{caseA},
			alerts: []AlertRow{newAdultAlert("X1", "100", "", "a1"), newAdultAlert("X2", "100", "2019-01-01", "a1")},
			want:   counts{1, 1, 2, 1, 1, 1}, precision: 0.5, recall: 1, f1: 2.0 / 3, recallAll: 1,
			falses: []string{"X1: duplicate of alert X2"}},
		{name: "equally near: smaller alert id", cases: []SafeguardingCase{caseA},
			alerts: []AlertRow{newAdultAlert("X2", "100", "2024-01-12", "a1"), newAdultAlert("X1", "100", "2024-01-08", "a1")},
			want:   counts{1, 1, 2, 1, 1, 1}, precision: 0.5, recall: 1, f1: 2.0 / 3, recallAll: 1,
			falses: []string{"X2: duplicate of alert X1"}},
		{name: "misses by date then adult", cases: []SafeguardingCase{sgCase("C", "1", "2024-01-02", "c1"), sgCase("B", "2", "2024-01-01", "b1"), sgCase("A", "3", "2024-01-02", "")},
			want:   counts{3, 2, 0, 0, 0, 0},
			misses: []string{"B 2024-01-01: " + missNoAlert, "A 2024-01-02: " + missUndetectable, "C 2024-01-02: " + missNoAlert}},
		{name: "empty"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m := ScoreAlerts(tc.cases, tc.alerts, alertTruth)
			got := counts{m.Cases, m.Detectable, m.Scored, m.Matched, m.MatchedDetectable, m.Duplicates}
			if got != tc.want {
				t.Errorf("counts %+v, want %+v", got, tc.want)
			}
			for _, r := range []struct {
				name      string
				got, want float64
			}{{"precision", m.Precision, tc.precision}, {"recall", m.Recall, tc.recall}, {"recall of all", m.RecallAll, tc.recallAll}, {"F1", m.F1, tc.f1}} {
				if math.Abs(r.got-r.want) > 1e-12 {
					t.Errorf("%s %v, want %v", r.name, r.got, r.want)
				}
			}
			var misses, falses []string
			for _, x := range m.Misses {
				misses = append(misses, x.Adult+" "+x.Date+": "+x.Reason)
			}
			for _, f := range m.False {
				falses = append(falses, f.ID+": "+f.Reason)
			}
			if !reflect.DeepEqual(misses, tc.misses) {
				t.Errorf("misses %q, want %q", misses, tc.misses)
			}
			if !reflect.DeepEqual(falses, tc.falses) {
				t.Errorf("false alerts %q, want %q", falses, tc.falses)
			}
		})
	}
}

func TestFormatAlerts(t *testing.T) {
	m := ScoreAlerts(
		[]SafeguardingCase{sgCase("A", "100", "2024-01-10", "a1"), sgCase("B", "200", "2024-01-11", "b1"), sgCase("C", "300", "2024-01-12", "")},
		[]AlertRow{newAdultAlert("X1", "100", "2024-01-10", "a1"), newAdultAlert("X2", "100", "2024-01-10", "a1"), newAdultAlert("X3", "", "", "z1")},
		alertTruth)
	var buf bytes.Buffer
	if err := FormatAlerts(&buf, m, 1); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	for _, want := range []string{
		"Safeguarding cases                    3\n",
		"Detectable cases                      2\n",
		"Alerts scored                         3\n",
		"Duplicate alerts                      1\n",
		"Precision                      33.3333%\n",
		"Recall (detectable)            50.0000%\n",
		"Recall (all cases)             33.3333%\n",
		"F1                             40.0000%\n",
		"\nmissed cases (first 1 of 2):\n- adult B at 200 from 2024-01-11: no alert at the property\n",
		"\nfalse alerts (first 1 of 2):\n- alert X2 at 100, adult A: duplicate of alert X1\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("report lacks %q:\n%s", want, out)
		}
	}
	buf.Reset()
	if err := FormatAlerts(&buf, m, 5); err != nil {
		t.Fatal(err)
	}
	if want := "- alert X3 at -, adult -: " + falseNoAdult + "\n"; strings.Contains(buf.String(), want) {
		t.Errorf("X3 has a record: report %q", buf.String())
	}
	if want := "- alert X3 at -, adult -: " + falseNotInTruth + "\n"; !strings.Contains(buf.String(), want) {
		t.Errorf("report lacks %q:\n%s", want, buf.String())
	}
	buf.Reset()
	if err := FormatAlerts(&buf, AlertMetrics{}, 0); err != nil || strings.Contains(buf.String(), "NaN") || strings.Contains(buf.String(), "\n\n") {
		t.Errorf("empty metrics: %v\n%s", err, buf.String())
	}
	if err := FormatAlerts(failWriter{}, m, 1); err == nil {
		t.Error("FormatAlerts to a failing writer: no error")
	}
}

// writeAlertsCSV writes alerts in the form ReadAlerts reads, as the alerts
// list command does.
func writeAlertsCSV(t *testing.T, alerts []AlertRow) *bytes.Buffer {
	t.Helper()
	join := func(ks []resindex.RecordKey) string {
		var parts []string
		for _, k := range ks {
			parts = append(parts, k.String())
		}
		return strings.Join(parts, ";")
	}
	var buf bytes.Buffer
	cw := csv.NewWriter(&buf)
	_ = cw.Write(AlertColumns)
	for _, a := range alerts {
		_ = cw.Write([]string{a.ID, a.RaisedAt, a.Kind, a.Severity, a.Status, a.UPRN, join(a.Adults), join(a.Children), a.EvidenceDate})
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		t.Fatal(err)
	}
	return &buf
}

// writeSafeguardingJSON writes cases in the form of truth/scenarios.json.
func writeSafeguardingJSON(t *testing.T, cases []SafeguardingCase) *bytes.Buffer {
	t.Helper()
	type record struct {
		Source string `json:"source"`
		ID     string `json:"id"`
	}
	type item struct {
		Adult    string   `json:"adult_person_id"`
		Children []string `json:"child_person_ids"`
		UPRN     string   `json:"uprn"`
		Date     string   `json:"date"`
		Records  []record `json:"records"`
	}
	items := []item{}
	for _, c := range cases {
		it := item{Adult: c.Adult, Children: c.Children, UPRN: c.UPRN, Date: c.Date, Records: []record{}}
		for _, k := range c.Records {
			it.Records = append(it.Records, record{k.Source, k.ID})
		}
		items = append(items, it)
	}
	data, err := json.Marshal(map[string]any{"safeguarding": items, "sublets": []any{}})
	if err != nil {
		t.Fatal(err)
	}
	return bytes.NewBuffer(data)
}
