package matcher

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestDefaultModelRoundTrip(t *testing.T) {
	m := DefaultModel()
	data, err := m.MarshalIndent()
	if err != nil {
		t.Fatal(err)
	}
	back, err := ParseModel(data)
	if err != nil {
		t.Fatal(err)
	}
	for c := Comparison(0); c < NumComparisons; c++ {
		for l := Level(1); int(l) < c.NumLevels(); l++ {
			if back.Params(c, l) != m.Params(c, l) {
				t.Errorf("%s/%s changed in round trip", c, c.LevelName(l))
			}
		}
	}
}

func TestParseModelErrors(t *testing.T) {
	cases := []struct {
		name string
		edit func(m *Model)
		want string
	}{
		{"missing comparison", func(m *Model) { delete(m.Comparisons, "given_name") }, "given_name missing"},
		{"unknown comparison", func(m *Model) { m.Comparisons["shoe_size"] = m.Comparisons["sex"] }, "shoe_size"},
		{"missing level", func(m *Model) { delete(m.Comparisons["dob"], "exact") }, "dob: level exact missing"},
		{"unknown level", func(m *Model) { m.Comparisons["sex"]["maybe"] = LevelParams{M: 0.1, U: 0.1} }, "maybe"},
		{"bad m", func(m *Model) {
			p := m.Comparisons["given_name"]["exact"]
			p.M = 1.5
			m.Comparisons["given_name"]["exact"] = p
		}, "given_name: level exact"},
		{"zero u", func(m *Model) { p := m.Comparisons["nhs"]["same"]; p.U = 0; m.Comparisons["nhs"]["same"] = p }, "nhs: level same"},
		{"thresholds", func(m *Model) { m.ReviewThreshold = 99 }, "review_threshold"},
		{"prior", func(m *Model) { m.ExpectedMatchesPerRecord = 0 }, "expected_matches_per_record"},
		{"tf floor", func(m *Model) { m.TFMinimum = 2 }, "tf_minimum"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			m := DefaultModel()
			c.edit(m)
			data, err := json.Marshal(m)
			if err != nil {
				t.Fatal(err)
			}
			_, err = ParseModel(data)
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("err = %v, want %q", err, c.want)
			}
		})
	}
	if _, err := ParseModel([]byte("{")); err == nil {
		t.Error("truncated JSON accepted")
	}
	good, _ := DefaultModel().MarshalIndent()
	for _, edit := range [][2]string{
		{`"link_threshold"`, `"link_treshold"`},
		{`"conflict_threshold": -4.5,`, ``},
		{`"conflict_threshold": -4.5`, `"conflict_threshold": 0`},
	} {
		bad := strings.Replace(string(good), edit[0], edit[1], 1)
		if bad == string(good) {
			t.Fatalf("edit %q did not apply", edit[0])
		}
		if _, err := ParseModel([]byte(bad)); err == nil {
			t.Errorf("model with %q → %q accepted", edit[0], edit[1])
		}
	}
}

func FuzzParseModel(f *testing.F) {
	good, _ := DefaultModel().MarshalIndent()
	f.Add(good)
	f.Add([]byte(`{}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		m, err := ParseModel(data)
		if err != nil {
			return
		}
		for c := Comparison(0); c < NumComparisons; c++ {
			for l := Level(1); int(l) < c.NumLevels(); l++ {
				if p := m.Params(c, l); p.M <= 0 || p.U <= 0 {
					t.Fatalf("accepted a model with %s/%s m=%v u=%v", c, c.LevelName(l), p.M, p.U)
				}
			}
		}
	})
}

// TestDefaultModelIsADistribution: each comparison's m, u and household u
// are probabilities over its levels, so they must each add up to one.
func TestDefaultModelIsADistribution(t *testing.T) {
	m := DefaultModel()
	for c := Comparison(0); c < NumComparisons; c++ {
		var sm, su, sh float64
		household := true
		for l := Level(1); int(l) < c.NumLevels(); l++ {
			p := m.Params(c, l)
			sm, su, sh = sm+p.M, su+p.U, sh+p.UHousehold
			household = household && p.UHousehold > 0
		}
		if sm < 0.99 || sm > 1.01 || su < 0.99 || su > 1.02 || household && (sh < 0.98 || sh > 1.02) {
			t.Errorf("%s: m sums to %.4f, u to %.4f, u_household to %.4f", c, sm, su, sh)
		}
	}
}
