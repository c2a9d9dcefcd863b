package main

import (
	"cmp"
	"context"
	"fmt"
	"os"
	"os/user"
	"strings"
	"time"

	"github.com/resindex/resindex/access"
	"github.com/resindex/resindex/internal/cli"
	"github.com/resindex/resindex/store"
)

// runAudit verifies the store's audit log, or lists entries from it.
func runAudit(ctx context.Context, e *env, args []string) error {
	if len(args) == 0 || (args[0] != "verify" && args[0] != "list") {
		return fmt.Errorf("resindex audit verify|list --data DIR: %w", errUsage)
	}
	fs := cli.NewFlags(e.stderr, "audit "+args[0], "--data DIR [--key-file FILE] [--config FILE] [--person ID] [--user U] [--since T] [--until T]")
	cf := addConfigFlags(fs, false)
	var f access.AuditFilter
	fs.StringVar(&f.Person, "person", "", "list: entries that returned this person")
	fs.StringVar(&f.User, "user", "", "list: entries by this user")
	since := fs.String("since", "", "list: entries at or after this time (RFC 3339)")
	until := fs.String("until", "", "list: entries before this time (RFC 3339)")
	m, err := cf.parseMain(fs, args[1:])
	if err != nil {
		return err
	}
	if f.Since, err = cli.Time("--since", *since); err != nil {
		return err
	}
	if f.Until, err = cli.Time("--until", *until); err != nil {
		return err
	}
	defer m.Close()
	if err := m.OpenStore(); err != nil {
		return err
	}
	if args[0] == "verify" {
		return verifyAudit(e, m.DB)
	}
	return access.WriteEntries(e.stdout, m.DB, f)
}

func verifyAudit(e *env, db *store.DB) error {
	n, err := db.VerifyAudit()
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "audit log intact: %d entries\n", n)
	return nil
}

// operator is the principal of commands run on the command line: the
// operating-system user, in the role "operator".
func operator() (name, role string) {
	if u, err := user.Current(); err == nil && u.Username != "" {
		return u.Username, "operator"
	}
	return cmp.Or(os.Getenv("USER"), "unknown"), "operator"
}

// operator is who runs m's command: the peer that sent it through the
// admin socket, else the operating-system user.
func (m *Main) operator() (name, role string) {
	if m.peer != "" {
		return m.peer, "operator"
	}
	return operator()
}

// auditCommand records a command-line action in the store's audit log.
func auditCommand(m *Main, action string, query []string, persons []string, reason, outcome string) error {
	name, role := m.operator()
	return access.Record(m.DB, access.AuditEntry{At: time.Now().UTC(), User: name, Role: role, Action: action,
		Query: strings.Join(query, " "), Persons: persons, Reason: reason, Outcome: outcome})
}
