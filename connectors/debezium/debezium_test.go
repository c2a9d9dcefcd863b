package debezium_test

import (
	"bufio"
	"encoding/csv"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/resindex/resindex"
	"github.com/resindex/resindex/connectors/debezium"
	"github.com/resindex/resindex/connectors/mapping"
	"github.com/resindex/resindex/synth"
)

func mustMapping(t testing.TB, source string) *mapping.Mapping {
	t.Helper()
	set, err := mapping.Shipped()
	if err != nil {
		t.Fatal(err)
	}
	m, err := set.Get(source)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func TestParse(t *testing.T) {
	key := []byte(`{"id":"7"}`)
	for _, tc := range []struct {
		name       string
		key, value string
		shape      debezium.Shape
		op         string
		del, tomb  bool
		ts         int64
		rowID      string
	}{
		{"create", `{"id":"7"}`, `{"op":"c","before":null,"after":{"id":"7"},"source":{"ts_ms":1700000000000},"ts_ms":1700000009999}`, debezium.Envelope, "c", false, false, 1700000000000, "7"},
		{"update", `{"id":"7"}`, `{"op":"u","before":{"id":"7"},"after":{"id":"7","x":1},"ts_ms":5}`, debezium.Envelope, "u", false, false, 5, "7"},
		{"snapshot read", `{"id":"7"}`, `{"op":"r","after":{"id":"7"},"source":{"ts_ms":9,"snapshot":"true"}}`, debezium.Envelope, "r", false, false, 9, "7"},
		{"delete", `{"id":"7"}`, `{"op":"d","before":{"id":"7"},"after":null,"source":{"ts_ms":10}}`, debezium.Envelope, "d", true, false, 10, "7"},
		{"delete without before", `{"id":"7"}`, `{"op":"d","before":null,"after":null}`, debezium.Envelope, "d", true, false, 0, ""},
		{"tombstone", `{"id":"7"}`, ``, debezium.Envelope, "", true, true, 0, ""},
		{"null value", `{"id":"7"}`, `null`, debezium.Envelope, "", true, true, 0, ""},
		{"with schema", `{"schema":{},"payload":{"id":"7"}}`, `{"schema":{"type":"struct"},"payload":{"op":"c","after":{"id":"7"}}}`, debezium.Envelope, "c", false, false, 0, "7"},
		{"schema, null payload", `{"id":"7"}`, `{"schema":{},"payload":null}`, debezium.Envelope, "", true, true, 0, ""},
		{"flattened", `{"id":"7"}`, `{"id":"7","__op":"u","__source_ts_ms":11}`, debezium.Flattened, "u", false, false, 11, "7"},
		{"flattened delete", `{"id":"7"}`, `{"id":"7","__deleted":"true"}`, debezium.Flattened, "", true, false, 0, "7"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ev, err := debezium.Parse([]byte(tc.key), []byte(tc.value), tc.shape)
			if err != nil {
				t.Fatal(err)
			}
			if ev.Op != tc.op || ev.Delete != tc.del || ev.Tombstone != tc.tomb || ev.TsMs != tc.ts || ev.Key["id"] != "7" {
				t.Fatalf("got %+v", ev)
			}
			if id, _ := ev.Row["id"].(string); id != tc.rowID {
				t.Fatalf("row %v, want id %q", ev.Row, tc.rowID)
			}
		})
	}
	_ = key
}

// TestParseMalformed: every malformed event is an error that says what
// is wrong without quoting the event.
func TestParseMalformed(t *testing.T) {
	for _, tc := range []struct {
		name, key, value, want string
	}{
		{"no key", ``, `{"op":"c","after":{"id":"Secretname"}}`, "no key"},
		{"key not json", `Secretname`, `{"op":"c","after":{}}`, "key is not valid JSON"},
		{"key not object", `"Secretname"`, `{"op":"c","after":{}}`, "key is not a JSON object"},
		{"cut short", `{"id":"7"}`, `{"op":"c","after":{"name":"Secretn`, "value is not valid JSON: cut short"},
		{"syntax", `{"id":"7"}`, `{"op":"c","after":{"name":Secretname}}`, "syntax error at byte"},
		{"trailing data", `{"id":"7"}`, `{"op":"c","after":{}} {"Secretname":1}`, "data after"},
		{"value an array", `{"id":"7"}`, `["Secretname"]`, "not a JSON object"},
		{"op of wrong type", `{"id":"7"}`, `{"op":7,"was":"c","after":{"name":"Secretname"}}`, "op: want one of"},
		{"unknown op", `{"id":"7"}`, `{"op":"x","after":{}}`, "unknown operation"},
		{"no after", `{"id":"7"}`, `{"op":"c","before":null,"after":null}`, "needs the row"},
		{"after not object", `{"id":"7"}`, `{"op":"u","after":"Secretname"}`, "want a JSON object"},
		{"payload not object", `{"id":"7"}`, `{"schema":{},"payload":"Secretname"}`, "payload is not a JSON object"},
		{"flattened bad deleted", `{"id":"7"}`, `{"id":"7","__deleted":7}`, "__deleted"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			shape := debezium.Envelope
			if strings.HasPrefix(tc.name, "flattened") {
				shape = debezium.Flattened
			}
			_, err := debezium.Parse([]byte(tc.key), []byte(tc.value), shape)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("got %v, want %q", err, tc.want)
			}
			if strings.Contains(err.Error(), "Secretname") {
				t.Fatalf("error %q quotes the event", err)
			}
		})
	}
}

func TestDecoderRecord(t *testing.T) {
	d := &debezium.Decoder{Mapping: mustMapping(t, resindex.SourceParking), Shape: debezium.Envelope}
	key := []byte(`{"Permit Number":"RP1"}`)
	rec, err := d.Record(key, []byte(`{"op":"c","after":{"Permit Number":"RP1","Holder Surname":"Lee","Updated":"2024-01-02T03:04:05Z"},"source":{"ts_ms":1}}`))
	if err != nil || rec.ID != "RP1" || rec.Name.Family != "Lee" || rec.Version != "2024-01-02T03:04:05Z" || rec.Deleted {
		t.Fatalf("create: %+v, %v", rec, err)
	}
	rec, err = d.Record(key, []byte(`{"op":"d","before":{"Permit Number":"RP1"},"source":{"ts_ms":1704164645000}}`))
	if err != nil || !rec.Deleted || rec.Version != "2024-01-02T03:04:05Z" {
		t.Fatalf("delete: %+v, %v", rec, err)
	}
	rec, err = d.Record(key, nil)
	if err != nil || !rec.Deleted || rec.Version != "" || rec.ID != "RP1" {
		t.Fatalf("tombstone: %+v, %v", rec, err)
	}
	if _, err := d.Record([]byte(`{"Permit Number":"RP2"}`), []byte(`{"op":"c","after":{"Permit Number":"RP1"}}`)); err == nil || !strings.Contains(err.Error(), "key names record") {
		t.Fatalf("key and row disagree: %v", err)
	}
	if _, err := d.Record([]byte(`{"permit":"RP1"}`), nil); err == nil || !strings.Contains(err.Error(), "Permit Number") {
		t.Fatalf("key without the key field: %v", err)
	}
	var fe *mapping.FieldError
	if _, err := d.Record(key, []byte(`{"op":"c","after":{"Permit Number":"RP1","Valid To":"2024-13-01"}}`)); !errors.As(err, &fe) || fe.Field != "Valid To" {
		t.Fatalf("bad field: %v", err)
	}
}

var (
	boroughOnce sync.Once
	boroughDir  string
	borough     *synth.Borough
	boroughErr  error
)

// mustBorough writes a small synthetic borough with its event timelines
// once for the package.
func mustBorough(t *testing.T) (*synth.Borough, string) {
	t.Helper()
	boroughOnce.Do(func() {
		boroughDir, boroughErr = os.MkdirTemp("", "resindex-debezium-")
		if boroughErr != nil {
			return
		}
		borough, boroughErr = synth.Generate(synth.Config{Persons: 1500, Seed: 11}, nil)
		if boroughErr == nil {
			boroughErr = borough.Write(boroughDir)
		}
	})
	if boroughErr != nil {
		t.Fatal(boroughErr)
	}
	return borough, boroughDir
}

func TestMain(m *testing.M) {
	code := m.Run()
	if boroughDir != "" {
		os.RemoveAll(boroughDir)
	}
	os.Exit(code)
}

// TestReplaySyntheticEvents decodes every source's event timeline through
// the shipped mappings: exactly the malformed events listed in the truth
// fail, and the good ones, applied in order, leave exactly the live
// records of the canonical timeline, field for field.
func TestReplaySyntheticEvents(t *testing.T) {
	b, dir := mustBorough(t)
	malformed := readMalformed(t, filepath.Join(dir, "truth", "malformed_events.csv"))
	want := map[resindex.RecordKey]resindex.Record{}
	for _, source := range resindex.Sources {
		for _, r := range b.Live(source) {
			want[r.Key()] = r
		}
	}
	got := map[resindex.RecordKey]resindex.Record{}
	for _, source := range resindex.Sources {
		d := &debezium.Decoder{Mapping: mustMapping(t, source)}
		f, err := os.Open(filepath.Join(dir, "events", source+".kcat"))
		if err != nil {
			t.Fatal(err)
		}
		sc := bufio.NewScanner(f)
		sc.Buffer(nil, 1<<20)
		for line := 1; sc.Scan(); line++ {
			key, value, _ := strings.Cut(sc.Text(), "\t")
			rec, err := d.Record([]byte(key), []byte(value))
			bad := malformed[source+":"+strconv.Itoa(line)]
			switch {
			case bad && err == nil:
				t.Errorf("%s line %d: a malformed event decoded", source, line)
			case !bad && err != nil:
				t.Errorf("%s line %d: %v", source, line, err)
			case err == nil && rec.Deleted:
				delete(got, rec.Key())
			case err == nil:
				got[rec.Key()] = rec
			}
		}
		f.Close()
	}
	if len(got) != len(want) {
		t.Fatalf("%d records after the events, want %d", len(got), len(want))
	}
	diffs := 0
	for k, w := range want {
		g := got[k]
		slices.Sort(g.Flags)
		slices.Sort(w.Flags)
		if !reflect.DeepEqual(g, w) && diffs < 5 {
			diffs++
			t.Errorf("%s:\n got  %+v\n want %+v", k, g, w)
		}
	}
}

func readMalformed(t *testing.T, path string) map[string]bool {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]bool{}
	for _, r := range rows[1:] {
		out[r[0]+":"+r[1]] = true
	}
	if len(out) == 0 {
		t.Fatal("the borough has no malformed events")
	}
	return out
}
