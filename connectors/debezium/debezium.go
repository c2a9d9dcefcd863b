// Package debezium decodes change-data-capture events — Debezium
// envelopes, with or without their schema, or flattened rows as the
// ExtractNewRecordState transform writes them — and turns them into
// canonical records through a source's mapping.
//
// A create, update or snapshot read is an upsert of the row after the
// change; a delete, or a tombstone (a key with no value), deletes the
// record. The record's id comes from the message key and must agree with
// the row's. Every malformed event is an error that names what is wrong
// and never quotes resident data; the caller dead-letters it.
package debezium

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/resindex/resindex"
	"github.com/resindex/resindex/connectors/mapping"
)

// Shape is how a topic's events are written.
type Shape string

const (
	// Envelope events carry op, before, after and source (the default).
	Envelope Shape = "envelope"
	// Flattened events are the row itself, with "__deleted": "true" on a
	// delete and optionally "__op" and "__source_ts_ms".
	Flattened Shape = "flattened"
)

// ParseShape reads a shape's name ("" is Envelope).
func ParseShape(s string) (Shape, error) {
	switch Shape(s) {
	case "", Envelope:
		return Envelope, nil
	case Flattened:
		return Flattened, nil
	}
	return "", fmt.Errorf("debezium: unknown event shape %q (want envelope or flattened)", s)
}

// Event is one decoded change event.
type Event struct {
	Op        string      // c, u, d or r; "" for a tombstone
	Delete    bool        // a delete or a tombstone
	Tombstone bool        // a key with no value
	Key       mapping.Row // the message key
	Row       mapping.Row // the row after an upsert, before a delete (may be nil)
	TsMs      int64       // source.ts_ms, else the envelope's ts_ms; 0 when neither
}

// ErrNoKey is a change event without a key: every change event is keyed by
// its record's primary key, which orders it among the record's changes.
var ErrNoKey = resindex.NewError(resindex.ErrInvalid, "the event has no key: change events must be keyed by the record's primary key")

// Parse decodes one event from a message's key and value.
func Parse(key, value []byte, shape Shape) (Event, error) {
	var ev Event
	if len(bytes.TrimSpace(key)) == 0 {
		return ev, ErrNoKey
	}
	k, err := object(key, "key")
	if err != nil {
		return ev, err
	}
	ev.Key = k
	if len(bytes.TrimSpace(value)) == 0 || string(bytes.TrimSpace(value)) == "null" {
		ev.Delete, ev.Tombstone = true, true
		return ev, nil
	}
	v, err := object(value, "value")
	if err != nil {
		return ev, err
	}
	if v == nil {
		ev.Delete, ev.Tombstone = true, true
		return ev, nil
	}
	if shape == Flattened {
		return flattened(ev, v)
	}
	return envelope(ev, v)
}

// object decodes a JSON object, unwrapping {"schema":…, "payload":…};
// a null payload is nil.
func object(data []byte, what string) (mapping.Row, error) {
	m, err := mapping.DecodeRow(data)
	switch {
	case errors.Is(err, mapping.ErrNotJSON):
		return nil, fmt.Errorf("the %s is %w", what, err)
	case errors.Is(err, mapping.ErrTrailing):
		return nil, fmt.Errorf("the %s has data after its JSON object", what)
	case err != nil:
		return nil, fmt.Errorf("the %s is not a JSON object", what)
	}
	if p, wrapped := m["payload"]; wrapped && len(m) <= 2 {
		if _, hasSchema := m["schema"]; hasSchema || len(m) == 1 {
			if p == nil {
				return nil, nil
			}
			var ok bool
			if m, ok = p.(map[string]any); !ok {
				return nil, fmt.Errorf("the %s's payload is not a JSON object", what)
			}
		}
	}
	return m, nil
}

func envelope(ev Event, v mapping.Row) (Event, error) {
	op, ok := v["op"].(string)
	if !ok {
		return ev, errors.New("op: want one of c, u, d, r (a string)")
	}
	ev.Op = op
	ev.TsMs = timestamp(v)
	var field string
	switch op {
	case "c", "u", "r":
		field = "after"
	case "d":
		field, ev.Delete = "before", true
	default:
		return ev, fmt.Errorf("op: unknown operation %q (want c, u, d or r)", op)
	}
	row, err := rowOf(v[field], field)
	if err != nil {
		return ev, err
	}
	if row == nil && !ev.Delete {
		return ev, fmt.Errorf("%s: an op %q event needs the row after the change", field, op)
	}
	ev.Row = row
	return ev, nil
}

func rowOf(v any, field string) (mapping.Row, error) {
	switch x := v.(type) {
	case nil:
		return nil, nil
	case map[string]any:
		return x, nil
	}
	return nil, fmt.Errorf("%s: want a JSON object or null", field)
}

// timestamp is when the change happened in the source: source.ts_ms, else
// the envelope's ts_ms (when the connector saw it).
func timestamp(v mapping.Row) int64 {
	if src, ok := v["source"].(map[string]any); ok {
		if ms, ok := millis(src["ts_ms"]); ok {
			return ms
		}
	}
	ms, _ := millis(v["ts_ms"])
	return ms
}

func millis(v any) (int64, bool) {
	switch x := v.(type) {
	case json.Number:
		n, err := x.Int64()
		return n, err == nil && n > 0
	case float64:
		return int64(x), x > 0
	}
	return 0, false
}

func flattened(ev Event, v mapping.Row) (Event, error) {
	ev.Op, _ = v["__op"].(string)
	ev.TsMs, _ = millis(v["__source_ts_ms"])
	switch d := v["__deleted"].(type) {
	case nil:
	case string:
		ev.Delete = d == "true"
	case bool:
		ev.Delete = d
	default:
		return ev, errors.New("__deleted: want \"true\" or \"false\"")
	}
	if ev.Op == "d" {
		ev.Delete = true
	}
	ev.Row = v
	return ev, nil
}

// Version renders a source timestamp as a record version (RFC 3339, UTC),
// the form the mappings give versions in; "" when there is none.
func Version(ms int64) string {
	if ms <= 0 {
		return ""
	}
	return time.UnixMilli(ms).UTC().Format(time.RFC3339Nano)
}

// Decoder turns one topic's events into canonical records.
type Decoder struct {
	Mapping *mapping.Mapping
	Shape   Shape
}

// Record decodes an event and maps it to the record it upserts or
// deletes. A delete's version is the source's time of the change; a
// tombstone has none, and deletes whatever version stands.
func (d *Decoder) Record(key, value []byte) (resindex.Record, error) {
	ev, err := Parse(key, value, d.Shape)
	if err != nil {
		return resindex.Record{}, fmt.Errorf("%s event: %w", d.Mapping.Source, err)
	}
	id, err := d.Mapping.ID(ev.Key)
	if err != nil {
		return resindex.Record{}, fmt.Errorf("%s event key: %w", d.Mapping.Source, err)
	}
	if ev.Delete {
		rec := resindex.Record{Source: d.Mapping.Source, ID: id, Deleted: true}
		if !ev.Tombstone {
			rec.Version = Version(ev.TsMs)
		}
		return rec, nil
	}
	rec, err := d.Mapping.Record(ev.Row)
	if err != nil {
		return resindex.Record{}, err
	}
	if rec.ID != id {
		return resindex.Record{}, fmt.Errorf("%s event: the key names record %q but the row is record %q", d.Mapping.Source, id, rec.ID)
	}
	if rec.Version == "" {
		rec.Version = Version(ev.TsMs)
	}
	return rec, nil
}
