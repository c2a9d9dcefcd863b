package resolver

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strings"

	"github.com/resindex/resindex"
)

// Override kinds.
const (
	OverrideLink   = "link"   // the two records are the same person
	OverrideUnlink = "unlink" // the two records are not the same person
)

// Override is a data steward's decision about two records, stored and
// always honoured by clustering.
type Override struct {
	Kind   string `json:"kind"`
	Reason string `json:"reason"`
}

func overrideKey(a, b resindex.RecordKey) []byte {
	if recID(b) < recID(a) {
		a, b = b, a
	}
	return []byte("v/" + recID(a) + "\x00\x00" + recID(b))
}

// SetOverride records a link or unlink between two stored records, with
// its reason, and re-clusters the persons they belong to in the same
// transaction.
func (e *Engine) SetOverride(a, b resindex.RecordKey, o Override, pos resindex.Position) error {
	if o.Kind != OverrideLink && o.Kind != OverrideUnlink {
		return fmt.Errorf("resolver: override kind %q: want link or unlink", o.Kind)
	}
	if strings.TrimSpace(o.Reason) == "" {
		return errors.New("resolver: an override needs a reason")
	}
	if a == b {
		return errors.New("resolver: an override needs two different records")
	}
	_, err := e.Transact(pos, func(t resindex.Txn) error { return e.override(t, a, b, o) })
	return err
}

func (e *Engine) override(t resindex.Txn, a, b resindex.RecordKey, o Override) error {
	affected := map[resindex.RecordKey]bool{}
	for _, k := range []resindex.RecordKey{a, b} {
		if _, found, err := loadRecord(t, k); err != nil {
			return err
		} else if !found {
			return fmt.Errorf("record %s: %w", k, resindex.ErrNotFound)
		}
		pid, err := personOf(t, k)
		if err != nil {
			return err
		}
		affected[k] = true
		if err := e.addPersonRecords(t, pid, affected); err != nil {
			return err
		}
	}
	data, err := json.Marshal(o)
	if err != nil {
		return err
	}
	if err := t.Set(overrideKey(a, b), data); err != nil {
		return err
	}
	// A manual link must be found by clustering even between records no
	// blocking rule brings together.
	if err := t.Set(edgeKey(a, b), nil); err != nil {
		return err
	}
	if err := t.Set(edgeKey(b, a), nil); err != nil {
		return err
	}
	return e.recluster(t, affected)
}

// loadOverride returns the override between two records, if any.
func loadOverride(t resindex.Txn, a, b resindex.RecordKey) (Override, bool, error) {
	var o Override
	v, err := t.Get(overrideKey(a, b))
	if errors.Is(err, resindex.ErrNotFound) {
		return o, false, nil
	}
	if err != nil {
		return o, false, err
	}
	return o, true, json.Unmarshal(v, &o)
}

// manualLink is the weight of an edge a steward linked by hand.
var manualLink = math.Inf(1)
