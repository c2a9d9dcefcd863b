package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/resindex/resindex/internal/config"
)

// The client side of the admin socket (admin_socket.go): a store command
// whose --data a running server holds is sent to that server.

// forwarded are the commands a server runs for a client, beside its own
// work: each goes through the store's transactions, the engine's write
// lock or the access service, as the server's API does.
var forwarded = map[string]bool{
	"token": true, "audit": true, "ingest": true, "backup": true, "export": true, "override": true,
	"search": true, "sar": true, "alerts": true, "fraud": true, "notices": true, "rights": true, "rectify": true,
}

// refused are the store commands a server will not run, with what to do
// instead.
var refused = map[string]string{
	"erase":     "erase compacts the store, which must not race the server's engine: stop the server, run erase, start it again",
	"retention": "retention purges and compacts the store, which must not race the server's engine: stop the server, run retention, start it again",
	"compact":   "compact rewrites the store under the engine: stop the server, run compact, start it again",
	"bench":     "bench would measure the server's load with its own: run it on a restored backup (resindex backup, then restore)",
	"serve":     "a server already holds this store",
	"demo":      "a server already holds this store",
	"restore":   "restore makes a new store: give a --data directory no server holds",
}

// forwardable says whether the server may run args, and if not why.
func forwardable(args []string) error {
	name := args[0]
	if why, ok := refused[name]; ok {
		return fmt.Errorf("not run through the server's admin socket: %s", why)
	}
	if !forwarded[name] {
		return fmt.Errorf("%q is not a command the server's admin socket runs", name)
	}
	if name == "ingest" && hasFlag(args, "bulk") {
		return errors.New(bulkRefusal)
	}
	if name == "ingest" && flagValue(args, "cpuprofile") != "" {
		return errors.New("ingest --cpuprofile would profile the whole server, not this ingest: profile an ingest into a restored backup (resindex backup, then restore), or stop the server")
	}
	return nil
}

const bulkRefusal = "ingest --bulk loads an empty store, and a server holds this one: load changes with --canonical or --file without --bulk, or stop the server"

// forward sends a store command to the server that holds its --data, if
// one listens, and returns its exit status; ok is false when no server
// answers (the command then runs here). Output streams back as the
// server writes it; stdin is not forwarded.
func forward(ctx context.Context, e *env, args []string) (code int, ok bool) {
	if _, inServer := e.stderr.(*adminStream); inServer || len(args) < 2 {
		return 0, false
	}
	if _, no := refused[args[0]]; !no && !forwarded[args[0]] {
		return 0, false // not a store command the server knows: it runs here (gen, policy check…)
	}
	path, data := adminTarget(args)
	if path == "" || path == "off" {
		return 0, false
	}
	c, err := net.DialTimeout("unix", path, time.Second)
	if err != nil {
		return 0, false // no server (or a stale socket): the command opens the store itself
	}
	defer c.Close()
	if err := checkServer(c, path, data); err != nil {
		fmt.Fprintf(e.stderr, "resindex %s: %v\n", args[0], err)
		return 1, true
	}
	if err := forwardable(args); err != nil {
		fmt.Fprintf(e.stderr, "resindex %s: a server holds %s (admin socket %s): %v\n", args[0], data, path, err)
		return exitStatus(err), true
	}
	stop := context.AfterFunc(ctx, func() { c.Close() })
	defer stop()
	if err := encodeRequest(c, absArgs(args)); err != nil {
		fmt.Fprintf(e.stderr, "resindex %s: admin socket %s: %v\n", args[0], path, err)
		return 1, true
	}
	code, err = readFrames(c, e.stdout, e.stderr)
	if err != nil {
		if ctx.Err() != nil {
			err = errors.New("interrupted: the server stops the command")
		}
		fmt.Fprintf(e.stderr, "resindex %s: admin socket %s: %v\n", args[0], path, err)
	}
	return code, true
}

// adminTarget finds the store directory a command names (--data, else
// its --config's data) and the admin socket of a server holding it.
func adminTarget(args []string) (socket, data string) {
	data = flagValue(args, "data")
	var c *config.Config
	if cfg := flagValue(args, "config"); cfg != "" {
		loaded, err := config.Load(cfg)
		if err != nil {
			return "", "" // the command itself reports it
		}
		c = loaded
		if data == "" {
			data = c.Data
		}
	}
	if data == "" {
		return "", ""
	}
	configured := ""
	if c != nil {
		configured = c.AdminSocket
	}
	return clientSocketPath(data, configured), data
}

// pathFlags name files: made absolute before a command is sent, as the
// server's working directory is not the client's.
var pathFlags = map[string]bool{"data": true, "config": true, "key-file": true, "model": true, "out": true,
	"file": true, "canonical": true, "mappings": true, "cpuprofile": true, "in": true, "dir": true}

// absArgs is args with every path flag's value absolute.
func absArgs(args []string) []string {
	out := append([]string(nil), args...)
	for i := 1; i < len(out); i++ {
		name, value, hasValue := strings.Cut(strings.TrimLeft(out[i], "-"), "=")
		if !strings.HasPrefix(out[i], "-") || !pathFlags[name] {
			continue
		}
		if hasValue {
			out[i] = "--" + name + "=" + absPath(name, value)
		} else if i+1 < len(out) {
			out[i+1] = absPath(name, out[i+1])
			i++
		}
	}
	return out
}

func absPath(flag, value string) string {
	if value == "" || flag == "model" && value == "shipped" {
		return value
	}
	if abs, err := filepath.Abs(value); err == nil {
		return abs
	}
	return value
}

// flagValue is the last value given for a flag (-name, --name, with = or
// as the next argument), as the flag package takes it.
func flagValue(args []string, name string) string {
	v := ""
	for i := 1; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			break
		}
		n, value, hasValue := strings.Cut(strings.TrimLeft(a, "-"), "=")
		if !strings.HasPrefix(a, "-") || n != name {
			continue
		}
		if hasValue {
			v = value
		} else if i+1 < len(args) {
			v = args[i+1]
			i++
		}
	}
	return v
}

// hasFlag reports whether a boolean flag is set, reading its value as
// the flag package does (strconv.ParseBool: t, T, TRUE, True, 1…); the
// last one given counts.
func hasFlag(args []string, name string) bool {
	set := false
	for _, a := range args[1:] {
		if a == "--" {
			break
		}
		n, value, hasValue := strings.Cut(strings.TrimLeft(a, "-"), "=")
		if !strings.HasPrefix(a, "-") || n != name {
			continue
		}
		b, err := strconv.ParseBool(value)
		set = !hasValue || err == nil && b
	}
	return set
}
