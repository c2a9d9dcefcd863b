package alerts_test

import (
	"testing"
	"time"

	"github.com/resindex/resindex"
	"github.com/resindex/resindex/access"
	"github.com/resindex/resindex/alerts"
	"github.com/resindex/resindex/resolver"
	"github.com/resindex/resindex/store"
)

// rightsBorough is a borough whose rule asks the store who is restricted,
// as a server's does (access.RestrictedIn).
func rightsBorough(t *testing.T) *borough {
	db, err := store.Open(store.Options{Dir: t.TempDir(), GCInterval: -1})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	rule := alerts.NewRule(resolver.InTxn{}, alerts.Options{Now: func() time.Time { return now }, Restricted: access.RestrictedIn})
	eng, err := resolver.NewEngine(db, resolver.EngineOptions{Population: 100, Watcher: rule})
	if err != nil {
		t.Fatal(err)
	}
	return &borough{t: t, db: db, eng: eng}
}

// setRight records (m) or ends (nil) a right on the person holding a record.
func (b *borough) setRight(k resindex.RecordKey, right string, m *access.Mark) {
	b.t.Helper()
	pid, ok := b.eng.PersonOf(k)
	if !ok {
		b.t.Fatalf("no person holds %v", k)
	}
	err := b.db.Update(func(t resindex.Txn) error {
		_, err := access.SetRight(t, pid, right, m)
		return err
	})
	if err != nil {
		b.t.Fatal(err)
	}
}

var asked = &access.Mark{At: now, By: "ig", Role: "information_governance", Reason: "the resident asked"}

// TestRestrictedRaiseNoAlerts: a restricted adult joining a household
// with a child known to children's services raises nothing, nor does an
// adult joining a restricted child; released, the same move raises one.
func TestRestrictedRaiseNoAlerts(t *testing.T) {
	kidKey := resindex.RecordKey{Source: "children_social_care", ID: "CS1"}
	for _, tc := range []struct {
		name     string
		restrict func(b *borough)
		release  bool
		want     int
	}{
		{"restricted adult", func(b *borough) {
			b.apply(dave(away, "2019-01-01", "2025-01-01"))
			b.setRight(daveKey, access.RightRestriction, asked)
		}, false, 0},
		{"restricted child", func(b *borough) { b.setRight(kidKey, access.RightRestriction, asked) }, false, 0},
		{"objecting adult (alerts are not profiling)", func(b *borough) {
			b.apply(dave(away, "2019-01-01", "2025-01-01"))
			b.setRight(daveKey, access.RightObjection, asked)
		}, false, 1},
		{"released adult", func(b *borough) {
			b.apply(dave(away, "2019-01-01", "2025-01-01"))
			b.setRight(daveKey, access.RightRestriction, asked)
		}, true, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b := rightsBorough(t)
			family(b)
			tc.restrict(b)
			if tc.release {
				b.setRight(daveKey, access.RightRestriction, nil)
			}
			b.apply(newAdult())
			if got := b.alerts(); len(got) != tc.want {
				t.Errorf("alerts = %d; want %d", len(got), tc.want)
			}
		})
	}
}

var daveKey = resindex.RecordKey{Source: "electoral_roll", ID: "ER7"}
