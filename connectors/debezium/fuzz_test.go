package debezium_test

import (
	"testing"

	"github.com/resindex/resindex"
	"github.com/resindex/resindex/connectors/debezium"
)

// FuzzDecode: any key and value either decode to a record of the topic's
// source with an id, or fail with an error; nothing panics.
func FuzzDecode(f *testing.F) {
	f.Add([]byte(`{"personId":"1"}`), []byte(`{"op":"c","after":{"personId":"1","surname":"Lee","addresses":[{"line1":"1 High St","isCurrent":true}]},"source":{"ts_ms":1}}`), false)
	f.Add([]byte(`{"personId":"1"}`), []byte(`{"op":"d","before":{"personId":"1"}}`), false)
	f.Add([]byte(`{"personId":"1"}`), []byte(``), false)
	f.Add([]byte(`{"schema":{},"payload":{"personId":"1"}}`), []byte(`{"schema":{},"payload":{"op":"r","after":{"personId":"1"}}}`), false)
	f.Add([]byte(`{"personId":"1"}`), []byte(`{"personId":"1","__deleted":"true"}`), true)
	f.Add([]byte(``), []byte(`{"op":7}`), false)
	m := mustMapping(f, resindex.SourceAdultSocialCare)
	f.Fuzz(func(t *testing.T, key, value []byte, flat bool) {
		d := &debezium.Decoder{Mapping: m, Shape: debezium.Envelope}
		if flat {
			d.Shape = debezium.Flattened
		}
		rec, err := d.Record(key, value)
		if err == nil && (rec.Source != m.Source || rec.ID == "") {
			t.Fatalf("decoded a record without source or id: %+v", rec)
		}
	})
}
