package debezium_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/resindex/resindex/connectors/debezium"
	"github.com/resindex/resindex/connectors/mapping"
)

func TestDecoders(t *testing.T) {
	set, err := mapping.Shipped()
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name    string
		topics  []debezium.Topic
		prefix  string
		want    map[string]debezium.Shape // topic → shape of its decoder
		wantErr string
	}{
		{name: "named after the source", topics: []debezium.Topic{{Topic: "parking"}},
			want: map[string]debezium.Shape{"parking": debezium.Envelope}},
		{name: "source and shape given", topics: []debezium.Topic{{Topic: "cdc.permits", Source: "parking", Shape: "flattened"}, {Topic: "libraries"}},
			want: map[string]debezium.Shape{"cdc.permits": debezium.Flattened, "libraries": debezium.Envelope}},
		{name: "all with a prefix", topics: []debezium.Topic{{Topic: "all", Shape: "flattened"}}, prefix: "cdc.",
			want: map[string]debezium.Shape{"cdc.parking": debezium.Flattened, "cdc.council_tax": debezium.Flattened}},
		{name: "no topics", wantErr: "no topics to read"},
		{name: "unknown source", topics: []debezium.Topic{{Topic: "t", Source: "pensions"}}, wantErr: "topics[0] (t): mapping: no mapping for source"},
		{name: "topic twice", topics: []debezium.Topic{{Topic: "parking"}, {Topic: "parking"}}, wantErr: "topics[1]: topic parking is listed twice"},
		{name: "bad shape", topics: []debezium.Topic{{Topic: "parking", Shape: "avro"}}, wantErr: "topics[0] (parking): debezium: unknown event shape"},
		{name: "empty topic", topics: []debezium.Topic{{Source: "parking"}}, wantErr: "topics[0]: the topic is empty"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := debezium.Decoders(set, tt.topics, tt.prefix)
			if tt.wantErr != "" {
				if err == nil || !strings.HasPrefix(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want it to start %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if tt.topics[0].Topic == debezium.All && len(got) != len(set.Sources()) {
				t.Errorf("all: %d decoders, want one for each of the %d sources", len(got), len(set.Sources()))
			}
			for topic, shape := range tt.want {
				if d := got[topic]; d == nil || d.Shape != shape {
					t.Errorf("topic %s: decoder %+v, want shape %s", topic, d, shape)
				}
			}
		})
	}
	if _, err := debezium.Decoders(set, nil, ""); !errors.Is(err, debezium.ErrNoTopics) {
		t.Errorf("no topics: %v, want ErrNoTopics", err)
	}
}
