package matcher

import (
	"github.com/resindex/resindex"
)

func compareDOB(a, b *Profile) Level {
	x, y := a.DOB, b.DOB
	if x.IsZero() || y.IsZero() {
		return LevelNull
	}
	if x.Precision != resindex.PrecisionDay || y.Precision != resindex.PrecisionDay {
		return comparePartialDOB(x, y)
	}
	switch {
	case x == y:
		return DOBExact
	case x.Year == y.Year && x.Month == y.Day && x.Day == y.Month:
		return DOBSwap
	case dobOneEdit(x, y):
		return DOBOneEdit
	case x.Year == y.Year:
		return DOBYear
	}
	return yearsApart(x, y)
}

func yearsApart(x, y resindex.PartialDate) Level {
	if d := x.Year - y.Year; d >= 10 || d <= -10 {
		return DOBFar
	}
	return DOBDiff
}

// comparePartialDOB compares dates known only to the year or month: they
// agree at the coarser precision or they differ.
func comparePartialDOB(x, y resindex.PartialDate) Level {
	if x.Year != y.Year {
		return yearsApart(x, y)
	}
	if x.Precision >= resindex.PrecisionMonth && y.Precision >= resindex.PrecisionMonth && x.Month != y.Month {
		return DOBYear
	}
	return DOBPartial
}

// dobOneEdit reports whether the two dates, written YYYYMMDD, differ in one
// digit or by two adjacent digits transposed: the keying errors dates suffer.
func dobOneEdit(x, y resindex.PartialDate) bool {
	var dx, dy [8]byte
	digits8(&dx, x)
	digits8(&dy, y)
	diff, first := 0, -1
	for i := range dx {
		if dx[i] != dy[i] {
			if diff == 0 {
				first = i
			}
			diff++
		}
	}
	if diff == 1 {
		return true
	}
	return diff == 2 && first < 7 && dx[first] == dy[first+1] && dx[first+1] == dy[first]
}

func digits8(d *[8]byte, p resindex.PartialDate) {
	v := p.Year*10000 + p.Month*100 + p.Day
	for i := 7; i >= 0; i-- {
		d[i] = byte('0' + v%10)
		v /= 10
	}
}

// addressPair is the pair of addresses, one from each record, that gave
// the address level.
type addressPair struct{ a, b *AddressFeature }

// compareAddresses returns the best level over every pair of addresses (a
// person's old address in one source and the same address as history in
// another is agreement) and the pair that reached it.
func compareAddresses(a, b []AddressFeature) (Level, addressPair) {
	if len(a) == 0 || len(b) == 0 {
		return LevelNull, addressPair{}
	}
	best, at := AddrDiff, addressPair{&a[0], &b[0]}
	for i := range a {
		for j := range b {
			if l := compareAddress(&a[i], &b[j]); l < best {
				best, at = l, addressPair{&a[i], &b[j]}
				if best == AddrExact {
					return best, at
				}
			}
		}
	}
	return best, at
}

func compareAddress(a, b *AddressFeature) Level {
	h := bothHashed(a, b)
	if a.UPRN != "" && b.UPRN != "" {
		if h.same(a.h.uprn, b.h.uprn, a.UPRN, b.UPRN) {
			return AddrExact
		}
		return compareParentOrNear(a, b, h)
	}
	if a.Key != "" && h.same(a.h.key, b.h.key, a.Key, b.Key) {
		return AddrExact
	}
	sameNumber := a.Number != "" && h.same(a.h.number, b.h.number, a.Number, b.Number)
	samePostcode := a.Postcode != "" && h.same(a.h.postcode, b.h.postcode, a.Postcode, b.Postcode)
	// The same number and street is the same building only when no
	// postcode says otherwise: "12 High Street" is in many towns.
	postcodeSilent := a.Postcode == "" || b.Postcode == ""
	sameStreet := a.Street != "" && h.same(a.h.street, b.h.street, a.Street, b.Street)
	if sameNumber && (samePostcode || sameStreet && postcodeSilent) {
		if h.same(a.h.flat, b.h.flat, a.Flat, b.Flat) {
			return AddrExact
		}
		return AddrBuilding
	}
	return compareParentOrNear(a, b, h)
}

// compareParentOrNear grades two addresses that are not the same property:
// the same building, street or postcode still tells something.
func compareParentOrNear(a, b *AddressFeature, h hashed) Level {
	sameNumber := a.Number != "" && h.same(a.h.number, b.h.number, a.Number, b.Number)
	samePostcode := a.Postcode != "" && h.same(a.h.postcode, b.h.postcode, a.Postcode, b.Postcode)
	switch {
	case sameNumber && samePostcode:
		return AddrBuilding
	case sameNumber && a.Street != "" && h.same(a.h.street, b.h.street, a.Street, b.Street):
		return AddrStreet
	case samePostcode:
		return AddrPostcode
	case !numbersConflict(a, b, h) && tokenOverlap(a, b) >= 0.6:
		return AddrTokens
	case a.Sector != "" && h.same(a.h.sector, b.h.sector, a.Sector, b.Sector):
		return AddrSector
	case (a.Postcode == "" || b.Postcode == "") && a.Town != "" && h.same(a.h.town, b.h.town, a.Town, b.Town):
		// A town says something only where a postcode is missing: with
		// both postcodes, a shared town is the borough everyone lives in.
		return AddrTown
	}
	return AddrDiff
}

// tokenOverlap is the share of the smaller token set found in the larger,
// over the tokens of the lines (the towns' words left out): two addresses
// that share only their town are graded by the town level, with its term
// frequency, not as tokens.
func tokenOverlap(fa, fb *AddressFeature) float64 {
	a, b := fa.LineTokens, fb.LineTokens
	if len(a) == 0 || len(b) == 0 {
		return 0
	}
	if len(a) > len(b) {
		a, b = b, a
	}
	shared := 0
	for _, x := range a {
		if containsString(b, x) {
			shared++
		}
	}
	return float64(shared) / float64(len(a))
}

// numbersConflict: two different house numbers are two properties however
// many street words they share.
func numbersConflict(a, b *AddressFeature, h hashed) bool {
	return a.Number != "" && b.Number != "" && !h.same(a.h.number, b.h.number, a.Number, b.Number)
}
