package main

import (
	"bytes"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"syscall"
	"testing"
	"time"
)

// TestIngestSurvivesSIGKILL runs the real binary ingesting a borough's
// timeline, kills it with SIGKILL at random moments, restarts it each
// time, and checks that the final store holds exactly what an
// uninterrupted run holds: the same persons and the same change feed, no
// entry lost or doubled.
func TestIngestSurvivesSIGKILL(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and kills the binary")
	}
	dir := t.TempDir()
	bin := filepath.Join(dir, "resindex")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	mustRun(t, "gen", "--persons", "700", "--seed", "13", "--out", dir, "--quiet")
	canonical := filepath.Join(dir, "canonical")
	clean := filepath.Join(dir, "clean")
	runBinary(t, bin, "ingest", "--canonical", canonical, "--data", clean, "--quiet")
	crashed := filepath.Join(dir, "crashed")
	rng := rand.New(rand.NewPCG(13, 1))
	kills, maxWait := 0, 450
	for attempt := 0; attempt < 60; attempt++ {
		cmd := exec.Command(bin, "ingest", "--canonical", canonical, "--data", crashed, "--quiet")
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		done := make(chan error, 1)
		go func() { done <- cmd.Wait() }()
		wait := time.Duration(100+rng.IntN(maxWait)) * time.Millisecond
		if kills >= 5 {
			wait = time.Hour // enough kills: let it finish
		}
		select {
		case err := <-done:
			if err != nil {
				t.Fatalf("ingest failed after %d kills: %v\n%s", kills, err, stderr.Bytes())
			}
			if kills < 5 {
				// This machine ingests faster than the kills came: start
				// again, killing sooner.
				os.RemoveAll(crashed)
				kills, maxWait = 0, max(maxWait/2, 50)
				continue
			}
			compareStores(t, clean, crashed)
			return
		case <-time.After(wait):
			cmd.Process.Signal(syscall.SIGKILL)
			<-done
			kills++
		}
	}
	t.Fatal("ingest never finished")
}

func runBinary(t *testing.T, bin string, args ...string) {
	t.Helper()
	if out, err := exec.Command(bin, args...).CombinedOutput(); err != nil {
		t.Fatalf("%s %v: %v\n%s", bin, args, err, out)
	}
}

// wallClock matches the times of an alert's raising and steps.
var wallClock = regexp.MustCompile(`"(raised_at|at|next)":"[^"]*"`)

// compareStores exports persons and changes from two stores and compares.
func compareStores(t *testing.T, a, b string) {
	t.Helper()
	for _, what := range []string{"clusters", "changes"} {
		fa, fb := filepath.Join(t.TempDir(), what+"-a"), filepath.Join(t.TempDir(), what+"-b")
		mustRun(t, "export", what, "--data", a, "--out", fa)
		mustRun(t, "export", what, "--data", b, "--out", fb)
		da, _ := os.ReadFile(fa)
		db, _ := os.ReadFile(fb)
		// An alert carries the wall-clock time it was raised: the one
		// thing two runs of the same timeline may differ in.
		da, db = wallClock.ReplaceAll(da, []byte(`"$1":"T"`)), wallClock.ReplaceAll(db, []byte(`"$1":"T"`))
		if string(da) != string(db) {
			t.Errorf("%s differ after crashes (%d bytes clean, %d bytes crashed)", what, len(da), len(db))
		}
	}
}
