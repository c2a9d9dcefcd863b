package synth

import (
	"cmp"
	"fmt"
	"runtime"
	"slices"
	"sync"

	"github.com/resindex/resindex"
)

// Borough is a generated borough: every source's change timeline and the
// ground truth. Records of one source record share their unchanged parts
// (identifier maps, address slices) between versions: treat them as read
// only.
type Borough struct {
	Records   map[string][]resindex.Record // per source: the canonical change timeline, in version order
	Truth     []TruthRow                   // one per live source record at the end
	Errors    []ErrorRow                   // per record, which deviations were injected
	Scenarios Scenarios
	// Residences are the true households: every person's residence at
	// each property, from and to.
	Residences []ResidenceRow

	cfg Config // what it was generated with: the events need the seed and start
}

// TruthRow places one live source record in one true person.
type TruthRow struct{ Source, ID, PersonID string }

// ErrorRow lists the deviations a live record shows, by the names in
// ErrorKinds. Only records with at least one deviation have a row.
type ErrorRow struct {
	Source, ID string
	Kinds      []string
}

// personID names a person in the truth.
func personID(pi int32) string { return fmt.Sprintf("P%07d", pi+1) }

// Generate builds the borough in memory. progress (may be nil) is called
// now and then with a stage name and done/total counts so the CLI can show
// progress on stderr.
func Generate(cfg Config, progress func(stage string, done, total int)) (*Borough, error) {
	cfg, err := cfg.withDefaults()
	if err != nil {
		return nil, err
	}
	w, err := buildWorld(cfg, progress)
	if err != nil {
		return nil, err
	}
	built := buildSources(w, progress)
	b := &Borough{Records: make(map[string][]resindex.Record, len(built)), cfg: cfg}
	for _, sb := range built {
		b.Records[sb.def.name] = sb.versions
	}
	b.Truth, b.Errors = truthAndErrors(w, built)
	b.Scenarios = findScenarios(w, built)
	b.Residences = residences(w)
	if progress != nil {
		progress("truth", 1, 1)
	}
	return b, nil
}

// builtSource is one source's records and versions.
type builtSource struct {
	def      *sourceDef
	recs     []*srec
	versions []resindex.Record
}

// buildSources builds the ten sources, several at once: each has its own
// random stream and only reads the world, so the result does not depend
// on scheduling.
func buildSources(w *world, progress func(string, int, int)) []*builtSource {
	defs := sourceDefs()
	out := make([]*builtSource, len(defs))
	sem := make(chan struct{}, max(1, runtime.GOMAXPROCS(0)))
	done := make(chan int, len(defs))
	var wg sync.WaitGroup
	for i, def := range defs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			out[i] = buildSource(w, def, i)
			done <- i
		}()
	}
	go func() { wg.Wait(); close(done) }()
	n := 0
	for range done {
		n++
		if progress != nil {
			progress("sources", n, len(defs))
		}
	}
	return out
}

// buildSource builds one source and renders its versions in version order
// (ties by id). Records are replayed twice: once to date their versions,
// then, once the order is known, to render each version straight into its
// place; that keeps the large canonical records out of temporary slices.
func buildSource(w *world, def *sourceDef, i int) *builtSource {
	b := newBuilder(w, def, i)
	def.build(b)
	var keys []int64
	first := make([]int32, 0, len(b.recs))
	recs := b.recs[:0]
	for _, s := range b.recs {
		s.sortChanges()
		n := len(keys)
		s.replay(w.end, func(d day, _ *rstate) { keys = append(keys, versionSecond(s.seed, d)) })
		if len(keys) > n { // else created after the end of the timeline
			recs = append(recs, s)
			first = append(first, int32(n))
		}
	}
	dest := versionOrder(recs, first, keys)
	out := make([]resindex.Record, len(keys))
	ctx := &renderer{w: w, def: def}
	for r, s := range recs {
		v := first[r]
		s.replay(w.end, func(d day, st *rstate) {
			out[dest[v]] = ctx.render(s, st, d)
			v++
		})
		s.changes = nil // no longer needed; most of the source layer's memory
		if s.deleted == never {
			s.applied = s.cache.nameErr | s.cache.dobErr | s.cache.addrErr | w.naturalErrors(s)
			if s.badID != "" {
				s.applied.set(errInvalidIdentifier)
			}
		}
	}
	return &builtSource{def: def, recs: recs, versions: out}
}

// versionOrder returns, for every version (numbered record by record from
// first), its position in version-time order, ties broken by record id;
// (time, id) is unique, so the order is total.
func versionOrder(recs []*srec, first []int32, keys []int64) []int32 {
	type ref struct {
		t    int64
		r, v int32
	}
	refs := make([]ref, 0, len(keys))
	for r := range recs {
		end := int32(len(keys))
		if r+1 < len(first) {
			end = first[r+1]
		}
		for v := first[r]; v < end; v++ {
			refs = append(refs, ref{keys[v], int32(r), v})
		}
	}
	slices.SortFunc(refs, func(a, b ref) int {
		if a.t != b.t {
			return cmp.Compare(a.t, b.t)
		}
		return cmp.Compare(recs[a.r].id, recs[b.r].id)
	})
	dest := make([]int32, len(keys))
	for i, rf := range refs {
		dest[rf.v] = int32(i)
	}
	return dest
}

// naturalErrors finds the deviations that come from a source learning late
// or never: an address the person has left, a family name they have
// changed by marriage.
func (w *world) naturalErrors(s *srec) errMask {
	p := &w.people[s.person]
	var m errMask
	if s.final.prop >= 0 && s.final.prop != w.lastProp(s.person) {
		m.set(errStaleAddress)
	}
	for k := int(s.final.nameIdx) + 1; k < len(p.names); k++ {
		if p.names[k].marriage {
			m.set(errMarriedName)
		}
	}
	return m
}

// lastProp is where the person lives at the end (or lived when they
// died); -1 when they have left the borough.
func (w *world) lastProp(pi int32) int32 {
	p := &w.people[pi]
	last := p.res[len(p.res)-1]
	if last.to == never || p.death == last.to {
		return w.occs[last.occ].prop
	}
	return -1
}

// truthAndErrors lists every live record's person and deviations, sorted
// by source then id.
func truthAndErrors(w *world, built []*builtSource) ([]TruthRow, []ErrorRow) {
	var truth []TruthRow
	var errs []ErrorRow
	for _, sb := range built {
		for _, s := range sb.recs {
			if s.deleted != never {
				continue
			}
			truth = append(truth, TruthRow{Source: sb.def.name, ID: s.id, PersonID: personID(s.person)})
			if s.applied != 0 {
				errs = append(errs, ErrorRow{Source: sb.def.name, ID: s.id, Kinds: s.applied.kinds()})
			}
		}
	}
	slices.SortFunc(truth, func(a, b TruthRow) int { return cmp.Or(cmp.Compare(a.Source, b.Source), cmp.Compare(a.ID, b.ID)) })
	slices.SortFunc(errs, func(a, b ErrorRow) int { return cmp.Or(cmp.Compare(a.Source, b.Source), cmp.Compare(a.ID, b.ID)) })
	return truth, errs
}
