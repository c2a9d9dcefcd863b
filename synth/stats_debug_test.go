package synth

import (
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/resindex/resindex"
)

func TestDebugStats(t *testing.T) {
	t0 := time.Now()
	seed, _ := strconv.Atoi(os.Getenv("SEED"))
	b, err := Generate(Config{Persons: 10000, Seed: uint64(seed)}, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("took %v", time.Since(t0))
	live := map[string]int{}
	for _, r := range b.Truth {
		live[r.Source]++
	}
	for _, s := range resindex.Sources {
		t.Logf("%-22s versions %7d live %6d", s, len(b.Records[s]), live[s])
	}
	kinds := map[string]int{}
	for _, e := range b.Errors {
		for _, k := range e.Kinds {
			kinds[k]++
		}
	}
	t.Logf("live %d errors %d share %.3f", len(b.Truth), len(b.Errors), float64(len(b.Errors))/float64(len(b.Truth)))
	for _, k := range ErrorKinds {
		t.Logf("  %-22s %d", k, kinds[k])
	}
	t.Logf("scenarios: safeguarding %d sublets %d spd %d", len(b.Scenarios.Safeguarding), len(b.Scenarios.Sublets), len(b.Scenarios.SinglePersonDiscounts))
	flags := map[string]int{}
	attain := 0
	for _, s := range resindex.Sources {
		for _, r := range b.Records[s] {
			for _, f := range r.Flags {
				flags[s+":"+f]++
			}
			if r.Attributes["attainer"] == "true" {
				attain++
			}
		}
	}
	t.Logf("flags %v attainer versions %d", flags, attain)
}
