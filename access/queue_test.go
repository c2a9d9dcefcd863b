package access_test

import (
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/resindex/resindex"
	"github.com/resindex/resindex/access"
)

// weighed is a candidate pair with its own weight.
func weighed(a, b resindex.Record, pa, pb string, w float64) resindex.Candidate {
	c := candidate(a, b, pa, pb)
	c.Weight = w
	return c
}

// TestQueue: the review queue strongest first, counted and filtered by
// source and weight, paged, only with pairs the steward may see, and only
// for a role that reviews matches.
func TestQueue(t *testing.T) {
	a, b, c := rec(srcCT, "C1"), rec(srcER, "E2"), rec(srcLib, "L3")
	kid := rec(srcSchl, "S4", dob("2015-01-01"))
	e := newEnv(t, mustDefault(t), person(1, a), person(2, b), person(3, c), person(4, kid))
	e.idx.cands = []resindex.Candidate{
		weighed(a, b, pid(1), pid(2), 2),
		weighed(a, kid, pid(1), pid(4), 9), // a child: not the steward's to see
		weighed(b, c, pid(2), pid(3), 7),
		weighed(a, c, pid(1), pid(3), -1),
	}
	pairs := func(q access.QueuePage) []string {
		var out []string
		for _, it := range q.Items {
			out = append(out, fmt.Sprintf("%s+%s@%g", it.A.Record, it.B.Record, it.Link.Weight))
		}
		return out
	}
	steward := as("data_steward")
	for _, tc := range []struct {
		name  string
		f     access.QueueFilter
		want  []string
		total int
	}{
		{"all, strongest first", access.QueueFilter{}, []string{"electoral_roll/E2+libraries/L3@7", "council_tax/C1+electoral_roll/E2@2", "council_tax/C1+libraries/L3@-1"}, 3},
		{"by source", access.QueueFilter{Source: srcLib}, []string{"electoral_roll/E2+libraries/L3@7", "council_tax/C1+libraries/L3@-1"}, 2},
		{"from a weight", access.QueueFilter{MinWeight: 2, HasMin: true}, []string{"electoral_roll/E2+libraries/L3@7", "council_tax/C1+electoral_roll/E2@2"}, 2},
		{"below a weight of 0", access.QueueFilter{MaxWeight: 0, HasMax: true}, []string{"council_tax/C1+libraries/L3@-1"}, 1},
		{"nothing", access.QueueFilter{Source: srcSchl}, nil, 0},
	} {
		q, err := e.svc.Queue(steward, tc.f, access.Page{})
		if err != nil || !slices.Equal(pairs(q), tc.want) || q.Total != tc.total {
			t.Errorf("%s: %v total %d (%v), want %v total %d", tc.name, pairs(q), q.Total, err, tc.want, tc.total)
		}
		if !slices.Equal(q.Sources, []string{srcCT, srcER, srcLib}) {
			t.Errorf("%s: sources %v: the child's school record must not show", tc.name, q.Sources)
		}
	}
	first, err := e.svc.Queue(steward, access.QueueFilter{}, access.Page{Size: 2})
	if err != nil || len(first.Items) != 2 || first.NextPage == "" {
		t.Fatalf("first page of 2: %v, next %q, %v", pairs(first), first.NextPage, err)
	}
	second, err := e.svc.Queue(steward, access.QueueFilter{}, access.Page{Size: 2, Token: first.NextPage})
	if err != nil || !slices.Equal(pairs(second), []string{"council_tax/C1+libraries/L3@-1"}) || second.NextPage != "" {
		t.Fatalf("second page: %v, next %q, %v", pairs(second), second.NextPage, err)
	}
	if _, err := e.svc.Queue(steward, access.QueueFilter{}, access.Page{Token: "x"}); !errors.As(err, new(*access.InputError)) {
		t.Errorf("a page token not ours: %v", err)
	}
	if _, err := e.svc.Queue(as("frontline"), access.QueueFilter{}, access.Page{}); !errors.Is(err, resindex.ErrForbidden) {
		t.Errorf("frontline's queue: %v, want forbidden", err)
	}
	// The sorted queue is kept a short while; a decision made here drops
	// the pairs of its two persons at once.
	e.idx.cands = e.idx.cands[:2]
	if q, _ := e.svc.Queue(steward, access.QueueFilter{}, access.Page{}); q.Total != 3 {
		t.Errorf("the queue read again at once: %d pairs, want the 3 kept", q.Total)
	}
	if err := e.svc.Override(steward, b.Key(), c.Key(), "unlink", "different people"); err != nil {
		t.Fatal(err)
	}
	if q, _ := e.svc.Queue(steward, access.QueueFilter{}, access.Page{}); q.Total != 0 {
		t.Errorf("after a decision on persons 2 and 3: %v, want none (each pair kept has one of them)", pairs(q))
	}
}

// blockingIndex holds a queue read until released, to decide a pair while
// the read is under way.
type blockingIndex struct {
	*fakeIndex
	reading, release chan struct{}
}

func (b *blockingIndex) Candidates(after string, n int) ([]resindex.Candidate, string, error) {
	if b.reading != nil {
		close(b.reading)
		b.reading = nil
		<-b.release
	}
	return b.fakeIndex.Candidates(after, n)
}

// TestQueueReadBeside: a queue read that a decision overtakes is not kept,
// so the decided pair does not come back from it.
func TestQueueReadBeside(t *testing.T) {
	a, b := rec(srcCT, "C1"), rec(srcER, "E2")
	idx := &blockingIndex{fakeIndex: newFakeIndex(person(1, a), person(2, b)), reading: make(chan struct{}), release: make(chan struct{})}
	idx.cands = []resindex.Candidate{weighed(a, b, pid(1), pid(2), 2)}
	svc, err := access.New(mustDefault(t), idx, &fakeOverrider{}, &memLog{}, access.Options{Key: testKey, Now: func() time.Time { return testNow }})
	if err != nil {
		t.Fatal(err)
	}
	steward := as("data_steward")
	reading := idx.reading
	done := make(chan access.QueuePage)
	go func() {
		q, _ := svc.Queue(steward, access.QueueFilter{}, access.Page{})
		done <- q
	}()
	<-reading
	if err := svc.Override(steward, a.Key(), b.Key(), "link", "same person"); err != nil {
		t.Fatal(err)
	}
	idx.cands = nil // the index no longer queues the pair
	close(idx.release)
	<-done
	if q, _ := svc.Queue(steward, access.QueueFilter{}, access.Page{}); q.Total != 0 {
		t.Fatalf("after a decision made during a read: %d pairs, want 0", q.Total)
	}
}

// TestOwners: who holds records now, for a steward: records it may not
// see are left out.
func TestOwners(t *testing.T) {
	a, b := rec(srcCT, "C1"), rec(srcER, "E2")
	kid := rec(srcSchl, "S4", dob("2015-01-01"))
	e := newEnv(t, mustDefault(t), person(1, a, b), person(4, kid))
	gone := rec(srcCT, "C99")
	owners, err := e.svc.Owners(as("data_steward"), []resindex.RecordKey{a.Key(), b.Key(), kid.Key(), gone.Key()})
	if err != nil {
		t.Fatal(err)
	}
	if len(owners) != 2 || owners[0].Person.Ref != owners[1].Person.Ref || owners[0].Record != a.Key().String() {
		t.Fatalf("owners: %+v, want both records in one person and nothing of the child or the missing record", owners)
	}
	if _, err := e.svc.Owners(as("frontline"), []resindex.RecordKey{a.Key()}); !errors.Is(err, resindex.ErrForbidden) {
		t.Errorf("frontline: %v, want forbidden", err)
	}
}

// verifyingLog is an audit log whose chain check says what it is told.
type verifyingLog struct {
	memLog
	n   int
	err error
}

func (l *verifyingLog) VerifyAudit() (int, error) { return l.n, l.err }

// TestVerifyAudit: a broken chain is a verdict for the auditor; failing to
// read the log is an error; only auditors may ask.
func TestVerifyAudit(t *testing.T) {
	pol := mustDefault(t)
	for _, tc := range []struct {
		name    string
		err     error
		intact  bool
		failure bool
	}{
		{"intact", nil, true, false},
		{"broken", fmt.Errorf("entry 7 was changed: %w", resindex.ErrAuditBroken), false, false},
		{"unreadable", errors.New("disk gone"), false, true},
	} {
		log := &verifyingLog{n: 12, err: tc.err}
		svc, err := access.New(pol, newFakeIndex(), &fakeOverrider{}, log, access.Options{Key: testKey, Now: func() time.Time { return testNow }})
		if err != nil {
			t.Fatal(err)
		}
		st, err := svc.VerifyAudit(as("auditor"), 0)
		if (err != nil) != tc.failure || st.Intact != tc.intact || (!tc.intact && !tc.failure && st.Problem == "") {
			t.Errorf("%s: %+v, %v", tc.name, st, err)
		}
		if _, err := svc.VerifyAudit(as("frontline"), 0); !errors.Is(err, resindex.ErrForbidden) {
			t.Errorf("%s: frontline may verify: %v", tc.name, err)
		}
	}
}
