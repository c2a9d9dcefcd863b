package matcher

// addressHashes holds a hash of each value of an address that
// compareAddress tests for equality. Scoring a million records compares
// tens of millions of pairs of addresses, nearly all different, and
// comparing two strings reads both from wherever they lie in memory: two
// hashes held in the address itself tell most different values apart
// without that. Equal hashes are confirmed on the values, so the levels
// are exactly what comparing the values gives.
type addressHashes struct {
	set                                                     bool
	uprn, key, postcode, number, street, flat, sector, town uint32
}

func hashAddress(f *AddressFeature) addressHashes {
	return addressHashes{
		set: true, uprn: fnv32(f.UPRN), key: fnv32(f.Key), postcode: fnv32(f.Postcode), number: fnv32(f.Number),
		street: fnv32(f.Street), flat: fnv32(f.Flat), sector: fnv32(f.Sector), town: fnv32(f.Town),
	}
}

// fnv32 is FNV-1a.
func fnv32(s string) uint32 {
	h := uint32(2166136261)
	for i := 0; i < len(s); i++ {
		h = (h ^ uint32(s[i])) * 16777619
	}
	return h
}

// hashed says whether both addresses of a comparison carry their hashes:
// one made other than by newAddressFeature (a literal) does not, and is
// compared by its values alone.
type hashed bool

func bothHashed(a, b *AddressFeature) hashed { return hashed(a.h.set && b.h.set) }

// same reports x == y, ruling it out by the hashes first when it can.
func (h hashed) same(hx, hy uint32, x, y string) bool {
	if h && hx != hy {
		return false
	}
	return x == y
}
