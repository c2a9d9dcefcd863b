package alerts

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"time"

	"github.com/resindex/resindex"
	"github.com/resindex/resindex/alerts/webhook"
	"github.com/resindex/resindex/layout"
)

// Deliverer sends raised alerts to the configured webhooks: each pending
// delivery (queued with the alert, in its transaction) is tried until it
// is delivered or, after MaxAttempts or a permanent refusal, left as a
// dead letter (status failed, with the last error) on the alert, where
// the inbox shows it.
type Deliverer struct {
	Store     Store
	Endpoints []webhook.Endpoint
	Sender    *webhook.Sender
	// MaxAttempts before a delivery is given up (default 8); Base and
	// Max bound the backoff between attempts (defaults 5 s and 1 h).
	MaxAttempts int
	Base, Max   time.Duration
	// Interval between looks for deliveries due (default 1 s).
	Interval time.Duration
	Now      func() time.Time
	Logger   *slog.Logger
	Metrics  *Metrics
}

func (d *Deliverer) defaults() {
	if d.MaxAttempts <= 0 {
		d.MaxAttempts = 8
	}
	if d.Interval <= 0 {
		d.Interval = time.Second
	}
	if d.Now == nil {
		d.Now = time.Now
	}
	if d.Logger == nil {
		d.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	if d.Sender == nil {
		d.Sender = &webhook.Sender{}
	}
}

// Run delivers until ctx ends.
func (d *Deliverer) Run(ctx context.Context) error {
	d.defaults()
	for ctx.Err() == nil {
		if _, err := d.Once(ctx); err != nil && ctx.Err() == nil {
			d.Logger.Error("alerts: webhook deliveries failed; trying again", "err", err)
		}
		t := time.NewTimer(d.Interval)
		select {
		case <-ctx.Done():
		case <-t.C:
		}
		t.Stop()
	}
	return nil
}

// pending is one delivery still to make.
type pending struct{ alert, endpoint string }

// Once makes every delivery that is due and says how many it tried.
func (d *Deliverer) Once(ctx context.Context) (int, error) {
	d.defaults()
	var due []pending
	err := d.Store.View(func(t resindex.Txn) error {
		return t.ScanKeys([]byte(layout.DeliveryPrefix), func(k []byte) error {
			if a, e, ok := layout.ParseDelivery(k); ok {
				due = append(due, pending{a, e})
			}
			return nil
		})
	})
	if err != nil {
		return 0, fmt.Errorf("alerts: read pending deliveries: %w", err)
	}
	tried := 0
	for _, p := range due {
		if ctx.Err() != nil {
			break
		}
		ok, err := d.deliver(ctx, p)
		if err != nil {
			return tried, err
		}
		if ok {
			tried++
		}
	}
	return tried, nil
}

// deliver makes one attempt at a pending delivery if it is due, and
// records what came of it; false when it was not due.
func (d *Deliverer) deliver(ctx context.Context, p pending) (bool, error) {
	a, err := Get(d.Store, p.alert)
	if errors.Is(err, resindex.ErrNotFound) {
		return false, d.Store.Update(func(t resindex.Txn) error { return t.Delete(layout.Delivery(p.alert, p.endpoint)) })
	}
	if err != nil {
		return false, err
	}
	i := deliveryIndex(&a, p.endpoint)
	if i < 0 || a.Deliveries[i].Status != DeliveryPending {
		return false, d.Store.Update(func(t resindex.Txn) error { return t.Delete(layout.Delivery(p.alert, p.endpoint)) })
	}
	if a.Deliveries[i].Next.After(d.Now()) {
		return false, nil
	}
	ep, known := d.endpoint(p.endpoint)
	var res webhook.Result
	if known {
		body, err := json.Marshal(a)
		if err != nil {
			return false, err
		}
		res = d.Sender.Send(ctx, ep, a.ID+"."+p.endpoint, body)
	} else {
		res = webhook.Result{Err: fmt.Errorf("webhook %q is no longer configured", p.endpoint)}
	}
	if ctx.Err() != nil && res.Err != nil {
		return true, nil // shutting down: the delivery stays pending as it was
	}
	return true, d.record(p, res)
}

// record writes an attempt's outcome on the alert and, in the same
// transaction, ends the pending delivery when it succeeded or was given
// up: a crash between the two can neither send it again nor try a dead
// letter once more.
func (d *Deliverer) record(p pending, res webhook.Result) error {
	var outcome string
	err := d.Store.Update(func(t resindex.Txn) error {
		outcome = "" // afresh if the transaction is tried again
		a, err := load(t, p.alert)
		if err != nil {
			return err
		}
		i := deliveryIndex(&a, p.endpoint)
		if i < 0 || a.Deliveries[i].Status != DeliveryPending {
			return t.Delete(layout.Delivery(p.alert, p.endpoint))
		}
		outcome = attempted(&a.Deliveries[i], res, d.Now(), d.MaxAttempts, d.Base, d.Max)
		if err := save(t, &a); err != nil {
			return err
		}
		if outcome == "retry" {
			return nil
		}
		return t.Delete(layout.Delivery(p.alert, p.endpoint))
	})
	if err != nil {
		return fmt.Errorf("alerts: record a delivery of %s: %w", p.alert, err)
	}
	if outcome != "" {
		d.Metrics.delivered(p.endpoint, outcome)
	}
	if outcome == DeliveryFailed {
		d.Logger.Warn("alerts: webhook delivery given up: a dead letter on the alert", "alert", p.alert, "endpoint", p.endpoint, "err", res.Err)
	}
	return nil
}

// attempted records one attempt on a delivery and says what came of it:
// delivered, failed (given up) or retry.
func attempted(del *resindex.Delivery, res webhook.Result, now time.Time, maxAttempts int, base, maxWait time.Duration) string {
	del.Attempts++
	switch {
	case res.Err == nil:
		del.Status, del.Error, del.Next = DeliveryDelivered, "", time.Time{}
		return DeliveryDelivered
	case !res.Retry || del.Attempts >= maxAttempts:
		del.Status, del.Error, del.Next = DeliveryFailed, res.Err.Error(), time.Time{}
		return DeliveryFailed
	}
	del.Error, del.Next = res.Err.Error(), now.Add(max(res.After, webhook.Backoff(del.Attempts, base, maxWait, nil))).UTC()
	return "retry"
}

func (d *Deliverer) endpoint(name string) (webhook.Endpoint, bool) {
	for _, e := range d.Endpoints {
		if e.Name == name {
			return e, true
		}
	}
	return webhook.Endpoint{}, false
}

func deliveryIndex(a *resindex.Alert, endpoint string) int {
	for i := range a.Deliveries {
		if a.Deliveries[i].Endpoint == endpoint {
			return i
		}
	}
	return -1
}
