package access

import (
	"strings"
	"testing"

	"github.com/resindex/resindex"
	"github.com/resindex/resindex/fraud"
)

// TestSARFindingOfAnother: a finding about someone else that used the
// requester's records shows the requester their records and no more: not
// its score, signals, date or review (a lodger must not learn that their
// landlord is under investigation); a finding about the requester shows
// all of it.
func TestSARFindingOfAnother(t *testing.T) {
	tenant, lodger := resindex.RecordKey{Source: "housing", ID: "T1"}, resindex.RecordKey{Source: "electoral_roll", ID: "E7"}
	f := fraud.Finding{ID: "FS0123456789ab", Kind: fraud.Subletting, Score: 0.8, Since: "2025-01-01", Subject: "P1", SubjectRecords: []resindex.RecordKey{tenant},
		Others: []string{"P2"}, OtherRecords: []resindex.RecordKey{lodger},
		Signals: []fraud.Signal{{Name: "tenant_lives_elsewhere", Weight: 0.5, Says: "the tenant holds a tenancy at another property",
			Evidence: []fraud.Evidence{{Record: tenant, Person: "P1"}, {Record: lodger, Person: "P2"}}}}}
	reviews := map[string]fraud.Review{f.ID: {Outcome: "referred"}}
	v, ok := sarFinding(&f, map[string]bool{"P2": true}, map[resindex.RecordKey]string{lodger: "ref2"}, reviews)
	if !ok || v.Score != 0 || v.Since != "" || v.Review != nil || v.Others != 0 || len(v.Signals) != 1 {
		t.Fatalf("the lodger's view: %+v", v)
	}
	if s := v.Signals[0]; strings.Contains(s.Says, "tenancy") || len(s.Evidence) != 1 || s.Evidence[0] != lodger.String() {
		t.Errorf("the lodger's view says %q with evidence %v; want only their own record", s.Says, s.Evidence)
	}
	v, ok = sarFinding(&f, map[string]bool{"P1": true}, map[resindex.RecordKey]string{tenant: "ref1"}, reviews)
	if !ok || v.Part != "subject" || v.Score != 0.8 || v.Review == nil || len(v.Signals[0].Evidence) != 1 || v.Signals[0].Evidence[0] != tenant.String() {
		t.Errorf("the tenant's view: %+v", v)
	}
}
