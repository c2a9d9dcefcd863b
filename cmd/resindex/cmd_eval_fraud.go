package main

import (
	"bytes"
	"fmt"
	"path/filepath"

	"github.com/resindex/resindex"
	"github.com/resindex/resindex/evaluate"
	"github.com/resindex/resindex/fraud"
	"github.com/resindex/resindex/resolver"
)

// evaluateFraud runs both fraud checks over a store and scores their
// findings at or above the default score against the borough's injected
// sublets and false discounts: recall, precision, and the misses with why.
func evaluateFraud(e *env, c evalConfig) error {
	if err := c.needDirs(true); err != nil {
		return err
	}
	scenarios := filepath.Join(c.truth, "scenarios.json")
	lists := map[fraud.Kind]string{fraud.Subletting: "sublets", fraud.SPD: "single_person_discounts"}
	cases := map[fraud.Kind][]evaluate.FraudCase{}
	for k, list := range lists {
		cs, err := evaluate.ReadFraudCasesFile(scenarios, list)
		if err != nil {
			return err
		}
		cases[k] = cs
	}
	m, err := openScored(c.data)
	if err != nil {
		return err
	}
	defer m.Close()
	kinds := []fraud.Kind{fraud.Subletting, fraud.SPD}
	reps, err := fraud.Run(storeScan(m), kinds, fraud.Options{})
	if err != nil {
		return err
	}
	for i, k := range kinds {
		cs, restricted, err := withoutRestrictedSubjects(m.Engine, cases[k])
		if err != nil {
			return err
		}
		var buf bytes.Buffer
		if err := fraud.WriteCSV(&buf, k, reps[i].Findings); err != nil {
			return err
		}
		rows, err := evaluate.ReadFindings(&buf, fraud.Columns[k])
		if err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "%s, as of %s (%.1f s to read %d records and check)\n", k, reps[i].AsOf, reps[i].Took.Seconds(), reps[i].Records)
		if restricted > 0 {
			fmt.Fprintf(e.stdout, "  cases left out: the subject is restricted, or only restricted persons' records show it (no finding by design)  %d\n", restricted)
		}
		if err := evaluate.FormatFindings(e.stdout, string(k), evaluate.ScoreFindings(cs, rows, fraud.DefaultMinScore), 15); err != nil {
			return err
		}
	}
	return nil
}

// withoutRestrictedSubjects leaves out the cases whose tenant or liable
// person the store holds as restricted, and those that only restricted
// persons' records show: the checks neither raise a finding on a
// restricted person nor take one as evidence.
func withoutRestrictedSubjects(eng *resolver.Engine, cases []evaluate.FraudCase) ([]evaluate.FraudCase, int, error) {
	var out []evaluate.FraudCase
	for _, c := range cases {
		r, err := restrictedAdult(eng, []resindex.RecordKey{c.Account})
		if err != nil {
			return nil, 0, err
		}
		shown := false
		for _, k := range c.Records {
			rk, err := restrictedAdult(eng, []resindex.RecordKey{k})
			if err != nil {
				return nil, 0, err
			}
			shown = shown || !rk
		}
		if !r && (shown || len(c.Records) == 0) {
			out = append(out, c)
		}
	}
	return out, len(cases) - len(out), nil
}
