package main

import (
	"cmp"
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
	brokers, topics, prefix, group, changes, mappings *string
}

func addKafkaFlags(fs *flag.FlagSet) *kafkaFlags {
	return &kafkaFlags{
		brokers: fs.String("brokers", "", "Kafka brokers, host:port, comma-separated"),
		topics: fs.String("topics", "", "topics to read, comma-separated: TOPIC=SOURCE, or TOPIC named after its source, "+
			"or \"all\" for every mapped source (topic = --topic-prefix + source)"),
		prefix:   fs.String("topic-prefix", "", "with --topics all: prefix of each source's topic (default kafka.topic_prefix)"),
		group:    fs.String("group", "", "consumer group (default resindex)"),
		changes:  fs.String("changes-topic", "", "topic for the person change feed (default resindex.person-changes; none: off)"),
		mappings: fs.String("mappings", "", "directory of the council's own source mappings (YAML), added to the shipped ones"),
	}
}

// apply puts the flags given over the file's settings.
func (f *kafkaFlags) apply(c *fileConfig) error {
	k := &c.Kafka
	if *f.brokers != "" {
		k.Brokers = splitList(*f.brokers)
	}
	k.GroupID = cmp.Or(*f.group, k.GroupID)
	k.ChangesTopic = cmp.Or(*f.changes, k.ChangesTopic)
	k.TopicPrefix = cmp.Or(*f.prefix, k.TopicPrefix)
	c.Mappings = cmp.Or(*f.mappings, c.Mappings)
	if *f.topics == "" {
		return nil
	}
	shapes := map[string]string{} // a topic named again keeps the file's shape
	for _, t := range k.Topics {
		shapes[t.Topic] = t.Shape
	}
	k.Topics = nil
	for _, t := range splitList(*f.topics) {
		topic, source, _ := strings.Cut(t, "=")
		k.Topics = append(k.Topics, topicConfig{Topic: topic, Source: source, Shape: shapes[topic]})
	}
	return nil
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

// loadMappings gives the shipped mappings with the council's own added.
func loadMappings(dir string) (mapping.Set, error) {
	set, err := mapping.Shipped()
	if err != nil || dir == "" {
		return set, err
	}
	return mapping.LoadDir(dir, set)
}

// decoders makes a decoder per topic. "all" stands for every mapped
// source, its topic named prefix + source.
func (k *kafkaConfig) decoders(set mapping.Set) (map[string]kafka.Decoder, error) {
	prefix := k.TopicPrefix
	topics := k.Topics
	if len(topics) == 1 && topics[0].Topic == "all" && topics[0].Source == "" {
		topics = nil
		for _, s := range set.Sources() {
			topics = append(topics, topicConfig{Topic: prefix + s, Source: s, Shape: k.Topics[0].Shape})
		}
	}
	if len(topics) == 0 {
		return nil, fmt.Errorf("no topics to read: give --topics or kafka.topics: %w", errUsage)
	}
	out := map[string]kafka.Decoder{}
	for i, t := range topics {
		where := fmt.Sprintf("kafka.topics[%d]", i)
		if t.Topic == "" {
			return nil, fmt.Errorf("%s: the topic is empty", where)
		}
		if _, dup := out[t.Topic]; dup {
			return nil, fmt.Errorf("%s: topic %s is listed twice", where, t.Topic)
		}
		m, err := set.Get(cmp.Or(t.Source, t.Topic))
		if err != nil {
			return nil, fmt.Errorf("%s (%s): %w", where, t.Topic, err)
		}
		shape, err := debezium.ParseShape(t.Shape)
		if err != nil {
			return nil, fmt.Errorf("%s (%s): %w", where, t.Topic, err)
		}
		out[t.Topic] = &debezium.Decoder{Mapping: m, Shape: shape}
	}
	return out, nil
}

// connection gives the settings to reach the cluster, the SASL password
// read from its file or the environment.
func (k *kafkaConfig) connection() (kafka.Connection, error) {
	c := kafka.Connection{Brokers: k.Brokers, ClientID: k.ClientID,
		TLS: kafka.TLSOptions{Enabled: k.TLS.Enabled, CAFile: k.TLS.CAFile, CertFile: k.TLS.CertFile, KeyFile: k.TLS.KeyFile,
			InsecureSkipVerify: k.TLS.InsecureSkipVerify},
		SASL: kafka.SASLOptions{Mechanism: k.SASL.Mechanism, Username: k.SASL.Username, Password: os.Getenv("RESINDEX_KAFKA_PASSWORD")}}
	if k.SASL.PasswordFile != "" {
		pw, err := os.ReadFile(k.SASL.PasswordFile)
		if err != nil {
			return c, fmt.Errorf("kafka.sasl.password_file: %w", err)
		}
		c.SASL.Password = strings.TrimRight(string(pw), "\r\n")
	}
	if len(c.Brokers) == 0 {
		return c, fmt.Errorf("no Kafka brokers: give --brokers or kafka.brokers: %w", errUsage)
	}
	return c, c.Validate()
}
