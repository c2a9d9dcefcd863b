package main

import (
	"fmt"
	"os/user"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/resindex/resindex/access"
	"github.com/resindex/resindex/fraud"
	"github.com/resindex/resindex/resolver"
)

// keptFlags are the flags whose values an admin command's audit entry
// keeps: sources, roles, times and settings, and paths as a placeholder
// (redactedPath) but for --data. Every other flag's
// value (names, dates of birth, record IDs, reasons that may name a
// resident…) is left out, its name kept.
var keptFlags = map[string]bool{
	"data": true, "config": true, "key-file": true, "model": true, "out": true, "in": true, "dir": true,
	"file": true, "source": true, "canonical": true, "mappings": true, "policy": true, "role": true,
	"expires": true, "format": true, "since": true, "until": true, "before": true, "as-of": true,
	"full": true, "bulk": true, "latest": true, "quiet": true, "limit": true, "min-score": true,
	"max-delete-share": true, "dry-run": true, "user": true, "kind": true, "population": true,
}

// subcommands are, per command, the first words it takes as the name of
// what it does (each command's own check of args[0]). Any other first
// word is left out: it may be a name or a record.
var subcommands = map[string][]string{
	"token":    {"create", "list", "revoke"},
	"audit":    {"verify", "list"},
	"export":   {"clusters", "changes", "model", "digest", "pseudonymised"},
	"override": {resolver.OverrideLink, resolver.OverrideUnlink},
	"rights":   {"restrict", "release", "object", "withdraw", "show"},
	"fraud":    {string(fraud.Subletting), string(fraud.SPD)},
	"alerts":   {"list"},
}

// pathExts are the file name extensions a path's audit placeholder
// keeps: what kind of file it was, never a word of its name (a SAR or
// export is often named after its subject, "smith.json" included).
var pathExts = map[string]bool{
	".json": true, ".jsonl": true, ".ndjson": true, ".csv": true, ".tsv": true, ".txt": true, ".xml": true,
	".yaml": true, ".yml": true, ".backup": true, ".gz": true, ".zip": true, ".tar": true, ".prof": true,
	".key": true, ".pdf": true, ".xlsx": true, ".parquet": true,
}

// leftOutFlags are the forwarded commands' other flags that take a
// value: their names are kept, their values never.
var leftOutFlags = map[string]bool{
	"address": true, "dob": true, "family": true, "given": true, "id": true, "line": true, "name": true,
	"person": true, "postcode": true, "reason": true, "record": true, "third-parties": true, "uprn": true,
	"field": true, "status": true, "reported-via": true, "cpuprofile": true,
}

// auditArgs is a command line as its audit entry holds it: resident data
// left out. A flag that takes a value takes the next word whatever it
// is (as the flag package does: "--reason -Jane" is a reason), and a
// word that is not a known flag is never echoed.
func auditArgs(args []string) string {
	out := []string{args[0]}
	rest := args[1:]
	if len(rest) > 0 && slices.Contains(subcommands[args[0]], rest[0]) {
		out, rest = append(out, rest[0]), rest[1:]
	}
	for i := 0; i < len(rest); i++ {
		a := rest[i]
		if a == "--" { // the rest are words, not flags
			out = append(out, "--")
			for range rest[i+1:] {
				out = append(out, "(left out)")
			}
			break
		}
		name, value, hasValue := strings.Cut(strings.TrimLeft(a, "-"), "=")
		takesValue := keptFlags[name] && !boolFlag(name) || leftOutFlags[name]
		if !hasValue && takesValue && i+1 < len(rest) {
			value, hasValue = rest[i+1], true
			i++
		}
		out = append(out, auditWord(args[0], a, name, value, hasValue, takesValue))
	}
	return strings.Join(out, " ")
}

// auditWord is one flag (and its value) of auditArgs.
func auditWord(command, word, name, value string, hasValue, takesValue bool) string {
	known := takesValue || boolFlag(name)
	// A token's --name is a service account's, not a resident's.
	keep := keptFlags[name] || command == "token" && name == "name"
	switch {
	case !strings.HasPrefix(word, "-") || word == "-" || !known:
		return "(left out)"
	case !hasValue:
		return "--" + name
	case keep && takesValue && redactedPath(name, value):
		return "--" + name + "=" + pathPlaceholder(value)
	case keep && (takesValue || isBool(value)):
		return "--" + name + "=" + value
	default:
		return "--" + name + "=(left out)"
	}
}

// redactedPath says whether a flag's value is a path the audit entry
// replaces with pathPlaceholder: every path (files may be named after a
// resident) but --data, which a forwarded command shares with the server
// (it names the server's own store), and the shipped model.
func redactedPath(name, value string) bool {
	if name == "model" && value == "shipped" {
		return false
	}
	return name != "data" && (pathFlags[name] || name == "policy")
}

// pathPlaceholder is "(path)" and, if it is a known one, the path's
// extension: "(path).json".
func pathPlaceholder(path string) string {
	if ext := strings.ToLower(filepath.Ext(path)); pathExts[ext] {
		return "(path)" + ext
	}
	return "(path)"
}

// boolFlag: the flags of forwarded commands that take no value.
func boolFlag(name string) bool {
	switch name {
	case "full", "bulk", "latest", "quiet", "dry-run", "h", "help":
		return true
	}
	return false
}

func isBool(s string) bool {
	_, err := strconv.ParseBool(s)
	return err == nil
}

// peerName names the admin socket's peer from its uid: "NAME (uid:N)",
// or "uid:N" when the uid has no user name.
func peerName(uid uint32) string {
	who := "uid:" + strconv.FormatUint(uint64(uid), 10)
	if u, err := user.LookupId(strconv.FormatUint(uint64(uid), 10)); err == nil {
		who = u.Username + " (" + who + ")"
	}
	return who
}

// audit records an admin command in the store's audit chain: who (the
// peer's user name and uid, peerName), what (auditArgs) and how it ended.
func (s *adminServer) audit(who string, args []string, code int) {
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
