package synth

import (
	"testing"
)

func mustWorld(t *testing.T, persons int, seed uint64) *world {
	t.Helper()
	cfg, err := Config{Persons: persons, Seed: seed}.withDefaults()
	if err != nil {
		t.Fatal(err)
	}
	w, err := buildWorld(cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	return w
}

func TestPersonsExactly(t *testing.T) {
	for _, n := range []int{10, 137, 2500} {
		if w := mustWorld(t, n, 5); len(w.people) != n {
			t.Errorf("Persons %d: made %d", n, len(w.people))
		}
	}
}

// TestHardNegatives: twins, parent and child with one full name at one
// address, and common names shared by many people born on different days.
func TestHardNegatives(t *testing.T) {
	w := mustWorld(t, 10000, 11)
	twins, namesakes := 0, 0
	for o := range w.occs {
		ms := w.occRes[o]
		for a := range ms {
			for b := a + 1; b < len(ms); b++ {
				pa, pb := &w.people[ms[a].pi], &w.people[ms[b].pi]
				same := pa.family() == pb.family()
				if same && pa.dob == pb.dob && pa.given != pb.given {
					twins++
				}
				if same && pa.given == pb.given && ageAt(pa.dob, pb.dob) >= 16 || same && pa.given == pb.given && ageAt(pb.dob, pa.dob) >= 16 {
					namesakes++
				}
			}
		}
	}
	if twins == 0 || namesakes == 0 {
		t.Errorf("%d twin pairs and %d parent-child namesakes, want some of each", twins, namesakes)
	}
	dobs := map[string]map[day]bool{}
	for i := range w.people {
		p := &w.people[i]
		k := p.given + " " + p.family()
		if dobs[k] == nil {
			dobs[k] = map[day]bool{}
		}
		dobs[k][p.dob] = true
	}
	common := 0
	for _, ds := range dobs {
		if len(ds) >= 3 {
			common++
		}
	}
	if common < 50 {
		t.Errorf("%d full names shared by three or more dates of birth, want many", common)
	}
}

func TestTruthIsConsistent(t *testing.T) {
	w := mustWorld(t, 5000, 12)
	for pi := range w.people {
		p := &w.people[pi]
		for i, r := range p.res {
			oc := &w.occs[r.occ]
			if r.from < oc.from || r.to > oc.to || r.from >= r.to {
				t.Fatalf("person %d residence %d [%s,%s) outside occupancy [%s,%s)", pi, i, r.from.iso(), r.to.iso(), oc.from.iso(), oc.to.iso())
			}
			if i > 0 && p.res[i-1].to != r.from {
				t.Fatalf("person %d: residences %d and %d do not meet", pi, i-1, i)
			}
		}
		if p.death != never && p.res[len(p.res)-1].to != p.death {
			t.Fatalf("person %d died on %s but lived on", pi, p.death.iso())
		}
	}
}

func TestNamesForSex(t *testing.T) {
	pl := origins[indexOfOrigin("polish")]
	tests := []struct{ in, female, back string }{
		{"Kowalski", "Kowalska", "Kowalski"},
		{"Nowak", "Nowak", "Nowak"},
		{"Nowicki", "Nowicka", "Nowicki"},
	}
	for _, tt := range tests {
		if got := pl.forSex(tt.in, 'F'); got != tt.female {
			t.Errorf("forSex(%s) = %s, want %s", tt.in, got, tt.female)
		}
		if got := pl.masculine(tt.female); got != tt.back {
			t.Errorf("masculine(%s) = %s, want %s", tt.female, got, tt.back)
		}
	}
	if got := origins[0].forSex("Kowalski", 'F'); got != "Kowalski" {
		t.Errorf("British forSex changed %s", got)
	}
}

func indexOfOrigin(name string) int {
	for i, o := range origins {
		if o.name == name {
			return i
		}
	}
	return -1
}
