package matcher

import "fmt"

// DefaultModel returns the model that ships with resindex, so that linking
// works before any training. Its m values are our judgement of how often
// each kind of disagreement happens in council data for the same person;
// its u values are what two strangers share by chance (term frequencies
// replace them for names, dates of birth and addresses at run time).
func DefaultModel() *Model {
	m := &Model{
		Version:                  "default-2",
		ExpectedMatchesPerRecord: 1.5,
		LinkThreshold:            0,
		ReviewThreshold:          -4,
		ConflictThreshold:        -4.5,
		TFMinimum:                1e-6,
		Comparisons:              map[string]map[string]LevelParams{},
	}
	add := func(c Comparison, levels ...LevelParams) {
		if len(levels) != c.NumLevels()-1 {
			panic(fmt.Sprintf("default model: %s has %d levels, want %d", c, len(levels), c.NumLevels()-1))
		}
		lm := map[string]LevelParams{}
		for i, p := range levels {
			lm[c.LevelName(Level(i+1))] = p
		}
		m.Comparisons[c.String()] = lm
	}
	add(CmpGiven,
		LevelParams{M: 0.72, U: 0.004, UHousehold: 0.006, TF: true}, // exact
		LevelParams{M: 0.15, U: 0.003, UHousehold: 0.002, TF: true}, // first exact
		LevelParams{M: 0.01, U: 0.001, UHousehold: 0.004},           // middle names differ
		LevelParams{M: 0.03, U: 0.001, UHousehold: 0.002},           // variant
		LevelParams{M: 0.02, U: 0.0005, UHousehold: 0.002},          // any token
		LevelParams{M: 0.03, U: 0.002, UHousehold: 0.003},           // fuzzy
		LevelParams{M: 0.03, U: 0.006, UHousehold: 0.004},           // initial
		LevelParams{M: 0.005, U: 0.004, UHousehold: 0.005},          // phonetic
		LevelParams{M: 0.005, U: 0.98, UHousehold: 0.976},           // different
	)
	add(CmpFamily,
		LevelParams{M: 0.86, U: 0.003, UHousehold: 0.6, TF: true}, // exact
		LevelParams{M: 0.04, U: 0.0003, UHousehold: 0.1},          // part
		LevelParams{M: 0.03, U: 0.002, UHousehold: 0.05},          // fuzzy
		LevelParams{M: 0.01, U: 0.004, UHousehold: 0.03},          // phonetic
		LevelParams{M: 0.02, U: 0.0001, UHousehold: 0.01},         // other name
		LevelParams{M: 0.04, U: 0.99, UHousehold: 0.2},            // different
	)
	add(CmpDOB,
		LevelParams{M: 0.924, U: 3.7e-5, UHousehold: 0.005, TF: true}, // exact
		LevelParams{M: 0.01, U: 3e-5, UHousehold: 0.001},              // day/month swap
		LevelParams{M: 0.03, U: 0.0008, UHousehold: 0.01},             // one digit
		LevelParams{M: 0.02, U: 0.013, UHousehold: 0.05},              // partial
		LevelParams{M: 0.01, U: 0.012, UHousehold: 0.05},              // same year
		LevelParams{M: 0.005, U: 0.25, UHousehold: 0.4},               // different, < 10 years
		LevelParams{M: 0.001, U: 0.725, UHousehold: 0.5},              // 10 or more years apart
	)
	add(CmpSex,
		LevelParams{M: 0.97, U: 0.5}, // same
		LevelParams{M: 0.03, U: 0.5}, // different
	)
	add(CmpAddress,
		LevelParams{M: 0.65, U: 1e-5, TF: true}, // exact
		LevelParams{M: 0.05, U: 5e-5},           // building
		LevelParams{M: 0.03, U: 2e-5},           // street and number
		LevelParams{M: 0.03, U: 5e-4, TF: true}, // postcode
		LevelParams{M: 0.04, U: 0.002},          // tokens
		LevelParams{M: 0.05, U: 0.02},           // sector
		LevelParams{M: 0.05, U: 0.05, TF: true}, // town
		LevelParams{M: 0.10, U: 0.92},           // different
	)
	strongID := []LevelParams{{M: 0.97, U: 1e-7}, {M: 0.005, U: 1e-6}, {M: 0.025, U: 0.999}}
	add(CmpNHS, strongID...)
	add(CmpNINO, strongID...)
	add(CmpUPN, LevelParams{M: 0.95, U: 1e-7}, LevelParams{M: 0.01, U: 1e-6}, LevelParams{M: 0.04, U: 0.999})
	add(CmpOtherID, LevelParams{M: 0.88, U: 1e-6}, LevelParams{M: 0.07, U: 1e-5}, LevelParams{M: 0.05, U: 0.999})
	add(CmpEmail, LevelParams{M: 0.6, U: 1e-6, UHousehold: 0.05}, LevelParams{M: 0.01, U: 1e-5}, LevelParams{M: 0.39, U: 0.999})
	add(CmpPhone, LevelParams{M: 0.6, U: 1e-5, UHousehold: 0.4}, LevelParams{M: 0.01, U: 1e-5}, LevelParams{M: 0.39, U: 0.999})
	if err := m.compile(); err != nil {
		panic(err) // the shipped model is checked by its tests
	}
	return m
}
