package access_test

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/resindex/resindex"
	"github.com/resindex/resindex/access"
)

// redactingLog is a memLog that can redact entries (as the store can).
type redactingLog struct{ *memLog }

func (l redactingLog) RedactAudit(fn func(seq uint64, payload []byte) ([]byte, bool, error)) (int, int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	n := 0
	for i, p := range l.entries {
		out, ok, err := fn(uint64(i+1), p)
		if err != nil {
			return 0, 0, err
		}
		if ok {
			l.entries[i], n = out, n+1
		}
	}
	return n, 0, nil
}

// fakeEraser records what it is asked to erase and compact.
type fakeEraser struct {
	erased    []string
	compacted int
	err       error
	nothing   bool // fail before removing anything
}

func (f *fakeEraser) Erase(pid string) (access.Erasure, error) {
	f.erased = append(f.erased, pid)
	if f.nothing {
		return access.Erasure{}, f.err
	}
	return access.Erasure{Records: map[string]int{srcCT: 1, srcER: 1}}, f.err
}

func (f *fakeEraser) Compact() error { f.compacted++; return nil }

func eraseEnv(t *testing.T, persons ...resindex.Person) (*access.Service, *memLog, *fakeEraser) {
	t.Helper()
	pol, err := access.Default()
	if err != nil {
		t.Fatal(err)
	}
	log, er := &memLog{}, &fakeEraser{}
	svc, err := access.New(pol, newFakeIndex(persons...), &fakeOverrider{}, redactingLog{log},
		access.Options{Key: testKey, Now: func() time.Time { return testNow }, Eraser: er})
	if err != nil {
		t.Fatal(err)
	}
	return svc, log, er
}

func annLee() resindex.Person {
	ct := rec(srcCT, "CT1", func(r *resindex.Record) { r.Identifiers = map[string]string{"nino": "JG103759A"} })
	return resindex.Person{ID: "P0000000007", Records: []resindex.Record{ct, rec(srcER, "ER1")}}
}

// TestEraseRefusals: bad input and roles without the rights ability are
// refused, each audited with its outcome, and nothing is erased.
func TestEraseRefusals(t *testing.T) {
	p := annLee()
	for _, c := range []struct {
		name, role, ref, reason string
		want                    error
		outcome                 string
	}{
		{"frontline", "frontline", "", "Art. 17", resindex.ErrForbidden, "denied"},
		{"safeguarding", "safeguarding", "", "Art. 17", resindex.ErrForbidden, "denied"},
		{"admin", "admin", "", "Art. 17", resindex.ErrForbidden, "denied"},
		{"unknown role", "nobody", "", "Art. 17", resindex.ErrForbidden, "denied"},
		{"empty reason", "information_governance", "", "", resindex.ErrInvalid, "bad_request"},
		{"blank reason", "information_governance", "", "  \t", resindex.ErrInvalid, "bad_request"},
		{"unknown reference", "information_governance", "AAAAAAAAAAAAAAAAAAAAAA", "Art. 17", resindex.ErrNotFound, "not_found"},
		{"the index's ID", "information_governance", p.ID, "Art. 17", resindex.ErrNotFound, "not_found"},
		{"empty reference", "information_governance", "-", "Art. 17", resindex.ErrNotFound, "not_found"},
	} {
		t.Run(c.name, func(t *testing.T) {
			svc, log, er := eraseEnv(t, p)
			ref := c.ref
			switch ref {
			case "":
				ref = svc.Ref(p.ID)
			case "-":
				ref = ""
			}
			_, err := svc.Erase(as(c.role), ref, c.reason)
			if !errors.Is(err, c.want) {
				t.Fatalf("got %v, want %v", err, c.want)
			}
			var in *access.InputError
			if errors.As(err, &in) && in.Field != "reason" {
				t.Fatalf("the error names %q, want reason", in.Field)
			}
			if e := log.last(t); e.Action != "erase" || e.Outcome != c.outcome {
				t.Fatalf("audit entry %+v, want erase %s", e, c.outcome)
			}
			if len(er.erased) != 0 || er.compacted != 0 {
				t.Fatalf("erased %v, compacted %d", er.erased, er.compacted)
			}
		})
	}
}

// TestEraseRedactsTheAuditLog: an erasure erases and compacts, records
// counts and no value, and takes the person's details out of the earlier
// entries that name them or quote a distinctive value of theirs, leaving
// the rest; a reason quoting their details is not kept.
func TestEraseRedactsTheAuditLog(t *testing.T) {
	p := annLee()
	svc, log, er := eraseEnv(t, p)
	for _, e := range []access.AuditEntry{
		{User: "u1", Action: "search", Query: "given=Ann family=Lee", Persons: []string{p.ID}, Outcome: "ok"},
		{User: "u2", Action: "search", Query: "id.nino=JG103759A", Outcome: "ok"},
		{User: "u3", Action: "view", Query: "person x", Reason: "call from Ann Lee", Persons: []string{p.ID}, Outcome: "ok"},
		{User: "u4", Action: "search", Query: "given=Bob family=Lee", Persons: []string{"P0000000008"}, Outcome: "ok"},
	} {
		if err := access.Record(log, e); err != nil {
			t.Fatal(err)
		}
	}
	out, err := svc.Erase(as("information_governance"), svc.Ref(p.ID), "request 12 from Ann Lee")
	if err != nil {
		t.Fatal(err)
	}
	if len(er.erased) != 1 || er.erased[0] != p.ID || er.compacted != 1 || out.AuditRedacted != 3 {
		t.Fatalf("erased %v, compacted %d, %+v", er.erased, er.compacted, out)
	}
	var got []access.AuditEntry
	for _, raw := range log.entries {
		var e access.AuditEntry
		if err := json.Unmarshal(raw, &e); err != nil {
			t.Fatal(err)
		}
		got = append(got, e)
	}
	for i, want := range []struct {
		query, reason string
		redacted      bool
	}{
		{"(erased)", "", true}, {"(erased)", "", true}, {"(erased)", "(erased)", true}, {"given=Bob family=Lee", "", false},
	} {
		if e := got[i]; e.Query != want.query || e.Reason != want.reason || e.Redacted != want.redacted {
			t.Errorf("entry %d after the erasure: %+v, want query %q reason %q redacted %v", i+1, e, want.query, want.reason, want.redacted)
		}
	}
	last := got[len(got)-1]
	if last.Action != "erase" || last.Outcome != "ok" || len(last.Persons) != 1 || last.Persons[0] != p.ID ||
		!strings.Contains(last.Query, "council_tax=1") || strings.Contains(strings.ToLower(last.Reason+last.Query), "ann") {
		t.Fatalf("the erasure's entry: %+v", last)
	}
}

// TestEraseFailure: an eraser's failure is audited as an error; the store
// is compacted if the erasure removed anything before it failed (what went
// must leave the files), and not if it removed nothing.
func TestEraseFailure(t *testing.T) {
	for _, c := range []struct {
		name      string
		nothing   bool
		compacted int
	}{{"after removing records", false, 1}, {"before removing anything", true, 0}} {
		p := annLee()
		svc, log, er := eraseEnv(t, p)
		er.err, er.nothing = errors.New("disk full"), c.nothing
		if _, err := svc.Erase(as("information_governance"), svc.Ref(p.ID), "Art. 17"); err == nil {
			t.Fatalf("%s: no error", c.name)
		}
		if e := log.last(t); e.Outcome != "error" || er.compacted != c.compacted {
			t.Errorf("%s: audit %+v, compacted %d, want %d", c.name, e, er.compacted, c.compacted)
		}
	}
}
