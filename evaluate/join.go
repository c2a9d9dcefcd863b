package evaluate

import (
	"slices"

	"github.com/resindex/resindex"
)

// join holds the records present in both truth and prediction, each with the
// index of its true and of its predicted cluster. Cluster indices are dense
// (0..len(IDs)-1) and count only clusters that hold a joined record.
type join struct {
	predicted             []resindex.Assignment
	at                    []int32 // position in predicted of each joined record
	truth, pred           []int32
	truthIDs, predIDs     []string
	missingFromPrediction int
	missingFromTruth      int
}

// key returns the key of joined record r.
func (j *join) key(r int32) resindex.RecordKey { return j.predicted[j.at[r]].Key }

// newJoin matches the two sides by record key. A key repeated on one side
// counts once, with its first assignment.
func newJoin(truth, predicted []resindex.Assignment) *join {
	match, extra, distinct := matchKeys(truth, predicted)
	truthCluster, truthIDs := internPersons(truth)
	n := min(distinct, len(predicted))
	j := &join{predicted: predicted, at: make([]int32, 0, n), truth: make([]int32, 0, n), pred: make([]int32, 0, n)}
	pi := newInterner(&j.predIDs, len(predicted)/4)
	for p, i := range match {
		if i >= 0 {
			j.at = append(j.at, int32(p))
			j.truth = append(j.truth, truthCluster[i])
			j.pred = append(j.pred, pi.index(predicted[p].PersonID))
		}
	}
	j.truthIDs = densify(j.truth, truthIDs)
	j.missingFromTruth = extra
	j.missingFromPrediction = distinct - len(j.at)
	return j
}

// matchKeys returns, for each predicted assignment, the position of the
// first truth assignment with its key, or -1 when the truth lacks the key or
// the key came earlier in predicted. It also counts the distinct predicted
// keys the truth lacks and the distinct truth keys. Inputs both sorted by
// key, as ReadAssignments returns files WriteAssignments wrote, are merged
// without hashing.
func matchKeys(truth, predicted []resindex.Assignment) (match []int32, extra, distinct int) {
	byKey := func(a, b resindex.Assignment) int { return a.Key.Compare(b.Key) }
	if slices.IsSortedFunc(truth, byKey) && slices.IsSortedFunc(predicted, byKey) {
		return matchSorted(truth, predicted)
	}
	return matchHashed(truth, predicted)
}

// matchSorted is matchKeys for inputs sorted by key: a merge.
func matchSorted(truth, predicted []resindex.Assignment) (match []int32, extra, distinct int) {
	match = make([]int32, len(predicted))
	i := 0
	for p, a := range predicted {
		match[p] = -1
		if p > 0 && predicted[p-1].Key == a.Key {
			continue
		}
		for i < len(truth) && truth[i].Key.Compare(a.Key) < 0 {
			i++
		}
		if i < len(truth) && truth[i].Key == a.Key {
			match[p] = int32(i)
		} else {
			extra++
		}
	}
	for i, a := range truth {
		if i == 0 || truth[i-1].Key != a.Key {
			distinct++
		}
	}
	return match, extra, distinct
}

// matchHashed is matchKeys for inputs in any order.
func matchHashed(truth, predicted []resindex.Assignment) (match []int32, extra, distinct int) {
	pos := firstPositions(truth)
	used := make([]bool, len(truth))
	missing := make(map[resindex.RecordKey]struct{})
	match = make([]int32, len(predicted))
	for p, a := range predicted {
		i, ok := pos[a.Key]
		switch {
		case !ok:
			match[p] = -1
			missing[a.Key] = struct{}{}
		case used[i]:
			match[p] = -1
		default:
			used[i] = true
			match[p] = i
		}
	}
	return match, len(missing), len(pos)
}

// firstPositions maps each key to the position of its first assignment.
// Filling from the end lets the first occurrence overwrite later ones.
func firstPositions(as []resindex.Assignment) map[resindex.RecordKey]int32 {
	pos := make(map[resindex.RecordKey]int32, len(as))
	for i := len(as) - 1; i >= 0; i-- {
		pos[as[i].Key] = int32(i)
	}
	return pos
}

// internPersons returns the person index of each assignment and the person
// ids by index.
func internPersons(as []resindex.Assignment) ([]int32, []string) {
	var ids []string
	in := newInterner(&ids, len(as)/4)
	cluster := make([]int32, len(as))
	for i, a := range as {
		cluster[i] = in.index(a.PersonID)
	}
	return cluster, ids
}

// densify renumbers cluster indices in place so that only clusters in use
// remain, numbered in order of first use, and returns their ids.
func densify(cluster []int32, ids []string) []string {
	renum := make([]int32, len(ids))
	for i := range renum {
		renum[i] = -1
	}
	var used []string
	for r, c := range cluster {
		if renum[c] < 0 {
			renum[c] = int32(len(used))
			used = append(used, ids[c])
		}
		cluster[r] = renum[c]
	}
	return used
}

// interner gives each distinct string a dense index, in order of first
// appearance, and records the strings in *ids.
type interner struct {
	idx map[string]int32
	ids *[]string
}

// newInterner returns an interner recording into *ids, sized for about
// hint strings.
func newInterner(ids *[]string, hint int) *interner {
	return &interner{idx: make(map[string]int32, hint), ids: ids}
}

// index returns the index of s, giving it the next one if it is new.
func (in *interner) index(s string) int32 {
	if i, ok := in.idx[s]; ok {
		return i
	}
	i := int32(len(*in.ids))
	in.idx[s] = i
	*in.ids = append(*in.ids, s)
	return i
}

// cell is one non-zero entry of a contingency table row: the inner cluster
// and how many records it shares with the row's outer cluster.
type cell struct {
	inner int32
	count int64
}

// table is the contingency table of two clusterings, stored by row (outer
// cluster): the cells of row o are cells[cellStart[o]:cellStart[o+1]] in
// order of first appearance, and the records of row o are
// records[recStart[o]:recStart[o+1]] in input order.
type table struct {
	cellStart, recStart []int32
	cells               []cell
	records             []int32
}

// newTable builds the contingency table of outer against inner (cluster
// indices per record, nOuter and nInner clusters) in O(records + clusters):
// a counting sort of the records by outer cluster, then one pass per row
// with a scratch counter per inner cluster.
func newTable(outer, inner []int32, nOuter, nInner int) *table {
	t := &table{records: sortByCluster(outer, nOuter)}
	t.recStart = clusterStarts(outer, nOuter)
	t.cellStart = make([]int32, nOuter+1)
	scratch := make([]int64, nInner)
	var touched []int32
	for o := range nOuter {
		touched = touched[:0]
		for _, r := range t.records[t.recStart[o]:t.recStart[o+1]] {
			in := inner[r]
			if scratch[in] == 0 {
				touched = append(touched, in)
			}
			scratch[in]++
		}
		for _, in := range touched {
			t.cells = append(t.cells, cell{inner: in, count: scratch[in]})
			scratch[in] = 0
		}
		t.cellStart[o+1] = int32(len(t.cells))
	}
	return t
}

// clusterStarts returns, for clusters 0..n-1, where each one's records
// begin in a list sorted by cluster, with a final entry for the end.
func clusterStarts(cluster []int32, n int) []int32 {
	start := make([]int32, n+1)
	for _, c := range cluster {
		start[c+1]++
	}
	for c := range n {
		start[c+1] += start[c]
	}
	return start
}

// sortByCluster returns record indices stably sorted by their cluster.
func sortByCluster(cluster []int32, n int) []int32 {
	next := clusterStarts(cluster, n)
	out := make([]int32, len(cluster))
	for r, c := range cluster {
		out[next[c]] = int32(r)
		next[c]++
	}
	return out
}

// row returns the cells of outer cluster o.
func (t *table) row(o int) []cell { return t.cells[t.cellStart[o]:t.cellStart[o+1]] }

// size returns the number of records in outer cluster o.
func (t *table) size(o int) int64 { return int64(t.recStart[o+1] - t.recStart[o]) }

// rowRecords returns the record indices of outer cluster o.
func (t *table) rowRecords(o int) []int32 { return t.records[t.recStart[o]:t.recStart[o+1]] }

// pairs is n choose 2.
func pairs(n int64) int64 { return n * (n - 1) / 2 }
