package main

import (
	"cmp"
	"flag"
	"strconv"

	"github.com/resindex/resindex/internal/config"
)

// kafkaFlags are serve's Kafka flags; each overrides the configuration
// file's kafka section.
type kafkaFlags struct {
	brokers, topics, prefix, group, changes, mappings string
	notices                                           string
	perSource                                         *bool // --notices-per-source, when given
}

func addKafkaFlags(fs *flag.FlagSet) *kafkaFlags {
	f := &kafkaFlags{}
	fs.StringVar(&f.brokers, "brokers", "", "Kafka brokers, host:port, comma-separated")
	fs.StringVar(&f.topics, "topics", "", "topics to read, comma-separated: TOPIC=SOURCE, or TOPIC named after its source, "+
		"or \"all\" for every mapped source (topic = --topic-prefix + source)")
	fs.StringVar(&f.prefix, "topic-prefix", "", "with --topics all: prefix of each source's topic (default kafka.topic_prefix)")
	fs.StringVar(&f.group, "group", "", "consumer group (default resindex)")
	fs.StringVar(&f.changes, "changes-topic", "", "topic for the person change feed (default resindex.person-changes; none: off)")
	fs.StringVar(&f.notices, "notices-topic", "", "topic for rectification notices (default resindex.notices; none: off)")
	fs.BoolFunc("notices-per-source", "publish each source's notices to <notices topic>.<source> instead of the one topic, "+
		"so that Kafka ACLs can let each source read only its own (default kafka.notices_per_source, false)", func(s string) error {
		b, err := strconv.ParseBool(s)
		f.perSource = &b
		return err
	})
	fs.StringVar(&f.mappings, "mappings", "", "directory of the council's own source mappings (YAML), added to the shipped ones")
	return f
}

// apply puts the flags given over the configuration's settings.
func (f *kafkaFlags) apply(c *config.Config) {
	k := &c.Kafka
	if f.brokers != "" {
		k.Brokers = config.SplitList(f.brokers)
	}
	k.GroupID = cmp.Or(f.group, k.GroupID)
	k.ChangesTopic = cmp.Or(f.changes, k.ChangesTopic)
	k.NoticesTopic = cmp.Or(f.notices, k.NoticesTopic)
	if f.perSource != nil {
		k.NoticesPerSource = *f.perSource
	}
	k.TopicPrefix = cmp.Or(f.prefix, k.TopicPrefix)
	c.Mappings = cmp.Or(f.mappings, c.Mappings)
	if f.topics == "" {
		return
	}
	k.SetTopics(f.topics)
}
