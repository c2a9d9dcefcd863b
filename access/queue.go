package access

import (
	"cmp"
	"errors"
	"slices"
	"strconv"
	"sync"
	"time"

	"github.com/resindex/resindex"
)

// QueueFilter narrows the review queue: pairs with a record from Source
// ("" any), with a weight at least MinWeight (when HasMin) and below
// MaxWeight (when HasMax).
type QueueFilter struct {
	Source               string
	MinWeight, MaxWeight float64
	HasMin, HasMax       bool
}

func (f QueueFilter) match(c *resindex.Candidate) bool {
	w := c.Weight
	return (f.Source == "" || c.A.Source == f.Source || c.B.Source == f.Source) &&
		(!f.HasMin || w >= f.MinWeight) && (!f.HasMax || w < f.MaxWeight)
}

// QueuePage is one page of the review queue, strongest pair first, with
// how many pairs match the filter and the sources they come from.
type QueuePage struct {
	Items    []ReviewItem `json:"items"`
	Total    int          `json:"total"`
	Sources  []string     `json:"sources"`
	NextPage string       `json:"next_page,omitempty"`
	// Capped says the queue holds more pairs than one sort reads
	// (MaxQueueSort): the strongest of the first ones are shown.
	Capped bool `json:"capped,omitempty"`
}

// MaxQueueSort bounds the pairs one sorted read of the queue takes in.
const MaxQueueSort = 20_000

// Queue lists the review queue for a data steward, strongest pair first:
// the pairs the steward may see, filtered, counted and paged. The pairs
// shown are drawn afresh through the rules on every call; which pairs
// there are, in order, is kept a short while (queueCache).
func (s *Service) Queue(p resindex.Principal, f QueueFilter, pg Page) (QueuePage, error) {
	out := QueuePage{Items: []ReviewItem{}, Sources: []string{}}
	err := s.audited(p, "review", "review queue "+queueQuery(f), "", func(e *AuditEntry) error {
		role, err := s.roleAble(p, ReviewMatches)
		if err != nil {
			return err
		}
		size, err := pg.size()
		if err != nil {
			return err
		}
		from, err := pg.offset(MaxQueueSort)
		if err != nil {
			return err
		}
		all, capped, err := s.sortedQueue(role)
		if err != nil {
			return err
		}
		out.Capped = capped
		var kept []resindex.Candidate
		for i := range all {
			for _, src := range []string{all[i].A.Source, all[i].B.Source} {
				if !slices.Contains(out.Sources, src) {
					out.Sources = append(out.Sources, src)
				}
			}
			if f.match(&all[i]) {
				kept = append(kept, all[i])
			}
		}
		slices.Sort(out.Sources)
		out.Total = len(kept)
		read := map[string]personRead{}
		for _, c := range kept[min(from, len(kept)):min(from+size, len(kept))] {
			item, ok, err := s.reviewItem(role, c, read)
			if err != nil {
				return err
			}
			if ok { // a pair no longer the role's to see since it was kept is left out
				out.Items = append(out.Items, item)
				e.Persons = appendOnce(appendOnce(e.Persons, c.PersonA), c.PersonB)
			}
		}
		if from+size < len(kept) {
			out.NextPage = offsetToken(from + size)
		}
		return nil
	})
	return out, err
}

// queueCacheFor is how long a role's sorted queue is kept. The index keeps
// the queue in key order, so sorting it means reading it whole (seconds at
// a million records); a steward paging and filtering it reads it once.
// Only the pairs are kept (record keys, person IDs, weights), no resident
// data: each page shown is drawn afresh. A decision made here drops the
// pairs of its two persons; one made elsewhere, or a pair the engine adds
// or removes, shows within this time.
const queueCacheFor = 30 * time.Second

// queueCache keeps each role's sorted queue. gen moves on with every
// decision, so that a read begun before one is not kept after it.
type queueCache struct {
	mu     sync.Mutex
	gen    uint64
	byRole map[string]cachedQueue
}

type cachedQueue struct {
	pairs  []resindex.Candidate
	capped bool
	at     time.Time // when the read began
}

// get returns a role's queue if it is fresh, and the generation a read
// begun now must still find to keep what it reads; stale queues go.
func (c *queueCache) get(role string, now time.Time) (cachedQueue, uint64, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for r, q := range c.byRole {
		if now.Sub(q.at) >= queueCacheFor {
			delete(c.byRole, r)
		}
	}
	q, ok := c.byRole[role]
	return q, c.gen, ok
}

// put keeps a role's queue, unless a decision came since its read began.
func (c *queueCache) put(role string, gen uint64, q cachedQueue) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if gen != c.gen {
		return
	}
	if c.byRole == nil {
		c.byRole = map[string]cachedQueue{}
	}
	c.byRole[role] = q
}

// decided drops from every kept queue the pairs of the persons a decision
// was about (their pairs may all have changed) and moves the generation on.
func (c *queueCache) decided(persons []string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.gen++
	for r, q := range c.byRole {
		q.pairs = slices.DeleteFunc(slices.Clone(q.pairs), func(p resindex.Candidate) bool {
			return slices.Contains(persons, p.PersonA) || slices.Contains(persons, p.PersonB)
		})
		c.byRole[r] = q
	}
}

// sortedQueue is the pairs of the role's queue, strongest first: kept, or
// read anew.
func (s *Service) sortedQueue(role *Role) ([]resindex.Candidate, bool, error) {
	now := time.Now()
	q, gen, ok := s.queues.get(role.Name, now)
	if ok {
		return q.pairs, q.capped, nil
	}
	pairs, capped, err := s.visibleQueue(role)
	if err == nil {
		s.queues.put(role.Name, gen, cachedQueue{pairs: pairs, capped: capped, at: now})
	}
	return pairs, capped, err
}

// visibleQueue reads the queue's pairs the role may see, strongest first.
func (s *Service) visibleQueue(role *Role) ([]resindex.Candidate, bool, error) {
	var all []resindex.Candidate
	next, read, persons := "", 0, map[string]personRead{}
	for {
		cands, after, err := s.index.Candidates(next, min(500, MaxQueueSort-read))
		if err != nil {
			return nil, false, err
		}
		read += len(cands)
		for _, c := range cands {
			_, ok, err := s.reviewItem(role, c, persons)
			if err != nil {
				return nil, false, err
			}
			if ok {
				all = append(all, c)
			}
		}
		if after == "" || read >= MaxQueueSort {
			slices.SortStableFunc(all, func(a, b resindex.Candidate) int { return cmp.Compare(b.Weight, a.Weight) })
			return all, after != "", nil
		}
		next = after
	}
}

func queueQuery(f QueueFilter) string {
	q := ""
	if f.Source != "" {
		q += "source=" + f.Source + " "
	}
	if f.HasMin {
		q += "min_weight=" + strconv.FormatFloat(f.MinWeight, 'f', -1, 64) + " "
	}
	if f.HasMax {
		q += "max_weight=" + strconv.FormatFloat(f.MaxWeight, 'f', -1, 64)
	}
	return q
}

// Owner is the person holding a record now, as a steward sees them.
type Owner struct {
	Record string     `json:"record"`
	Person PersonView `json:"person"`
}

// Owners says which person holds each of the records now: after a
// steward's decision, the outcome (one person, or two). A record the
// steward may not see, or that is gone, is left out.
func (s *Service) Owners(p resindex.Principal, keys []resindex.RecordKey) ([]Owner, error) {
	var out []Owner
	query := "owners"
	for _, k := range keys {
		query += " " + k.String()
	}
	err := s.audited(p, "view", query, "", func(e *AuditEntry) error {
		role, err := s.roleAble(p, ReviewMatches)
		if err != nil {
			return err
		}
		for _, k := range keys {
			pid, err := s.recordPerson(role, k, "")
			if errors.Is(err, resindex.ErrNotFound) || errors.Is(err, ErrReasonRequired) {
				continue
			}
			if err != nil {
				return err
			}
			m, err := s.index.Person(pid)
			if err != nil {
				return err
			}
			sub, err := s.see(role, &m, "")
			if err != nil {
				continue
			}
			out = append(out, Owner{Record: k.String(), Person: s.view(role, sub, summaryFields)})
			e.Persons = appendOnce(e.Persons, pid)
		}
		return nil
	})
	return out, err
}
