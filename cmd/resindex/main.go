package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"sort"
	"syscall"

	"github.com/resindex/resindex"
	"github.com/resindex/resindex/internal/cli"
)

// command is one subcommand. Its context ends when the process is asked
// to stop (SIGINT, SIGTERM): long work finishes the change in hand and
// stops cleanly.
type command struct {
	summary string
	run     func(ctx context.Context, e *env, args []string) error
}

// env carries the process's outputs so that commands can be tested.
type env struct {
	stdout, stderr io.Writer
}

var commands = map[string]command{
	"demo":      {"generate a small borough, link it and print the accuracy report", runDemo},
	"gen":       {"generate a synthetic borough with ground truth", runGen},
	"link":      {"link canonical NDJSON records into persons (batch)", runLink},
	"eval":      {"score a clustering against ground truth", runEval},
	"train":     {"estimate the match model's u and m probabilities from data", runTrain},
	"explain":   {"explain the match weight between two records", runExplain},
	"alerts":    {"list the safeguarding alert inbox (alerts list --data DIR --format csv|json)", runAlerts},
	"sar":       {"write a subject access report of a resident: sar --data DIR --person ID [--person ID…] [--out DIR]", runSAR},
	"fraud":     {"run a fraud check over a store: fraud subletting|spd --data DIR [--format csv|json] [--min-score S]", runFraud},
	"audit":     {"verify the store's hash-chained audit log (audit verify), or list entries by person, user and time (audit list)", runAudit},
	"backup":    {"write a backup of a store", runBackup},
	"ingest":    {"apply canonical change timelines to the store, one change at a time", runIngest},
	"bench":     {"measure the index in place: bench search times staff searches", runBench},
	"export":    {"export the store's persons (export clusters) or change feed (export changes)", runExport},
	"override":  {"record that two records are (link) or are not (unlink) the same person", runOverride},
	"serve":     {"run the configured connectors (Kafka topics) and keep the index current", runServe},
	"token":     {"create, list or revoke the API tokens of service accounts (token create --name N --role R)", runToken},
	"policy":    {"check an access policy (policy check) and print what each role may see and do", runPolicy},
	"search":    {"find persons in the store by name, date of birth, postcode, address or identifier", runSearch},
	"restore":   {"restore a backup into a new store", runRestore},
	"convert":   {"convert a public benchmark (convert febrl) into canonical NDJSON and a truth file", runConvert},
	"rights":    {"restrict a person, release them, record or withdraw an objection to profiling, or show both (rights restrict|release|object|withdraw|show)", runRights},
	"retention": {"list (--dry-run) or purge the records past their source's retention period, by source and count", runRetention},
	"rectify":   {"record a correction of a person's name, date of birth or address, as a notice to every other source holding them", runRectify},
	"notices":   {"write one source system's rectification notices as CSV (notices --data DIR --source NAME)", runNotices},
	"compact":   {"rewrite a store so that what was deleted leaves its files (erasure and retention do it themselves; this finishes one that failed)", runCompact},
	"erase":     {"erase a person from the index, provably: erase --data DIR --person ID --reason TEXT", runErase},
	"version":   {"print the version, the Go version and the VCS revision (also --version)", runVersion},
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], &env{stdout: os.Stdout, stderr: os.Stderr})
	stop()
	os.Exit(code)
}

// errUsage marks a mistake in the command line: of kind invalid, so
// exit status 2.
var errUsage = cli.ErrUsage

func run(ctx context.Context, args []string, e *env) int {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		usage(e.stderr)
		return 2
	}
	if args[0] == "--version" || args[0] == "-version" {
		args = append([]string{"version"}, args[1:]...)
	}
	cmd, ok := commands[args[0]]
	if !ok {
		fmt.Fprintf(e.stderr, "resindex: unknown command %q\n\n", args[0])
		usage(e.stderr)
		return 2
	}
	if code, ok := forward(ctx, e, args); ok { // a server holds the store
		return code
	}
	out := &cli.Output{Writer: e.stderr}
	err := cmd.run(ctx, &env{stdout: e.stdout, stderr: out}, args[1:])
	if errors.Is(err, errUsage) && !out.PrintUsage() {
		commandUsage(e.stderr, args[0], cmd)
	}
	if err != nil && !errors.Is(err, flag.ErrHelp) {
		fmt.Fprintf(e.stderr, "resindex %s: %v\n", args[0], err)
	}
	return exitStatus(err)
}

// commandUsage is the usage of a command that made no flags before its
// mistake was found: one with subcommands, given none or a wrong one.
func commandUsage(w io.Writer, name string, cmd command) {
	fmt.Fprintf(w, "usage: resindex %s <subcommand> [flags]: %s\nrun 'resindex %s <subcommand> -h' for its flags\n", name, cmd.summary, name)
}

// exitStatus is the one mapping of a command's error to the process's
// exit status, by the error's kind: 0 for none, 2 for a mistake in what
// was asked (kind invalid, or -h), 1 for any other failure.
func exitStatus(err error) int {
	switch {
	case err == nil:
		return 0
	case errors.Is(err, flag.ErrHelp), resindex.KindOf(err) == resindex.KindInvalid:
		return 2
	}
	return 1
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "usage: resindex <command> [flags]\n\ncommands:")
	names := make([]string, 0, len(commands))
	for n := range commands {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(w, "  %-8s %s\n", n, commands[n].summary)
	}
	fmt.Fprintln(w, "\nrun 'resindex <command> -h' for a command's flags")
}
