package kafka

import (
	"context"
	"errors"
	"fmt"

	kafkago "github.com/segmentio/kafka-go"
)

// Lag returns how many messages on the consumer's topics its group has
// not yet committed: 0 when the index has caught up with every topic.
func (c *Consumer) Lag(ctx context.Context) (int64, error) {
	ps, err := c.groupPositions(ctx)
	if err != nil {
		return 0, err
	}
	var lag int64
	for _, p := range ps {
		from := p.committed
		if from < p.first {
			from = p.first // nothing committed: all of it is to come
		}
		lag += max(p.last-from, 0)
	}
	return lag, nil
}

// partitionPosition is where a partition's log starts and ends, and where
// the group has committed (-1: nothing).
type partitionPosition struct {
	topic                  string
	partition              int
	first, last, committed int64
}

// groupPositions gives every partition of the consumer's topics with the
// group's committed offset.
func (c *Consumer) groupPositions(ctx context.Context) ([]partitionPosition, error) {
	parts, err := partitions(ctx, c.admin, c.Topics())
	if err != nil {
		return nil, err
	}
	ends, err := endOffsets(ctx, c.admin, parts)
	if err != nil {
		return nil, err
	}
	res, err := c.admin.OffsetFetch(ctx, &kafkago.OffsetFetchRequest{GroupID: c.opts.GroupID, Topics: parts})
	if err == nil {
		err = res.Error
	}
	if errors.Is(err, kafkago.GroupIdNotFound) {
		res, err = &kafkago.OffsetFetchResponse{}, nil // a new group has committed nothing
	}
	if err != nil {
		return nil, fmt.Errorf("kafka: committed offsets of group %s: %w", c.opts.GroupID, err)
	}
	var out []partitionPosition
	for topic, ps := range ends {
		committed := map[int]int64{}
		for _, p := range res.Topics[topic] {
			committed[p.Partition] = p.CommittedOffset
		}
		for _, p := range ps {
			at, ok := committed[p.Partition]
			if !ok {
				at = -1
			}
			out = append(out, partitionPosition{topic: topic, partition: p.Partition, first: p.FirstOffset, last: p.LastOffset, committed: at})
		}
	}
	return out, nil
}

// partitions lists the partitions of each topic; a topic that does not
// exist yet has none.
func partitions(ctx context.Context, cl *kafkago.Client, topics []string) (map[string][]int, error) {
	md, err := cl.Metadata(ctx, &kafkago.MetadataRequest{Topics: topics})
	if err != nil {
		return nil, fmt.Errorf("kafka: metadata: %w", err)
	}
	out := map[string][]int{}
	for _, t := range md.Topics {
		if t.Error != nil {
			continue
		}
		for _, p := range t.Partitions {
			out[t.Name] = append(out[t.Name], p.ID)
		}
	}
	return out, nil
}

func endOffsets(ctx context.Context, cl *kafkago.Client, parts map[string][]int) (map[string][]kafkago.PartitionOffsets, error) {
	req := &kafkago.ListOffsetsRequest{Topics: map[string][]kafkago.OffsetRequest{}}
	for t, ps := range parts {
		for _, p := range ps {
			req.Topics[t] = append(req.Topics[t], kafkago.FirstOffsetOf(p), kafkago.LastOffsetOf(p))
		}
	}
	res, err := cl.ListOffsets(ctx, req)
	if err != nil {
		return nil, fmt.Errorf("kafka: end offsets: %w", err)
	}
	for t, ps := range res.Topics {
		for _, p := range ps {
			if p.Error != nil {
				return nil, fmt.Errorf("kafka: end offsets of %s/%d: %w", t, p.Partition, p.Error)
			}
		}
	}
	return res.Topics, nil
}
