package resolver

import (
	"cmp"
	"slices"

	"github.com/resindex/resindex"
	"github.com/resindex/resindex/layout"
	"github.com/resindex/resindex/matcher"
)

// searchWindow is how many neighbours on each side a search takes from an
// oversized block.
const searchWindow = 100

// familyWindow is searchWindow for a search by family name alone, which
// looks in a block for every given initial.
const familyWindow = 25

// maxSearchCandidates bounds the records scored for one search.
const maxSearchCandidates = 5000

// indexPostcodes adds or removes a record's postcodes in the postcode
// index, which lets a search by postcode alone find it (no blocking rule
// keys a postcode without a name).
func indexPostcodes(t resindex.Txn, p *matcher.Profile, add bool) error {
	for _, kv := range matcher.Values(p) {
		if kv.Kind != matcher.FreqPostcode {
			continue
		}
		var err error
		if add {
			err = t.Set(layout.Postcode(kv.Value, p.Key), nil)
		} else {
			err = t.Delete(layout.Postcode(kv.Value, p.Key))
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// Search finds persons matching a query, best first: candidates come from
// the blocking and postcode indexes, each is scored against the query with
// the match model, and each person appears once, with their best record.
func (e *Engine) Search(q resindex.Query, limit int) ([]resindex.Hit, error) {
	qr := queryRecord(&q)
	var hits []resindex.Hit
	err := e.read(func(o *reader, t resindex.Txn) error {
		qp := matcher.NewProfile(&qr)
		matcher.Annotate(o.cache.counts, e.opts.Model, &qp)
		cands, err := o.searchCandidates(t, &qp)
		if err != nil {
			return err
		}
		hits, err = o.rank(t, &qp, cands)
		return err
	})
	if limit > 0 && len(hits) > limit {
		hits = hits[:limit]
	}
	return hits, err
}

func queryRecord(q *resindex.Query) resindex.Record {
	r := resindex.Record{Source: "\x00query", ID: "q", Name: resindex.Name{Given: q.Given, Family: q.Family}, DOB: q.DOB, Identifiers: q.Identifiers}
	if q.Postcode != "" || len(q.AddressLines) > 0 {
		r.Addresses = []resindex.Address{{Lines: q.AddressLines, Postcode: q.Postcode}}
	}
	return r
}

func (e *reader) searchCandidates(t resindex.Txn, qp *matcher.Profile) ([]resindex.RecordKey, error) {
	seen := map[resindex.RecordKey]bool{}
	var out []resindex.RecordKey
	add := func(k resindex.RecordKey) error {
		if !seen[k] && len(out) < maxSearchCandidates {
			seen[k] = true
			out = append(out, k)
		}
		return nil
	}
	// Each block gives the records nearest the query in name and date
	// order, as linking takes a new record's candidates; the window is
	// wider than linking's, since a search is one query, not one of a
	// million records.
	bk := matcher.NewBlockingKeys(qp)
	sk := blockSortKey(qp)
	for _, h := range allKeys(&bk) {
		e.blockWindow(h, sk, "", searchWindow, func(id string) { add(layout.ParseRecID(id)) })
	}
	if len(qp.Given) == 0 {
		// A family name alone: every given initial's block, each more
		// narrowly (the namesakes all score alike, and are many).
		for _, h := range matcher.FamilyOnlyKeys(qp) {
			e.blockWindow(h, sk, "", familyWindow, func(id string) { add(layout.ParseRecID(id)) })
		}
	}
	for _, a := range qp.Addresses {
		if a.Postcode == "" {
			continue
		}
		prefix := layout.PostcodeOf(a.Postcode)
		err := t.ScanKeys(prefix, func(key []byte) error { return add(layout.PostcodeRecord(key)) })
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}

// rank scores candidates against the query and keeps each person's best.
func (e *reader) rank(t resindex.Txn, qp *matcher.Profile, cands []resindex.RecordKey) ([]resindex.Hit, error) {
	ps, err := e.profiles(t, cands)
	if err != nil {
		return nil, err
	}
	var hits []resindex.Hit // one a person, with every matching record
	at := map[string]int{}
	for i, k := range cands {
		s := e.scorer.Score(qp, ps[i])
		if s.Conflict {
			continue
		}
		pid := e.personOf(k)
		if pid == "" {
			continue // not yet assigned: nothing to show
		}
		j, ok := at[pid]
		if !ok {
			j, at[pid] = len(hits), len(hits)
			hits = append(hits, resindex.Hit{PersonID: pid})
		}
		hits[j].Matches = append(hits[j].Matches, resindex.Match{Record: k, Weight: s.Weight})
	}
	for i := range hits {
		h := &hits[i]
		if len(h.Matches) > 1 {
			slices.SortFunc(h.Matches, func(a, b resindex.Match) int {
				return cmp.Or(cmp.Compare(b.Weight, a.Weight), a.Record.Compare(b.Record))
			})
		}
		h.Record, h.Weight = h.Matches[0].Record, h.Matches[0].Weight
	}
	slices.SortFunc(hits, func(a, b resindex.Hit) int {
		if c := cmp.Compare(b.Weight, a.Weight); c != 0 {
			return c
		}
		return cmp.Compare(a.PersonID, b.PersonID)
	})
	return hits, nil
}
