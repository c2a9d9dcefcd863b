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
	cl := c.admin
	parts, err := partitions(ctx, cl, c.Topics())
	if err != nil {
		return 0, err
	}
	ends, err := endOffsets(ctx, cl, parts)
	if err != nil {
		return 0, err
	}
	res, err := cl.OffsetFetch(ctx, &kafkago.OffsetFetchRequest{GroupID: c.opts.GroupID, Topics: parts})
	if err == nil {
		err = res.Error
	}
	if errors.Is(err, kafkago.GroupIdNotFound) {
		res, err = &kafkago.OffsetFetchResponse{}, nil // a new group has committed nothing
	}
	if err != nil {
		return 0, fmt.Errorf("kafka: committed offsets: %w", err)
	}
	var lag int64
	for topic, ps := range ends {
		committed := map[int]int64{}
		for _, p := range res.Topics[topic] {
			committed[p.Partition] = p.CommittedOffset
		}
		for _, p := range ps {
			from, ok := committed[p.Partition]
			if !ok || from < p.FirstOffset {
				from = p.FirstOffset // nothing committed: all of it is to come
			}
			lag += max(p.LastOffset-from, 0)
		}
	}
	return lag, nil
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
