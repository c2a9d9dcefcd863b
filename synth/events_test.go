package synth_test

import (
	"bufio"
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/resindex/resindex"
	"github.com/resindex/resindex/synth"
)

// TestEvents: every source's event timeline is Debezium-shaped, keyed by
// the source's primary key; the malformed events are exactly those the
// truth lists, of the kind it says; and the good events, replayed, leave
// exactly the source's live records.
func TestEvents(t *testing.T) {
	b, err := synth.Generate(synth.Config{Persons: 1500, Seed: 5}, nil)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if err := b.Write(dir); err != nil {
		t.Fatal(err)
	}
	bad := map[string]string{} // source:line → kind
	for _, row := range readCSV(t, filepath.Join(dir, "truth", "malformed_events.csv"))[1:] {
		bad[row[0]+":"+row[1]] = row[2]
	}
	live := map[string]int{}
	for _, tr := range b.Truth {
		live[tr.Source]++
	}
	events, malformed := 0, 0
	for _, src := range resindex.Sources {
		f, err := os.Open(filepath.Join(dir, "events", src+".kcat"))
		if err != nil {
			t.Fatal(err)
		}
		state := map[string]bool{}
		sc := bufio.NewScanner(f)
		sc.Buffer(nil, 1<<20)
		for n := 1; sc.Scan(); n++ {
			events++
			key, val, ok := strings.Cut(sc.Text(), "\t")
			if !ok {
				t.Fatalf("%s:%d: no tab between key and value", src, n)
			}
			if kind := bad[src+":"+strconv.Itoa(n)]; kind != "" {
				malformed++
				checkMalformed(t, src, n, kind, key, val)
				continue
			}
			if key == "" {
				t.Fatalf("%s:%d: a good event without a key", src, n)
			}
			if val == "" { // tombstone: the record was just deleted
				if state[key] {
					t.Fatalf("%s:%d: tombstone for a live record", src, n)
				}
				continue
			}
			var e struct {
				Op     string          `json:"op"`
				After  json.RawMessage `json:"after"`
				Before json.RawMessage `json:"before"`
			}
			if err := json.Unmarshal([]byte(val), &e); err != nil {
				t.Fatalf("%s:%d: %v", src, n, err)
			}
			switch e.Op {
			case "r", "c", "u":
				state[key] = true
			case "d":
				if string(e.Before) == "null" {
					t.Fatalf("%s:%d: delete without before", src, n)
				}
				delete(state, key)
			default:
				t.Fatalf("%s:%d: op %q", src, n, e.Op)
			}
		}
		f.Close()
		if len(state) != live[src] {
			t.Errorf("%s: replaying the good events leaves %d records, the truth has %d live", src, len(state), live[src])
		}
	}
	if malformed != len(bad) {
		t.Errorf("found %d of the %d malformed events the truth lists", malformed, len(bad))
	}
	if rate := float64(malformed) / float64(events); rate < 0.002 || rate > 0.01 {
		t.Errorf("malformed rate %.4f, want about 0.005", rate)
	}
}

func checkMalformed(t *testing.T, src string, n int, kind, key, val string) {
	t.Helper()
	var e map[string]any
	err := json.Unmarshal([]byte(val), &e)
	switch kind {
	case "truncated_json":
		if err == nil {
			t.Errorf("%s:%d: listed as truncated but parses", src, n)
		}
	case "wrong_type":
		if _, isString := e["op"].(string); err != nil || isString {
			t.Errorf("%s:%d: listed as wrong type but op is %v (%v)", src, n, e["op"], err)
		}
	case "missing_key":
		if key != "" {
			t.Errorf("%s:%d: listed as missing its key but has %s", src, n, key)
		}
	default:
		t.Errorf("%s:%d: unknown kind %q", src, n, kind)
	}
}
