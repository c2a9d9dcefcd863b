package kafka

import "context"

// PublishNotices runs one pass of a notice publisher, for tests of what
// a failed pass leaves behind.
func PublishNotices(ctx context.Context, p *NoticePublisher) (int, error) { return p.publish(ctx) }

// NoticeCursor names a notice publisher's cursor, for tests that wait on
// it.
func NoticeCursor(p *NoticePublisher) string { return p.cursor() }
