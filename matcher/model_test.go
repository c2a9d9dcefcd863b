package matcher

import (
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
	good, _ := DefaultModel().MarshalIndent()
	cases := []struct {
		name, from, to, want string
	}{
		{"not json", `{`, `[`, "model"},
		{"unknown comparison", `"given_name"`, `"given_nam"`, "given_name missing"},
		{"bad m", `"m": 0.78`, `"m": 1.5`, "given_name: level exact"},
		{"thresholds", `"review_threshold": 0`, `"review_threshold": 99`, "review_threshold"},
		{"prior", `"expected_matches_per_record": 1`, `"expected_matches_per_record": 0`, "expected_matches_per_record"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			bad := strings.Replace(string(good), c.from, c.to, 1)
			if bad == string(good) {
				t.Fatalf("test edit %q did not apply", c.from)
			}
			_, err := ParseModel([]byte(bad))
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("err = %v, want %q", err, c.want)
			}
		})
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
