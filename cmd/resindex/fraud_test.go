package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/resindex/resindex/evaluate"
	"github.com/resindex/resindex/fraud"
)

// TestFraudChecksOnABorough bulk-loads a borough, runs both checks from
// the command line as the scored CSV (read back by the scorer), writes
// one to a file as JSON, scores them with eval --fraud, and refuses bad
// flags and a store that is not there.
func TestFraudChecksOnABorough(t *testing.T) {
	dir := t.TempDir()
	mustRun(t, "gen", "--persons", "3000", "--seed", "5", "--out", dir, "--quiet", "--no-events")
	data := filepath.Join(dir, "store")
	mustRun(t, "ingest", "--canonical", filepath.Join(dir, "canonical"), "--data", data, "--bulk", "--quiet")
	for _, k := range []fraud.Kind{fraud.Subletting, fraud.SPD} {
		out, errs := mustRun(t, "fraud", string(k), "--data", data)
		rows, err := evaluate.ReadFindings(strings.NewReader(out), fraud.Columns[k])
		if err != nil {
			t.Fatalf("%s wrote a CSV the scorer cannot read: %v\n%s", k, err, out)
		}
		if len(rows) == 0 {
			t.Fatalf("%s: no finding on a borough with injected fraud", k)
		}
		for _, r := range rows {
			if r.Score < fraud.DefaultMinScore || len(r.Signals) == 0 {
				t.Errorf("%s row %+v: below the default score or no signal", k, r)
			}
		}
		if !strings.Contains(errs, "examined at or above 0.50") {
			t.Errorf("%s: no summary on stderr: %q", k, errs)
		}
	}
	file := filepath.Join(dir, "spd.json")
	mustRun(t, "fraud", "spd", "--data", data, "--format", "json", "--min-score", "0.9", "--out", file)
	if js, err := os.ReadFile(file); err != nil || !strings.HasPrefix(string(js), "[") {
		t.Errorf("--out json: %v %.100s", err, js)
	}
	score, _ := mustRun(t, "eval", "--fraud", "--truth", filepath.Join(dir, "truth"), "--data", data)
	for _, want := range []string{"subletting:", "spd:", "recall", "precision"} {
		if !strings.Contains(score, want) {
			t.Errorf("eval --fraud lacks %q:\n%s", want, score)
		}
	}
	audit, _ := mustRun(t, "audit", "list", "--data", data)
	if strings.Count(audit, `"action":"fraud"`) < 3 {
		t.Errorf("the runs are not all audited:\n%s", audit)
	}
	for _, bad := range [][]string{
		{"fraud", "sublets", "--data", data},
		{"fraud"},
		{"fraud", "spd", "--data", data, "--format", "xml"},
		{"fraud", "spd", "--data", data, "--min-score", "2"},
		{"fraud", "spd", "--data", data, "--min-score", "NaN"},
	} {
		if _, errs, code := runCLI(t, bad...); code != 2 || errs == "" {
			t.Errorf("%v: exit %d, %q", bad, code, errs)
		}
	}
	// No store there: not a usage mistake but a wrong directory, named
	// (TestNoStoreNoCommand).
	if _, errs, code := runCLI(t, "fraud", "spd", "--data", filepath.Join(dir, "nowhere")); code != 1 || !strings.Contains(errs, "nowhere") {
		t.Errorf("fraud spd on no store: exit %d, %q", code, errs)
	}
}
