package main

import (
	"slices"
	"strings"
	"testing"
)

// usageCase is one command line of a command (with its subcommand):
// missing is the arguments that leave out a required flag, nil for a
// command with none required.
type usageCase struct {
	cmd     []string
	usage   string // what its usage line starts with
	missing []string
}

var usageCases = []usageCase{
	{[]string{"alerts", "list"}, "usage: resindex alerts list", []string{}},
	{[]string{"audit", "verify"}, "usage: resindex audit verify", []string{}},
	{[]string{"audit", "list"}, "usage: resindex audit list", []string{}},
	{[]string{"backup"}, "usage: resindex backup", []string{"--data", "x"}},
	{[]string{"bench", "search"}, "usage: resindex bench search", []string{}},
	{[]string{"bench", "api"}, "usage: resindex bench api", []string{}},
	{[]string{"bench", "ui"}, "usage: resindex bench ui", []string{}},
	{[]string{"compact"}, "usage: resindex compact", []string{}},
	{[]string{"convert", "febrl"}, "usage: resindex convert febrl", []string{"--out", "x"}},
	{[]string{"demo"}, "usage: resindex demo", nil},
	{[]string{"erase"}, "usage: resindex erase", []string{"--data", "x", "--reason", "r"}},
	{[]string{"eval"}, "usage: resindex eval", []string{}},
	{[]string{"explain"}, "usage: resindex explain", []string{}},
	{[]string{"export", "clusters"}, "usage: resindex export", []string{"--data", "x"}},
	{[]string{"export", "changes"}, "usage: resindex export", []string{"--data", "x"}},
	{[]string{"export", "model"}, "usage: resindex export", []string{}},
	{[]string{"export", "pseudonymised"}, "usage: resindex export pseudonymised", []string{"--data", "x"}},
	{[]string{"fraud", "subletting"}, "usage: resindex fraud subletting", []string{}},
	{[]string{"fraud", "spd"}, "usage: resindex fraud spd", []string{}},
	{[]string{"gen"}, "usage: resindex gen", []string{}},
	{[]string{"ingest"}, "usage: resindex ingest", []string{}},
	{[]string{"link"}, "usage: resindex link", []string{}},
	{[]string{"notices"}, "usage: resindex notices", []string{"--data", "x"}},
	{[]string{"override"}, "usage: resindex override", []string{}},
	{[]string{"policy", "check"}, "usage: resindex policy check", nil},
	{[]string{"rectify"}, "usage: resindex rectify", []string{"--data", "x"}},
	{[]string{"restore"}, "usage: resindex restore", []string{"--data", "x"}},
	{[]string{"retention"}, "usage: resindex retention", []string{}},
	{[]string{"rights", "restrict"}, "usage: resindex rights restrict", []string{"--data", "x"}},
	{[]string{"rights", "release"}, "usage: resindex rights release", []string{"--data", "x"}},
	{[]string{"rights", "object"}, "usage: resindex rights object", []string{"--data", "x"}},
	{[]string{"rights", "withdraw"}, "usage: resindex rights withdraw", []string{"--data", "x"}},
	{[]string{"rights", "show"}, "usage: resindex rights show", []string{"--data", "x"}},
	{[]string{"sar"}, "usage: resindex sar", []string{"--data", "x"}},
	{[]string{"search"}, "usage: resindex search", []string{}},
	{[]string{"serve"}, "usage: resindex serve", []string{}},
	{[]string{"token", "create"}, "usage: resindex token create", []string{"--data", "x"}},
	{[]string{"token", "list"}, "usage: resindex token list", []string{}},
	{[]string{"token", "revoke"}, "usage: resindex token revoke", []string{"--data", "x"}},
	{[]string{"train"}, "usage: resindex train", []string{}},
	{[]string{"version"}, "usage: resindex version", nil},
}

// TestUsageMistakesExit2: for every command and subcommand, a misspelt
// flag, a bad flag value, a missing required flag and a stray argument
// are usage mistakes: exit status 2 with the command's usage on stderr
// (README). Every command of the table `commands` must have a row.
func TestUsageMistakesExit2(t *testing.T) {
	for name := range commands {
		if !slices.ContainsFunc(usageCases, func(c usageCase) bool { return c.cmd[0] == name }) {
			t.Errorf("command %s has no row in usageCases", name)
		}
	}
	for _, c := range usageCases {
		lines := [][]string{
			append(slices.Clone(c.cmd), "--dtaa", "x"),          // misspelt
			append(slices.Clone(c.cmd), "--cpuprofile"),         // a flag without its value, or unknown
			append(slices.Clone(c.cmd), "--data=x", "--nope=1"), // unknown after a known one
		}
		if c.missing != nil {
			lines = append(lines, append(slices.Clone(c.cmd), c.missing...))
		}
		for _, args := range lines {
			_, errs, code := runCLI(t, args...)
			if code != 2 || !strings.Contains(errs, c.usage) {
				t.Errorf("resindex %s: exit %d, stderr %q; want 2 and %q", strings.Join(args, " "), code, firstLines(errs), c.usage)
			}
		}
	}
}

// TestUnknownSubcommandsExit2: a command with subcommands given a wrong
// one, or none, exits 2 with the command's usage.
func TestUnknownSubcommandsExit2(t *testing.T) {
	for _, name := range []string{"token", "audit", "export", "rights", "fraud", "convert", "alerts", "bench", "policy"} {
		for _, args := range [][]string{{name, "frob"}, {name}} {
			_, errs, code := runCLI(t, args...)
			if code != 2 || !strings.Contains(errs, "usage: resindex "+name) {
				t.Errorf("resindex %s: exit %d, stderr %q; want 2 and its usage", strings.Join(args, " "), code, firstLines(errs))
			}
		}
	}
	for _, args := range [][]string{{"frob"}, {"--frob"}, {}} {
		if _, errs, code := runCLI(t, args...); code != 2 || !strings.Contains(errs, "usage: resindex <command>") {
			t.Errorf("resindex %s: exit %d, stderr %q; want 2 and the usage", strings.Join(args, " "), code, firstLines(errs))
		}
	}
}

// firstLines shortens a stderr for a failure message.
func firstLines(s string) string {
	lines := strings.SplitN(s, "\n", 4)
	return strings.Join(lines[:min(3, len(lines))], " | ")
}

// TestBadValuesAndStrayArgumentsExit2: a flag value of the wrong kind
// and an argument no command takes are usage mistakes too.
func TestBadValuesAndStrayArgumentsExit2(t *testing.T) {
	for _, c := range []struct {
		args  []string
		usage string
	}{
		{[]string{"gen", "--persons", "many", "--out", "x"}, "usage: resindex gen"},
		{[]string{"demo", "--seed", "x"}, "usage: resindex demo"},
		{[]string{"search", "--data", "x", "--limit", "ten"}, "usage: resindex search"},
		{[]string{"token", "create", "--data", "x", "--name", "n", "--expires", "soon"}, "usage: resindex token create"},
		{[]string{"link", "--in", "a", "--out", "b", "stray.ndjson"}, "usage: resindex link"},
		{[]string{"version", "extra"}, "usage: resindex version"},
		{[]string{"backup", "--data", "x", "--out", "y", "extra"}, "usage: resindex backup"},
		{[]string{"policy", "check", "extra"}, "usage: resindex policy check"},
	} {
		_, errs, code := runCLI(t, c.args...)
		if code != 2 || !strings.Contains(errs, c.usage) {
			t.Errorf("resindex %s: exit %d, stderr %q; want 2 and %q", strings.Join(c.args, " "), code, firstLines(errs), c.usage)
		}
	}
}
