package searchbench

import (
	"fmt"
	"io"
	"time"

	"github.com/resindex/resindex"
	"github.com/resindex/resindex/internal/latency"
)

// Drawn is a record drawn from the store and the person it belongs to,
// as the search being measured names persons.
type Drawn struct {
	Record resindex.Record
	Want   string
}

// Search makes one search and says whether want was among the first ten
// persons found.
type Search func(q resindex.Query, want string) (bool, error)

// Run times every query of every drawn record; may leaves out the
// queries the searcher is not allowed to make (nil: all are made).
func Run(drawn []Drawn, may func(resindex.Query) bool, search Search) (Results, error) {
	results := Results{}
	for _, d := range drawn {
		for kind, q := range Queries(&d.Record) {
			if may != nil && !may(q) {
				continue
			}
			t0 := time.Now()
			found, err := search(q, d.Want)
			if err != nil {
				return nil, err
			}
			results[kind] = results[kind].add(time.Since(t0), found)
		}
	}
	return results, nil
}

// Queries builds the searches staff make from a record, by kind: name
// and date of birth, also with two letters of the family name swapped (a
// slip of the keyboard); name and postcode; an identifier; the family
// name alone.
func Queries(r *resindex.Record) map[string]resindex.Query {
	out := map[string]resindex.Query{}
	if r.Name.Family != "" && r.DOB != "" {
		out["name+dob"] = resindex.Query{Given: r.Name.Given, Family: r.Name.Family, DOB: r.DOB}
		if f := []rune(r.Name.Family); len(f) >= 4 && f[1] != f[2] {
			f[1], f[2] = f[2], f[1]
			out["typo+dob"] = resindex.Query{Given: r.Name.Given, Family: string(f), DOB: r.DOB}
		}
	}
	if r.Name.Family != "" {
		out["family"] = resindex.Query{Family: r.Name.Family} // many namesakes: timed, not expected first
	}
	if r.Name.Family != "" && len(r.Addresses) > 0 && r.Addresses[0].Postcode != "" {
		out["name+postcode"] = resindex.Query{Given: r.Name.Given, Family: r.Name.Family, Postcode: r.Addresses[0].Postcode}
	}
	for _, kind := range []string{resindex.IDNHS, resindex.IDNINO, resindex.IDUPN} {
		if v := r.Identifiers[kind]; v != "" {
			out["identifier"] = resindex.Query{Identifiers: map[string]string{kind: v}}
			break
		}
	}
	return out
}

// Results are the measurements by kind of query.
type Results map[string]*Result

// Result is one kind of query's latencies and how often it found the
// right person.
type Result struct {
	Latency []time.Duration
	Found   int
}

func (b *Result) add(d time.Duration, found bool) *Result {
	if b == nil {
		b = &Result{}
	}
	b.Latency = append(b.Latency, d)
	if found {
		b.Found++
	}
	return b
}

// Print writes the table of results: each kind, all of them together,
// and the family name alone (whose latency is what counts: it has many
// namesakes).
func (rs Results) Print(w io.Writer, records int) {
	fmt.Fprintf(w, "%d records drawn\n%-14s %7s  %-44s  %s\n", records, "query", "count", "latency", "right person in first 10")
	all := &Result{}
	for _, kind := range []string{"name+dob", "typo+dob", "name+postcode", "identifier"} {
		r := rs[kind]
		if r == nil {
			continue
		}
		all.Latency, all.Found = append(all.Latency, r.Latency...), all.Found+r.Found
		printLine(w, kind, r)
	}
	printLine(w, "all", all)
	if r := rs["family"]; r != nil {
		printLine(w, "family alone", r)
	}
}

func printLine(w io.Writer, kind string, r *Result) {
	fmt.Fprintf(w, "%-14s %7d  %-44s  %.1f%%\n", kind, len(r.Latency), latency.Summary(r.Latency), 100*float64(r.Found)/float64(max(len(r.Latency), 1)))
}
