package main

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/resindex/resindex/fraud"
)

// TestAuditArgsPathsAndSubcommands: a path's audit value is a fixed
// placeholder keeping only a known extension, whatever the command (SAR
// and export files are named after their subject), and only a command's
// own subcommand names are echoed as its first word.
func TestAuditArgsPathsAndSubcommands(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"sar --data /d --person P1 --out /srv/sar/jane-smith.json", "sar --data=/d --person=(left out) --out=(path).json"},
		{"export clusters --data /d --out=/tmp/Smith_J.CSV", "export clusters --data=/d --out=(path).csv"},
		{"export pseudonymised --data /d --out /tmp/jane.smith", "export pseudonymised --data=/d --out=(path)"},
		{"ingest --data /d --file /in/smith.csv --source housing", "ingest --data=/d --file=(path).csv --source=housing"},
		{"backup --data /d --dir /b/smith", "backup --data=/d --dir=(path)"},
		{"ingest --data /d --canonical /x/smith --mappings /m/smith.yaml", "ingest --data=/d --canonical=(path) --mappings=(path).yaml"},
		{"search --data /d --config /c/smith.yaml --key-file /k/smith.key --model=/m/smith", "search --data=/d --config=(path).yaml --key-file=(path).key --model=(path)"},
		{"search --data /d --model shipped", "search --data=/d --model=shipped"},
		{"restore --in /b/smith.backup --data /d", "restore --in=(path).backup --data=/d"},
		{"x --out=", "x --out=(path)"},
		{"token create --name crm", "token create --name=crm"},
		{"token Smith --name crm", "token (left out) --name=crm"},
		{"audit verify --data /d", "audit verify --data=/d"},
		{"audit Smith --data /d", "audit (left out) --data=/d"},
		{"export digest --data /d", "export digest --data=/d"},
		{"export Smith --data /d", "export (left out) --data=/d"},
		{"override unlink a b", "override unlink (left out) (left out)"},
		{"override Smith a b", "override (left out) (left out) (left out)"},
		{"rights withdraw --person P1", "rights withdraw --person=(left out)"},
		{"rights Smith --person P1", "rights (left out) --person=(left out)"},
		{"fraud spd --out f.csv", "fraud spd --out=(path).csv"},
		{"fraud Smith --out f.csv", "fraud (left out) --out=(path).csv"},
		{"alerts list --kind child_looked_up", "alerts list --kind=child_looked_up"},
		{"alerts Smith", "alerts (left out)"},
		{"search list --data /d", "search (left out) --data=/d"}, // no subcommands: list is a word
		{"token list --name crm", "token list --name=crm"},
		{"alerts verify", "alerts (left out)"}, // audit's subcommand, not alerts'
	} {
		if got := auditArgs(strings.Fields(tc.in)); got != tc.want {
			t.Errorf("auditArgs(%s)\n got %s\nwant %s", tc.in, got, tc.want)
		}
	}
}

// TestAdminAuditRedactsPaths: through the admin socket, a command whose
// output file is named after a resident, with a first word that is no
// subcommand, is audited with neither name.
func TestAdminAuditRedactsPaths(t *testing.T) {
	m, _ := startTestAdmin(t, "")
	out := filepath.Join(t.TempDir(), "zqxj-smith.csv")
	mustRun(t, "export", "clusters", "--data", m.Config.Data, "--out", out)
	if _, err := os.Stat(out); err != nil {
		t.Fatalf("the export was not written: %v", err)
	}
	if _, errs, code := runCLI(t, "rights", "zqxj-jones", "--data", m.Config.Data, "--person", "P0000000001"); code != 2 {
		t.Fatalf("rights zqxj-jones: exit %d, want 2 (usage)\n%s", code, errs)
	}
	want := []string{"export clusters --data=" + m.Config.Data + " --out=(path).csv", "rights (left out) --data="}
	list := auditListWith(t, m.Config.Data, want...)
	if list == "" {
		t.Fatalf("no redacted entries %q in the audit log", want)
	}
	if strings.Contains(strings.ToLower(list), "zqxj") {
		t.Errorf("the audit log holds a resident's name from a path or a word:\n%s", list)
	}
}

// auditListWith is the store's audit list once it holds every one of
// want, or "" after 5 s: the server writes a command's entry after the
// command's exit status has reached the client.
func auditListWith(t *testing.T, data string, want ...string) string {
	t.Helper()
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		list, _ := mustRun(t, "audit", "list", "--data", data)
		if containsAll(list, want) {
			return list
		}
	}
	return ""
}

func containsAll(s string, subs []string) bool {
	for _, sub := range subs {
		if !strings.Contains(s, sub) {
			return false
		}
	}
	return true
}

// TestAuditSubcommandsMatchCommands: the audit's subcommand names are
// the ones the commands' own code accepts, where that code lists them.
func TestAuditSubcommandsMatchCommands(t *testing.T) {
	rights := subcommands["rights"]
	if len(rights) != len(rightsActions)+1 || !slices.Contains(rights, "show") {
		t.Errorf("rights subcommands %v: want show and %v", rights, rightsActions)
	}
	for name := range rightsActions {
		if !slices.Contains(rights, name) {
			t.Errorf("rights %s is not in the audit's subcommands", name)
		}
	}
	for _, kind := range subcommands["fraud"] {
		if _, err := fraud.ParseKind(kind); err != nil {
			t.Errorf("fraud %s: %v", kind, err)
		}
	}
}
