package access_test

import (
	"encoding/base64"
	"errors"
	"testing"

	"github.com/resindex/resindex"
	"github.com/resindex/resindex/access"
)

// FuzzPersonRef feeds arbitrary person references and page tokens to the
// calls that take them: nothing panics, a reference is found or not found
// (never anything else), and a token is good or an input error naming
// page_token.
func FuzzPersonRef(f *testing.F) {
	adult := inHousehold("H", person(1, rec(srcCT, "C1"), rec(srcER, "E1")))
	child := inHousehold("H", person(2, rec(srcSchl, "S2", dob("2015-01-01"))))
	vip := person(3, rec(srcCT, "C3", flags(resindex.FlagVIP)))
	e := newEnv(f, mustDefault(f), adult, child, vip)
	e.idx.hits = []resindex.Hit{{PersonID: pid(1), Weight: 12}, {PersonID: pid(2), Weight: 11}, {PersonID: pid(3), Weight: 10}}
	e.idx.links[pid(1)] = []resindex.Link{{A: adult.Records[0].Key(), B: adult.Records[1].Key(), Weight: 12}}
	tok := func(s string) string { return base64.RawURLEncoding.EncodeToString([]byte(s)) }
	for _, seed := range []struct{ ref, token string }{
		{e.svc.Ref(pid(1)), ""}, {e.svc.Ref(pid(2)), tok("o:1")}, {e.svc.Ref(pid(3)), tok("o:500")},
		{e.svc.Ref(pid(4)), tok("o:501")}, {"", "o:1"}, {"garbage", "%%%"}, {pid(1), tok("o:-1")},
		{e.svc.Ref(pid(1))[:21] + "B", "1"}, {string(make([]byte, 16)), tok("o:")},
	} {
		f.Add(seed.ref, seed.token)
	}
	found := func(err error) bool { return err == nil || errors.Is(err, resindex.ErrNotFound) }
	badToken := func(err error) bool {
		var in *access.InputError
		return err == nil || errors.As(err, &in) && in.Field == "page_token"
	}
	f.Fuzz(func(t *testing.T, ref, token string) {
		e.log.mu.Lock()
		e.log.entries = nil // each run reads only its own log
		e.log.mu.Unlock()
		v, err := e.svc.Person(as("frontline"), ref, "")
		if !found(err) || (err == nil) != (v.Ref != "") {
			t.Fatalf("person %q: %+v, %v", ref, v, err)
		}
		if err == nil && v.Ref != e.svc.Ref(pid(1)) {
			t.Fatalf("person %q: frontline sees %s", ref, v.Ref)
		}
		if _, err := e.svc.Person(as("safeguarding"), ref, token); !found(err) && !errors.Is(err, access.ErrReasonRequired) {
			t.Fatalf("person %q for safeguarding: %v", ref, err)
		}
		if _, err := e.svc.Household(as("frontline"), ref, ""); !found(err) {
			t.Fatalf("household %q: %v", ref, err)
		}
		if _, err := e.svc.Explain(as("safeguarding"), ref, "fuzz"); !found(err) {
			t.Fatalf("explain %q: %v", ref, err)
		}
		if _, err := e.svc.Export(as("safeguarding"), []string{ref, token}, "fuzz"); err != nil {
			t.Fatalf("export %q: %v", ref, err)
		}
		pg, err := e.svc.Search(as("frontline"), leeQuery, access.Page{Token: token}, "")
		if !badToken(err) {
			t.Fatalf("search, token %q: %v", token, err)
		}
		for _, r := range pg.Results {
			if r.Ref != e.svc.Ref(pid(1)) {
				t.Fatalf("search, token %q: frontline sees %s", token, r.Ref)
			}
		}
		if _, err := e.svc.Review(as("data_steward"), access.Page{Token: token}); !badToken(err) {
			t.Fatalf("review, token %q: %v", token, err)
		}
		if _, err := e.svc.Audit(as("auditor"), access.AuditFilter{Person: ref}, access.Page{Token: token}); !badToken(err) {
			t.Fatalf("audit, token %q: %v", token, err)
		}
		if n := e.log.len(); n != 8 {
			t.Fatalf("%d audit entries for 8 calls", n)
		}
	})
}

// FuzzNormaliseDOB: any text is a date of birth in the index's form, which
// reads back as itself, or the one input error on dob, which quotes
// nothing of it.
func FuzzNormaliseDOB(f *testing.F) {
	for _, s := range []string{"06/05/1980", "6/5/1980", "1980-05-06", "1980-05", "1980", "31/02/1980", "", "0/0/0000", "99/99/9999"} {
		f.Add(s)
	}
	_, bad := access.NormaliseDOB("not a date")
	f.Fuzz(func(t *testing.T, s string) {
		got, err := access.NormaliseDOB(s)
		if err != nil {
			if err.Error() != bad.Error() || inputField(err) != "dob" {
				t.Fatalf("%q: %v", s, err)
			}
			return
		}
		if again, err := access.NormaliseDOB(got); err != nil || again != got {
			t.Fatalf("%q gave %q, which reads as %q, %v", s, got, again, err)
		}
		if _, err := resindex.ParsePartialDate(got); err != nil {
			t.Fatalf("%q gave %q, not a partial date: %v", s, got, err)
		}
	})
}
