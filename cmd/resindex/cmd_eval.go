package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"github.com/resindex/resindex/evaluate"
	"github.com/resindex/resindex/internal/cli"
	"github.com/resindex/resindex/internal/report"
	"github.com/resindex/resindex/resolver"
)

// evalConfig is what eval is asked to score and explain.
type evalConfig struct {
	truth, clusters string
	households      string   // truth/households.csv, to score a store's households
	alerts          bool     // score a store's alerts against truth/scenarios.json
	fraud           bool     // score the fraud checks' findings against truth/scenarios.json
	data            string   // the store whose households are scored
	ins             []string // records to explain the worst errors with
	model           string
	worst           int
}

func runEval(ctx context.Context, e *env, args []string) error {
	fs := cli.NewFlags(e.stderr, "eval", "--truth truth/records.csv (--clusters clusters.csv [--in canonical/] [--worst N] | --households truth/households.csv --data DIR) | (--alerts|--fraud) --truth DIR/truth --data DIR")
	var c evalConfig
	fs.StringVar(&c.truth, "truth", "", "ground truth CSV (source,id,person_id)")
	fs.StringVar(&c.clusters, "clusters", "", "clusters CSV from 'resindex link'")
	fs.Var((*cli.Multi)(&c.ins), "in", "canonical records, to explain the worst errors (default: ../canonical beside the truth, if present)")
	fs.StringVar(&c.model, "model", "", "model used to explain the worst errors")
	fs.IntVar(&c.worst, "worst", 5, "how many worst false merges and false splits to show")
	fs.StringVar(&c.households, "households", "", "the true households (truth/households.csv from 'resindex gen'): score the households of the store --data, pairwise, at the end of the timeline")
	fs.BoolVar(&c.alerts, "alerts", false, "score the safeguarding alerts of the store --data against --truth DIR/truth (its scenarios.json and records.csv)")
	fs.BoolVar(&c.fraud, "fraud", false, "run the fraud checks over the store --data and score their findings at or above the default score against --truth DIR/truth (its scenarios.json)")
	fs.StringVar(&c.data, "data", "", "with --households, --alerts or --fraud: the store")
	if err := cli.Parse(fs, args); err != nil {
		return err
	}
	if c.alerts || c.fraud {
		if c.truth == "" || c.data == "" || c.clusters != "" || c.households != "" || c.alerts && c.fraud {
			fs.Usage()
			return fmt.Errorf("--alerts or --fraud (not both) needs --truth DIR/truth and --data, and no --clusters or --households: %w", errUsage)
		}
		if c.fraud {
			return evaluateFraud(e, c)
		}
		return evaluateAlerts(e, c)
	}
	if c.households != "" {
		if c.truth == "" || c.data == "" || c.clusters != "" {
			fs.Usage()
			return fmt.Errorf("--households needs --truth and --data, and no --clusters: %w", errUsage)
		}
		return evaluateHouseholds(e, c)
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
	truth, err := evaluate.ReadAssignmentsFile(c.truth)
	if err != nil {
		return err
	}
	pred, err := evaluate.ReadAssignmentsFile(c.clusters)
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
	ex, err := explainer(e, c.ins, c.model)
	if err != nil {
		return err
	}
	return report.Eval(e.stdout, truth, pred, c.worst, ex)
}

func isDir(p string) bool {
	st, err := os.Stat(p)
	return err == nil && st.IsDir()
}

// explainer loads records to explain errors with; with none it returns
// nil and explanations are left out.
func explainer(e *env, ins []string, modelPath string) (*report.Explainer, error) {
	if len(ins) == 0 {
		return nil, nil
	}
	model, err := resolver.LoadModel(modelPath)
	if err != nil {
		return nil, err
	}
	recs, err := readLive(e, ins, 0, nil)
	if err != nil {
		return nil, err
	}
	return report.NewExplainer(recs, model), nil
}
