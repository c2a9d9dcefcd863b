package alerts_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/resindex/resindex"
	"github.com/resindex/resindex/alerts"
	"github.com/resindex/resindex/alerts/webhook"
	"github.com/resindex/resindex/store"
)

var secret = []byte("0123456789abcdef0123")

// raised stores one alert queued for the endpoint "social-care".
func raised(t *testing.T) (*store.DB, string) {
	db, err := store.Open(store.Options{Dir: t.TempDir(), GCInterval: -1})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	var id string
	err = db.Update(func(tx resindex.Txn) error {
		a := resindex.Alert{Kind: resindex.AlertNewAdult, Severity: resindex.SeverityHigh, UPRN: "100021000001"}
		id, err = alerts.Raise(tx, &a, now, []string{"social-care"})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return db, id
}

func TestDeliveries(t *testing.T) {
	cases := []struct {
		name      string
		status    int
		attempts  int    // Once calls
		want      string // delivery status after them
		tries     int
		configure bool
	}{
		{"delivered", 200, 1, alerts.DeliveryDelivered, 1, true},
		{"retried, then a dead letter", 503, 3, alerts.DeliveryFailed, 3, true},
		{"refused for good", 400, 1, alerts.DeliveryFailed, 1, true},
		{"endpoint no longer configured", 200, 1, alerts.DeliveryFailed, 1, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			db, id := raised(t)
			var hits atomic.Int32
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				hits.Add(1)
				body, _ := io.ReadAll(r.Body)
				if err := webhook.Verify(secret, body, r.Header.Get(webhook.SignatureHeader), time.Now(), 0); err != nil {
					t.Errorf("signature: %v", err)
				}
				if r.Header.Get(webhook.DeliveryHeader) != id+".social-care" {
					t.Errorf("delivery id %q", r.Header.Get(webhook.DeliveryHeader))
				}
				w.WriteHeader(c.status)
			}))
			defer srv.Close()
			clock := now
			reg := prometheus.NewRegistry()
			d := &alerts.Deliverer{Store: db, MaxAttempts: 3, Base: time.Second, Max: time.Minute,
				Now: func() time.Time { return clock }, Metrics: alerts.NewMetrics(reg, db)}
			if c.configure {
				d.Endpoints = []webhook.Endpoint{{Name: "social-care", URL: srv.URL, Secret: secret}}
			}
			for i := 0; i < c.attempts; i++ {
				if _, err := d.Once(context.Background()); err != nil {
					t.Fatal(err)
				}
				clock = clock.Add(2 * time.Hour) // past any backoff
			}
			a, err := alerts.Get(db, id)
			if err != nil {
				t.Fatal(err)
			}
			del := a.Deliveries[0]
			if del.Status != c.want || del.Attempts != c.tries {
				t.Fatalf("delivery = %+v; want %s after %d attempts", del, c.want, c.tries)
			}
			if c.want == alerts.DeliveryFailed && del.Error == "" {
				t.Errorf("a dead letter without its error")
			}
			// Done or given up: nothing more is tried.
			before := hits.Load()
			d.Once(context.Background())
			if hits.Load() != before {
				t.Errorf("a finished delivery was tried again")
			}
			outcome := "delivered"
			if c.want == alerts.DeliveryFailed {
				outcome = "failed"
			}
			if n := testutil.ToFloat64(d.Metrics.Deliveries("social-care", outcome)); n != 1 {
				t.Errorf("deliveries counted %s: %v, want 1", outcome, n)
			}
		})
	}
}

// TestDeliveryWaitsForItsTime: a delivery that failed is not tried again
// before its backoff is over.
func TestDeliveryWaitsForItsTime(t *testing.T) {
	db, id := raised(t)
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		w.WriteHeader(500)
	}))
	defer srv.Close()
	d := &alerts.Deliverer{Store: db, Now: func() time.Time { return now }, Base: time.Minute,
		Endpoints: []webhook.Endpoint{{Name: "social-care", URL: srv.URL, Secret: secret}}}
	d.Once(context.Background())
	d.Once(context.Background())
	a, _ := alerts.Get(db, id)
	if hits.Load() != 1 || a.Deliveries[0].Status != alerts.DeliveryPending || !a.Deliveries[0].Next.After(now) {
		t.Fatalf("hits %d, delivery %+v; want one try and a next time after now", hits.Load(), a.Deliveries[0])
	}
}

// TestRaiseTriedAgain: a transaction tried again raises the same alert
// value afresh, without queueing its deliveries twice.
func TestRaiseTriedAgain(t *testing.T) {
	db, _ := raised(t)
	a := resindex.Alert{Kind: resindex.AlertChildLookedUp}
	for i := 0; i < 2; i++ {
		if err := db.Update(func(tx resindex.Txn) error { _, err := alerts.Raise(tx, &a, now, []string{"social-care"}); return err }); err != nil {
			t.Fatal(err)
		}
	}
	if len(a.Deliveries) != 1 {
		t.Fatalf("deliveries = %+v; want one", a.Deliveries)
	}
}
