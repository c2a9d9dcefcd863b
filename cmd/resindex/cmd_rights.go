package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/resindex/resindex"
	"github.com/resindex/resindex/access"
	"github.com/resindex/resindex/internal/cli"
	"github.com/resindex/resindex/resolver"
)

const rightsUsage = "resindex rights restrict|release|object|withdraw|show --data DIR --person ID [--reason TEXT]"

// rightsActions are the subcommands that change a right: the right, and
// whether they put it in force; the audit action is the access call's.
var rightsActions = map[string]struct {
	right, action string
	on            bool
}{
	"restrict": {access.RightRestriction, "restrict", true},
	"release":  {access.RightRestriction, "release", false},
	"object":   {access.RightObjection, "object", true},
	"withdraw": {access.RightObjection, "withdraw_objection", false},
}

// runRights records a person's restriction or objection, ends one, or
// shows both (docs/rights-restrict.md), as the information governance
// role does through the API; each is in the audit log.
func runRights(_ context.Context, e *env, args []string) error {
	if len(args) == 0 {
		return fmt.Errorf("%s: %w", rightsUsage, errUsage)
	}
	sub := args[0]
	act, change := rightsActions[sub]
	if !change && sub != "show" {
		return fmt.Errorf("rights %q: %s: %w", sub, rightsUsage, errUsage)
	}
	fs := cli.NewFlags(e.stderr, "rights "+sub, "--data DIR --person ID [--reason TEXT] [--key-file FILE] [--config FILE]")
	cf := addConfigFlags(fs, false)
	person := fs.String("person", "", "the person's ID (P and ten digits)")
	reason := fs.String("reason", "", "why (required to change a right)")
	m, err := cf.parseMain(fs, args[1:])
	if err != nil {
		return err
	}
	defer m.Close()
	if *person == "" {
		return fmt.Errorf("--person is required: %w", errUsage)
	}
	if change {
		if err := access.CheckRightsReason(*reason); err != nil {
			return fmt.Errorf("--%w: %w", err, errUsage)
		}
	}
	if err := m.OpenStore(); err != nil {
		return err
	}
	st, pid, err := applyRight(m, *person, act.right, act.on, change, *reason)
	action := act.action
	if !change {
		action = "rights"
	}
	if aerr := auditCommand(m, action, []string{"person=" + *person}, nonEmpty(pid), *reason, rightsOutcome(err)); aerr != nil && err == nil {
		err = aerr
	}
	if err != nil {
		return err
	}
	out, err := json.MarshalIndent(struct {
		Person string `json:"person"`
		access.RightsState
	}{pid, st}, "", "  ")
	if err == nil {
		_, err = fmt.Fprintf(e.stdout, "%s\n", out)
	}
	return err
}

// applyRight reads (or changes, then reads) a person's rights, by their
// current ID: a merged-away ID names its survivor.
func applyRight(m *Main, person, right string, on, change bool, reason string) (access.RightsState, string, error) {
	p, err := resolver.GetPerson(m.DB, person)
	if errors.Is(err, resindex.ErrNotFound) {
		return access.RightsState{}, "", fmt.Errorf("--person %s: no such person in the store: %w", person, errUsage)
	}
	if err != nil {
		return access.RightsState{}, "", err
	}
	var st access.RightsState
	if !change {
		err = m.DB.View(func(t resindex.Txn) (err error) {
			st, err = access.PersonRights(t, p.ID)
			return err
		})
		return st, p.ID, err
	}
	var mark *access.Mark
	if on {
		name, role := m.operator()
		mark = &access.Mark{At: time.Now().UTC(), By: name, Role: role, Reason: reason}
	}
	err = m.DB.Update(func(t resindex.Txn) (err error) {
		st, err = access.SetRight(t, p.ID, right, mark)
		return err
	})
	return st, p.ID, err
}

func nonEmpty(s string) []string {
	if s == "" {
		return nil
	}
	return []string{s}
}

func rightsOutcome(err error) string {
	if errors.Is(err, errUsage) {
		return "bad_request"
	}
	return access.Outcome(err)
}
