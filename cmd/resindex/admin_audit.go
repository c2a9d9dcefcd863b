package main

import (
	"fmt"
	"os/user"
	"strconv"
	"strings"
	"time"

	"github.com/resindex/resindex/access"
)

// keptFlags are the flags whose values an admin command's audit entry
// keeps: paths, sources, roles, times and settings. Every other flag's
// value (names, dates of birth, record IDs, reasons that may name a
// resident…) is left out, its name kept.
var keptFlags = map[string]bool{
	"data": true, "config": true, "key-file": true, "model": true, "out": true, "in": true, "dir": true,
	"file": true, "source": true, "canonical": true, "mappings": true, "policy": true, "role": true,
	"expires": true, "format": true, "since": true, "until": true, "before": true, "as-of": true,
	"full": true, "bulk": true, "latest": true, "quiet": true, "limit": true, "min-score": true,
	"max-delete-share": true, "dry-run": true, "user": true, "kind": true, "population": true,
}

// subcommands are the commands whose first word names what they do.
var subcommands = map[string]bool{"token": true, "audit": true, "export": true, "override": true,
	"rights": true, "fraud": true, "alerts": true}

// auditArgs is a command line as its audit entry holds it: resident data
// left out.
func auditArgs(args []string) string {
	out := []string{args[0]}
	rest := args[1:]
	if len(rest) > 0 && subcommands[args[0]] && !strings.HasPrefix(rest[0], "-") {
		out, rest = append(out, rest[0]), rest[1:]
	}
	// A token's --name is a service account's, not a resident's.
	keep := func(name string) bool { return keptFlags[name] || args[0] == "token" && name == "name" }
	for i := 0; i < len(rest); i++ {
		a := rest[i]
		if !strings.HasPrefix(a, "-") || a == "-" {
			out = append(out, "(left out)")
			continue
		}
		name, value, hasValue := strings.Cut(strings.TrimLeft(a, "-"), "=")
		if !hasValue && i+1 < len(rest) && !strings.HasPrefix(rest[i+1], "-") && !boolFlag(name) {
			value, hasValue = rest[i+1], true
			i++
		}
		switch {
		case !hasValue:
			out = append(out, "--"+name)
		case keep(name):
			out = append(out, "--"+name+"="+value)
		default:
			out = append(out, "--"+name+"=(left out)")
		}
	}
	return strings.Join(out, " ")
}

// boolFlag: the flags of forwarded commands that take no value.
func boolFlag(name string) bool {
	switch name {
	case "full", "bulk", "latest", "quiet", "dry-run", "h", "help":
		return true
	}
	return false
}

// audit records an admin command in the store's audit chain: who (the
// peer's uid and user name), what (auditArgs) and how it ended.
func (s *adminServer) audit(uid uint32, args []string, code int) {
	who := "uid:" + strconv.FormatUint(uint64(uid), 10)
	if u, err := user.LookupId(strconv.FormatUint(uint64(uid), 10)); err == nil {
		who = u.Username + " (" + who + ")"
	}
	outcome := map[int]string{0: "ok", 2: "bad_request"}[code]
	if outcome == "" {
		outcome = "error"
	}
	err := access.Record(s.m.DB, access.AuditEntry{At: time.Now().UTC(), User: who, Role: "admin",
		Action: "admin", Query: auditArgs(args), Reason: fmt.Sprintf("exit %d", code), Outcome: outcome})
	if err != nil {
		s.log.Error("admin socket: the audit entry was not written", "command", args[0], "err", err)
	}
}
