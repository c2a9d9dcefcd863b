package synth

import (
	"testing"
)

func TestTruthStats(t *testing.T) {
	cfg, _ := DefaultConfig().withDefaults()
	cfg.Seed = 1
	w, err := buildWorld(cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	moves, twins, samename, pop := 0, 0, 0, 0
	for i := range w.people {
		p := &w.people[i]
		for k := 1; k < len(p.res); k++ {
			moves++
		}
	}
	for o := range w.occs {
		ms := w.occRes[o]
		for a := 0; a < len(ms); a++ {
			for b := a + 1; b < len(ms); b++ {
				pa, pb := &w.people[ms[a].pi], &w.people[ms[b].pi]
				if pa.dob == pb.dob && pa.family() == pb.family() {
					twins++
				}
				if pa.given == pb.given && pa.family() == pb.family() && pa.dob != pb.dob {
					samename++
				}
			}
		}
	}
	kinds := map[string]int{}
	for h := range w.hhs {
		hh := &w.hhs[h]
		if len(w.hhOccs[h]) == 0 {
			continue
		}
		o := w.hhOccs[h][0]
		if w.occs[o].from > w.start {
			continue
		}
		n := 0
		for _, m := range w.occRes[o] {
			if w.res(m).from <= w.start && w.res(m).to > w.start {
				n++
			}
		}
		pop += n
		switch {
		case hh.sharers:
			kinds["sharers"]++
		case n == 1:
			kinds["single"]++
		default:
			kinds["multi"]++
		}
	}
	tenure := map[tenure]int{}
	for o := range w.occs {
		if w.occs[o].to == never {
			tenure[w.g.props[w.occs[o].prop].tenure]++
		}
	}
	t.Logf("in-borough moves per resident-year %.3f twins %d samename %d kinds %v tenure %v", float64(moves)/float64(pop)/3, twins, samename, kinds, tenure)
	counts := map[string]int{}
	for i := range w.people {
		counts[w.people[i].family()]++
	}
	for _, n := range []string{"Smith", "Khan", "Begum", "Ahmed", "Ali", "Patel", "Mohamed", "Jones"} {
		t.Logf("%s %d", n, counts[n])
	}
}
