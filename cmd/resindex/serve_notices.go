package main

import (
	"context"
	"errors"
	"log/slog"

	"github.com/resindex/resindex"
	"github.com/resindex/resindex/access"
	"github.com/resindex/resindex/connectors/kafka"
	"github.com/resindex/resindex/store"
)

// startNotices publishes rectification notices to the notices topic
// (kafka.notices_topic; with kafka.notices_per_source, one topic for
// each source) until the returned stop is called; with no
// brokers, or the topic "none", it does nothing.
func startNotices(ctx context.Context, m *Main, log *slog.Logger) (func(), error) {
	k := &m.Config.Kafka
	if len(k.Brokers) == 0 || k.NoticesTopic == "none" {
		return func() {}, nil
	}
	conn, err := k.Connection()
	if err != nil {
		return nil, err
	}
	origin, err := m.DB.ID()
	if err != nil {
		return nil, err
	}
	p, err := kafka.NewNoticePublisher(kafka.NoticePublisherOptions{Connection: conn, Topic: k.NoticesTopic,
		PerSource: k.NoticesPerSource, Origin: origin, Logger: log},
		noticeFeed{m.DB})
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		p.Run(ctx)
	}()
	return func() { cancel(); <-done }, nil
}

// noticeFeed reads the store's notices for the publisher.
type noticeFeed struct{ *store.DB }

// errEnough ends a scan that has read its batch.
var errEnough = errors.New("enough notices for one batch")

// Notices calls fn for up to limit notices after a number, in order.
func (f noticeFeed) Notices(after uint64, limit int, fn func(n *resindex.Notice) error) error {
	read := 0
	err := f.View(func(t resindex.Txn) error {
		return access.ScanNotices(t, after, func(n *resindex.Notice) error {
			if read == limit {
				return errEnough
			}
			read++
			return fn(n)
		})
	})
	if errors.Is(err, errEnough) {
		return nil
	}
	return err
}
