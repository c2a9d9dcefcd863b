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

func (f QueueFilter) match(it *ReviewItem) bool {
	w := it.Link.Weight
	return (f.Source == "" || sourceOf(it.A.Record) == f.Source || sourceOf(it.B.Record) == f.Source) &&
		(!f.HasMin || w >= f.MinWeight) && (!f.HasMax || w < f.MaxWeight)
}

func sourceOf(record string) string {
	k, err := resindex.ParseRecordKey(record)
	if err != nil {
		return ""
	}
	return k.Source
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
// the pairs the steward may see, filtered, counted and paged. The index
// keeps the queue in key order, so the whole queue (up to MaxQueueSort
// pairs) is read and sorted on each call.
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
		from, err := queueOffset(pg.Token)
		if err != nil {
			return err
		}
		all, capped, err := s.sortedQueue(role)
		if err != nil {
			return err
		}
		out.Capped = capped
		var kept []ReviewItem
		for i := range all {
			for _, r := range []string{all[i].A.Record, all[i].B.Record} {
				if src := sourceOf(r); !slices.Contains(out.Sources, src) {
					out.Sources = append(out.Sources, src)
				}
			}
			if f.match(&all[i]) {
				kept = append(kept, all[i])
			}
		}
		slices.Sort(out.Sources)
		out.Total = len(kept)
		for _, it := range kept[min(from, len(kept)):min(from+size, len(kept))] {
			out.Items = append(out.Items, it)
			e.Persons = appendOnce(appendOnce(e.Persons, it.A.Person), it.B.Person)
		}
		if from+size < len(kept) {
			out.NextPage = strconv.Itoa(from + size)
		}
		return nil
	})
	return out, err
}

// queueCacheFor is how long a role's sorted queue is kept. The index keeps
// the queue in key order, so sorting it means reading it whole (seconds at
// a million records); a steward paging and filtering it reads it once. A
// decision made here clears it; one made elsewhere, or a pair the engine
// adds or removes, shows within this time.
const queueCacheFor = 30 * time.Second

// queueCache keeps each role's sorted queue.
type queueCache struct {
	mu     sync.Mutex
	byRole map[string]cachedQueue
}

type cachedQueue struct {
	items  []ReviewItem
	capped bool
	at     time.Time
}

func (c *queueCache) get(role string) (cachedQueue, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	q, ok := c.byRole[role]
	return q, ok && time.Since(q.at) < queueCacheFor
}

func (c *queueCache) put(role string, q cachedQueue) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.byRole == nil {
		c.byRole = map[string]cachedQueue{}
	}
	c.byRole[role] = q
}

func (c *queueCache) clear() {
	c.mu.Lock()
	defer c.mu.Unlock()
	clear(c.byRole)
}

// sortedQueue is the role's queue, strongest first: kept, or read anew.
func (s *Service) sortedQueue(role *Role) ([]ReviewItem, bool, error) {
	if q, ok := s.queues.get(role.Name); ok {
		return q.items, q.capped, nil
	}
	items, capped, err := s.visibleQueue(role)
	if err == nil {
		s.queues.put(role.Name, cachedQueue{items: items, capped: capped, at: time.Now()})
	}
	return items, capped, err
}

// visibleQueue reads the queue's pairs the role may see, strongest first.
func (s *Service) visibleQueue(role *Role) ([]ReviewItem, bool, error) {
	var all []ReviewItem
	next, read, persons := "", 0, map[string]personRead{}
	for {
		cands, after, err := s.index.Candidates(next, min(500, MaxQueueSort-read))
		if err != nil {
			return nil, false, err
		}
		read += len(cands)
		for _, c := range cands {
			item, ok, err := s.reviewItem(role, c, persons)
			if err != nil {
				return nil, false, err
			}
			if ok {
				all = append(all, item)
			}
		}
		if after == "" || read >= MaxQueueSort {
			slices.SortStableFunc(all, func(a, b ReviewItem) int { return cmp.Compare(b.Link.Weight, a.Link.Weight) })
			return all, after != "", nil
		}
		next = after
	}
}

func queueOffset(token string) (int, error) {
	if token == "" {
		return 0, nil
	}
	n, err := strconv.Atoi(token)
	if err != nil || n < 0 || n > MaxQueueSort {
		return 0, &InputError{"page_token", "not a token this service gave"}
	}
	return n, nil
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
