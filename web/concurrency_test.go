package web_test

import (
	"net/http"
	"net/url"
	"sync"
	"testing"

	"github.com/resindex/resindex"
	"github.com/resindex/resindex/web"
)

// TestSearchWhileChanging: staff search through the API while the
// engine applies changes (as serve does with Kafka and the API at once);
// every search answers, and the audit log still verifies.
func TestSearchWhileChanging(t *testing.T) {
	b, err := loadBorough(300, 4)
	if err != nil {
		t.Fatal(err)
	}
	defer b.db.Close()
	s := serverOn(t, b, web.Config{})
	tok := s.tokens["frontline"]

	var recs []resindex.Record
	for _, p := range b.persons {
		recs = append(recs, p.Records...)
	}
	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() { // every record changes: a new version with a later activity
		defer wg.Done()
		for i, r := range recs {
			r.Version, r.LastActivity = "2026-11-02T00:00:00Z", "2026-11-02"
			if _, err := b.eng.Apply(r, resindex.Position{Stream: "changes", Offset: int64(i + 1)}); err != nil {
				t.Error(err)
				return
			}
		}
		close(stop)
	}()
	for w := range 3 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := w; ; i += 3 {
				select {
				case <-stop:
					return
				default:
				}
				r := recs[i%len(recs)]
				q := url.Values{"family": {r.Name.Family}, "given": {r.Name.Given}}
				req, _ := http.NewRequest("GET", s.url+"/api/v1/persons?"+q.Encode(), nil)
				req.Header.Set("Authorization", "Bearer "+tok)
				resp, err := http.DefaultClient.Do(req)
				if err != nil {
					t.Error(err)
					return
				}
				resp.Body.Close()
				if resp.StatusCode != 200 {
					t.Errorf("search during changes: status %d", resp.StatusCode)
					return
				}
			}
		}()
	}
	wg.Wait()
	if n, err := b.db.VerifyAudit(); err != nil || n == 0 {
		t.Fatalf("audit after concurrent searches: %d entries, %v", n, err)
	}
}
