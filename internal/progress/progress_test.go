package progress

import (
	"strings"
	"testing"
)

func TestProgress(t *testing.T) {
	cases := []struct {
		name  string
		quiet bool
		do    func(p *Progress)
		want  []string // substrings of the output, in order; none: no output
	}{
		{"count", false, func(p *Progress) { p.Update("reading", 5, 0) }, []string{"] reading: 5\n"}},
		{"share", false, func(p *Progress) { p.Update("applying", 1, 4) }, []string{"] applying: 1/4 (25%)\n"}},
		{"throttled but the last always prints", false, func(p *Progress) {
			p.Update("applying", 1, 4)
			p.Update("applying", 2, 4) // within a second: dropped
			p.Update("applying", 4, 4)
		}, []string{"1/4", "4/4 (100%)"}},
		{"log line", false, func(p *Progress) { p.Logf("%d persons", 3) }, []string{"] 3 persons\n"}},
		{"quiet", true, func(p *Progress) { p.Update("x", 1, 1); p.Logf("y") }, nil},
	}
	for _, c := range cases {
		var b strings.Builder
		c.do(New(&b, c.quiet))
		out := b.String()
		if c.want == nil && out != "" {
			t.Errorf("%s: printed %q", c.name, out)
		}
		if strings.Contains(out, "2/4") {
			t.Errorf("%s: not throttled: %q", c.name, out)
		}
		rest := out
		for _, w := range c.want {
			i := strings.Index(rest, w)
			if i < 0 {
				t.Errorf("%s: %q lacks %q", c.name, out, w)
				break
			}
			rest = rest[i+len(w):]
		}
	}
}

func TestNilProgressIsSilent(t *testing.T) {
	var p *Progress
	p.Update("x", 1, 2)
	p.Logf("y")
}
