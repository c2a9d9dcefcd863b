package report

import (
	"cmp"
	"encoding/csv"
	"fmt"
	"io"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/resindex/resindex"
	"github.com/resindex/resindex/evaluate"
	"github.com/resindex/resindex/matcher"
	"github.com/resindex/resindex/resolver"
)

// FitReport tells the operator how the model was fitted to the data
// and what it found: the sessions, whether the data has households, the
// prior, and what the data could not estimate (Model gives every
// level's m and u).
func FitReport(w io.Writer, rep resolver.FitReport) {
	fmt.Fprintf(w, "model fitted to %d records: u from %d random pairs\n", rep.Records, rep.U.Pairs)
	for _, s := range rep.Sessions {
		fmt.Fprintf(w, "  EM blocked on %-18s %9d pairs, %4d iterations, converged=%v, match share %.4f\n",
			s.Name+":", s.Pairs, s.Iterations, s.Converged, s.MatchShare)
	}
	h := rep.Household
	fmt.Fprintf(w, "  same-property u from       %9d pairs, %4d iterations, converged=%v, match share %.4f\n",
		h.Pairs, h.Iterations, h.Converged, h.MatchShare)
	if rep.Households {
		fmt.Fprintln(w, "  households: yes (pairs at one property are a stratum of their own)")
	} else {
		fmt.Fprintln(w, "  households: no (a property's records are one person's; addresses discounted like names)")
	}
	p := rep.Prior
	fmt.Fprintf(w, "  prior: %s: %.0f pairs, recall %.3f → %.3f expected matches per record\n",
		p.Rule, p.Pairs, p.Recall, p.ExpectedMatchesPerRecord)
	if len(rep.Kept) > 0 {
		fmt.Fprintf(w, "  m kept from the starting model (too few values in the data): %s\n", strings.Join(rep.Kept, ", "))
	}
}

// Model writes every comparison level's m, u and weight.
func Model(w io.Writer, m *matcher.Model) {
	fmt.Fprintf(w, "model %s: link at %.2f, review at %.2f, conflict at %.2f, %.3f expected matches per record\n",
		m.Version, m.LinkThreshold, m.ReviewThreshold, m.ConflictThreshold, m.ExpectedMatchesPerRecord)
	for c := matcher.Comparison(0); c < matcher.NumComparisons; c++ {
		fmt.Fprintf(w, "  %s:", c)
		for l := matcher.Level(1); int(l) < c.NumLevels(); l++ {
			p := m.Params(c, l)
			fmt.Fprintf(w, " %s m=%.3g u=%.3g", c.LevelName(l), p.M, p.U)
		}
		fmt.Fprintln(w)
	}
}

// Clusters writes a link's persons as a clusters CSV (source,id,person_id).
func Clusters(w io.Writer, res *resolver.LinkResult) error {
	as := make([]resindex.Assignment, len(res.Keys))
	for i, k := range res.Keys {
		as[i] = resindex.Assignment{Key: k, PersonID: res.PersonIDs[i]}
	}
	return evaluate.WriteAssignments(w, as)
}

// Pairs writes a link's scored pairs as CSV, with the weight, its
// probability, the decision and the model that made it.
func Pairs(w io.Writer, res *resolver.LinkResult) error {
	cw := csv.NewWriter(w)
	cw.Write([]string{"source_a", "id_a", "source_b", "id_b", "weight", "probability", "decision", "model"})
	model := res.Scorer.Model().Version
	for _, ed := range res.Edges {
		a, b := res.Keys[ed.A], res.Keys[ed.B]
		wt := ed.Weight
		cw.Write([]string{a.Source, a.ID, b.Source, b.ID,
			strconv.FormatFloat(wt, 'f', 2, 64),
			strconv.FormatFloat(matcher.Probability(wt), 'f', 4, 64),
			res.Scorer.Decide(wt, false), model})
	}
	cw.Flush()
	return cw.Error()
}

// LinkStats writes what a link did: records and persons, candidate pairs
// by blocking rule, decisions, and the time of each stage.
func LinkStats(w io.Writer, s resolver.LinkStats) {
	fmt.Fprintf(w, "records %d → persons %d\n", s.Records, s.Persons)
	fmt.Fprintf(w, "candidate pairs %d in %d blocks (%d oversized, %d pairs left uncompared by windowing)\n",
		s.Candidates, s.Blocks, s.OversizedBlocks, s.WindowedOut)
	for r := matcher.Rule(0); r < matcher.NumRules; r++ {
		fmt.Fprintf(w, "  %-30s %10d pairs (estimated %d before scoring)", r, s.CandidatesByRule[r], s.EstimatedByRule[r])
		if s.SkippedRules[r] {
			fmt.Fprintf(w, " left out: over the budget of %d a record", resolver.FallbackBudget)
		}
		if s.TruePairs > 0 {
			fmt.Fprintf(w, " %9d true", s.TruePairsByRule[r])
		}
		fmt.Fprintln(w)
	}
	fmt.Fprintf(w, "pairs at or above the link weight %d, possible matches for review %d, merges refused %d", s.Links, s.Reviews, s.RejectedMerges)
	for r := matcher.Refusal(0); r < matcher.NumRefusals; r++ {
		fmt.Fprintf(w, "; %s %d", r, s.Refused[r])
	}
	fmt.Fprintln(w)
	if s.TruePairs > 0 {
		fmt.Fprintf(w, "blocking pair completeness %.4f (%d of %d true pairs)\n", s.PairCompleteness(), s.TruePairsFound, s.TruePairs)
	}
	for _, st := range []string{"profiles", "fitting", "blocking", "scoring", "clustering"} {
		if d, ok := s.Durations[st]; ok {
			fmt.Fprintf(w, "  %-10s %s\n", st, d.Round(time.Millisecond))
		}
	}
}

// Eval writes the accuracy of a clustering against the truth and its n
// worst false merges and splits, explained by ex (nil: unexplained).
func Eval(w io.Writer, truth, pred []resindex.Assignment, n int, ex *Explainer) error {
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

// Explainer explains pairs of records from a loaded set, with the term
// frequencies of that set.
type Explainer struct {
	index    map[resindex.RecordKey]int
	profiles []matcher.Profile
	scorer   *matcher.Scorer
}

// NewExplainer explains pairs of the given records with the model and
// the term frequencies of those records.
func NewExplainer(recs []resindex.Record, model *matcher.Model) *Explainer {
	ps := resolver.Profiles(recs, model, runtime.GOMAXPROCS(0), func(int, int) {})
	ex := &Explainer{index: make(map[resindex.RecordKey]int, len(recs)), profiles: ps, scorer: matcher.NewScorer(model, len(ps))}
	for i := range recs {
		ex.index[recs[i].Key()] = i
	}
	return ex
}

// Explain returns the explanation of a pair, or false if either record is
// unknown.
func (ex *Explainer) Explain(a, b resindex.RecordKey) (matcher.Explanation, bool) {
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
func (ex *Explainer) why(w io.Writer, pair [2]resindex.RecordKey, merged bool) {
	x, ok := ex.Explain(pair[0], pair[1])
	if !ok {
		return
	}
	terms := slices.Clone(x.Terms)
	slices.SortFunc(terms, func(a, b matcher.Term) int {
		if merged {
			return cmp.Compare(b.Weight, a.Weight)
		}
		return cmp.Compare(a.Weight, b.Weight)
	})
	fmt.Fprintf(w, "    pair weight %+.2f (%s):", x.Weight, x.Decision)
	for _, t := range terms {
		if t.Level != "null" && (merged && t.Weight > 0 || !merged && t.Weight < 0) {
			fmt.Fprintf(w, " %s=%s(%+.1f)", t.Comparison, t.Level, t.Weight)
		}
	}
	fmt.Fprintln(w)
}

// Problems prints fields that were present but unusable as evidence
// (an unparseable date of birth, an invalid NHS number): they are kept in
// the record and ignored by matching.
func Problems(w io.Writer, ps []matcher.Profile) {
	counts := map[string]int{}
	shown := 0
	for i := range ps {
		for _, p := range ps[i].Problems {
			field, _, _ := strings.Cut(p, ":")
			counts[field]++
			if shown < maxProblems {
				fmt.Fprintf(w, "record %s: %s (kept, not used as evidence)\n", ps[i].Key, p)
				shown++
			}
		}
	}
	fields := make([]string, 0, len(counts))
	for f := range counts {
		fields = append(fields, f)
	}
	slices.Sort(fields)
	for _, f := range fields {
		fmt.Fprintf(w, "unusable %s: %d record(s)\n", f, counts[f])
	}
}

// maxProblems bounds how many problems are printed one by one; the rest
// are counted by field.
const maxProblems = 20
