package resolver

import (
	"math/rand/v2"

	"github.com/resindex/resindex"
	"github.com/resindex/resindex/layout"
)

// Sampled is a stored record with the person it belongs to.
type Sampled struct {
	Record   resindex.Record
	PersonID string
}

// Sample draws up to n stored records at random (reservoir sampling, the
// same seed giving the same records), with their persons: queries whose
// right answer is known, for measuring search.
func Sample(s Store, n int, seed uint64) ([]Sampled, error) {
	rng := rand.New(rand.NewPCG(seed, seed^0x5eed))
	var keys []resindex.RecordKey
	var pids []string
	seen := 0
	err := s.View(func(t resindex.Txn) error {
		return t.Scan([]byte(layout.MemberPrefix), func(key, val []byte) error {
			seen++
			k, pid := layout.RecordOf(key), string(val)
			switch {
			case len(keys) < n:
				keys, pids = append(keys, k), append(pids, pid)
			default:
				if j := rng.IntN(seen); j < n {
					keys[j], pids[j] = k, pid
				}
			}
			return nil
		})
	})
	if err != nil {
		return nil, err
	}
	out := make([]Sampled, 0, len(keys))
	err = s.View(func(t resindex.Txn) error {
		for i, k := range keys {
			r, found, err := loadRecord(t, k)
			if err != nil {
				return err
			}
			if found {
				out = append(out, Sampled{Record: r, PersonID: pids[i]})
			}
		}
		return nil
	})
	return out, err
}
