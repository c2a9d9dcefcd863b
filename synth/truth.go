package synth

import "fmt"

// buildWorld runs the truth layer: gazetteer, the people living there at
// the start, and the timeline.
func buildWorld(cfg Config, progress func(string, int, int)) (*world, error) {
	w := &world{cfg: cfg, start: dayOf(cfg.Start), end: dayOf(cfg.Start.AddDate(cfg.Years, 0, 0)),
		la: "202", issued: map[string]bool{}}
	// Arrivals replace leavers and births add a little, so about 9% of
	// the people ever resident arrive in each year of the timeline.
	initial := int(float64(cfg.Persons) / (1 + 0.09*float64(cfg.Years)))
	props := int(float64(initial)/avgHouseholdSize(cfg.Households)*1.3) + 50
	g, err := newGazetteer(newRand(cfg.Seed, streamGazetteer), props, cfg.tenureMix())
	if err != nil {
		return nil, err
	}
	w.g = g
	if progress != nil {
		progress("gazetteer", len(g.props), len(g.props))
	}
	for i := range g.props {
		w.vacant[g.props[i].tenure].add(int32(i))
	}
	w.rng = newRand(cfg.Seed, streamPopulation)
	w.populate(initial, progress)
	w.rng = newRand(cfg.Seed, streamTimeline)
	w.simulate(progress)
	if len(w.people) != cfg.Persons {
		return nil, fmt.Errorf("synth: timeline: made %d people, want %d (no vacant homes left)", len(w.people), cfg.Persons)
	}
	w.issued = nil // only needed while people are being made
	w.index()
	return w, nil
}

// member is one person's residence at an occupancy.
type member struct {
	pi, ri int32
}

// index builds the lookups the sources need: who lived at each occupancy,
// each household's occupancies in order, and the date strings.
func (w *world) index() {
	w.occRes = make([][]member, len(w.occs))
	for pi := range w.people {
		for ri, r := range w.people[pi].res {
			w.occRes[r.occ] = append(w.occRes[r.occ], member{int32(pi), int32(ri)})
		}
	}
	w.hhOccs = make([][]int32, len(w.hhs))
	w.propOccs = make([][]int32, len(w.g.props))
	for o := range w.occs {
		h, p := w.occs[o].hh, w.occs[o].prop
		w.hhOccs[h] = append(w.hhOccs[h], int32(o))
		w.propOccs[p] = append(w.propOccs[p], int32(o))
	}
	w.isoBase = date(1900, 1, 1)
	w.isoTab = make([]string, int(w.end-w.isoBase)+800)
	for i := range w.isoTab {
		w.isoTab[i] = (w.isoBase + day(i)).iso()
	}
}

// iso renders a day as YYYY-MM-DD from a table shared by every source.
func (w *world) iso(d day) string {
	if i := int(d - w.isoBase); i >= 0 && i < len(w.isoTab) {
		return w.isoTab[i]
	}
	return d.iso()
}

// res returns the residence of a member.
func (w *world) res(m member) *residence { return &w.people[m.pi].res[m.ri] }
