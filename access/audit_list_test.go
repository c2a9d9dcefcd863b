package access_test

import (
	"bytes"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/resindex/resindex/access"
	"github.com/resindex/resindex/store"
)

func TestWriteEntries(t *testing.T) {
	db, err := store.Open(store.Options{Dir: t.TempDir(), GCInterval: -1})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	t0 := time.Date(2026, 11, 1, 9, 0, 0, 0, time.UTC)
	for _, e := range []access.AuditEntry{
		{At: t0, User: "ann", Role: "frontline", Action: "search", Query: "family=Lee", Persons: []string{"P1"}, Outcome: "ok"},
		{At: t0.Add(time.Hour), User: "bob", Role: "fraud", Action: "view", Persons: []string{"P2"}, Outcome: "denied"},
	} {
		if err := access.Record(db, e); err != nil {
			t.Fatal(err)
		}
	}
	tests := []struct {
		name string
		f    access.AuditFilter
		want string
	}{
		{"all", access.AuditFilter{}, `{"seq":1,"at":"2026-11-01T09:00:00Z","user":"ann","role":"frontline","action":"search","query":"family=Lee","persons":["P1"],"outcome":"ok"}
{"seq":2,"at":"2026-11-01T10:00:00Z","user":"bob","role":"fraud","action":"view","persons":["P2"],"outcome":"denied"}
`},
		{"by user", access.AuditFilter{User: "bob"}, `{"seq":2,"at":"2026-11-01T10:00:00Z","user":"bob","role":"fraud","action":"view","persons":["P2"],"outcome":"denied"}
`},
		{"by action", access.AuditFilter{Action: "search"}, `{"seq":1,"at":"2026-11-01T09:00:00Z","user":"ann","role":"frontline","action":"search","query":"family=Lee","persons":["P1"],"outcome":"ok"}
`},
		{"no such action", access.AuditFilter{Action: "export"}, ""},
		{"none", access.AuditFilter{Since: t0.Add(24 * time.Hour)}, ""},
	}
	for _, tt := range tests {
		var b bytes.Buffer
		if err := access.WriteEntries(&b, db, tt.f); err != nil || b.String() != tt.want {
			t.Errorf("%s: %v\n%s\nwant\n%s", tt.name, err, b.String(), tt.want)
		}
	}
	if err := access.WriteEntries(failingWriter{}, db, access.AuditFilter{}); err == nil || !strings.Contains(err.Error(), "full") {
		t.Errorf("a failing writer: %v", err)
	}
}

type failingWriter struct{}

func (failingWriter) Write([]byte) (int, error) { return 0, errors.New("disk full") }
