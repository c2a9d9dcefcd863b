package resolver

import (
	"cmp"
	"errors"

	"github.com/resindex/resindex"
	"github.com/resindex/resindex/layout"
	"github.com/resindex/resindex/matcher"
)

// maxUPRNEntries bounds the UPRN index entries read to place one address:
// a match key names one property, so a few hundred records give it.
const maxUPRNEntries = 2000

// errStopScan ends a scan that has read enough.
var errStopScan = errors.New("resolver: enough entries read")

// propertyOf is the property an address places a household at. An
// address with a UPRN is its UPRN; one without is matched against the
// addresses other records give with a UPRN (the UPRN index), and only an
// address that matches none is keyed by its normalised text, so that no
// source's spelling splits a household.
func propertyOf(t resindex.Txn, a resindex.Address) (resindex.Property, error) {
	if u, ok := matcher.ValidUPRN(a.UPRN); ok {
		return resindex.Property{Key: "uprn:" + u, UPRN: u}, nil
	}
	text := resindex.Property{Key: matcher.PropertyKey(a)}
	f, ok := matcher.AddressFeatureOf(&a)
	if !ok || text.Key == "" {
		return text, nil
	}
	for i, mk := range f.LookupKeys() {
		v, err := readVotes(t, mk, &f)
		if err != nil {
			return text, err
		}
		if u, conf := v.choose(f.Postcode == "", i > 0); u != "" {
			return resindex.Property{Key: "uprn:" + u, UPRN: u, Inferred: true, Confidence: conf}, nil
		}
	}
	return text, nil
}

// votes count, per UPRN, the records whose address has one match key: at
// the same place (postcode, else town), in the same postcode sector, and
// anywhere.
type votes struct {
	same, sector, any map[string]int
}

func readVotes(t resindex.Txn, match string, f *matcher.AddressFeature) (votes, error) {
	v := votes{same: map[string]int{}, sector: map[string]int{}, any: map[string]int{}}
	place := f.Place()
	if place != "" {
		// The address's own place first, whole: entries sort by place, so
		// a common match key must not push them past the bound below.
		err := t.ScanKeys(append(layout.UPRNOf(match), place+"\x00"...), func(key []byte) error {
			if _, _, u, ok := layout.ParseUPRN(key); ok {
				v.same[u]++
				v.any[u]++
			}
			return nil
		})
		if err != nil || len(v.same) > 0 {
			return v, err
		}
	}
	n := 0
	err := t.ScanKeys(layout.UPRNOf(match), func(key []byte) error {
		if n++; n > maxUPRNEntries {
			return errStopScan
		}
		_, at, u, ok := layout.ParseUPRN(key)
		if !ok {
			return nil
		}
		v.any[u]++
		switch {
		case place != "" && at == place:
			v.same[u]++
		case matcher.SameSector(at, f.Postcode):
			v.sector[u]++
		}
		return nil
	})
	if errors.Is(err, errStopScan) {
		err = nil
	}
	return v, err
}

// choose picks the UPRN most of the matching records give, with its
// confidence: the share of the records that give it times how the address
// was found. Records at the same place decide; without a postcode, or
// with a postcode that differs in the unit only, a UPRN is taken only
// when it is the only one with those parts. A share of one half or less
// is no answer: the address could be either.
func (v votes) choose(noPostcode, reduced bool) (string, float64) {
	level := 1.0
	if reduced {
		level = matcher.ConfidenceNoBuilding / matcher.ConfidenceExact
	}
	switch {
	case len(v.same) > 0:
		u, share := majority(v.same)
		if share <= 0.5 {
			return "", 0
		}
		return u, level * matcher.ConfidenceExact * share
	case noPostcode && len(v.any) == 1:
		u, _ := majority(v.any)
		return u, level * matcher.ConfidenceNoPlace
	case !noPostcode && len(v.sector) == 1:
		u, _ := majority(v.sector)
		return u, level * matcher.ConfidenceSector
	}
	return "", 0
}

// majority is the UPRN with the most records (ties: the smallest) and its
// share of them.
func majority(m map[string]int) (string, float64) {
	best, total := "", 0
	for u, n := range m {
		total += n
		if best == "" || n > m[best] || n == m[best] && cmp.Less(u, best) {
			best = u
		}
	}
	return best, float64(m[best]) / float64(total)
}
