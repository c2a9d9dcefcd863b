package kafka

import (
	"context"
	"fmt"

	kafkago "github.com/segmentio/kafka-go"

	"github.com/resindex/resindex"
)

// alignGroup makes the store, not the group, the authority on where to
// read. The group starts each partition at its committed offset; where
// that is past what this store has handled (a new or restored store, or
// another deployment's group), the messages between would be missed. So
// before joining, such partitions are moved back to the store's position,
// or to their first offset when the store has none. Moving offsets needs
// the group to have no live members: if it has (resindex running
// elsewhere with the same group), Run refuses to start.
func (c *Consumer) alignGroup(ctx context.Context) error {
	ps, err := c.groupPositions(ctx)
	if err != nil {
		return err
	}
	reset, err := c.behindStore(ps)
	if err != nil || len(reset) == 0 {
		return err
	}
	c.log.Warn("kafka: the group has committed past what this store has applied; moving it back to the store's positions",
		"group", c.opts.GroupID, "topics", len(reset))
	return c.moveGroup(ctx, reset)
}

// behindStore lists the partitions whose committed offset is past the
// store's, with the offset to move each back to.
func (c *Consumer) behindStore(ps []partitionPosition) (map[string][]kafkago.OffsetCommit, error) {
	reset := map[string][]kafkago.OffsetCommit{}
	for _, p := range ps {
		if p.committed < 0 {
			continue // nothing committed: the reader starts at the first offset
		}
		last, seen, err := c.sink.Applied(StreamName(p.topic, p.partition))
		if err != nil {
			return nil, err
		}
		want := p.first
		if seen {
			want = last + 1
		}
		if p.committed > want {
			reset[p.topic] = append(reset[p.topic], kafkago.OffsetCommit{Partition: p.partition, Offset: want})
		}
	}
	return reset, nil
}

// ErrGroupBusy is a group that must be moved while it has live members.
var ErrGroupBusy = resindex.NewError(resindex.ErrConflict, "the consumer group has live members (is resindex serve running elsewhere with this group and another store?)")

func (c *Consumer) moveGroup(ctx context.Context, reset map[string][]kafkago.OffsetCommit) error {
	res, err := c.admin.OffsetCommit(ctx, &kafkago.OffsetCommitRequest{GroupID: c.opts.GroupID, GenerationID: -1, Topics: reset})
	if err != nil {
		return fmt.Errorf("kafka: move group %s back: %w", c.opts.GroupID, err)
	}
	for topic, ps := range res.Topics {
		for _, p := range ps {
			if p.Error != nil {
				return fmt.Errorf("kafka: move group %s back on %s/%d: %w: %w", c.opts.GroupID, topic, p.Partition, ErrGroupBusy, p.Error)
			}
		}
	}
	return nil
}
