package resolver

import (
	"fmt"
	"runtime"
	"time"

	"github.com/resindex/resindex"
	"github.com/resindex/resindex/matcher"
)

// LinkOptions configure a batch link. Zero values take the defaults.
type LinkOptions struct {
	Model    *matcher.Model // default: matcher.DefaultModel()
	Workers  int            // default: all cores
	MaxBlock int            // blocks larger than this are windowed; default 80
	Window   int            // neighbours compared in an oversized block; default 20
	// Population is the number of records the prior is reckoned for;
	// default the number linked. A bulk load into a store sets the
	// store's, so that later changes score as the load did.
	Population int
	// Progress, if set, is called now and then with a stage and counts,
	// possibly from several goroutines at once: it must be safe for that.
	Progress func(stage string, done, total int)
	// Truth, if set, maps records to true person IDs so that blocking pair
	// completeness can be measured.
	Truth map[resindex.RecordKey]string
	// Fit, if set, fits the model to the records before linking, starting
	// from Model (see Fit); the fitted model is the result's Scorer's.
	Fit *FitOptions
	// ReleaseRecords lets Link clear each record once its profile is
	// made, for a caller that needs only the result: a million records
	// are more than a gigabyte that would otherwise be held beside the
	// profiles.
	ReleaseRecords bool
}

func (o *LinkOptions) defaults() {
	if o.Model == nil {
		o.Model = matcher.DefaultModel()
	}
	if o.Workers <= 0 {
		o.Workers = runtime.GOMAXPROCS(0)
	}
	if o.MaxBlock <= 0 {
		o.MaxBlock = 80
	}
	if o.Window <= 0 {
		o.Window = 20
	}
	if o.Progress == nil {
		o.Progress = func(string, int, int) {}
	}
}

// LinkResult is the outcome of a batch link.
type LinkResult struct {
	Keys      []resindex.RecordKey // in key order
	PersonIDs []string             // person of each key
	Edges     []matcher.Edge       // candidate pairs at or above the review weight, strongest first
	Profiles  []matcher.Profile
	Scorer    *matcher.Scorer
	Stats     LinkStats
	// Fit reports how the model was fitted, when it was.
	Fit *FitReport
}

// LinkStats reports what a link did, for the operator and for benchmarks.
type LinkStats struct {
	Records          int
	Persons          int
	Candidates       int64
	CandidatesByRule [matcher.NumRules]int64
	// EstimatedByRule is each rule's comparisons as estimated from its
	// blocks before scoring (a pair two rules share counts in both);
	// SkippedRules the fallback rules left out as too costly.
	EstimatedByRule [matcher.NumRules]int64
	SkippedRules    [matcher.NumRules]bool
	Blocks          int
	OversizedBlocks int
	// WindowedOut counts pairs of oversized blocks left uncompared.
	WindowedOut int64
	// Links and Reviews count scored pairs at or above the link weight, and
	// between the review and link weights; Persons counts the clusters made.
	Links          int
	Reviews        int
	RejectedMerges int
	// Refused counts the refused merges by reason.
	Refused [matcher.NumRefusals]int
	// TruePairs and TruePairsFound measure blocking pair completeness when
	// the options carried the truth.
	TruePairs, TruePairsFound int64
	// TruePairsByRule counts the true pairs each rule produced first.
	TruePairsByRule [matcher.NumRules]int64
	Durations       map[string]time.Duration
}

// PairCompleteness is the share of true pairs that blocking produced.
func (s LinkStats) PairCompleteness() float64 {
	if s.TruePairs == 0 {
		return 1
	}
	return float64(s.TruePairsFound) / float64(s.TruePairs)
}

// Link links records into persons. Records must be one version per key
// (see Latest); the slice is sorted by key in place first, so the result
// never depends on input order.
func Link(records []resindex.Record, opts LinkOptions) (*LinkResult, error) {
	opts.defaults()
	SortRecords(records)
	if err := checkUnique(records); err != nil {
		return nil, err
	}
	l := &linker{opts: opts, res: &LinkResult{Stats: LinkStats{Records: len(records), Durations: map[string]time.Duration{}}}}
	l.stage("profiles", func() { l.profiles(records) })
	// Fitting is timed as a stage of its own, inside the profiles'.
	l.res.Stats.Durations["profiles"] -= l.res.Stats.Durations["fitting"]
	l.stage("blocking", l.block)
	l.stage("scoring", l.score)
	l.stage("clustering", l.cluster)
	return l.res, nil
}

func checkUnique(rs []resindex.Record) error {
	for i := 1; i < len(rs); i++ {
		if rs[i].Key() == rs[i-1].Key() {
			return fmt.Errorf("link: record %s appears twice; keep one version per record", rs[i].Key())
		}
	}
	return nil
}

type linker struct {
	opts    LinkOptions
	res     *LinkResult
	keys    []matcher.BlockingKeys
	entries []blockEntry
	truth   []int32
}

func (l *linker) stage(name string, f func()) {
	start := time.Now()
	f()
	l.res.Stats.Durations[name] = time.Since(start)
}
