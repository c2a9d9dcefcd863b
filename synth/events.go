package synth

import (
	"bufio"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"strings"
	"time"

	"github.com/resindex/resindex"
)

// Change events: what a council system's change-data-capture publishes
// (Debezium-style envelopes on Kafka), one file per source:
//
//	events/<source>.kcat   one event a line: key, a tab, value — the form
//	                       `kcat -P -K '\t' -Z` produces (an empty value
//	                       is a tombstone, which follows every delete)
//
// Keys and rows use the source's own field names, as its native extract
// does. The connector is taken to start with the timeline: the records
// that stand at its start come as snapshot reads (op "r"), every later
// version as a create, update or delete. Among the good events stand
// malformed ones, at eventErrorRate, each listed in truth/malformed_events.csv;
// the good events alone replay the canonical timeline exactly.

const eventErrorRate = 0.005

// Kinds of malformed event.
const (
	badTruncated = "truncated_json"
	badWrongType = "wrong_type"
	badNoKey     = "missing_key"
)

// envelope is a Debezium change event's value.
type envelope struct {
	Before any         `json:"before"`
	After  any         `json:"after"`
	Source eventSource `json:"source"`
	Op     string      `json:"op"`
	TsMs   int64       `json:"ts_ms"`
}

type eventSource struct {
	Connector string `json:"connector"`
	Name      string `json:"name"`
	Table     string `json:"table"`
	TsMs      int64  `json:"ts_ms"`
	Snapshot  string `json:"snapshot,omitempty"`
}

// MalformedEvent is one malformed event written among a source's events.
type MalformedEvent struct {
	Source string
	Line   int // 1-based line in events/<source>.kcat
	Kind   string
}

// eventKey names the field holding a source's primary key.
func (nf nativeFile) eventKey() string {
	if nf.key != "" {
		return nf.key
	}
	return nf.cols[0].name
}

// row renders a record as the source system's row.
func (nf nativeFile) row(r *resindex.Record) any {
	if nf.cols == nil {
		return nf.json(r)
	}
	m := make(map[string]string, len(nf.cols))
	for _, c := range nf.cols {
		m[c.name] = c.get(r)
	}
	return m
}

// writeEvents writes one source's change events and returns the
// malformed ones it placed among them.
func writeEvents(path string, nf nativeFile, versions []resindex.Record, start time.Time, seed uint64, stream uint64) ([]MalformedEvent, error) {
	bw, done, err := create(path)
	if err != nil {
		return nil, err
	}
	w := &eventWriter{bw: bw, nf: nf, rng: newRand(seed, stream)}
	w.snapshot(versions, start)
	for i := range versions {
		if v := &versions[i]; !before(v, start) {
			w.change(v)
		}
	}
	if err := done(); err != nil || w.err != nil {
		return nil, fmt.Errorf("synth: write %s: %w", path, cmpErr(w.err, err))
	}
	return w.bad, nil
}

func cmpErr(a, b error) error {
	if a != nil {
		return a
	}
	return b
}

// before reports whether a version predates the connector's start.
func before(v *resindex.Record, start time.Time) bool {
	t, err := time.Parse(time.RFC3339, v.Version)
	return err == nil && t.Before(start)
}

type eventWriter struct {
	bw   *bufio.Writer
	nf   nativeFile
	rng  *rand.Rand
	last map[string]*resindex.Record // each record's latest version so far
	line int
	bad  []MalformedEvent
	err  error
}

// snapshot emits a read of every record that stands at the start.
func (w *eventWriter) snapshot(versions []resindex.Record, start time.Time) {
	w.last = map[string]*resindex.Record{}
	var order []string
	for i := range versions {
		v := &versions[i]
		if !before(v, start) {
			continue
		}
		if _, seen := w.last[v.ID]; !seen {
			order = append(order, v.ID)
		}
		w.last[v.ID] = v
	}
	ts := start.UnixMilli()
	for _, id := range order {
		if v := w.last[id]; !v.Deleted {
			w.emit(v.ID, &envelope{After: w.nf.row(v), Op: "r", TsMs: ts}, ts, "true")
		}
	}
}

// change emits the create, update or delete one version makes.
func (w *eventWriter) change(v *resindex.Record) {
	prev := w.last[v.ID]
	w.last[v.ID] = v
	ts := versionMillis(v)
	e := &envelope{TsMs: ts}
	live := prev != nil && !prev.Deleted
	switch {
	case v.Deleted && !live:
		return // nothing the system would have had to delete
	case v.Deleted:
		e.Op, e.Before = "d", w.nf.row(prev)
	case live:
		e.Op, e.Before, e.After = "u", w.nf.row(prev), w.nf.row(v)
	default:
		e.Op, e.After = "c", w.nf.row(v)
	}
	w.emit(v.ID, e, ts, "")
	if v.Deleted {
		w.line++
		w.write(w.key(v.ID), "") // the tombstone
	}
}

func versionMillis(v *resindex.Record) int64 {
	t, err := time.Parse(time.RFC3339, v.Version)
	if err != nil {
		return 0
	}
	return t.UnixMilli()
}

func (w *eventWriter) key(id string) string {
	k, _ := json.Marshal(map[string]string{w.nf.eventKey(): id})
	return string(k)
}

// emit writes an event, now and then after a malformed one.
func (w *eventWriter) emit(id string, e *envelope, ts int64, snapshot string) {
	e.Source = eventSource{Connector: "resindex-synth", Name: w.nf.source, Table: strings.TrimSuffix(w.nf.file, fileExt(w.nf.file)), TsMs: ts, Snapshot: snapshot}
	val, err := json.Marshal(e)
	if err != nil && w.err == nil {
		w.err = err
	}
	if chance(w.rng, eventErrorRate) {
		w.malformed(w.key(id), val)
	}
	w.line++
	w.write(w.key(id), string(val))
}

// malformed writes a broken copy of an event: cut short, with a field of
// the wrong type, or without its key.
func (w *eventWriter) malformed(key string, val []byte) {
	kind := []string{badTruncated, badWrongType, badNoKey}[w.rng.IntN(3)]
	switch kind {
	case badTruncated:
		val = val[:len(val)/2]
	case badWrongType:
		val = []byte(strings.Replace(string(val), `"op":"`, `"op":7,"was":"`, 1))
	case badNoKey:
		key = ""
	}
	w.line++
	w.bad = append(w.bad, MalformedEvent{Source: w.nf.source, Line: w.line, Kind: kind})
	w.write(key, string(val))
}

func (w *eventWriter) write(key, val string) {
	if w.err == nil {
		_, w.err = fmt.Fprintf(w.bw, "%s\t%s\n", key, val)
	}
}

func fileExt(name string) string {
	if i := strings.LastIndexByte(name, '.'); i >= 0 {
		return name[i:]
	}
	return ""
}

// eventsReadme documents the event timelines from the definitions that
// write them.
func eventsReadme() string {
	var b strings.Builder
	b.WriteString(`# Change events

Each file is one source system's change-data-capture timeline, as a Debezium connector would
publish it to Kafka: one event a line, the key, a tab, then the value — the form
` + "`kcat -P -K '\\t' -Z`" + ` produces. Values are Debezium envelopes: ` + "`op`" + ` (r snapshot read, c create,
u update, d delete), ` + "`before`" + ` and ` + "`after`" + ` (the row in the system's own field names, as in the
native extract; null where there is none), ` + "`source`" + ` (connector, system, table, ` + "`ts_ms`" + `) and
` + "`ts_ms`" + `. The connector starts with the timeline: records standing then come as snapshot reads,
later versions as changes. Every delete is followed by a tombstone (the key with an empty
value). About 0.5% of lines are malformed on purpose — cut short, with ` + "`op`" + ` of the wrong type, or
without a key — each listed in ../truth/malformed_events.csv (source, line, kind); the other
events alone replay the canonical timeline.

| file | system | key field |
| --- | --- | --- |
`)
	for _, nf := range nativeFiles() {
		fmt.Fprintf(&b, "| %s.kcat | %s | %s |\n", nf.source, nf.about, nf.eventKey())
	}
	return b.String()
}
