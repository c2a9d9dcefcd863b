package main

import (
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/resindex/resindex/evaluate"
)

// TestAlertsFromAReplayedBorough replays a borough's timeline through
// ingest, lists the alerts it raised as the scored CSV (read back by the
// scorer), and scores them: every figure eval prints is there, and a
// wrong --format or a missing store is refused.
func TestAlertsFromAReplayedBorough(t *testing.T) {
	dir := t.TempDir()
	mustRun(t, "gen", "--persons", "1500", "--seed", "3", "--out", dir, "--quiet", "--no-events")
	data := filepath.Join(dir, "store")
	mustRun(t, "ingest", "--canonical", filepath.Join(dir, "canonical"), "--data", data, "--quiet")
	out, _ := mustRun(t, "alerts", "list", "--data", data)
	rows, err := evaluate.ReadAlerts(strings.NewReader(out))
	if err != nil {
		t.Fatalf("alerts list wrote a CSV the scorer cannot read: %v\n%s", err, out)
	}
	if len(rows) == 0 {
		t.Fatalf("a replayed borough raised no alert")
	}
	for _, r := range rows {
		if r.Kind != "new_adult_with_child" || len(r.Adults) == 0 || len(r.Children) == 0 || r.EvidenceDate == "" {
			t.Errorf("alert row %+v: want a new adult with children and a date", r)
		}
	}
	js, _ := mustRun(t, "alerts", "list", "--data", data, "--format", "json")
	if !strings.HasPrefix(strings.TrimSpace(js), "[") || !strings.Contains(js, `"kind": "new_adult_with_child"`) {
		t.Errorf("json list: %.200s", js)
	}
	score, _ := mustRun(t, "eval", "--alerts", "--truth", filepath.Join(dir, "truth"), "--data", data)
	for _, want := range []string{"Precision", "Recall (detectable)", "Alerts scored"} {
		if !strings.Contains(score, want) {
			t.Errorf("eval --alerts lacks %q:\n%s", want, score)
		}
	}
	if _, errs, code := runCLI(t, "alerts", "list", "--data", data, "--format", "xml"); code != 2 || !strings.Contains(errs, "--format") {
		t.Errorf("--format xml: exit %d, %q", code, errs)
	}
	if _, errs, code := runCLI(t, "eval", "--alerts", "--truth", filepath.Join(dir, "nowhere"), "--data", data); code != 2 || !regexp.MustCompile(`--truth .*nowhere`).MatchString(errs) {
		t.Errorf("a truth that is not there: exit %d, %q", code, errs)
	}
}
