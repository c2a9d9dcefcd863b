package resolver

import (
	"fmt"

	"github.com/resindex/resindex"
	"github.com/resindex/resindex/layout"
)

// Residents calls fn for every person in the store, in person ID order,
// from one snapshot, with their live records and the property each
// record's current address places them at (places[i] is Records[i]'s; a
// zero Property where it has none): the fraud checks read the whole index
// so. Addresses without a UPRN are placed as households are (the UPRN
// index), each distinct address looked up once. The person and places are
// reused between calls: fn keeps what it needs, not the values.
func Residents(s Store, fn func(p *resindex.Person, places []resindex.Property) error) error {
	return s.View(func(t resindex.Txn) error {
		places := map[string]resindex.Property{}
		var r struct {
			resindex.Person
			Places []resindex.Property
		}
		return t.Scan([]byte(layout.PersonPrefix), func(key, val []byte) error {
			pid := string(key[len(layout.PersonPrefix):])
			ids, err := layout.DecodeStrings(val)
			if err != nil || len(ids) < 2 {
				return fmt.Errorf("resolver: stored person %s is corrupt", pid)
			}
			r.ID, r.Household = pid, ids[0]
			r.Records, r.Places = r.Records[:0], r.Places[:0]
			for _, rid := range ids[2:] {
				rec, found, err := loadRecord(t, layout.ParseRecID(rid))
				if err != nil {
					return err
				}
				if !found || rec.Deleted {
					continue
				}
				p, err := placeOf(t, &rec, places)
				if err != nil {
					return fmt.Errorf("resolver: placing record %s: %w", rec.Key(), err)
				}
				r.Records = append(r.Records, rec)
				r.Places = append(r.Places, p)
			}
			return fn(&r.Person, r.Places)
		})
	})
}

// placeOf is the property of a record's current address, through a cache
// of the addresses already placed.
func placeOf(t resindex.Txn, r *resindex.Record, cache map[string]resindex.Property) (resindex.Property, error) {
	a, ok := resindex.CurrentAddress(r)
	if !ok {
		return resindex.Property{}, nil
	}
	if a.UPRN != "" {
		return propertyOf(t, a)
	}
	k := a.Postcode + "\x00" + a.Town + "\x00" + fmt.Sprint(a.Lines)
	if p, ok := cache[k]; ok {
		return p, nil
	}
	p, err := propertyOf(t, a)
	if err == nil {
		cache[k] = p
	}
	return p, err
}
