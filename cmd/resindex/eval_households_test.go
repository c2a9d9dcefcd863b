package main

import (
	"math"
	"path/filepath"
	"regexp"
	"strconv"
	"testing"
)

// TestEvalHouseholds scores a loaded borough's households against the
// truth gen writes: pairs are counted on both sides and the figures are
// fractions; a directory that is not there is refused, naming --data.
func TestEvalHouseholds(t *testing.T) {
	dir := t.TempDir()
	mustRun(t, "gen", "--persons", "300", "--seed", "4", "--out", dir, "--quiet", "--no-events")
	data := filepath.Join(dir, "store")
	mustRun(t, "ingest", "--canonical", filepath.Join(dir, "canonical"), "--data", data, "--quiet")
	truth, households := filepath.Join(dir, "truth", "records.csv"), filepath.Join(dir, "truth", "households.csv")
	out, _ := mustRun(t, "eval", "--households", households, "--truth", truth, "--data", data)
	m := regexp.MustCompile(`true pairs (\d+), predicted (\d+), correct (\d+)\s+precision ([0-9.]+)\s+recall ([0-9.]+)`).FindStringSubmatch(out)
	if m == nil {
		t.Fatalf("no household figures in:\n%s", out)
	}
	truePairs, _ := strconv.Atoi(m[1])
	predicted, _ := strconv.Atoi(m[2])
	correct, _ := strconv.Atoi(m[3])
	if truePairs == 0 || predicted == 0 || correct == 0 || correct > min(truePairs, predicted) {
		t.Fatalf("implausible pairs: %s", m[0])
	}
	if p, _ := strconv.ParseFloat(m[4], 64); math.Abs(p-float64(correct)/float64(predicted)) > 5e-5 {
		t.Errorf("precision %s, want %d/%d", m[4], correct, predicted)
	}
	_, errs, code := runCLI(t, "eval", "--households", households, "--truth", truth, "--data", filepath.Join(dir, "nowhere"))
	if code != 1 || !regexp.MustCompile(`no store in .*nowhere`).MatchString(errs) {
		t.Errorf("a store that is not there: exit %d, %q", code, errs)
	}
}
