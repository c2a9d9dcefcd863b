package kafka

import (
	"context"
	"fmt"

	kafkago "github.com/segmentio/kafka-go"
)

// Ping asks the brokers for the cluster's metadata (no topic's): an error
// when none answers. A readiness probe asks it.
func (c *Consumer) Ping(ctx context.Context) error {
	if _, err := c.admin.Metadata(ctx, &kafkago.MetadataRequest{Topics: []string{}}); err != nil {
		return fmt.Errorf("kafka: brokers not answering: %w", err)
	}
	return nil
}
