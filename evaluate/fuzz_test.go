package evaluate

import (
	"bytes"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/resindex/resindex"
)

func FuzzReadAssignments(f *testing.F) {
	for _, seed := range []string{
		"source,id,person_id\ns,1,p1\ns,2,p1\n",
		"\ufeffsource,id,person_id\r\ns,\"1,2\",\"p\"\"1\"\r\n",
		"source,id,person_id\ns,1,p1\ns,1,p2\n",
		"source,id,person_id\ns,1\n",
		"source,id,person_id\n\"s\n,1\",1,p\n",
		"",
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		as, err := ReadAssignments(bytes.NewReader(data))
		if err != nil {
			return
		}
		checkAssignments(t, as)
		var buf bytes.Buffer
		if err := WriteAssignments(&buf, as); err != nil {
			t.Fatalf("WriteAssignments of what ReadAssignments accepted: %v", err)
		}
		back, err := ReadAssignments(&buf)
		if err != nil {
			t.Fatalf("reading back: %v", err)
		}
		// CSV turns CRLF inside a quoted field into LF, so values holding a
		// carriage return need not survive the round trip.
		if !bytes.ContainsRune(data, '\r') {
			sorted := slices.Clone(as)
			slices.SortFunc(sorted, compareAssignments)
			if !reflect.DeepEqual(back, sorted) {
				t.Fatalf("round trip: got %q, want %q", back, sorted)
			}
		}
	})
}

func FuzzReadFEBRL(f *testing.F) {
	f.Add([]byte(febrlSnippet), true)
	f.Add([]byte(febrlHeader+"\nrec-1-org, a, b, 1, c, d, e, 1234, f, 19991231, 1\n"), false)
	f.Add([]byte(febrlHeader+"\nrec-1-dup-0, \"a, b\", , , , , , , , 2001023, \n"), true)
	f.Add([]byte("\ufeff"+febrlHeader+"\r\nrec-1-org, , , , , , , , , , \r\n"), false)
	f.Fuzz(func(t *testing.T, data []byte, withSSN bool) {
		recs, truth, err := ReadFEBRL(bytes.NewReader(data), FEBRLOptions{Source: "fuzz", WithSSN: withSSN})
		if err != nil {
			return
		}
		if len(recs) != len(truth) {
			t.Fatalf("%d records, %d assignments", len(recs), len(truth))
		}
		checkAssignments(t, truth)
		for i, r := range recs {
			if r.Key() != truth[i].Key || !strings.HasPrefix(truth[i].PersonID, FEBRLPersonPrefix) {
				t.Fatalf("record %s: assignment %+v", r.Key(), truth[i])
			}
			if !withSSN && r.Identifiers != nil {
				t.Fatalf("record %s: identifiers without WithSSN", r.Key())
			}
		}
	})
}

// checkAssignments checks every assignment is complete and every key unique.
func checkAssignments(t *testing.T, as []resindex.Assignment) {
	t.Helper()
	seen := make(map[resindex.RecordKey]bool, len(as))
	for _, a := range as {
		if a.Key.Source == "" || a.Key.ID == "" || a.PersonID == "" {
			t.Fatalf("incomplete assignment %+v", a)
		}
		if seen[a.Key] {
			t.Fatalf("duplicate key %s", a.Key)
		}
		seen[a.Key] = true
	}
}

func FuzzReadAlerts(f *testing.F) {
	for _, seed := range []string{
		alertHeader + "A1,2024-08-07T10:00:00Z,new_adult_with_child,high,open,100,s/1;t/2,u/3,2024-08-06\n",
		"\ufeff" + alertHeader + "A1,2024-08-07T10:00:00+01:00,child_looked_up,info,closed,,,,\r\n",
		alertHeader + "\"A,1\",2024-08-07T10:00:00Z,k,s,o,\" 100\",\"s/a,b\",,\n",
		alertHeader + "A1,2024-08-07T10:00:00Z,k,s,o,,s/1;,,\n",
		alertHeader + "A1,2024-08-07T10:00:00Z,k,s,o,,,,\nA1,2024-08-07T10:00:00Z,k,s,o,,,,\n",
		"",
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		alerts, err := ReadAlerts(bytes.NewReader(data))
		if err != nil {
			return
		}
		for _, a := range alerts {
			if strings.TrimSpace(a.ID) == "" || strings.TrimSpace(a.Kind) == "" {
				t.Fatalf("accepted an alert with an empty field: %+v", a)
			}
			for _, k := range slices.Concat(a.Adults, a.Children) {
				if k.Check() != nil || strings.Contains(k.String(), ";") {
					t.Fatalf("alert %s: accepted key %q", a.ID, k)
				}
			}
		}
		back, err := ReadAlerts(writeAlertsCSV(t, alerts))
		if err != nil {
			t.Fatalf("reading back what ReadAlerts accepted: %v", err)
		}
		// CSV turns CRLF inside a quoted field into LF.
		if !bytes.ContainsRune(data, '\r') && !reflect.DeepEqual(back, alerts) {
			t.Fatalf("round trip: got %+v, want %+v", back, alerts)
		}
		ScoreAlerts(nil, alerts, nil) // must not panic on anything readable
	})
}

func FuzzReadSafeguarding(f *testing.F) {
	f.Add([]byte(fraudScenariosJSON))
	f.Add([]byte(`{"safeguarding": [{"adult_person_id": "P1", "child_person_ids": null, "uprn": "1", "date": "2024-02-29", "records": null}]}`))
	f.Add([]byte(`{"safeguarding": [{"adult_person_id": "P1", "child_person_ids": [], "uprn": "1", "date": "2024-02-30", "records": []}]}`))
	f.Add([]byte(`{"safeguarding": [{"records": [{"source": "s", "id": "\u00001"}]}]}`))
	f.Add([]byte(`{"safeguarding": null}`))
	f.Add([]byte(`[`))
	f.Fuzz(func(t *testing.T, data []byte) {
		cases, err := ReadSafeguarding(bytes.NewReader(data))
		if err != nil {
			return
		}
		for _, c := range cases {
			if strings.TrimSpace(c.Adult) == "" || strings.TrimSpace(c.UPRN) == "" || dayDistance(c.Date, c.Date) != 0 {
				t.Fatalf("accepted an incomplete case: %+v", c)
			}
		}
		back, err := ReadSafeguarding(writeSafeguardingJSON(t, cases))
		if err != nil {
			t.Fatalf("reading back what ReadSafeguarding accepted: %v", err)
		}
		if !reflect.DeepEqual(back, cases) {
			t.Fatalf("round trip: got %+v, want %+v", back, cases)
		}
		var alerts []AlertRow
		for i, c := range cases {
			alerts = append(alerts, AlertRow{ID: strings.Repeat("x", i%3), Kind: scoredKind, UPRN: c.UPRN, Adults: c.Records, EvidenceDate: c.Date})
		}
		truthOf := make(map[resindex.RecordKey]string)
		for _, c := range cases {
			for _, k := range c.Records {
				truthOf[k] = c.Adult
			}
		}
		m := ScoreAlerts(cases, alerts, truthOf)
		if m.Matched > m.Scored || m.Matched > m.Cases || len(m.Misses)+m.Matched != m.Cases || len(m.False)+m.Matched != m.Scored {
			t.Fatalf("inconsistent metrics %+v", m)
		}
	})
}

func FuzzReadFindings(f *testing.F) {
	f.Add([]byte(subletHeader + "FS1,0.9,housing,T1,100,housing/T1;council_tax/C1,a;b\n"))
	f.Add([]byte(subletHeader + "FS1,1e-3,housing,\"T,1\",,,\n"))
	f.Add([]byte(subletHeader + "FS1,NaN,housing,T1,,,\n"))
	f.Add([]byte("finding_id\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		rows, err := ReadFindings(bytes.NewReader(data), subletColumns)
		if err != nil {
			return
		}
		for _, r := range rows {
			if r.ID == "" || !(r.Score >= 0 && r.Score <= 1) || r.Account.Check() != nil {
				t.Fatalf("accepted a bad row %+v", r)
			}
		}
	})
}

func FuzzReadFraudCases(f *testing.F) {
	f.Add([]byte(fraudScenariosJSON))
	f.Add([]byte(`{"sublets": [{"tenancy_record_id": "T", "tenant_person_id": "P", "records": null}]}`))
	f.Add([]byte(`{"sublets": null}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		cs, err := ReadFraudCases(bytes.NewReader(data), "sublets")
		if err != nil {
			return
		}
		for _, c := range cs {
			if c.Account.ID == "" || c.Account.Source != "housing" {
				t.Fatalf("accepted a case with no account: %+v", c)
			}
		}
	})
}
