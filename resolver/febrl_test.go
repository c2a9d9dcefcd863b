package resolver_test

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/resindex/resindex"
	"github.com/resindex/resindex/evaluate"
	"github.com/resindex/resindex/matcher"
	"github.com/resindex/resindex/resolver"
)

// febrlDir finds the public FEBRL benchmark beside the repository (it is
// read from there, never copied in).
func febrlDir(t *testing.T) string {
	dir := os.Getenv("RESINDEX_FEBRL_DIR")
	if dir == "" {
		dir = filepath.Join("..", "..", "shared", "benchmarks", "febrl")
	}
	if _, err := os.Stat(dir); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("FEBRL benchmark not found at %s: %v", dir, err)
		}
		t.Skipf("FEBRL benchmark not found at %s", dir)
	}
	return dir
}

func readFEBRL(t *testing.T, dir, file string, withSSN bool) ([]resindex.Record, []resindex.Assignment) {
	f, err := os.Open(filepath.Join(dir, file))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, truth, err := evaluate.ReadFEBRL(f, evaluate.FEBRLOptions{WithSSN: withSSN, Source: file})
	if err != nil {
		t.Fatal(err)
	}
	return recs, truth
}

// TestFEBRL links the FEBRL datasets as plain `link` does, fitting the
// model to each dataset (unsupervised: nothing sees the truth), and checks
// the targets: F1 at least 0.99 without the social security number and
// 0.995 with it. The matcher must be general, not fitted to our own
// generator. The shipped model, pinned, is reported beside it.
func TestFEBRL(t *testing.T) {
	dir := febrlDir(t)
	sets := []struct {
		name  string
		files []string
	}{
		{"dataset1", []string{"dataset1.csv"}},
		{"dataset2", []string{"dataset2.csv"}},
		{"dataset3", []string{"dataset3.csv"}},
		{"dataset4", []string{"dataset4a.csv", "dataset4b.csv"}},
	}
	for _, s := range sets {
		for _, c := range febrlCases() {
			t.Run(fmt.Sprintf("%s/ssn=%v/fitted=%v", s.name, c.ssn, c.fitted), func(t *testing.T) {
				var recs []resindex.Record
				var truth []resindex.Assignment
				for _, f := range s.files {
					r, tr := readFEBRL(t, dir, f, c.ssn)
					recs, truth = append(recs, r...), append(truth, tr...)
				}
				opts := resolver.LinkOptions{}
				if c.fitted {
					opts.Fit = &resolver.FitOptions{Seed: 1}
				}
				res := MustLink(t, recs, opts)
				m := evaluate.Compare(truth, assignments(res))
				t.Logf("febrl %s with_ssn=%v fitted=%v: records %d precision %.4f recall %.4f F1 %.4f", s.name, c.ssn, c.fitted, m.Records, m.Precision, m.Recall, m.F1)
				if c.fitted && m.F1 < c.minF1 {
					t.Errorf("F1 %.4f below the target %.3f", m.F1, c.minF1)
				}
			})
		}
	}
}

type febrlCase struct {
	ssn, fitted bool
	minF1       float64 // 0: reported only
}

func febrlCases() []febrlCase {
	return []febrlCase{{false, true, 0.99}, {true, true, 0.995}, {false, false, 0}}
}

// MustTrain fits a model to records without looking at any truth.
func MustTrain(tb testing.TB, recs []resindex.Record) *matcher.Model {
	tb.Helper()
	m, _, err := resolver.Train(slices.Clone(recs), resolver.TrainOptions{FitOptions: resolver.FitOptions{RandomPairs: 500_000, Seed: 1}})
	if err != nil {
		tb.Fatal(err)
	}
	return m
}
