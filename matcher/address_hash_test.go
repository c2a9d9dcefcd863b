package matcher

import (
	"fmt"
	"testing"

	"github.com/resindex/resindex"
)

// TestAddressHashesChangeNoLevel: every pair of a pool of addresses that
// differ, or agree, in each part grades the same by hashes and values as
// by values alone.
func TestAddressHashesChangeNoLevel(t *testing.T) {
	var pool []AddressFeature
	for _, uprn := range []string{"", "100021234567", "100021234568"} {
		for _, lines := range [][]string{{"Flat 2", "10 High Street"}, {"10 High St"}, {"12 High Street"}, {"Flat 3, 10 High Street"}, {"The Cottage", "Mill Lane"}} {
			for _, pc := range []string{"", "NW1 4AB", "NW1 4AD", "E1 6AN"} {
				for _, town := range []string{"", "London", "Camden"} {
					f, ok := newAddressFeature(&resindex.Address{UPRN: uprn, Lines: lines, Postcode: pc, Town: town})
					if ok {
						pool = append(pool, f)
					}
				}
			}
		}
	}
	levels := map[Level]int{}
	for i := range pool {
		for j := range pool {
			a, b := pool[i], pool[j]
			got := compareAddress(&a, &b)
			a.h, b.h = addressHashes{}, addressHashes{}
			if want := compareAddress(&a, &b); got != want {
				t.Fatalf("%+v vs %+v: %v by hashes, %v by values", a, b, got, want)
			}
			levels[got]++
		}
	}
	if len(levels) < 6 {
		t.Errorf("the pool reaches only levels %v", fmt.Sprint(levels))
	}
}

// TestAddressHashCollisionIsConfirmed: equal hashes of different values
// are no match.
func TestAddressHashCollisionIsConfirmed(t *testing.T) {
	a := AddressFeature{UPRN: "1", h: addressHashes{set: true}}
	b := AddressFeature{UPRN: "2", h: addressHashes{set: true}}
	if l := compareAddress(&a, &b); l == AddrExact {
		t.Errorf("a collision of hashes made two properties one")
	}
}
