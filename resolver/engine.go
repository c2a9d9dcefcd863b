package resolver

import (
	"cmp"
	"errors"
	"fmt"
	"maps"
	"reflect"
	"sync"
	"time"

	"github.com/resindex/resindex"
	"github.com/resindex/resindex/layout"
	"github.com/resindex/resindex/matcher"
)

// Store is what the engine needs of the store: one transaction per change,
// committed together with the source position that produced it.
type Store interface {
	Apply(pos resindex.Position, fn func(resindex.Txn) error) (bool, error)
	// ApplyUnder is Apply with the commit made while l is held, and
	// committed run then too if fn took effect.
	ApplyUnder(pos resindex.Position, l sync.Locker, fn func(resindex.Txn) error, committed func()) (bool, error)
	Update(fn func(resindex.Txn) error) error
	View(fn func(resindex.Txn) error) error
	// ViewUnder is View with the snapshot taken while l is held, and l
	// held until fn returns.
	ViewUnder(l sync.Locker, fn func(resindex.Txn) error) error
}

// EngineOptions configure the incremental engine. Zero values take the
// batch linker's defaults, so that both reach the same clusters.
type EngineOptions struct {
	// Watcher, when set, sees each change's feed entries in the change's
	// own transaction (not a bulk load's: a first load is not news).
	Watcher Watcher
	// Model scores pairs. nil: the model the store was built with, or for
	// a new store the shipped model (a bulk load fits one instead).
	Model    *matcher.Model
	MaxBlock int
	Window   int
	// Population is the number of records the prior is reckoned for. The
	// batch linker uses the number of records it links; a live index grows,
	// so it is fixed when the store is built and kept in the store rather
	// than drifting with every change. 0: the store's, or for a new store
	// InitialPopulation, or 200,000.
	Population int
	// InitialPopulation is the population of a new store when Population
	// is 0 (ingest uses the number of records in its input).
	InitialPopulation int
	// Trust orders sources for the golden record, most trusted first;
	// default DefaultTrust.
	Trust []string
	// ActivityWindow: only records active this recently (by last_activity)
	// count as evidence of where someone lives now; default two years.
	ActivityWindow time.Duration
	// Now is the clock, injected for tests; default time.Now.
	Now func() time.Time
	// ChildrenGolden is the children's golden record policy:
	// ChildrenConsent (none for a person who may be under 18, on Now,
	// without recorded consent) or ChildrenAlways. A store keeps the
	// policy it was built with; "" takes it (a new store: consent), and
	// another is refused.
	ChildrenGolden string
	// ProfileCache bounds the records whose match profiles are kept in
	// memory between changes (about 1 KB each, and about 0.6 KB more for
	// the quarter of them at most whose annotation reads share); past it
	// the cache starts
	// afresh. Default 1,500,000: a borough's records, so that at a million
	// records a change rarely reads and normalises a candidate again.
	ProfileCache int
	// bulkLoad: the engine of a bulk load, which may open a store whose
	// load has not finished.
	bulkLoad bool
	// ObserveApply, if set, is told how long each Apply took, waiting
	// for the change before it included (a server's apply latency).
	ObserveApply func(time.Duration)
	// Preload fills the profile cache from the store when the engine
	// starts, on this many goroutines (0: not at all): for long runs of
	// changes (ingest, serve), not for one search.
	Preload int
	// ReadReplica: the engine of a read replica, which refuses every
	// change and follows the writer's store instead (Follow).
	ReadReplica bool
}

// Engine applies changes to the index one at a time: the live counterpart
// of Link, sharing its blocking, scoring and clustering. Changes may come
// from several goroutines and are applied in turn; reads (search, links,
// the review queue) run alongside a change in progress, each on one
// consistent snapshot of the store and of the engine's in-memory indexes.
//
// A read is a reader (the read model); a change is a change (the
// writer), which reads through a reader of its own and stages its edits
// of the in-memory indexes there, where only it sees them, publishing them in
// the moment its transaction commits, holding state exclusively; a read
// holds state shared while it takes its snapshot and works. So a read
// never waits for a change's work. It may wait for a commit being
// published, which itself waits for the reads already running (state is
// a sync.RWMutex: once a commit waits for it, new reads wait behind).
type Engine struct {
	write     sync.Mutex   // held by each change, start to end
	state     sync.RWMutex // shared by each read; exclusive while a change commits and publishes
	store     Store
	counts    *memCounts
	blocks    *memBlocks
	overrides *memOverrides
	members   *memMembers
	// clocks are each source's newest version time applied (guarded by
	// write): the data's own clocks, one a source, since sources arrive
	// in their own order.
	clocks map[string]time.Time
	opts   EngineOptions
	scorer *matcher.Scorer
	// stats are under statsMu alone, not write: a metrics scrape reads
	// them and must not wait for a change in progress.
	statsMu sync.Mutex
	stats   EngineStats
	// settingsStored: the store has its settings (written with the first
	// change). Under write.
	settingsStored bool
	// countsGen numbers the published counts: a change that alters them
	// moves it on as it publishes. Reads' shared annotations are of one
	// generation. Starts at 1 (0 is no generation).
	countsGen uint64
	// parsed keeps records' profiles across changes and reads, so a
	// record is read and normalised once, not on every change that meets
	// it. Its entries are never changed once cached: each operation
	// annotates a copy.
	parsed *profileCache
}

// reader is the read model: one operation's view of the index (a read,
// or the reading a change does), with what it has loaded. Its methods
// never write.
type reader struct {
	*Engine
	cache *applyCache
	// reading: a read, which sees only published state, so shares the
	// profiles annotated with the published counts.
	reading bool
}

// change is the writer: one change in hand, reading through its reader
// (which sees the change's own staged edits) and staging its edits of
// the in-memory indexes in the reader's cache until it commits.
type change struct {
	*reader
}

// applyCache keeps what one operation has loaded and what a change has
// staged: the operation touches the same records and values many times.
type applyCache struct {
	profiles map[resindex.RecordKey]*matcher.Profile // annotated for this operation
	counts   *deltaCounts
	written  []resindex.RecordKey // records this change stored or removed
	// fresh are the profile entries of written records, cached when the
	// change commits.
	fresh map[resindex.RecordKey]*profileEntry
	// records are the new versions this change stored.
	records map[resindex.RecordKey]resindex.Record
	// blocks are the blocking index's blocks this change edited, whole
	// (copied on the first edit); members its record → person edits (""
	// for a removal); overrides the stewards' decisions it made.
	blocks    map[uint64][]string
	members   map[resindex.RecordKey]string
	overrides []overrideEdit
	// homes are persons' households before the change rewrote them.
	homes map[string]string
	// clocks are the sources' clocks this change moves on.
	clocks map[string]time.Time
	// feed are the change-feed entries the change wrote; queued: it put
	// a pair in the review queue; newRecord: its record was not live in
	// the index before. Together they say what it decided (decide).
	feed      []resindex.Change
	queued    bool
	newRecord bool
	// watched is the watcher that saw the change, told when it commits
	// if it asks to be (CommitWatcher).
	watched Watcher
	// staged are the profile entries of records written by the changes
	// before this one in its group (ApplyGroup), nil for a removal: the
	// shared cache has the committed ones.
	staged map[resindex.RecordKey]*profileEntry
}

// NewEngine returns an engine over a store, loading the store's term
// frequency counts.
func NewEngine(s Store, opts EngineOptions) (*Engine, error) {
	if opts.Population < 0 {
		return nil, fmt.Errorf("resolver: population %d: want a positive number, or 0 for the default", opts.Population)
	}
	if !opts.bulkLoad {
		if err := checkBulk(s); err != nil {
			return nil, err
		}
	}
	if _, err := ParseChildrenGolden(opts.ChildrenGolden); err != nil {
		return nil, fmt.Errorf("resolver: %w", err)
	}
	stored, err := checkSettings(s, &opts)
	if err != nil {
		return nil, err
	}
	lo := LinkOptions{Model: opts.Model, MaxBlock: opts.MaxBlock, Window: opts.Window}
	lo.defaults()
	opts.Model, opts.MaxBlock, opts.Window = lo.Model, lo.MaxBlock, lo.Window
	if opts.Population == 0 {
		opts.Population = cmp.Or(max(opts.InitialPopulation, 0), 200_000)
	}
	if len(opts.Trust) == 0 {
		opts.Trust = resindex.DefaultTrust
	}
	if opts.ActivityWindow <= 0 {
		opts.ActivityWindow = 2 * 365 * 24 * time.Hour
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.ProfileCache <= 0 {
		opts.ProfileCache = 1_500_000
	}
	counts, err := loadCounts(s)
	if err != nil {
		return nil, fmt.Errorf("resolver: load counts: %w", err)
	}
	blocks, err := loadBlocks(s)
	if err != nil {
		return nil, fmt.Errorf("resolver: load blocking index: %w", err)
	}
	overrides, err := loadOverrides(s)
	if err != nil {
		return nil, fmt.Errorf("resolver: load overrides: %w", err)
	}
	members, err := loadMembers(s)
	if err != nil {
		return nil, fmt.Errorf("resolver: load persons' records: %w", err)
	}
	clocks, err := loadClocks(s)
	if err != nil {
		return nil, fmt.Errorf("resolver: load the data's clock: %w", err)
	}
	e := &Engine{store: s, opts: opts, countsGen: 1, counts: counts, blocks: blocks, overrides: overrides, members: members, parsed: newProfileCache(opts.ProfileCache),
		scorer: matcher.NewScorer(opts.Model, opts.Population), settingsStored: stored, clocks: clocks}
	if opts.Preload > 0 {
		if err := e.preload(opts.Preload); err != nil {
			return nil, fmt.Errorf("resolver: preload profiles: %w", err)
		}
	}
	return e, nil
}

// Apply applies one version of a source record (an upsert, or a delete when
// rec.Deleted) in one transaction with its position. Older versions never
// overwrite newer ones and a position already applied is skipped, so
// replaying a change is a no-op. It reports whether the change took effect.
func (e *Engine) Apply(rec resindex.Record, pos resindex.Position) (bool, error) {
	if err := rec.Key().Check(); err != nil {
		return false, fmt.Errorf("resolver: apply: %w", err)
	}
	if e.opts.ObserveApply != nil {
		defer func(t0 time.Time) { e.opts.ObserveApply(time.Since(t0)) }(time.Now())
	}
	changed := false
	applied, err := e.transact(pos, func(o *change, t resindex.Txn) error {
		var err error
		if err := o.advanceClock(t, rec.Source, rec.Version); err != nil {
			return err
		}
		changed, err = o.apply(t, rec)
		return err
	})
	if err != nil {
		return false, fmt.Errorf("resolver: apply %s: %w", rec.Key(), err)
	}
	return applied && changed, nil
}

// advanceClock moves a source's clock on to a version newer than any it
// has applied, in the change's transaction, so that a restart (or a
// crash) goes on with the same clocks; the engine's copy moves as the
// change publishes, never ahead of the store. A version that is no
// RFC 3339 time leaves it.
func (c *change) advanceClock(t resindex.Txn, source, version string) error {
	v, err := time.Parse(time.RFC3339, version)
	if err != nil || !v.After(c.clockOf(source)) {
		return nil
	}
	if c.cache.clocks == nil {
		c.cache.clocks = map[string]time.Time{}
	}
	c.cache.clocks[source] = v // the engine's when the change commits (publish)
	all := maps.Clone(c.clocks)
	if all == nil {
		all = map[string]time.Time{}
	}
	maps.Copy(all, c.cache.clocks)
	return t.Set(layout.DataClock, layout.EncodeClocks(all))
}

// clockOf is a source's clock as this change sees it.
func (c *change) clockOf(source string) time.Time {
	if v, ok := c.cache.clocks[source]; ok {
		return v
	}
	return c.clocks[source]
}

// loadClocks reads the data's clocks a store keeps.
func loadClocks(s Store) (map[string]time.Time, error) {
	out := map[string]time.Time{}
	err := s.View(func(t resindex.Txn) error {
		v, err := t.Get(layout.DataClock)
		if errors.Is(err, resindex.ErrNotFound) {
			return nil
		}
		if err == nil {
			out, err = layout.DecodeClocks(v)
		}
		return err
	})
	return out, err
}

// active reports whether a record is inside the activity window: records
// active since its start say where someone lives now. The window ends at
// the newest record its source has applied when that is earlier than the
// clock, so that a replayed history (an onboarding, a re-link, a backlog
// read from many topics at once) places people as their sources' own
// time did, not as today would.
func (c *change) active(r *resindex.Record) bool {
	now := c.opts.Now()
	if v := c.clockOf(r.Source); !v.IsZero() && v.Before(now) {
		now = v
	}
	return resindex.Active(r, now.Add(-c.opts.ActivityWindow))
}

// EngineStats count the engine's work since it started: what a change
// costs grows with the candidates it compares and the records it
// re-clusters.
type EngineStats struct {
	Changes     int64 // changes that took effect
	Candidates  int64 // stored records a new version was compared with
	Reclustered int64 // records re-clustered
	Unchanged   int64 // new versions with nothing new for the matcher
	// Decided counts committed changes (not a bulk load's) by what they
	// decided (decisions.go).
	Decided [NumDecisions]int64
}

// Stats returns the engine's work counts.
func (e *Engine) Stats() EngineStats {
	e.statsMu.Lock()
	defer e.statsMu.Unlock()
	return e.stats
}

// count adds to the stats.
func (e *Engine) count(add func(*EngineStats)) {
	e.statsMu.Lock()
	defer e.statsMu.Unlock()
	add(&e.stats)
}

// newOp starts one operation's reader.
func (e *Engine) newOp() *reader {
	return &reader{Engine: e, cache: &applyCache{
		profiles: map[resindex.RecordKey]*matcher.Profile{},
		fresh:    map[resindex.RecordKey]*profileEntry{},
		records:  map[resindex.RecordKey]resindex.Record{},
		counts:   &deltaCounts{base: e.counts, delta: map[uint64]int{}},
		blocks:   map[uint64][]string{},
		members:  map[resindex.RecordKey]string{},
	}}
}

// read runs fn as one read: one snapshot of the store, taken while the
// in-memory indexes are held shared, so that the two agree. It waits only
// while a change commits, never for a change's work.
func (e *Engine) read(fn func(r *reader, t resindex.Txn) error) error {
	return e.store.ViewUnder(e.state.RLocker(), func(t resindex.Txn) error {
		o := e.newOp()
		o.reading = true
		return fn(o, t)
	})
}

// transact runs fn as one change in one store transaction with its
// position. The change's edits of the in-memory indexes are staged in its
// change and published as its transaction commits, with state held
// exclusively (the store takes it around the commit), so that no read
// sees the store without the memory or the memory without the store; if
// it does not commit, they are dropped.
func (e *Engine) transact(pos resindex.Position, fn func(c *change, t resindex.Txn) error) (bool, error) {
	return e.transactWatched(pos, e.opts.Watcher, fn)
}

// transactWatched is transact with the watcher given (nil: none sees the
// change's feed entries).
func (e *Engine) transactWatched(pos resindex.Position, watcher Watcher, fn func(c *change, t resindex.Txn) error) (bool, error) {
	if err := e.refuseOnReplica(); err != nil {
		return false, err
	}
	e.write.Lock()
	defer e.write.Unlock()
	var c *change
	return e.store.ApplyUnder(pos, &e.state, func(t resindex.Txn) error {
		c = &change{reader: e.newOp()} // afresh if the transaction is tried again
		if !e.settingsStored {
			if err := e.saveSettings(t); err != nil {
				return err
			}
		}
		if e.opts.bulkLoad {
			return fn(c, t)
		}
		// The feed entries are kept for the watcher and to count what
		// the change decided (publish).
		ft := &feedTxn{Txn: t}
		if err := fn(c, ft); err != nil {
			return err
		}
		c.cache.feed = ft.changes
		if watcher == nil {
			return nil
		}
		c.cache.watched = watcher
		return watcher.Watch(t, ft.changes)
	}, func() { e.publish(c) })
}

// publish makes a committed change's staged edits the engine's.
func (e *Engine) publish(ch *change) {
	c := ch.cache
	e.publishStaged(c)
	e.publishOwn(c)
	if cw, ok := c.watched.(CommitWatcher); ok {
		cw.Committed()
	}
}

// publishStaged makes staged edits of the in-memory indexes the engine's:
// one change's, or a group's.
func (e *Engine) publishStaged(c *applyCache) {
	if len(c.counts.delta) > 0 || c.counts.records != 0 {
		e.countsGen++
	}
	c.counts.commit()
	e.blocks.publish(c.blocks)
	e.members.publish(c.members)
	for _, oe := range c.overrides {
		if oe.removed {
			e.overrides.remove(oe.a, oe.b)
		} else {
			e.overrides.set(oe.a, oe.b, oe.o)
		}
	}
	e.settingsStored = true
	if len(c.clocks) > 0 {
		if e.clocks == nil {
			e.clocks = map[string]time.Time{}
		}
		maps.Copy(e.clocks, c.clocks)
	}
}

// publishOwn publishes what is one committed change's own: its count and
// decision, and the profiles of the records it wrote.
func (e *Engine) publishOwn(c *applyCache) {
	// A read replica's engine decides nothing: what it follows is the
	// writer's decisions, counted there.
	if !e.opts.ReadReplica {
		e.count(func(s *EngineStats) {
			s.Changes++
			if !e.opts.bulkLoad {
				s.Decided[decide(c.feed, c.queued, c.newRecord)]++
			}
		})
	}
	for _, k := range c.written {
		if en, ok := c.fresh[k]; ok {
			e.parsed.put(en)
		} else {
			e.parsed.drop(k)
		}
	}
}

func (e *change) apply(t resindex.Txn, rec resindex.Record) (bool, error) {
	t = newMemoTxn(t)
	k := rec.Key()
	old, found, err := loadRecord(t, k)
	if err != nil {
		return false, err
	}
	if rec.Deleted && rec.Version == "" {
		// A delete that knows no version (a Kafka tombstone, a record
		// missing from a full extract) deletes whatever version stands.
		if !found || old.Deleted {
			return false, nil
		}
		rec.Version = old.Version
	}
	if found && !newer(&rec, &old) {
		return false, nil // an older version, or this one again
	}
	live := found && !old.Deleted
	e.cache.newRecord = !live && !rec.Deleted
	if !live && rec.Deleted {
		// Nothing to delete; the tombstone still keeps out older versions
		// that arrive later.
		return false, e.putRecord(t, tombstone(&rec))
	}
	oldPID := e.personOf(k)
	affected := map[resindex.RecordKey]bool{}
	if err := e.addPersonRecords(t, oldPID, affected); err != nil {
		return false, err
	}
	delete(affected, k)
	var before, after *matcher.Profile
	if live {
		p := matcher.NewProfile(&old)
		before = &p
	}
	if !rec.Deleted {
		p := matcher.NewProfile(&rec)
		after = &p
	}
	if err := e.reindex(t, before, after); err != nil {
		return false, err
	}
	if err := e.storeVersion(t, &rec, before, after, affected); err != nil {
		return false, err
	}
	return true, e.recluster(t, affected, oldPID)
}

// storeVersion stores the new version (a tombstone for a delete) and, for an
// upsert, adds to the affected set the persons it now links to.
func (e *change) storeVersion(t resindex.Txn, rec *resindex.Record, before, after *matcher.Profile, affected map[resindex.RecordKey]bool) error {
	k := rec.Key()
	if rec.Deleted {
		if err := e.putRecord(t, tombstone(rec)); err != nil {
			return err
		}
		return e.setMember(t, k, "")
	}
	if err := e.putRecord(t, rec); err != nil {
		return err
	}
	// The change has the new version and its profile in hand: the steps
	// after need not read them back from the store.
	e.cache.records[k] = *rec
	e.cache.fresh[k] = newEntry(*after)
	affected[k] = true
	// A new version that changes nothing the matcher reads (a date of last
	// activity, an attribute) links to no one new: its person is
	// re-clustered, for its golden record and household, but its
	// candidates need not be scored again.
	if before != nil && reflect.DeepEqual(before, after) {
		e.count(func(s *EngineStats) { s.Unchanged++ })
		return nil
	}
	return e.linkCandidates(t, k, keysOf(e.partners(after)), affected)
}

// tombstone is what the store keeps of a deleted record: its key and the
// version that deleted it, so that an older version arriving later (a
// replayed extract, a redelivered event) is refused rather than bringing
// the record back.
func tombstone(r *resindex.Record) *resindex.Record {
	return &resindex.Record{Source: r.Source, ID: r.ID, Version: r.Version, Deleted: true}
}

// keysOf parses record IDs.
func keysOf(ids []string) []resindex.RecordKey {
	out := make([]resindex.RecordKey, len(ids))
	for i, id := range ids {
		out[i] = layout.ParseRecID(id)
	}
	return out
}

// putRecord writes a record's value.
func (e *Engine) putRecord(t resindex.Txn, r *resindex.Record) error {
	return t.Set(layout.Record(r.Key()), layout.EncodeRecord(r))
}

// Export calls fn with every record's current person, in key order: the
// same rows as Link's clusters.
func Export(s Store, fn func(resindex.Assignment) error) error {
	return s.View(func(t resindex.Txn) error {
		return t.Scan([]byte(layout.MemberPrefix), func(key, val []byte) error {
			return fn(resindex.Assignment{Key: layout.RecordOf(key), PersonID: string(val)})
		})
	})
}

// SourceIDs lists the ids of a source's live records (those with a
// person), in key order.
func SourceIDs(s Store, source string) ([]string, error) {
	var ids []string
	err := Export(s, func(a resindex.Assignment) error {
		if a.Key.Source == source {
			ids = append(ids, a.Key.ID)
		}
		return nil
	})
	return ids, err
}

// addPersonRecords adds every record of a person to the set: from
// memory while this change has moved no record, else from the store.
func (e *reader) addPersonRecords(t resindex.Txn, pid string, set map[resindex.RecordKey]bool) error {
	if pid == "" {
		return nil
	}
	if len(e.cache.members) == 0 {
		e.members.each(pid, func(rec string) { set[layout.ParseRecID(rec)] = true })
		return nil
	}
	ids, err := personRecords(t, pid)
	if err != nil {
		return err
	}
	for _, id := range ids {
		set[layout.ParseRecID(id)] = true
	}
	return nil
}

// reindex moves a record's counts, blocking entries and postcode entries
// from its old profile to its new one (either may be nil: an insert or a
// delete), writing only what differs, since most updates leave most of a
// record's values as they were.
func (e *change) reindex(t resindex.Txn, before, after *matcher.Profile) error {
	if before != nil && after != nil && reflect.DeepEqual(before, after) {
		// Nothing the matcher reads changed (most updates: an activity
		// date, an attribute): no count and no index entry moves.
		e.cache.written = append(e.cache.written, after.Key)
		return nil
	}
	if err := e.cache.counts.update(t, before, after); err != nil {
		return err
	}
	oldKeys, newKeys := indexKeys(before), indexKeys(after)
	for key := range oldKeys {
		if !newKeys[key] {
			if err := e.setIndex(t, []byte(key), false); err != nil {
				return err
			}
		}
	}
	for key := range newKeys {
		if !oldKeys[key] {
			if err := e.setIndex(t, []byte(key), true); err != nil {
				return err
			}
		}
	}
	k := before
	if k == nil {
		k = after
	}
	e.cache.written = append(e.cache.written, k.Key)
	return nil
}

// indexKeys are the blocking, postcode and UPRN index keys of a profile.
func indexKeys(p *matcher.Profile) map[string]bool {
	out := map[string]bool{}
	if p == nil {
		return out
	}
	bk := matcher.NewBlockingKeys(p)
	sk := blockSortKey(p)
	for _, h := range allKeys(&bk) {
		out[string(layout.Block(h, sk, p.Key))] = true
	}
	for _, kv := range matcher.Values(p) {
		if kv.Kind == matcher.FreqPostcode {
			out[string(layout.Postcode(kv.Value, p.Key))] = true
		}
	}
	for _, a := range p.Addresses {
		if a.UPRN == "" {
			continue
		}
		for _, mk := range a.IndexKeys() {
			out[string(layout.UPRN(mk, a.Place(), a.UPRN, p.Key))] = true
		}
	}
	return out
}

// linkCandidates pulls in the persons of the candidates this record links
// to. Candidates are scored without annotating them: where a term
// frequency applies the two records agree on the value, so the new
// record's frequency, which is annotated, is the frequency of both (the
// scorer takes the larger of the two sides, so leaving one side out can
// only raise the weight). No link is missed; at most a person is pulled
// in whom re-clustering then leaves apart.
func (e *change) linkCandidates(t resindex.Txn, k resindex.RecordKey, cands []resindex.RecordKey, affected map[resindex.RecordKey]bool) error {
	if len(cands) == 0 {
		return nil
	}
	e.count(func(s *EngineStats) { s.Candidates += int64(len(cands)) })
	own, err := e.profiles(t, []resindex.RecordKey{k})
	if err != nil {
		return err
	}
	for _, c := range cands {
		p, err := e.unannotated(t, c)
		if err != nil {
			return err
		}
		s := e.scorer.Score(own[0], p)
		if err := e.queueForReview(t, k, c, s); err != nil {
			return err
		}
		if s.Conflict || s.Weight < e.opts.Model.LinkThreshold {
			continue
		}
		pid := e.personOf(c)
		affected[c] = true
		if err := e.addPersonRecords(t, pid, affected); err != nil {
			return err
		}
	}
	return nil
}
