package kafka

import kafkago "github.com/segmentio/kafka-go"

// NewTestWriter exposes the writer the consumer and publisher use, for tests
// that produce through the same security settings.
func NewTestWriter(c Connection) (*kafkago.Writer, error) { return c.writer() }
