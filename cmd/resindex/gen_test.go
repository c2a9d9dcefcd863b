package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestGenPeople: --profile people writes the canonical registers and the
// truth, nothing of a borough, and link and eval read what it writes.
func TestGenPeople(t *testing.T) {
	dir := t.TempDir()
	_, errs := mustRun(t, "gen", "--profile", "people", "--persons", "300", "--seed", "2", "--out", dir)
	if !strings.Contains(errs, "canonical/ and truth/records.csv only") {
		t.Errorf("gen does not say what it left out:\n%s", errs)
	}
	for _, p := range []string{"canonical/register_a.ndjson", "canonical/register_b.ndjson", "canonical/register_c.ndjson", "truth/records.csv"} {
		if st, err := os.Stat(filepath.Join(dir, p)); err != nil || st.Size() == 0 {
			t.Errorf("gen did not write %s (%v)", p, err)
		}
	}
	for _, p := range []string{"native", "events", "truth/errors.csv", "truth/scenarios.json"} {
		if _, err := os.Stat(filepath.Join(dir, p)); err == nil {
			t.Errorf("gen --profile people wrote %s", p)
		}
	}
	truth, clusters := filepath.Join(dir, "truth", "records.csv"), filepath.Join(dir, "clusters.csv")
	mustRun(t, "link", "--in", filepath.Join(dir, "canonical"), "--out", clusters, "--truth", truth, "--quiet")
	if out, _ := mustRun(t, "eval", "--truth", truth, "--clusters", clusters); !strings.Contains(out, "Pairwise precision") {
		t.Errorf("eval output lacks its figures:\n%s", out)
	}
}

func TestGenProfileErrors(t *testing.T) {
	dir := t.TempDir()
	cases := []struct {
		args []string
		code int
		want string
	}{
		{[]string{"gen", "--profile", "village", "--out", dir}, 2, "--profile"},
		{[]string{"gen", "--profile", "people", "--years", "5", "--out", dir}, 2, "--years applies only to --profile borough"},
		{[]string{"gen", "--profile", "people", "--no-events", "--out", dir}, 2, "--no-events applies only"},
		{[]string{"gen", "--profile", "people", "--persons", "0", "--out", dir}, 1, "positive"},
	}
	for _, c := range cases {
		_, errs, code := runCLI(t, c.args...)
		if code != c.code || !strings.Contains(errs, c.want) {
			t.Errorf("resindex %v: exit %d, stderr %q; want exit %d mentioning %q", c.args, code, errs, c.code, c.want)
		}
	}
}
