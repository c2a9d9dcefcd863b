package debezium

import (
	"cmp"
	"errors"
	"fmt"

	"github.com/resindex/resindex/connectors/mapping"
)

// Topic is one topic to read: the source whose mapping reads its events
// (default: the topic's name) and their shape (default envelope).
type Topic struct {
	Topic, Source, Shape string
}

// All, as the one topic with no source, stands for every mapped source,
// each on a topic named the prefix and the source.
const All = "all"

// ErrNoTopics: there is nothing to read.
var ErrNoTopics = errors.New("no topics to read")

// Decoders makes a decoder for each topic, by topic. A topic listed twice,
// an empty one, a source with no mapping or an unknown shape is an error
// naming the topic's place in the list ("topics[2] (cdc.parking): …").
func Decoders(set mapping.Set, topics []Topic, prefix string) (map[string]*Decoder, error) {
	if len(topics) == 1 && topics[0].Topic == All && topics[0].Source == "" {
		shape := topics[0].Shape
		topics = nil
		for _, s := range set.Sources() {
			topics = append(topics, Topic{Topic: prefix + s, Source: s, Shape: shape})
		}
	}
	if len(topics) == 0 {
		return nil, ErrNoTopics
	}
	out := map[string]*Decoder{}
	for i, t := range topics {
		where := fmt.Sprintf("topics[%d]", i)
		if t.Topic == "" {
			return nil, fmt.Errorf("%s: the topic is empty", where)
		}
		if _, dup := out[t.Topic]; dup {
			return nil, fmt.Errorf("%s: topic %s is listed twice", where, t.Topic)
		}
		d, err := decoder(set, t)
		if err != nil {
			return nil, fmt.Errorf("%s (%s): %w", where, t.Topic, err)
		}
		out[t.Topic] = d
	}
	return out, nil
}

// decoder makes one topic's decoder.
func decoder(set mapping.Set, t Topic) (*Decoder, error) {
	m, err := set.Get(cmp.Or(t.Source, t.Topic))
	if err != nil {
		return nil, err
	}
	shape, err := ParseShape(t.Shape)
	if err != nil {
		return nil, err
	}
	return &Decoder{Mapping: m, Shape: shape}, nil
}
