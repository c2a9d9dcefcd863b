package resolver_test

import (
	"errors"
	"slices"
	"sync"
	"testing"

	"github.com/resindex/resindex"
	"github.com/resindex/resindex/matcher"
	"github.com/resindex/resindex/resolver"
)

// TestLinksReviewQueueAndPerson loads a borough change by change and in
// bulk, and checks what the access layer reads: a person with their
// records, the pairs that join them, and the review queue.
func TestLinksReviewQueueAndPerson(t *testing.T) {
	recs, _ := MustBorough(t, 600, 5)
	incremental := MustStore(t)
	eng := MustEngine(t, incremental, resolver.EngineOptions{Population: len(recs)})
	apply := applier(t, eng)
	for _, r := range recs {
		apply(r)
	}
	bulk := MustStore(t)
	beng, _, err := resolver.BulkLoad(bulk, batcher(bulk), recs, resolver.BulkOptions{Stream: "b"})
	if err != nil {
		t.Fatal(err)
	}
	for name, e := range map[string]*resolver.Engine{"incremental": eng, "bulk": beng} {
		t.Run(name, func(t *testing.T) {
			checkLinks(t, e, exportAll(t, map[string]resolver.Store{"incremental": incremental, "bulk": bulk}[name]))
			checkQueue(t, e)
		})
	}
}

func checkLinks(t *testing.T, e *resolver.Engine, as []resindex.Assignment) {
	size := map[string]int{}
	for _, a := range as {
		size[a.PersonID]++
	}
	checked := 0
	for pid, n := range size {
		p, err := e.Person(pid)
		if err != nil {
			t.Fatal(err)
		}
		if p.ID != pid || len(p.Records) != n {
			t.Fatalf("person %s: got %s with %d records, want %d", pid, p.ID, len(p.Records), n)
		}
		links, err := e.Links(pid, nil)
		if err != nil {
			t.Fatal(err)
		}
		if len(links) != n-1 {
			t.Fatalf("person %s of %d records: %d links, want %d", pid, n, len(links), n-1)
		}
		joined := map[resindex.RecordKey]bool{}
		for _, l := range links {
			joined[l.A], joined[l.B] = true, true
			if len(l.Terms) == 0 || l.Decision == "" {
				t.Fatalf("person %s: link %s–%s without terms or decision", pid, l.A, l.B)
			}
		}
		if n > 1 && len(joined) != n {
			t.Fatalf("person %s: links touch %d of %d records", pid, len(joined), n)
		}
		if n >= 3 { // among some of the records: only those, all joined
			p, _ := e.Person(pid)
			some := []resindex.RecordKey{p.Records[0].Key(), p.Records[2].Key()}
			sub, err := e.Links(pid, some)
			if err != nil || len(sub) != 1 || !slices.Contains(some, sub[0].A) || !slices.Contains(some, sub[0].B) {
				t.Fatalf("person %s, links among %v: %+v, %v", pid, some, sub, err)
			}
		}
		if checked++; checked > 200 {
			break
		}
	}
	if _, err := e.Person("P9999999999"); !errors.Is(err, resindex.ErrNotFound) {
		t.Errorf("missing person: err = %v", err)
	}
	if _, err := e.Links("P9999999999", nil); !errors.Is(err, resindex.ErrNotFound) {
		t.Errorf("links of a missing person: err = %v", err)
	}
}

func checkQueue(t *testing.T, e *resolver.Engine) {
	var all []resindex.Candidate
	cursor := ""
	for pages := 0; ; pages++ {
		page, next, err := e.Candidates(cursor, 7)
		if err != nil {
			t.Fatal(err)
		}
		if len(page) > 7 || (next != "" && len(page) != 7) {
			t.Fatalf("page of %d with next %q", len(page), next)
		}
		all = append(all, page...)
		if next == "" {
			break
		}
		cursor = next
	}
	if len(all) == 0 {
		t.Fatal("review queue is empty for a borough with near matches")
	}
	seen := map[[2]resindex.RecordKey]bool{}
	for _, c := range all {
		if c.PersonA == c.PersonB || c.Decision != matcher.DecisionReview {
			t.Fatalf("candidate %s–%s: persons %s, %s, decision %s", c.A, c.B, c.PersonA, c.PersonB, c.Decision)
		}
		if seen[[2]resindex.RecordKey{c.A, c.B}] {
			t.Fatalf("candidate %s–%s listed twice", c.A, c.B)
		}
		seen[[2]resindex.RecordKey{c.A, c.B}] = true
	}
	// A steward's decision takes the pair off the queue.
	c := all[0]
	if err := e.SetOverride(c.A, c.B, resolver.Override{Kind: resolver.OverrideUnlink, Reason: "different people"}, resindex.Position{Stream: "override", Offset: 1}); err != nil {
		t.Fatal(err)
	}
	after, _, err := e.Candidates("", len(all)+1)
	if err != nil {
		t.Fatal(err)
	}
	if len(after) != len(all)-1 {
		t.Errorf("after an override: %d candidates, want %d", len(after), len(all)-1)
	}
}

// TestOverridesAtOnce: stewards deciding pairs at the same moment lose
// none of their decisions.
func TestOverridesAtOnce(t *testing.T) {
	_, eng, persons := loadedBorough(t, 300, 9)
	byPerson := map[string][]resindex.RecordKey{}
	for k, pid := range persons {
		byPerson[pid] = append(byPerson[pid], k)
	}
	var pairs [][2]resindex.RecordKey // two records of one person each
	for _, ks := range byPerson {
		if len(ks) >= 2 && len(pairs) < 40 {
			pairs = append(pairs, [2]resindex.RecordKey{ks[0], ks[1]})
		}
	}
	var wg sync.WaitGroup
	for _, p := range pairs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := eng.Override(p[0], p[1], resolver.OverrideUnlink, "checked"); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	for _, p := range pairs {
		pa, _ := eng.PersonOf(p[0])
		pb, _ := eng.PersonOf(p[1])
		if pa == pb {
			t.Errorf("%s and %s: unlinked at once with others, still one person", p[0], p[1])
		}
	}
}
