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
