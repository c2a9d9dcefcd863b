package main

import (
	"fmt"
	"io"
	"strings"

	"github.com/resindex/resindex/matcher"
	"github.com/resindex/resindex/resolver"
)

// printFitReport tells the operator how the model was fitted to the data
// and what it found: the sessions, whether the data has households, the
// prior, and what the data could not estimate (printModel gives every
// level's m and u).
func printFitReport(w io.Writer, rep resolver.FitReport) {
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

// printModel writes every comparison level's m, u and weight.
func printModel(w io.Writer, m *matcher.Model) {
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
