package main

import (
	"bytes"
	"errors"
	"fmt"
	"path/filepath"
	"slices"

	"github.com/resindex/resindex"
	"github.com/resindex/resindex/alerts"
	"github.com/resindex/resindex/evaluate"
	"github.com/resindex/resindex/internal/config"
	"github.com/resindex/resindex/resolver"
)

// evaluateHouseholds scores the households of a store against the true
// ones at the end of the borough's timeline: pairs of people living
// together, precision and recall.
func evaluateHouseholds(e *env, c evalConfig) error {
	if err := c.needDirs(false); err != nil {
		return err
	}
	res, err := evaluate.ReadResidencesFile(c.households)
	if err != nil {
		return err
	}
	truthOf, err := evaluate.ReadTruthFile(c.truth)
	if err != nil {
		return err
	}
	m, err := openScored(c.data)
	if err != nil {
		return err
	}
	defer m.Close()
	households, err := storeHouseholds(m)
	if err != nil {
		return err
	}
	hm := evaluate.CoResidence(res, truthOf, households)
	fmt.Fprintf(e.stdout, "households at the end of the timeline, pairs of people living together (%d true persons with a record)\n", hm.Known)
	fmt.Fprintf(e.stdout, "  true pairs %d, predicted %d, correct %d\n", hm.TruePairs, hm.PredictedPairs, hm.CorrectPairs)
	fmt.Fprintf(e.stdout, "  precision %.4f  recall %.4f  F1 %.4f\n", hm.Precision, hm.Recall, hm.F1)
	return nil
}

// needDirs refuses, with truth, a --truth that is not a directory, saying
// what to give (a --data naming no store is refused as the store opens).
func (c evalConfig) needDirs(truth bool) error {
	if truth && !isDir(c.truth) {
		return fmt.Errorf("--truth %s: not a directory (give the borough's truth/ directory): %w", c.truth, errUsage)
	}
	return nil
}

// openScored opens the engine over a store that eval scores.
func openScored(data string) (*Main, error) {
	m := &Main{Config: config.Config{Data: data}}
	if err := m.OpenEngine(engineSetup{}); err != nil {
		m.Close()
		return nil, err
	}
	return m, nil
}

// storeHouseholds reads the store's households: each the records of each
// of its members.
func storeHouseholds(m *Main) ([][][]resindex.RecordKey, error) {
	records := map[string][]resindex.RecordKey{}
	var order []string
	err := resolver.Export(m.DB, func(a resindex.Assignment) error {
		if _, seen := records[a.PersonID]; !seen {
			order = append(order, a.PersonID)
		}
		records[a.PersonID] = append(records[a.PersonID], a.Key)
		return nil
	})
	if err != nil {
		return nil, err
	}
	byKey := map[string]int{}
	var out [][][]resindex.RecordKey
	for _, pid := range order {
		p, err := m.Engine.Person(pid)
		if err != nil {
			return nil, fmt.Errorf("person %s: %w", pid, err)
		}
		if p.Household == "" {
			continue // no address: no one to live with
		}
		i, ok := byKey[p.Household]
		if !ok {
			i = len(out)
			byKey[p.Household] = i
			out = append(out, nil)
		}
		out[i] = append(out[i], records[pid])
	}
	return out, nil
}

// evaluateAlerts scores the store's safeguarding alerts against the
// borough's injected new-adult-with-child moves: recall, precision, and
// the misses and false alerts with why.
func evaluateAlerts(e *env, c evalConfig) error {
	if err := c.needDirs(true); err != nil {
		return err
	}
	cases, err := evaluate.ReadSafeguardingFile(filepath.Join(c.truth, "scenarios.json"))
	if err != nil {
		return err
	}
	truthOf, err := evaluate.ReadTruthFile(filepath.Join(c.truth, "records.csv"))
	if err != nil {
		return err
	}
	m, err := openScored(c.data)
	if err != nil {
		return err
	}
	defer m.Close()
	cases, restricted, err := withoutRestricted(m.Engine, cases)
	if err != nil {
		return err
	}
	if restricted > 0 {
		fmt.Fprintf(e.stdout, "Cases left out: the adult is restricted (no alert by design)  %d\n", restricted)
	}
	list, _, err := alerts.List(m.DB, alerts.Filter{Kind: resindex.AlertNewAdult})
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := alerts.WriteCSV(&buf, list); err != nil {
		return err
	}
	rows, err := evaluate.ReadAlerts(&buf)
	if err != nil {
		return err
	}
	return evaluate.FormatAlerts(e.stdout, evaluate.ScoreAlerts(cases, rows, truthOf), 20)
}

// withoutRestricted leaves out the cases whose adult the store holds as
// restricted: the rule raises no alert for them, as the issue asks.
func withoutRestricted(eng *resolver.Engine, cases []evaluate.SafeguardingCase) ([]evaluate.SafeguardingCase, int, error) {
	var out []evaluate.SafeguardingCase
	for _, c := range cases {
		r, err := restrictedAdult(eng, c.Records)
		if err != nil {
			return nil, 0, err
		}
		if !r {
			out = append(out, c)
		}
	}
	return out, len(cases) - len(out), nil
}

func restrictedAdult(eng *resolver.Engine, recs []resindex.RecordKey) (bool, error) {
	for _, k := range recs {
		pid, ok := eng.PersonOf(k)
		if !ok {
			continue
		}
		p, err := eng.Person(pid)
		if errors.Is(err, resindex.ErrNotFound) {
			continue
		}
		if err != nil {
			return false, err
		}
		for _, r := range p.Records {
			if slices.Contains(r.Flags, resindex.FlagRestricted) {
				return true, nil
			}
		}
	}
	return false, nil
}
