package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestAuditArgs: an admin command's audit entry keeps the command, its
// subcommand and the values of flags that hold no resident data; every
// other value is left out.
func TestAuditArgs(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"token create --data /d --name crm --role frontline", "token create --data=/d --name=crm --role=frontline"},
		{"search --data=/d --family Smith --dob 1980-01-02 --limit 5", "search --data=/d --family=(left out) --dob=(left out) --limit=5"},
		{"override link --data /d --record housing:H1 --record council_tax:C2 --reason twins", "override link --data=/d --record=(left out) --record=(left out) --reason=(left out)"},
		{"sar --data /d --person P0000000001 --out /o", "sar --data=/d --person=(left out) --out=(path)"},
		{"ingest --source housing --file /x.csv --full --data /d", "ingest --source=housing --file=(path).csv --full --data=/d"},
		{"rights restrict --data /d --person P1", "rights restrict --data=/d --person=(left out)"},
		{"search Smith --data /d", "search (left out) --data=/d"},
		{"audit list --data /d --person P1 --user alice", "audit list --data=/d --person=(left out) --user=alice"},
		{"search --name", "search --name"},
	} {
		if got := auditArgs(strings.Fields(tc.in)); got != tc.want {
			t.Errorf("auditArgs(%s)\n got %s\nwant %s", tc.in, got, tc.want)
		}
	}
}

// TestAbsArgs: file flags are made absolute before a command is sent to
// the server, whose working directory is not the client's.
func TestAbsArgs(t *testing.T) {
	wd, _ := os.Getwd()
	got := absArgs([]string{"backup", "--data", "s", "--out=b.backup", "-config", "/etc/r.yaml", "--model", "shipped", "--name", "x"})
	want := []string{"backup", "--data", filepath.Join(wd, "s"), "--out=" + filepath.Join(wd, "b.backup"), "-config", "/etc/r.yaml", "--model", "shipped", "--name", "x"}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("absArgs = %v\nwant %v", got, want)
	}
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"x", "--data", "a"}, "a"}, {[]string{"x", "-data=b"}, "b"}, {[]string{"x", "--data", "a", "--data", "c"}, "c"},
		{[]string{"x", "--data"}, ""}, {[]string{"x", "--", "--data", "a"}, ""}, {[]string{"x", "--database", "a"}, ""},
	} {
		if got := flagValue(tc.args, "data"); got != tc.want {
			t.Errorf("flagValue(%v) = %q, want %q", tc.args, got, tc.want)
		}
	}
	if !hasFlag([]string{"ingest", "--bulk"}, "bulk") || !hasFlag([]string{"ingest", "-bulk=true"}, "bulk") || hasFlag([]string{"ingest", "--bulk=false"}, "bulk") {
		t.Error("hasFlag misreads --bulk")
	}
}

// TestForwardable: which commands the server runs for a client.
func TestForwardable(t *testing.T) {
	for _, args := range [][]string{{"token", "list"}, {"audit", "verify"}, {"ingest", "--file", "f"}, {"backup"}, {"export", "clusters"}, {"override", "link"}, {"search"}} {
		if err := forwardable(args); err != nil {
			t.Errorf("%v refused: %v", args, err)
		}
	}
	for _, args := range [][]string{{"erase"}, {"retention"}, {"compact"}, {"serve"}, {"demo"}, {"restore"}, {"gen"}, {"ingest", "--bulk"}} {
		if err := forwardable(args); err == nil {
			t.Errorf("%v would be run by the server", args)
		}
	}
}

func TestAllowedPeer(t *testing.T) {
	for _, tc := range []struct {
		peer, self uint32
		ok         bool
	}{{1000, 1000, true}, {0, 1000, true}, {0, 0, true}, {1001, 1000, false}, {1000, 0, false}, {65534, 1000, false}} {
		if got := allowedPeer(tc.peer, tc.self); got != tc.ok {
			t.Errorf("allowedPeer(peer %d, server %d) = %v, want %v", tc.peer, tc.self, got, tc.ok)
		}
	}
}
