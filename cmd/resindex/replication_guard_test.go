package main

import (
	"bytes"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"

	"github.com/resindex/resindex/store"
)

// TestReplicationRefusalsLimitedAndLoggedOnce: an address guessing the
// secret is refused with 429 after guardMax tries (even with the right
// one, until the window passes) while other addresses are served, and
// the refusals make one warning, not one each.
func TestReplicationRefusalsLimitedAndLoggedOnce(t *testing.T) {
	db, err := store.Open(store.Options{Dir: filepath.Join(t.TempDir(), "w"), GCInterval: -1})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var logs bytes.Buffer
	secret := strings.Repeat("s", 32)
	h := replicationHandler(db, []byte(secret), slog.New(slog.NewTextHandler(&logs, nil)))
	call := func(remote, tok string) int {
		req := httptest.NewRequest(http.MethodGet, replicationPath+"?since=0", nil)
		req.RemoteAddr = remote
		req.Header.Set("Authorization", "Bearer "+tok)
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		return rec.Code
	}
	codes := map[int]int{}
	for i := range 50 {
		codes[call("198.51.100.7:"+string(rune('0'+i%10))+"000", "guess")]++
	}
	if codes[http.StatusUnauthorized] != guardMax || codes[http.StatusTooManyRequests] != 50-guardMax {
		t.Errorf("50 guesses from one address: %v, want %d refused for the secret then 429", codes, guardMax)
	}
	if code := call("198.51.100.7:4000", secret); code != http.StatusTooManyRequests {
		t.Errorf("the right secret from a blocked address: %d", code)
	}
	if code := call("203.0.113.9:5000", secret); code != http.StatusOK {
		t.Errorf("the right secret from another address: %d", code)
	}
	if n := strings.Count(logs.String(), "level=WARN"); n != 1 {
		t.Errorf("%d warnings for 51 refusals, want 1:\n%s", n, logs.String())
	}
}
