package matcher

import (
	"bytes"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"math"
)

// LevelParams are the Fellegi–Sunter parameters of one comparison level.
type LevelParams struct {
	// M is the probability of this level among true matches.
	M float64 `json:"m"`
	// U is the probability of this level among non-matches.
	U float64 `json:"u"`
	// UHousehold, when set, replaces U for two records at the same property:
	// family members share a surname and an address, so agreement there is
	// weaker evidence than the same agreement between strangers.
	UHousehold float64 `json:"u_household,omitempty"`
	// TF marks levels whose U is replaced by the frequency of the agreeing
	// value (a shared "Smith" is weaker evidence than a shared "Oyelaran").
	TF bool `json:"tf,omitempty"`
}

// Model is the match model: data, not code. It is saved as JSON by
// `resindex train` and loaded by `link --model`.
type Model struct {
	Version string `json:"version"`
	// ExpectedMatchesPerRecord sets the prior: the chance that two records
	// drawn at random are the same person is this over the number of records.
	ExpectedMatchesPerRecord float64 `json:"expected_matches_per_record"`
	// LinkThreshold and ReviewThreshold are match weights (log2 odds,
	// prior included): at or above LinkThreshold records are linked; between
	// the two they are a possible match for a data steward to review.
	LinkThreshold   float64 `json:"link_threshold"`
	ReviewThreshold float64 `json:"review_threshold"`
	// ConflictThreshold: at cluster level, two records whose negative
	// evidence sums to this or less (log2) contradict each other and may not
	// be joined through a third.
	ConflictThreshold float64 `json:"conflict_threshold"`
	// PersonalAddresses says the data has no households: nearly every
	// pair of records at one property is one person (so fitting found), so
	// a property's frequency is discounted by the person's own records as
	// a name's is. Council data has households: false.
	PersonalAddresses bool `json:"personal_addresses,omitempty"`
	// TFMinimum floors a term frequency so that one-off values do not give
	// unbounded weight.
	TFMinimum float64 `json:"tf_minimum"`
	// Comparisons maps comparison name → level name → parameters.
	Comparisons map[string]map[string]LevelParams `json:"comparisons"`

	params [NumComparisons][]LevelParams
}

// Params returns the parameters of level l of comparison c.
func (m *Model) Params(c Comparison, l Level) LevelParams { return m.params[c][l] }

// SetParams replaces the parameters of one level (used by training).
func (m *Model) SetParams(c Comparison, l Level, p LevelParams) {
	m.params[c][l] = p
	m.Comparisons[c.String()][c.LevelName(l)] = p
}

// ParseModel decodes and validates a model from JSON. Errors name the
// comparison and level at fault.
func ParseModel(data []byte) (*Model, error) {
	var m Model
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields() // a misspelt threshold must not silently become 0
	if err := dec.Decode(&m); err != nil {
		return nil, fmt.Errorf("model: %w", err)
	}
	if err := requireFields(data); err != nil {
		return nil, err
	}
	if err := m.compile(); err != nil {
		return nil, err
	}
	return &m, nil
}

// requireFields checks that the settings with no safe default are present.
func requireFields(data []byte) error {
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(data, &fields); err != nil {
		return fmt.Errorf("model: %w", err)
	}
	for _, f := range []string{"expected_matches_per_record", "link_threshold", "review_threshold", "conflict_threshold", "tf_minimum", "comparisons"} {
		if _, ok := fields[f]; !ok {
			return fmt.Errorf("model: %s missing", f)
		}
	}
	return nil
}

// Named sets the model's version to prefix plus a hash of its parameters,
// so that every explanation and link names exactly the model behind it,
// and returns the model as indented JSON.
func (m *Model) Named(prefix string) ([]byte, error) {
	m.Version = ""
	body, err := json.Marshal(m)
	if err != nil {
		return nil, err
	}
	sum := sha256.Sum256(body)
	m.Version = fmt.Sprintf("%s-%x", prefix, sum[:6])
	return m.MarshalIndent()
}

// MarshalIndent renders the model as indented JSON.
func (m *Model) MarshalIndent() ([]byte, error) { return json.MarshalIndent(m, "", "  ") }

// compile checks the model and indexes its levels for scoring.
func (m *Model) compile() error {
	if m.ExpectedMatchesPerRecord <= 0 {
		return fmt.Errorf("model: expected_matches_per_record must be > 0")
	}
	if m.ReviewThreshold > m.LinkThreshold {
		return fmt.Errorf("model: review_threshold %.2f is above link_threshold %.2f", m.ReviewThreshold, m.LinkThreshold)
	}
	if m.TFMinimum <= 0 || m.TFMinimum >= 1 {
		return fmt.Errorf("model: tf_minimum must be in (0,1)")
	}
	if m.ConflictThreshold >= 0 {
		return fmt.Errorf("model: conflict_threshold must be negative (a sum of negative evidence)")
	}
	for c := Comparison(0); c < NumComparisons; c++ {
		levels, ok := m.Comparisons[c.String()]
		if !ok {
			return fmt.Errorf("model: comparison %s missing", c)
		}
		if err := m.compileComparison(c, levels); err != nil {
			return err
		}
	}
	for name := range m.Comparisons {
		if comparisonByName(name) < 0 {
			return fmt.Errorf("model: unknown comparison %q", name)
		}
	}
	return nil
}

func (m *Model) compileComparison(c Comparison, levels map[string]LevelParams) error {
	m.params[c] = make([]LevelParams, c.NumLevels())
	for l := Level(1); int(l) < c.NumLevels(); l++ {
		p, ok := levels[c.LevelName(l)]
		if !ok && c == CmpAddress && l == AddrTown {
			return fmt.Errorf("model: comparison %s: level %s missing (a model written before that level existed: fit it again with 'resindex train', or link without --model)", c, c.LevelName(l))
		}
		if !ok {
			return fmt.Errorf("model: comparison %s: level %s missing", c, c.LevelName(l))
		}
		if !validProb(p.M) || !validProb(p.U) || p.UHousehold < 0 || p.UHousehold > 1 || math.IsNaN(p.UHousehold) {
			return fmt.Errorf("model: comparison %s: level %s: m and u must be in (0,1]", c, c.LevelName(l))
		}
		m.params[c][l] = p
	}
	if len(levels) != c.NumLevels()-1 {
		for name := range levels {
			if levelByName(c, name) < 1 {
				return fmt.Errorf("model: comparison %s: unknown level %q", c, name)
			}
		}
	}
	return nil
}

func validProb(p float64) bool { return p > 0 && p <= 1 && !math.IsNaN(p) }

func comparisonByName(name string) Comparison {
	for c := Comparison(0); c < NumComparisons; c++ {
		if c.String() == name {
			return c
		}
	}
	return -1
}

func levelByName(c Comparison, name string) int {
	for i, n := range levelNames[c] {
		if n == name {
			return i
		}
	}
	return -1
}

// Clone returns a deep copy, so that training never alters the default.
func (m *Model) Clone() *Model {
	data, err := json.Marshal(m)
	if err != nil {
		panic(fmt.Sprintf("model: clone: %v", err)) // a compiled model always marshals
	}
	c, err := ParseModel(data)
	if err != nil {
		panic(fmt.Sprintf("model: clone: %v", err))
	}
	return c
}
