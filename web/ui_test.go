package web

import (
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/resindex/resindex"
)

// TestLocalPath: only a path on this site survives as a place to go
// after sign-in; anything a browser could read as another site is "".
func TestLocalPath(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"/search", "/search"},
		{"/persons/abc/household", "/persons/abc/household"},
		{"", ""},
		{"search", ""},
		{"//evil.example", ""},
		{"/\t/evil.example", ""},
		{"/\n/evil.example", ""},
		{"/\\evil.example", ""},
		{"\\\\evil.example", ""},
		{"https://evil.example/", ""},
		{"javascript:alert(1)", ""},
		{"/%0a/evil", "/%0a/evil"}, // still a path here: the browser does not decode it into a host
		{"/x\x7f", ""},
	} {
		if got := localPath(tc.in); got != tc.want {
			t.Errorf("localPath(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func FuzzLocalPath(f *testing.F) {
	for _, s := range []string{"/search", "//x", "/\t/x", "https://x", "/\\x"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, p string) {
		got := localPath(p)
		if got == "" {
			return
		}
		u, err := url.Parse(got)
		if err != nil || u.Host != "" || u.Scheme != "" || !strings.HasPrefix(got, "/") || strings.HasPrefix(got, "//") ||
			strings.ContainsAny(got, "\t\r\n\\") {
			t.Fatalf("localPath(%q) = %q: not a path on this site", p, got)
		}
	})
}

// TestOutcomeSigned: an outcome page is shown only for a decision its
// user made, as it was made, within the hour.
func TestOutcomeSigned(t *testing.T) {
	s := &Server{csrfKey: []byte("0123456789abcdef0123456789abcdef")}
	steward := resindex.Principal{User: "oidc:a.steward", Role: "data_steward"}
	v := s.signOutcome(steward, "housing/T1", "council_tax/C1", "link", time.Now())
	if !s.outcomeSigned(steward, v, "link") {
		t.Fatal("a fresh outcome of the steward's own is refused")
	}
	other := resindex.Principal{User: "oidc:b.steward", Role: "data_steward"}
	tampered := func(k, x string) url.Values {
		c := url.Values{}
		for key, vals := range v {
			c[key] = append([]string(nil), vals...)
		}
		c.Set(k, x)
		return c
	}
	for name, tc := range map[string]struct {
		p        resindex.Principal
		v        url.Values
		decision string
	}{
		"another user":      {other, v, "link"},
		"another record":    {steward, tampered("b", "council_tax/C2"), "link"},
		"another decision":  {steward, v, "unlink"},
		"no signature":      {steward, tampered("sig", ""), "link"},
		"a moved time":      {steward, tampered("at", "1"), "link"},
		"more than an hour": {steward, s.signOutcome(steward, "housing/T1", "council_tax/C1", "link", time.Now().Add(-2*time.Hour)), "link"},
		"a time not a time": {steward, tampered("at", "soon"), "link"},
	} {
		if s.outcomeSigned(tc.p, tc.v, tc.decision) {
			t.Errorf("%s: accepted", name)
		}
	}
}
