package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"slices"

	"github.com/resindex/resindex"
	"github.com/resindex/resindex/evaluate"
	"github.com/resindex/resindex/matcher"
	"github.com/resindex/resindex/resolver"
)

// evalConfig is what eval is asked to score and explain.
type evalConfig struct {
	truth, clusters string
	ins             []string // records to explain the worst errors with
	model           string
	worst           int
}

func runEval(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "eval", "--truth truth/records.csv --clusters clusters.csv [--in canonical/] [--worst N]")
	var c evalConfig
	fs.StringVar(&c.truth, "truth", "", "ground truth CSV (source,id,person_id)")
	fs.StringVar(&c.clusters, "clusters", "", "clusters CSV from 'resindex link'")
	fs.Var((*multiFlag)(&c.ins), "in", "canonical records, to explain the worst errors (default: ../canonical beside the truth, if present)")
	fs.StringVar(&c.model, "model", "", "model used to explain the worst errors")
	fs.IntVar(&c.worst, "worst", 5, "how many worst false merges and false splits to show")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if c.truth == "" || c.clusters == "" {
		fs.Usage()
		return fmt.Errorf("--truth and --clusters are required: %w", errUsage)
	}
	return evaluateClusters(e, c)
}

// evaluateClusters scores a clustering against the truth and explains
// its worst errors.
func evaluateClusters(e *env, c evalConfig) error {
	truth, err := readAssignmentsFile(c.truth)
	if err != nil {
		return err
	}
	pred, err := readAssignmentsFile(c.clusters)
	if err != nil {
		return err
	}
	if len(c.ins) == 0 {
		if dir := filepath.Join(filepath.Dir(c.truth), "..", "canonical"); isDir(dir) {
			c.ins = []string{dir}
		}
	}
	if len(c.ins) == 0 && c.model != "" {
		fmt.Fprintln(e.stderr, "note: --model is used only to explain errors, which needs the records (--in); it is ignored")
	}
	ex, err := newExplainer(e, c.ins, c.model)
	if err != nil {
		return err
	}
	return printEval(e.stdout, truth, pred, c.worst, ex)
}

func isDir(p string) bool {
	st, err := os.Stat(p)
	return err == nil && st.IsDir()
}

func printEval(w io.Writer, truth, pred []resindex.Assignment, n int, ex *explainer) error {
	m := evaluate.Compare(truth, pred)
	if err := m.Format(w); err != nil {
		return err
	}
	if n <= 0 {
		return nil
	}
	fmt.Fprintf(w, "\nworst false merges (records of different people joined):\n")
	for _, fm := range evaluate.WorstMerges(truth, pred, n) {
		fmt.Fprintf(w, "- predicted %s: %d records, %d wrong pairs; e.g. %s + %s\n", fm.PredictedID, len(fm.Records), fm.WrongPairs, fm.Example[0], fm.Example[1])
		ex.why(w, fm.Example, true)
	}
	fmt.Fprintf(w, "\nworst false splits (one person's records kept apart):\n")
	for _, fs := range evaluate.WorstSplits(truth, pred, n) {
		fmt.Fprintf(w, "- true person %s: %d records, %d missed pairs; e.g. %s + %s\n", fs.TrueID, len(fs.Records), fs.MissedPairs, fs.Example[0], fs.Example[1])
		ex.why(w, fs.Example, false)
	}
	return nil
}

// explainer explains pairs of records from a loaded set, with the term
// frequencies of that set.
type explainer struct {
	index    map[resindex.RecordKey]int
	profiles []matcher.Profile
	scorer   *matcher.Scorer
}

// newExplainer loads records to explain pairs with; with no input it
// returns nil and explanations are left out.
func newExplainer(e *env, ins []string, modelPath string) (*explainer, error) {
	if len(ins) == 0 {
		return nil, nil
	}
	model, err := loadModel(modelPath)
	if err != nil {
		return nil, err
	}
	recs, err := readLive(e, ins, 0, nil)
	if err != nil {
		return nil, err
	}
	ps := resolver.Profiles(recs, model, runtime.GOMAXPROCS(0), func(int, int) {})
	ex := &explainer{index: make(map[resindex.RecordKey]int, len(recs)), profiles: ps, scorer: matcher.NewScorer(model, len(ps))}
	for i := range recs {
		ex.index[recs[i].Key()] = i
	}
	return ex, nil
}

// explain returns the explanation of a pair, or false if either record is
// unknown.
func (ex *explainer) explain(a, b resindex.RecordKey) (matcher.Explanation, bool) {
	if ex == nil {
		return matcher.Explanation{}, false
	}
	i, ok1 := ex.index[a]
	j, ok2 := ex.index[b]
	if !ok1 || !ok2 {
		return matcher.Explanation{}, false
	}
	return ex.scorer.Explain(&ex.profiles[i], &ex.profiles[j]), true
}

// why prints the terms that drove a wrong decision: for a false merge the
// agreements, for a false split the disagreements.
func (ex *explainer) why(w io.Writer, pair [2]resindex.RecordKey, merged bool) {
	x, ok := ex.explain(pair[0], pair[1])
	if !ok {
		return
	}
	terms := slices.Clone(x.Terms)
	slices.SortFunc(terms, func(a, b matcher.Term) int {
		if merged {
			return compareFloat(b.Weight, a.Weight)
		}
		return compareFloat(a.Weight, b.Weight)
	})
	fmt.Fprintf(w, "    pair weight %+.2f (%s):", x.Weight, x.Decision)
	for _, t := range terms {
		if t.Level != "null" && (merged && t.Weight > 0 || !merged && t.Weight < 0) {
			fmt.Fprintf(w, " %s=%s(%+.1f)", t.Comparison, t.Level, t.Weight)
		}
	}
	fmt.Fprintln(w)
}

func compareFloat(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}
