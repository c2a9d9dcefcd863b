package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/resindex/resindex/internal/config"
)

// TestAuditArgsNoLeak: a value that starts with '-' is still the value
// of the flag before it, and a word that is no known flag is not
// echoed (the review's leaks).
func TestAuditArgsNoLeak(t *testing.T) {
	for _, tc := range []struct{ in []string }{
		{[]string{"override", "link", "housing:H1", "council_tax:C2", "--data", "/d", "--reason", "-Jane Doe is twin of John Doe"}},
		{[]string{"search", "--data", "/d", "--family", "-Smith"}},
		{[]string{"search", "--data", "/d", "--family=-Smith"}},
		{[]string{"search", "--data", "/d", "--Smith"}},
		{[]string{"search", "--data", "/d", "-Smith=Jane"}},
		{[]string{"search", "--data", "/d", "--", "--family", "Smith"}},
		{[]string{"search", "--data", "/d", "--full=Smith"}},
		{[]string{"rights", "restrict", "--person", "--data", "Smith"}},
		{[]string{"search", "--id", "nino=AB123456C", "--data", "/d"}},
	} {
		got := auditArgs(tc.in)
		for _, secret := range []string{"Jane", "Smith", "AB123456C"} {
			if strings.Contains(got, secret) {
				t.Errorf("auditArgs(%q) = %s: holds %s", tc.in, got, secret)
			}
		}
	}
	for _, tc := range []struct{ in, want string }{
		{"search --data /d --family -Smith --limit 5", "search --data=/d --family=(left out) --limit=5"},
		{"search --Smith --data /d", "search (left out) --data=/d"},
		{"ingest --bulk=T --data /d", "ingest --bulk=T --data=/d"},
		{"ingest --quiet --data /d", "ingest --quiet --data=/d"},
		{"search --data /d -- x y", "search --data=/d -- (left out) (left out)"},
	} {
		if got := auditArgs(strings.Fields(tc.in)); got != tc.want {
			t.Errorf("auditArgs(%s)\n got %s\nwant %s", tc.in, got, tc.want)
		}
	}
}

// FuzzAuditArgs: whatever the words, a last word never reaches the
// entry unless it is the value of a setting flag whose value is kept
// (--data, --role, --source…): not as a value left out, nor a path
// (placeholder), nor a subcommand that is not the command's own.
func FuzzAuditArgs(f *testing.F) {
	f.Add("search --data /d --family", "-Zqxj")
	f.Add("override link a b --reason", "Zqxj")
	f.Add("search --", "Zqxj")
	f.Add("token", "Zqxj")
	f.Add("export", "Zqxj")
	f.Add("sar --data /d --out", "/srv/Zqxj.json")
	f.Add("ingest --file", "Zqxj.csv")
	f.Add("backup --data /d --dir", "/b/Zqxj")
	f.Fuzz(func(t *testing.T, line, secret string) {
		if len(secret) < 4 || strings.ContainsAny(secret, " =") || !strings.Contains(secret, "Zqxj") {
			return
		}
		args := append(strings.Fields(line), secret)
		if len(args) < 2 || strings.HasPrefix(args[0], "-") || strings.Contains(line, "Zqxj") {
			return
		}
		if got := auditArgs(args); strings.Contains(got, "Zqxj") && !keptSetting(args[0], args[len(args)-2]) {
			t.Errorf("auditArgs(%q) = %s", args, got)
		}
	})
}

// keptSetting says whether word is a flag whose next word's value an
// audit entry keeps as given: a setting that is not a path.
func keptSetting(command, word string) bool {
	name := strings.TrimLeft(word, "-")
	if !strings.HasPrefix(word, "-") || strings.Contains(word, "=") {
		return false
	}
	return keptFlags[name] && !boolFlag(name) && !redactedPath(name, "") || command == "token" && name == "name"
}

// TestHasFlagParseBool: --bulk is read as the flag package reads it.
func TestHasFlagParseBool(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want bool
	}{
		{[]string{"ingest", "--bulk"}, true}, {[]string{"ingest", "--bulk=T"}, true}, {[]string{"ingest", "-bulk=TRUE"}, true},
		{[]string{"ingest", "--bulk=True"}, true}, {[]string{"ingest", "--bulk=t"}, true}, {[]string{"ingest", "--bulk=1"}, true},
		{[]string{"ingest", "--bulk=false"}, false}, {[]string{"ingest", "--bulk=F"}, false}, {[]string{"ingest", "--bulk=0"}, false},
		{[]string{"ingest", "--bulk", "--bulk=false"}, false}, {[]string{"ingest", "--bulk=false", "--bulk"}, true},
		{[]string{"ingest", "--", "--bulk"}, false}, {[]string{"ingest", "--bulky"}, false},
	} {
		if got := hasFlag(tc.args, "bulk"); got != tc.want {
			t.Errorf("hasFlag(%q) = %v, want %v", tc.args, got, tc.want)
		}
	}
	for _, a := range []string{"--bulk=T", "--bulk=TRUE", "--bulk=True", "--cpuprofile=/tmp/p"} {
		if err := forwardable([]string{"ingest", a, "--canonical", "x"}); err == nil {
			t.Errorf("ingest %s would be run by the server", a)
		}
	}
}

// TestForwardOnlyStoreCommands: a command the server neither runs nor
// refuses is run here, even while a server holds the store.
func TestForwardOnlyStoreCommands(t *testing.T) {
	m, _ := startTestAdmin(t, "")
	e := &env{stdout: &strings.Builder{}, stderr: &strings.Builder{}}
	for _, cmd := range []string{"policy", "gen", "convert", "eval", "explain", "link", "train", "version"} {
		if _, ok := forward(context.Background(), e, []string{cmd, "check", "--data", m.Config.Data}); ok {
			t.Errorf("%s was sent to the server", cmd)
		}
	}
	if _, ok := forward(context.Background(), e, []string{"audit", "verify", "--data", m.Config.Data}); !ok {
		t.Errorf("audit verify was not sent to the server:\n%s", e.stderr)
	}
}

// TestAdminPanicRecovered: a panic in a forwarded command ends that
// command with exit status 1 and an audit entry "error", not the
// server; the log names the command at error level, not its arguments.
func TestAdminPanicRecovered(t *testing.T) {
	m, log := startTestAdmin(t, "")
	commands["test-panic"] = command{"panics", func(ctx context.Context, e *env, args []string) error {
		panic("resident Zqxj Smith")
	}}
	forwarded["test-panic"] = true
	t.Cleanup(func() { delete(commands, "test-panic"); delete(forwarded, "test-panic") })
	var out, errb strings.Builder
	if code := run(context.Background(), []string{"test-panic", "--data", m.Config.Data, "--family", "Zqxj"}, &env{stdout: &out, stderr: &errb}); code != 1 {
		t.Fatalf("a panicking forwarded command: exit %d, want 1\n%s", code, errb.String())
	}
	if !strings.Contains(errb.String(), "internal error") {
		t.Errorf("the client was not told: %q", errb.String())
	}
	if code := run(context.Background(), []string{"audit", "verify", "--data", m.Config.Data}, &env{stdout: &out, stderr: &errb}); code != 0 {
		t.Fatalf("the server did not go on after the panic: exit %d\n%s", code, errb.String())
	}
	if l := log.String(); !strings.Contains(l, "level=ERROR") || !strings.Contains(l, "test-panic") || strings.Contains(l, "Zqxj") {
		t.Errorf("the panic's log line (error level, the command, no resident data):\n%s", l)
	}
	list, _ := mustRun(t, "audit", "list", "--data", m.Config.Data)
	if !strings.Contains(list, `"query":"test-panic --data=`) || !strings.Contains(list, `"outcome":"error"`) {
		t.Errorf("no audit entry with outcome error for the panicked command:\n%s", list)
	}
}

// runInServer runs a command as the server runs a forwarded one (what
// a client sends, unchecked by the client), for peer, and returns its
// output and exit status.
func runInServer(t *testing.T, m *Main, peer string, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	var mu sync.Mutex
	var frames bytes.Buffer
	out := &frameWriter{mu: &mu, w: &frames, kind: frameStdout}
	errs := &adminStream{frameWriter{mu: &mu, w: &frames, kind: frameStderr}, m, peer}
	code = run(context.Background(), args, &env{stdout: out, stderr: errs})
	exitFrame(&mu, &frames, code)
	var o, e strings.Builder
	if _, err := readFrames(&frames, &o, &e); err != nil {
		t.Fatal(err)
	}
	return o.String(), e.String(), code
}

// TestSharedIngestRefusals: inside the server, ingest refuses --bulk
// and --cpuprofile (which would load over, or profile, the whole
// server) whatever the client checked, and says --population is
// ignored.
func TestSharedIngestRefusals(t *testing.T) {
	m, _ := startTestAdmin(t, "")
	dir := t.TempDir()
	mustRun(t, "gen", "--persons", "20", "--seed", "3", "--out", dir, "--quiet", "--no-events")
	canonical := filepath.Join(dir, "canonical")
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--bulk=T"}, "--bulk loads an empty store"},
		{[]string{"--bulk"}, "--bulk loads an empty store"},
		{[]string{"--cpuprofile", filepath.Join(dir, "cpu.prof")}, "--cpuprofile would profile the whole server"},
	} {
		args := append([]string{"ingest", "--canonical", canonical, "--data", m.Config.Data, "--quiet"}, tc.args...)
		if _, errs, code := runInServer(t, m, "p", args...); code != 1 || !strings.Contains(errs, tc.want) {
			t.Errorf("%v in the server: exit %d\n%s", tc.args, code, errs)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "cpu.prof")); err == nil {
		t.Error("the server wrote a CPU profile")
	}
	_, errs, code := runInServer(t, m, "p", "ingest", "--canonical", canonical, "--data", m.Config.Data, "--quiet", "--population", "7")
	if code != 0 || !strings.Contains(errs, "--population ignored") {
		t.Errorf("ingest --population in the server: exit %d\n%s", code, errs)
	}
}

// TestSharedSkipsClientConfig: a forwarded command does not load the
// client's --config (the server's user may not read it, and the
// server's settings apply), and says which flags it ignores.
func TestSharedSkipsClientConfig(t *testing.T) {
	m, _ := startTestAdmin(t, "")
	unreadable := filepath.Join(t.TempDir(), "root-only.yaml")
	// Unreadable, and not loadable when the tests run as root either.
	if err := os.WriteFile(unreadable, []byte("not: [yaml\n"), 0o000); err != nil {
		t.Fatal(err)
	}
	out, errs, code := runInServer(t, m, "p", "search", "--config", unreadable, "--key-file", "/no/key", "--model", "shipped", "--family", "Smith")
	if code != 0 || !strings.Contains(out, "person") {
		t.Fatalf("search --config (unreadable) in the server: exit %d\n%s%s", code, out, errs)
	}
	if !strings.Contains(errs, "--config, --key-file, --model ignored: the running server's settings apply") {
		t.Errorf("no warning of the ignored flags: %q", errs)
	}
}

// TestForwardedOperatorIsPeer: a forwarded command's own audit entries
// name the peer that sent it, not the server's user.
func TestForwardedOperatorIsPeer(t *testing.T) {
	m, _ := startTestAdmin(t, "")
	if _, errs, code := runInServer(t, m, "alice (uid:4242)", "search", "--data", m.Config.Data, "--family", "Smith"); code != 0 {
		t.Fatalf("search in the server: exit %d\n%s", code, errs)
	}
	// Through the socket: the peer's credentials, as peerName gives them.
	mustRun(t, "search", "--data", m.Config.Data, "--family", "Jones")
	list, _ := mustRun(t, "audit", "list", "--data", m.Config.Data)
	self := peerName(uint32(os.Getuid()))
	var searches []string
	for _, l := range strings.Split(list, "\n") {
		if strings.Contains(l, `"action":"search"`) {
			searches = append(searches, l)
		}
	}
	if len(searches) != 2 || !strings.Contains(searches[0], `"user":"alice (uid:4242)"`) || !strings.Contains(searches[1], `"user":"`+self+`"`) {
		t.Errorf("search entries do not name the peer (alice, then %s):\n%s", self, strings.Join(searches, "\n"))
	}
}

// TestSharedForKeepsReplica: a forwarded command's Main is a replica's
// when the server's is (the access service refuses changes on one).
func TestSharedForKeepsReplica(t *testing.T) {
	m := &Main{Config: config.Config{Data: t.TempDir()}, Replica: true}
	s, err := m.sharedFor("", "p")
	if err != nil || !s.Replica || !s.shared || s.peer != "p" {
		t.Errorf("sharedFor: %+v, %v", s, err)
	}
}
