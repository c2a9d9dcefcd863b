package resolver

import (
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/resindex/resindex"
	"github.com/resindex/resindex/layout"
	"github.com/resindex/resindex/matcher"
)

// settings are what the stored index was built with. Stored persons come
// from scores, and scores depend on the model and the population the prior
// is reckoned for: an engine with others would treat new changes
// differently from the records already linked, so it is refused.
type settings struct {
	Model      string `json:"model"` // version and fingerprint
	Population int    `json:"population"`
	// ModelJSON is the model itself, so that an engine opened without a
	// pinned model scores with the one the store was built with (fitted
	// at its bulk load) and never drifts from it.
	ModelJSON json.RawMessage `json:"model_json,omitempty"`
	// Format is the store's layout version: a store written in another
	// layout is refused rather than misread.
	Format int `json:"format"`
	// ChildrenGolden is the children's golden record policy the persons
	// were derived under; "" in a store built before the policy existed,
	// which built every golden record (ChildrenAlways).
	ChildrenGolden string `json:"children_golden,omitempty"`
}

// storeFormat is the layout this engine writes (package layout): binary
// records with tombstones, p/ and g/ persons; 3 adds the blocking rules
// that need no name or no date and the town counts, and keeps the model
// itself (a store of layout 2 lacks those keys and counts, so its
// changes would not meet what the batch linker meets); 4 adds the UPRN
// index (i/u/) that households are keyed by, the alerts (k/, e/, y/) and
// the data's clock (a store of layout 3 lacks the index, so its
// untouched persons would keep households split by address text).
const storeFormat = 4

// modelFingerprint names a model by its version and a hash of its
// parameters, so that an edited model is told apart from the one it came
// from even if its version was kept.
func modelFingerprint(m *matcher.Model) string {
	body, _ := json.Marshal(m) // a model always marshals
	sum := sha256.Sum256(body)
	return fmt.Sprintf("%s/%x", m.Version, sum[:6])
}

// loadSettings reads the stored settings, if the store has any.
func loadSettings(s Store) (settings, bool, error) {
	var st settings
	found := false
	err := s.View(func(t resindex.Txn) error {
		v, err := t.Get(layout.Settings)
		if errors.Is(err, resindex.ErrNotFound) {
			return nil
		}
		if err != nil {
			return err
		}
		found = true
		if err := json.Unmarshal(v, &st); err != nil {
			return fmt.Errorf("resolver: stored settings are corrupt: %w", err)
		}
		return nil
	})
	return st, found, err
}

// checkSettings reconciles the engine's options with the store's: a store
// keeps the population it was built with unless none is asked for, and
// refuses another model or population.
func checkSettings(s Store, opts *EngineOptions) (stored bool, err error) {
	st, found, err := loadSettings(s)
	if err != nil {
		return false, err
	}
	if !found {
		if opts.ChildrenGolden == "" {
			opts.ChildrenGolden = ChildrenConsent
		}
		return false, refuseUnversioned(s)
	}
	if err := st.checkChildren(opts); err != nil {
		return true, err
	}
	if st.Format != storeFormat {
		return true, fmt.Errorf("resolver: the store is in layout %d, this version reads layout %d: rebuild it from the sources (ingest into a new directory)", st.Format, storeFormat)
	}
	if opts.Model == nil {
		if opts.Model, err = st.model(); err != nil {
			return true, err
		}
	}
	if opts.Model == nil {
		opts.Model = matcher.DefaultModel()
	}
	if fp := modelFingerprint(opts.Model); st.Model != fp {
		return true, fmt.Errorf("resolver: the store was built with model %s, not %s: use the same model (--model), or build a new store to change it", st.Model, fp)
	}
	if opts.Population == 0 {
		opts.Population = st.Population
	} else if opts.Population != st.Population {
		return true, fmt.Errorf("resolver: the store was built for a population of %d, not %d: leave --population out, or build a new store to change it", st.Population, opts.Population)
	}
	return true, nil
}

// StoredModel returns the model a store was built with, or false when the
// store has none yet (empty) or predates stored models.
func StoredModel(s Store) (*matcher.Model, bool, error) {
	st, _, err := loadSettings(s)
	if err != nil {
		return nil, false, err
	}
	m, err := st.model()
	return m, m != nil, err
}

// model parses the stored model; nil when the settings hold none.
func (st settings) model() (*matcher.Model, error) {
	if len(st.ModelJSON) == 0 {
		return nil, nil
	}
	m, err := matcher.ParseModel(st.ModelJSON)
	if err != nil {
		return nil, fmt.Errorf("resolver: the store's model: %w", err)
	}
	return m, nil
}

// saveSettings writes the engine's settings with its first change.
func (e *Engine) saveSettings(t resindex.Txn) error {
	model, err := json.Marshal(e.opts.Model)
	if err != nil {
		return err
	}
	data, err := json.Marshal(settings{Model: modelFingerprint(e.opts.Model), Population: e.opts.Population, Format: storeFormat, ModelJSON: model,
		ChildrenGolden: e.opts.ChildrenGolden})
	if err != nil {
		return err
	}
	return t.Set(layout.Settings, data)
}

// refuseUnversioned refuses a store that has persons but no settings:
// written by a version before settings were kept, in an older layout.
func refuseUnversioned(s Store) error {
	return s.View(func(t resindex.Txn) error {
		return t.ScanKeys([]byte(layout.PersonPrefix), func([]byte) error {
			return errors.New("resolver: the store was written by an older version of resindex, in another layout: rebuild it from the sources (ingest into a new directory)")
		})
	})
}

// checkChildren reconciles the children's golden record policy with the
// store's: persons already derived under one policy would disagree with
// those derived under another (golden records kept for some children and
// not others), so another is refused rather than applied to new changes
// only. Changing it means building the store again from the sources.
func (st settings) checkChildren(opts *EngineOptions) error {
	stored := st.ChildrenGolden
	if stored == "" {
		stored = ChildrenAlways // built before the policy: every golden record
	}
	if opts.ChildrenGolden == "" {
		opts.ChildrenGolden = stored
		return nil
	}
	if opts.ChildrenGolden != stored {
		return fmt.Errorf("resolver: the store's persons were derived under children.golden_records: %s, not %s: leave the option out (or set it to %s), or build a new store from the sources (ingest into a new directory) to change it: %w",
			stored, opts.ChildrenGolden, stored, resindex.ErrInvalid)
	}
	return nil
}
