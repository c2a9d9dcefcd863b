package resolver

import (
	"cmp"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/resindex/resindex"
	"github.com/resindex/resindex/layout"
	"github.com/resindex/resindex/matcher"
)

// recluster re-clusters the affected records with the batch linker's rule
// and gives the clusters stable person IDs. oldPIDs are persons that may
// have lost their last record.
func (e *change) recluster(t resindex.Txn, affected map[resindex.RecordKey]bool, oldPIDs ...string) error {
	keys := make([]resindex.RecordKey, 0, len(affected))
	for k := range affected {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b resindex.RecordKey) int { return strings.Compare(layout.RecID(a), layout.RecID(b)) })
	e.count(func(s *EngineStats) { s.Reclustered += int64(len(keys)) })
	clusters, err := e.cluster(t, keys)
	if err != nil {
		return err
	}
	prev := map[resindex.RecordKey]string{}
	for _, k := range keys {
		prev[k] = e.personOf(k)
	}
	return e.assign(t, clusters, prev, oldPIDs)
}

// cluster scores the stored candidate pairs among keys, with the current
// term frequencies, and clusters them as Link does.
func (e *reader) cluster(t resindex.Txn, keys []resindex.RecordKey) ([][]resindex.RecordKey, error) {
	ps, err := e.profiles(t, keys)
	if err != nil {
		return nil, err
	}
	index := make(map[string]int32, len(keys))
	for i, k := range keys {
		index[layout.RecID(k)] = int32(i)
	}
	edges, unlinked := e.edges(keys, ps, index)
	matcher.SortEdges(edges)
	c := &matcher.Clusterer{
		Link:     e.opts.Model.LinkThreshold,
		Conflict: e.opts.Model.ConflictThreshold,
		Score:    func(a, b int32) matcher.Score { return e.scorer.Score(ps[a], ps[b]) },
		Forbid:   func(a, b int32) bool { return unlinked[[2]int32{min(a, b), max(a, b)}] },
	}
	labels := c.Cluster(len(keys), edges)
	groups := map[int32][]resindex.RecordKey{}
	var order []int32
	for i, l := range labels {
		if _, ok := groups[l]; !ok {
			order = append(order, l)
		}
		groups[l] = append(groups[l], keys[i])
	}
	out := make([][]resindex.RecordKey, len(order))
	for i, l := range order {
		out[i] = groups[l]
	}
	return out, nil
}

// edges scores the candidate pairs among keys — pairs that share a block
// (windowed as Link windows it) in the current index — with the current
// term frequencies. A manual link becomes an edge of infinite weight, so
// it holds even where no blocking rule pairs the records, and a manual
// unlink a forbidden pair.
func (e *reader) edges(keys []resindex.RecordKey, ps []*matcher.Profile, index map[string]int32) ([]matcher.Edge, map[[2]int32]bool) {
	pairs := e.blockedPairs(ps)
	for i := range keys {
		for _, o := range e.overridePartners(keys[i]) {
			if j, ok := index[layout.RecID(o)]; ok && j != int32(i) {
				pairs[[2]int32{min(int32(i), j), max(int32(i), j)}] = true
			}
		}
	}
	var edges []matcher.Edge
	unlinked := map[[2]int32]bool{}
	for pr := range pairs {
		a, b := pr[0], pr[1]
		o, manual := e.overrideOf(keys[a], keys[b])
		switch {
		case manual && o.Kind == OverrideUnlink:
			unlinked[pr] = true
		case manual:
			edges = append(edges, matcher.Edge{A: a, B: b, Weight: manualLink})
		default:
			if s := e.scorer.Score(ps[a], ps[b]); !s.Conflict && s.Weight >= e.opts.Model.ReviewThreshold {
				edges = append(edges, matcher.Edge{A: a, B: b, Weight: s.Weight})
			}
		}
	}
	return edges, unlinked
}

// blockedPairs returns the pairs among the profiles that the blocking
// index makes candidates: they share a block, and in an oversized block
// are within the window of each other. Only the few records being
// re-clustered are looked at, not every member of their blocks.
func (e *reader) blockedPairs(ps []*matcher.Profile) map[[2]int32]bool {
	type member struct {
		i     int32
		entry string
	}
	byBlock := map[uint64][]member{}
	for i, p := range ps {
		bk := matcher.NewBlockingKeys(p)
		entry := blockSortKey(p) + "\x01" + layout.RecID(p.Key)
		for _, h := range allKeys(&bk) {
			byBlock[h] = append(byBlock[h], member{int32(i), entry})
		}
	}
	pairs := map[[2]int32]bool{}
	for h, ms := range byBlock {
		if len(ms) < 2 {
			continue
		}
		entries := e.entries(h)
		windowed := entries.len() > e.opts.MaxBlock
		for x := range ms {
			for y := x + 1; y < len(ms); y++ {
				a, b := ms[x], ms[y]
				if a.i == b.i {
					continue
				}
				if windowed {
					pa, _ := entries.search(a.entry)
					pb, _ := entries.search(b.entry)
					if pa-pb > e.opts.Window || pb-pa > e.opts.Window {
						continue
					}
				}
				pairs[[2]int32{min(a.i, b.i), max(a.i, b.i)}] = true
			}
		}
	}
	return pairs
}

// assign gives each cluster the old person ID that covers most of its
// records (ties: the oldest ID; each old ID once); other clusters get new
// IDs. An old ID not reused redirects to the cluster that took most of its
// records. Every change goes to the outbox.
func (e *change) assign(t resindex.Txn, clusters [][]resindex.RecordKey, prev map[resindex.RecordKey]string, extra []string) error {
	ids := chooseIDs(clusters, prev)
	for _, pid := range prev {
		if pid == "" {
			continue
		}
		if _, err := e.homeBefore(t, pid); err != nil {
			return err
		}
	}
	kept := map[string]bool{}
	for _, id := range ids {
		kept[id] = id != ""
	}
	for i, c := range clusters {
		from := ""
		if ids[i] == "" {
			pid, err := newPersonID(t)
			if err != nil {
				return err
			}
			ids[i], from = pid, splitFrom(c, prev, kept)
		}
		if err := e.writePerson(t, ids[i], c, prev, from); err != nil {
			return err
		}
	}
	return e.retire(t, clusters, ids, prev, extra)
}

// splitFrom names the person a new cluster was split from: the kept
// person that held most of its records ("" if none did: a new person).
func splitFrom(c []resindex.RecordKey, prev map[resindex.RecordKey]string, kept map[string]bool) string {
	count := map[string]int{}
	best := ""
	for _, k := range c {
		pid := prev[k]
		if !kept[pid] {
			continue
		}
		count[pid]++
		if n := count[pid]; best == "" || n > count[best] || n == count[best] && pid < best {
			best = pid
		}
	}
	return best
}

// chooseIDs picks old IDs for clusters by overlap; "" means a new ID.
func chooseIDs(clusters [][]resindex.RecordKey, prev map[resindex.RecordKey]string) []string {
	type cand struct {
		cluster int
		pid     string
		n       int
	}
	var cands []cand
	for i, c := range clusters {
		count := map[string]int{}
		for _, k := range c {
			if pid := prev[k]; pid != "" {
				count[pid]++
			}
		}
		for pid, n := range count {
			cands = append(cands, cand{i, pid, n})
		}
	}
	slices.SortFunc(cands, func(a, b cand) int {
		if a.n != b.n {
			return b.n - a.n
		}
		if c := cmp.Compare(a.pid, b.pid); c != 0 {
			return c // IDs are numbered in order, so the smaller is older
		}
		return a.cluster - b.cluster
	})
	ids := make([]string, len(clusters))
	used := map[string]bool{}
	for _, c := range cands {
		if ids[c.cluster] == "" && !used[c.pid] {
			ids[c.cluster], used[c.pid] = c.pid, true
		}
	}
	return ids
}

func newPersonID(t resindex.Txn) (string, error) {
	if err := addUint(t, layout.PersonSeq, 1); err != nil {
		return "", err
	}
	n, err := getUint(t, layout.PersonSeq)
	return fmt.Sprintf("P%010d", n), err
}

// writePerson stores a person's members and emits created, split (from
// the person it was split from) or updated when it changed.
func (e *change) writePerson(t resindex.Txn, pid string, members []resindex.RecordKey, prev map[resindex.RecordKey]string, from string) error {
	old, err := loadMembership(t, pid)
	if err != nil {
		return err
	}
	p := person{Records: make([]string, len(members))}
	for i, k := range members {
		p.Records[i] = layout.RecID(k)
	}
	if slices.Equal(old.Records, p.Records) && !slices.ContainsFunc(members, func(k resindex.RecordKey) bool {
		return slices.Contains(e.cache.written, k)
	}) {
		return nil // same records, none changed: nothing to rewrite
	}
	recs := make([]resindex.Record, 0, len(members))
	for _, k := range members {
		if prev[k] != pid {
			if err := e.setMember(t, k, pid); err != nil {
				return err
			}
		}
		r, ok := e.cache.records[k]
		if !ok {
			r, _, err = loadRecord(t, k)
		}
		if err != nil {
			return err
		}
		recs = append(recs, r)
	}
	p.Golden = resindex.GoldenRecordWhere(recs, e.opts.Trust, e.active)
	p.withheld = e.withholdGolden(recs)
	if err := e.rehouse(t, pid, &old, &p, members, prev, from); err != nil {
		return err
	}
	changed, err := savePerson(t, pid, &old, &p)
	if err != nil || !changed {
		return err
	}
	c := resindex.Change{Type: resindex.ChangePersonUpdated, Person: pid, Records: len(members)}
	switch {
	case len(old.Records) > 0:
	case from != "":
		c.Type, c.From = resindex.ChangePersonSplit, from
	default:
		c.Type = resindex.ChangePersonCreated
	}
	return emit(t, c)
}

// savePerson writes what changed of a person (old has no golden record,
// only its hash) and reports whether anything did. No redirect is
// deleted: a person ID is reused only while it has records, and only a
// person without records is redirected.
func savePerson(t resindex.Txn, pid string, old, p *person) (bool, error) {
	data, err := layout.EncodeGolden(&p.Golden)
	if err != nil {
		return false, err
	}
	sum := sha256.Sum256(data)
	p.goldenSum = string(sum[:16])
	if p.withheld {
		p.goldenSum = withheldSum(&p.Golden, data)
	}
	goldenChanged := old.Records == nil || p.goldenSum != old.goldenSum
	if err := storeGolden(t, pid, old, p, data, goldenChanged); err != nil {
		return false, err
	}
	if goldenChanged || old.Household != p.Household || !slices.Equal(old.Records, p.Records) {
		if err := t.Set(layout.Person(pid), encodeMembership(p)); err != nil {
			return false, err
		}
		return true, nil
	}
	return false, nil
}

// storeGolden writes a person's changed golden record, or under the
// children's policy deletes the one a person kept before (consent
// withdrawn, a merge with a child's records) and writes none.
func storeGolden(t resindex.Txn, pid string, old, p *person, data []byte, changed bool) error {
	switch {
	case !changed:
		return nil
	case !p.withheld:
		return t.Set(layout.Golden(pid), data)
	case old.Records != nil && !old.withheld:
		return t.Delete(layout.Golden(pid))
	}
	return nil
}

// retire deals with old IDs no cluster kept: merged into the cluster that
// took most of their records, or deleted when none did.
func (e *change) retire(t resindex.Txn, clusters [][]resindex.RecordKey, ids []string, prev map[resindex.RecordKey]string, extra []string) error {
	kept := map[string]bool{}
	for _, id := range ids {
		kept[id] = true
	}
	taken := map[string]map[string]int{} // old ID → new ID → records
	for i, c := range clusters {
		for _, k := range c {
			if old := prev[k]; old != "" && !kept[old] {
				if taken[old] == nil {
					taken[old] = map[string]int{}
				}
				taken[old][ids[i]]++
			}
		}
	}
	olds := slices.Clone(extra)
	for old := range taken {
		olds = append(olds, old)
	}
	slices.Sort(olds)
	for _, old := range slices.Compact(olds) {
		if old == "" || kept[old] {
			continue
		}
		if err := retireOne(t, old, taken[old]); err != nil {
			return err
		}
	}
	return nil
}

func retireOne(t resindex.Txn, old string, takers map[string]int) error {
	p, err := loadMembership(t, old)
	if err != nil {
		return err
	}
	if err := moveHousehold(t, old, p.Household, "", householdMove{}); err != nil {
		return err
	}
	if err := t.Delete(layout.Person(old)); err != nil {
		return err
	}
	if err := t.Delete(layout.Golden(old)); err != nil {
		return err
	}
	best, bestN := "", 0
	for id, n := range takers {
		if n > bestN || n == bestN && id < best {
			best, bestN = id, n
		}
	}
	if best == "" {
		return emit(t, resindex.Change{Type: resindex.ChangePersonDeleted, Person: old})
	}
	if err := t.Set(layout.Redirect(old), []byte(best)); err != nil {
		return err
	}
	return emit(t, resindex.Change{Type: resindex.ChangePersonMerged, Person: best, From: old})
}

func emit(t resindex.Txn, c resindex.Change) error {
	if f, ok := feedOf(t); ok {
		f.changes = append(f.changes, c)
	}
	data, err := json.Marshal(c)
	if err != nil {
		return err
	}
	_, err = t.Emit(data)
	return err
}
