package cli_test

import (
	"bytes"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/resindex/resindex"
	"github.com/resindex/resindex/internal/cli"
)

func TestParseRefusesStrayArguments(t *testing.T) {
	var out bytes.Buffer
	cases := []struct {
		name    string
		args    []string
		invalid bool
	}{
		{"flags only", []string{"--in", "a"}, false},
		{"nothing", nil, false},
		{"a stray file", []string{"--in", "a", "b.ndjson"}, true},
	}
	for _, tc := range cases {
		fs := cli.NewFlags(&out, "link", "--in FILE")
		var in cli.Multi
		fs.Var(&in, "in", "input")
		err := cli.Parse(fs, tc.args)
		if got := resindex.KindOf(err) == resindex.KindInvalid; got != tc.invalid {
			t.Errorf("%s: err %v", tc.name, err)
		}
	}
	fs := cli.NewFlags(&out, "link", "--in FILE")
	if err := cli.Parse(fs, []string{"--nope"}); err == nil {
		t.Error("an unknown flag was accepted")
	}
	if !bytes.Contains(out.Bytes(), []byte("usage: resindex link --in FILE")) {
		t.Errorf("no usage printed: %s", out.String())
	}
}

func TestParseInterleavedAndMulti(t *testing.T) {
	fs := cli.NewFlags(&bytes.Buffer{}, "override", "")
	var in cli.Multi
	fs.Var(&in, "in", "input")
	reason := fs.String("reason", "", "why")
	pos, err := cli.ParseInterleaved(fs, []string{"link", "--in", "a", "x/1", "--reason", "same NHS number", "y/2", "--in", "b"})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(pos, []string{"link", "x/1", "y/2"}) || !slices.Equal(in, cli.Multi{"a", "b"}) || *reason != "same NHS number" {
		t.Errorf("positional %v, in %v, reason %q", pos, in, *reason)
	}
}

func TestTime(t *testing.T) {
	cases := []struct {
		in   string
		want time.Time
		bad  bool
	}{
		{"", time.Time{}, false},
		{"2026-08-01", time.Date(2026, 8, 1, 0, 0, 0, 0, time.UTC), false},
		{"2026-08-01T09:30:00+01:00", time.Date(2026, 8, 1, 8, 30, 0, 0, time.UTC), false},
		{"2026-13-01", time.Time{}, true},
		{"yesterday", time.Time{}, true},
		{"2026-08-01 09:30", time.Time{}, true},
	}
	for _, tc := range cases {
		got, err := cli.Time("--since", tc.in)
		if tc.bad {
			if !errors.Is(err, resindex.ErrInvalid) || !bytes.Contains([]byte(err.Error()), []byte("--since")) {
				t.Errorf("%q: err %v, want an invalid error naming --since", tc.in, err)
			}
			continue
		}
		if err != nil || !got.Equal(tc.want) {
			t.Errorf("%q: %v %v, want %v", tc.in, got, err, tc.want)
		}
	}
}

func FuzzTime(f *testing.F) {
	for _, s := range []string{"2026-08-01", "2026-08-01T00:00:00Z", "", "x"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if _, err := cli.Time("--since", s); err != nil && !errors.Is(err, resindex.ErrInvalid) {
			t.Fatalf("%q: an error of no kind: %v", s, err)
		}
	})
}
