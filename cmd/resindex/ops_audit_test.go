package main

import (
	"context"
	"log/slog"
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/resindex/resindex"
	"github.com/resindex/resindex/layout"
	"github.com/resindex/resindex/store"
)

// TestAuditWatch: the watch reports an intact chain as 1 and a broken
// one as 0, logging the break at error level with the first entry at
// fault and nothing of any entry's content; with checks off it reports
// nothing.
func TestAuditWatch(t *testing.T) {
	db, err := store.Open(store.Options{Dir: t.TempDir(), GCInterval: -1})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for range 5 {
		if _, err := db.AppendAudit([]byte(`{"user":"jo","what":"search family=Oyelaran"}`)); err != nil {
			t.Fatal(err)
		}
	}
	var logged lockedBuffer
	log := slog.New(slog.NewTextHandler(&logged, &slog.HandlerOptions{Level: slog.LevelInfo}))
	off := &auditWatch{}
	off.start(context.Background(), db, 0, log)()
	if n := testutil.CollectAndCount(off); n != 0 {
		t.Errorf("checks off, yet %d series", n)
	}
	a := &auditWatch{}
	a.start(context.Background(), db, 1<<40, log)() // the first check runs at once; stop waits for it
	if v := chainOK(t, a); v != 1 {
		t.Errorf("intact chain: resindex_audit_chain_ok %v", v)
	}
	err = db.Update(func(tx resindex.Txn) error {
		v, err := tx.Get(layout.Audit(3))
		if err != nil {
			return err
		}
		return tx.Set(layout.Audit(3), append(v[:32:32], []byte(`{"user":"someone else","what":"Oyelaran"}`)...))
	})
	if err != nil {
		t.Fatal(err)
	}
	a.verify(db, log)
	if v := chainOK(t, a); v != 0 {
		t.Errorf("broken chain: resindex_audit_chain_ok %v", v)
	}
	out := logged.String()
	if !strings.Contains(out, "level=ERROR") || !strings.Contains(out, "entry=3") || strings.Contains(out, "Oyelaran") || strings.Contains(out, "someone") {
		t.Errorf("the break logged as:\n%s", out)
	}
}

func chainOK(t *testing.T, a *auditWatch) float64 {
	t.Helper()
	reg := prometheus.NewRegistry()
	reg.MustRegister(a)
	mfs, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, mf := range mfs {
		if mf.GetName() == "resindex_audit_chain_ok" {
			return mf.GetMetric()[0].GetGauge().GetValue()
		}
	}
	t.Fatal("no resindex_audit_chain_ok")
	return 0
}
