package resolver

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/resindex/resindex"
	"github.com/resindex/resindex/matcher"
)

// Store is what the engine needs of the store: one transaction per change,
// committed together with the source position that produced it.
type Store interface {
	Apply(pos resindex.Position, fn func(resindex.Txn) error) (bool, error)
	View(fn func(resindex.Txn) error) error
}

// EngineOptions configure the incremental engine. Zero values take the
// batch linker's defaults, so that both reach the same clusters.
type EngineOptions struct {
	Model    *matcher.Model
	MaxBlock int
	Window   int
	// Population is the number of records the prior is reckoned for. The
	// batch linker uses the number of records it links; a live index grows,
	// so it is fixed here (default 200,000) rather than drifting with
	// every change.
	Population int
	// Trust orders sources for the golden record, most trusted first;
	// default DefaultTrust.
	Trust []string
	// ActivityWindow: only records active this recently (by last_activity)
	// count as evidence of where someone lives now; default two years.
	ActivityWindow time.Duration
	// Now is the clock, injected for tests; default time.Now.
	Now func() time.Time
}

// Engine applies changes to the index one at a time: the live counterpart
// of Link, sharing its blocking, scoring and clustering.
// It applies one change at a time: it is not safe for concurrent use.
type Engine struct {
	store  Store
	counts *memCounts
	blocks *memBlocks
	opts   EngineOptions
	scorer *matcher.Scorer
	// cache holds what one change has loaded already; reset per change.
	cache *applyCache
	// parsed keeps records' profiles across changes, before term
	// frequencies, so a record is read and normalised once, not on every
	// change that meets it. The engine is the only writer: a change drops
	// the entries of the records it wrote when it commits.
	parsed map[resindex.RecordKey]matcher.Profile
}

// maxParsed bounds the profile cache; past it the cache starts afresh.
const maxParsed = 500_000

// applyCache keeps profiles and counts loaded during one change, which
// touches the same records and values many times.
type applyCache struct {
	profiles map[resindex.RecordKey]*matcher.Profile
	counts   *deltaCounts
	blocks   []blockDelta
	written  []resindex.RecordKey // records this change stored or removed
}

// NewEngine returns an engine over a store, loading the store's term
// frequency counts.
func NewEngine(s Store, opts EngineOptions) (*Engine, error) {
	lo := LinkOptions{Model: opts.Model, MaxBlock: opts.MaxBlock, Window: opts.Window}
	lo.defaults()
	opts.Model, opts.MaxBlock, opts.Window = lo.Model, lo.MaxBlock, lo.Window
	if opts.Population <= 0 {
		opts.Population = 200_000
	}
	if len(opts.Trust) == 0 {
		opts.Trust = DefaultTrust
	}
	if opts.ActivityWindow <= 0 {
		opts.ActivityWindow = 2 * 365 * 24 * time.Hour
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	counts, err := loadCounts(s)
	if err != nil {
		return nil, fmt.Errorf("resolver: load counts: %w", err)
	}
	blocks, err := loadBlocks(s)
	if err != nil {
		return nil, fmt.Errorf("resolver: load blocking index: %w", err)
	}
	return &Engine{store: s, opts: opts, counts: counts, blocks: blocks, scorer: matcher.NewScorer(opts.Model, opts.Population)}, nil
}

// Apply applies one version of a source record (an upsert, or a delete when
// rec.Deleted) in one transaction with its position. Older versions never
// overwrite newer ones and a position already applied is skipped, so
// replaying a change is a no-op. It reports whether the change took effect.
func (e *Engine) Apply(rec resindex.Record, pos resindex.Position) (bool, error) {
	changed := false
	applied, err := e.Transact(pos, func(t resindex.Txn) error {
		var err error
		changed, err = e.apply(t, rec)
		return err
	})
	if err != nil {
		return false, fmt.Errorf("resolver: apply %s: %w", rec.Key(), err)
	}
	return applied && changed, nil
}

// newCache starts the caches of one change (or one search).
func (e *Engine) newCache() *applyCache {
	return &applyCache{
		profiles: map[resindex.RecordKey]*matcher.Profile{},
		counts:   &deltaCounts{base: e.counts, delta: map[matcher.KindValue]int{}},
	}
}

// Transact runs fn as one change in one store transaction with its
// position, with fresh per-change caches, and merges the change's count
// deltas into memory once it commits.
func (e *Engine) Transact(pos resindex.Position, fn func(resindex.Txn) error) (bool, error) {
	var cache *applyCache
	applied, err := e.store.Apply(pos, func(t resindex.Txn) error {
		// Runs again from scratch if the transaction is retried.
		cache = e.newCache()
		e.cache = cache
		defer func() { e.cache = nil }()
		return fn(t)
	})
	if err == nil && applied && cache != nil {
		cache.counts.commit()
		e.blocks.commit(cache.blocks)
		for _, k := range cache.written {
			delete(e.parsed, k)
		}
	}
	return applied, err
}

func (e *Engine) apply(t resindex.Txn, rec resindex.Record) (bool, error) {
	k := rec.Key()
	old, found, err := loadRecord(t, k)
	if err != nil {
		return false, err
	}
	if found && !newer(&rec, &old) || !found && rec.Deleted {
		return false, nil
	}
	oldPID, err := personOf(t, k)
	if err != nil {
		return false, err
	}
	affected := map[resindex.RecordKey]bool{}
	if err := e.addPersonRecords(t, oldPID, affected); err != nil {
		return false, err
	}
	if found {
		if err := e.unindex(t, &old); err != nil {
			return false, err
		}
	}
	delete(affected, k)
	if !rec.Deleted {
		if err := e.index(t, &rec, affected); err != nil {
			return false, err
		}
	} else if err := t.Delete(memberKey(k)); err != nil {
		return false, err
	}
	return true, e.recluster(t, affected, oldPID)
}

// Export calls fn with every record's current person, in key order: the
// same rows as Link's clusters.
func Export(s Store, fn func(resindex.Assignment) error) error {
	return s.View(func(t resindex.Txn) error {
		return t.Scan([]byte("m/"), func(key, val []byte) error {
			return fn(resindex.Assignment{Key: parseRecID(string(key[2:])), PersonID: string(val)})
		})
	})
}

// addPersonRecords adds every record of a person to the set.
func (e *Engine) addPersonRecords(t resindex.Txn, pid string, set map[resindex.RecordKey]bool) error {
	if pid == "" {
		return nil
	}
	p, err := loadPerson(t, pid)
	if err != nil {
		return err
	}
	for _, id := range p.Records {
		set[parseRecID(id)] = true
	}
	return nil
}

// unindex removes a stored record: its value, counts, blocking entries and
// candidate pairs.
func (e *Engine) unindex(t resindex.Txn, r *resindex.Record) error {
	p := matcher.NewProfile(r)
	k := r.Key()
	if err := e.cache.counts.add(t, &p, -1); err != nil {
		return err
	}
	bk := matcher.NewBlockingKeys(&p)
	sk := blockSortKey(&p)
	for _, h := range allKeys(&bk) {
		if err := e.setBlock(t, h, sk, k, false); err != nil {
			return err
		}
	}
	if err := indexPostcodes(t, &p, false); err != nil {
		return err
	}
	if err := e.dropEdges(t, k); err != nil {
		return err
	}
	e.cache.written = append(e.cache.written, k)
	return t.Delete(recordKey(k))
}

func (e *Engine) dropEdges(t resindex.Txn, k resindex.RecordKey) error {
	var others []resindex.RecordKey
	prefix := edgePrefix(k)
	err := t.ScanKeys(prefix, func(key []byte) error {
		others = append(others, parseRecID(string(key[len(prefix):])))
		return nil
	})
	if err != nil {
		return err
	}
	for _, o := range others {
		if err := t.Delete(edgeKey(k, o)); err != nil {
			return err
		}
		if err := t.Delete(edgeKey(o, k)); err != nil {
			return err
		}
	}
	return nil
}

// index stores a record with its counts and blocking entries, finds its
// candidates and adds to the affected set the records of every person it
// now links to.
func (e *Engine) index(t resindex.Txn, r *resindex.Record, affected map[resindex.RecordKey]bool) error {
	k := r.Key()
	data, err := json.Marshal(r)
	if err != nil {
		return err
	}
	if err := t.Set(recordKey(k), data); err != nil {
		return err
	}
	e.cache.written = append(e.cache.written, k)
	p := matcher.NewProfile(r)
	if err := e.cache.counts.add(t, &p, 1); err != nil {
		return err
	}
	if err := indexPostcodes(t, &p, true); err != nil {
		return err
	}
	cands, err := e.candidates(t, &p)
	if err != nil {
		return err
	}
	affected[k] = true
	return e.linkCandidates(t, k, cands, affected)
}

// linkCandidates stores the candidate pairs and pulls in the persons of
// the candidates this record links to.
func (e *Engine) linkCandidates(t resindex.Txn, k resindex.RecordKey, cands []resindex.RecordKey, affected map[resindex.RecordKey]bool) error {
	if len(cands) == 0 {
		return nil
	}
	keys := append([]resindex.RecordKey{k}, cands...)
	ps, err := e.profiles(t, keys)
	if err != nil {
		return err
	}
	for i, c := range cands {
		if err := t.Set(edgeKey(k, c), nil); err != nil {
			return err
		}
		if err := t.Set(edgeKey(c, k), nil); err != nil {
			return err
		}
		s := e.scorer.Score(&ps[0], &ps[i+1])
		if s.Conflict || s.Weight < e.opts.Model.LinkThreshold {
			continue
		}
		pid, err := personOf(t, c)
		if err != nil {
			return err
		}
		affected[c] = true
		if err := e.addPersonRecords(t, pid, affected); err != nil {
			return err
		}
	}
	return nil
}

// candidates finds the records that share a blocking key with the profile,
// windowing oversized blocks as the batch linker does.
func (e *Engine) candidates(t resindex.Txn, p *matcher.Profile) ([]resindex.RecordKey, error) {
	bk := matcher.NewBlockingKeys(p)
	sk := blockSortKey(p)
	seen := map[resindex.RecordKey]bool{p.Key: true}
	var out []resindex.RecordKey
	for _, h := range allKeys(&bk) {
		members, err := e.block(t, h, sk, p.Key)
		if err != nil {
			return nil, err
		}
		if err := e.setBlock(t, h, sk, p.Key, true); err != nil {
			return nil, err
		}
		for _, m := range members {
			if !seen[m] {
				seen[m] = true
				out = append(out, m)
			}
		}
	}
	slices.SortFunc(out, func(a, b resindex.RecordKey) int { return strings.Compare(recID(a), recID(b)) })
	return out, nil
}

// block returns the members of one block to compare with a new record:
// all of them, or in an oversized block its nearest neighbours in sort
// order.
func (e *Engine) block(_ resindex.Txn, h uint64, sk string, self resindex.RecordKey) ([]resindex.RecordKey, error) {
	entries := e.blocks.m[h]
	selfID := recID(self)
	if len(entries)+1 > e.opts.MaxBlock {
		i, _ := slices.BinarySearch(entries, sk+"\x01"+selfID)
		// One more on each side in case the record's old entry is there.
		lo, hi := max(i-e.opts.Window-1, 0), min(i+e.opts.Window+1, len(entries))
		entries = entries[lo:hi]
	}
	out := make([]resindex.RecordKey, 0, len(entries))
	for _, en := range entries {
		_, id, _ := strings.Cut(en, "\x01")
		if id != selfID { // the record's own entries, old or new
			out = append(out, parseRecID(id))
		}
	}
	return out, nil
}

// blockSortKey orders the members of a block: the batch linker's order.
func blockSortKey(p *matcher.Profile) string {
	return p.Family + "|" + strings.Join(p.Given, " ") + "|" + p.DOB.String()
}

func allKeys(bk *matcher.BlockingKeys) []uint64 {
	var out []uint64
	for r := matcher.Rule(0); r < matcher.NumRules; r++ {
		out = append(out, bk.Rule(r)...)
	}
	return out
}

// profiles loads and annotates the profiles of stored records, in order.
// Counts are read after this change updated them, and cached with the
// profiles for the rest of the change.
func (e *Engine) profiles(t resindex.Txn, keys []resindex.RecordKey) ([]matcher.Profile, error) {
	own := 1 + e.opts.Model.ExpectedMatchesPerRecord
	ps := make([]matcher.Profile, len(keys))
	for i, k := range keys {
		if p, ok := e.cache.profiles[k]; ok {
			ps[i] = *p
			continue
		}
		p, err := e.parse(t, k)
		if err != nil {
			return nil, err
		}
		ps[i] = p
		matcher.Annotate(e.cache.counts, own, &ps[i])
		e.cache.profiles[k] = &ps[i]
	}
	return ps, nil
}

// parse returns the profile of a stored record, from the cache unless
// this change wrote the record.
func (e *Engine) parse(t resindex.Txn, k resindex.RecordKey) (matcher.Profile, error) {
	if p, ok := e.parsed[k]; ok && !slices.Contains(e.cache.written, k) {
		// Annotate writes into the addresses: give the caller its own.
		p.Addresses = slices.Clone(p.Addresses)
		return p, nil
	}
	r, found, err := loadRecord(t, k)
	if err != nil {
		return matcher.Profile{}, err
	}
	if !found {
		return matcher.Profile{}, fmt.Errorf("resolver: record %s is indexed but not stored", k)
	}
	p := matcher.NewProfile(&r)
	if !slices.Contains(e.cache.written, k) {
		if e.parsed == nil || len(e.parsed) >= maxParsed {
			e.parsed = map[resindex.RecordKey]matcher.Profile{}
		}
		e.parsed[k] = p
		p.Addresses = slices.Clone(p.Addresses)
	}
	return p, nil
}
