package main

import (
	"cmp"
	"errors"
	"flag"
	"fmt"
	"os"
	"strings"

	"github.com/resindex/resindex/connectors/debezium"
	"github.com/resindex/resindex/connectors/kafka"
	"github.com/resindex/resindex/connectors/mapping"
)

// kafkaFlags are serve's Kafka flags; each overrides the configuration
// file's kafka section.
type kafkaFlags struct {
	brokers, topics, prefix, group, changes, mappings string
}

func addKafkaFlags(fs *flag.FlagSet) *kafkaFlags {
	f := &kafkaFlags{}
	fs.StringVar(&f.brokers, "brokers", "", "Kafka brokers, host:port, comma-separated")
	fs.StringVar(&f.topics, "topics", "", "topics to read, comma-separated: TOPIC=SOURCE, or TOPIC named after its source, "+
		"or \"all\" for every mapped source (topic = --topic-prefix + source)")
	fs.StringVar(&f.prefix, "topic-prefix", "", "with --topics all: prefix of each source's topic (default kafka.topic_prefix)")
	fs.StringVar(&f.group, "group", "", "consumer group (default resindex)")
	fs.StringVar(&f.changes, "changes-topic", "", "topic for the person change feed (default resindex.person-changes; none: off)")
	fs.StringVar(&f.mappings, "mappings", "", "directory of the council's own source mappings (YAML), added to the shipped ones")
	return f
}

// apply puts the flags given over the configuration's settings.
func (f *kafkaFlags) apply(c *Config) {
	k := &c.Kafka
	if f.brokers != "" {
		k.Brokers = splitList(f.brokers)
	}
	k.GroupID = cmp.Or(f.group, k.GroupID)
	k.ChangesTopic = cmp.Or(f.changes, k.ChangesTopic)
	k.TopicPrefix = cmp.Or(f.prefix, k.TopicPrefix)
	c.Mappings = cmp.Or(f.mappings, c.Mappings)
	if f.topics == "" {
		return
	}
	shapes := map[string]string{} // a topic named again keeps the file's shape
	for _, t := range k.Topics {
		shapes[t.Topic] = t.Shape
	}
	k.Topics = nil
	for _, t := range splitList(f.topics) {
		topic, source, _ := strings.Cut(t, "=")
		k.Topics = append(k.Topics, topicConfig{Topic: topic, Source: source, Shape: shapes[topic]})
	}
}

func splitList(s string) []string {
	var out []string
	for _, x := range strings.Split(s, ",") {
		if x = strings.TrimSpace(x); x != "" {
			out = append(out, x)
		}
	}
	return out
}

// decoders makes a decoder per topic (see debezium.Decoders).
func (k *kafkaConfig) decoders(set mapping.Set) (map[string]kafka.Decoder, error) {
	topics := make([]debezium.Topic, len(k.Topics))
	for i, t := range k.Topics {
		topics[i] = debezium.Topic(t)
	}
	ds, err := debezium.Decoders(set, topics, k.TopicPrefix)
	if errors.Is(err, debezium.ErrNoTopics) {
		return nil, fmt.Errorf("no topics to read: give --topics or kafka.topics: %w", errUsage)
	}
	if err != nil {
		return nil, fmt.Errorf("kafka.%w", err) // debezium names the place in the list: kafka.topics[i]
	}
	out := make(map[string]kafka.Decoder, len(ds))
	for topic, d := range ds {
		out[topic] = d
	}
	return out, nil
}

// connection gives the settings to reach the cluster; the SASL password
// comes from its file, else the environment.
func (k *kafkaConfig) connection() (kafka.Connection, error) {
	c := kafka.Connection{Brokers: k.Brokers, ClientID: k.ClientID, TLS: kafka.TLSOptions(k.TLS),
		SASL: kafka.SASLOptions{Mechanism: k.SASL.Mechanism, Username: k.SASL.Username,
			Password: os.Getenv("RESINDEX_KAFKA_PASSWORD"), PasswordFile: k.SASL.PasswordFile}}
	if len(c.Brokers) == 0 {
		return c, fmt.Errorf("no Kafka brokers: give --brokers or kafka.brokers: %w", errUsage)
	}
	return c, c.Validate()
}
