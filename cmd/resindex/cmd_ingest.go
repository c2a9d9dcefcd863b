package main

import (
	"cmp"
	"fmt"
	"io"
	"os"
	"runtime"
	"slices"

	"github.com/resindex/resindex"
	"github.com/resindex/resindex/evaluate"
	"github.com/resindex/resindex/resolver"
	"github.com/resindex/resindex/store"
)

func runIngest(e *env, args []string) error {
	fs := newFlags(e, "ingest", "--canonical DIR --data DIR [--key-file FILE] [--model model.json]")
	var ins multiFlag
	fs.Var(&ins, "canonical", "canonical NDJSON file, or a directory of *.ndjson (repeatable)")
	ef := addEngineFlags(fs)
	population := fs.Int("population", 0, "records the prior is reckoned for (default: the records in the input)")
	quiet := fs.Bool("quiet", false, "no progress on stderr")
	cpuProfile := fs.String("cpuprofile", "", "write a CPU profile here (for performance work)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if len(ins) == 0 || *ef.data == "" {
		fs.Usage()
		return fmt.Errorf("--canonical and --data are required: %w", errUsage)
	}
	stop, err := startCPUProfile(*cpuProfile)
	if err != nil {
		return err
	}
	defer stop()
	model, err := ef.loadModel()
	if err != nil {
		return err
	}
	prog := newProgress(e.stderr, *quiet)
	changes, keys, err := readTimeline(e, ins, prog)
	if err != nil {
		return err
	}
	if *population <= 0 {
		*population = keys
	}
	db, eng, err := ef.open(model, *population)
	if err != nil {
		return err
	}
	defer db.Close()
	return replay(e, eng, changes, prog)
}

// readTimeline reads every version of every record and puts them in
// version order (then file and line, so the order, and the positions
// derived from it, are the same on every run).
func readTimeline(e *env, ins []string, prog *progress) ([]resindex.HeaderLine, int, error) {
	files, err := inputFiles(ins)
	if err != nil {
		return nil, 0, err
	}
	var out []resindex.HeaderLine
	keys := map[resindex.RecordKey]bool{}
	r := &lineReport{e: e}
	for _, name := range files {
		if err := readChanges(name, &out, keys, r, prog); err != nil {
			return nil, 0, err
		}
	}
	slices.SortStableFunc(out, func(a, b resindex.HeaderLine) int {
		if c := cmp.Compare(a.Header.Version, b.Header.Version); c != 0 {
			return c
		}
		if c := cmp.Compare(a.File, b.File); c != 0 {
			return c
		}
		return cmp.Compare(a.No, b.No)
	})
	return out, len(keys), nil
}

func readChanges(name string, out *[]resindex.HeaderLine, keys map[resindex.RecordKey]bool, r *lineReport, prog *progress) error {
	f, err := os.Open(name)
	if err != nil {
		return fmt.Errorf("input: %w", err)
	}
	defer f.Close()
	_, err = resindex.ReadHeaders(f, runtime.GOMAXPROCS(0), func(hl resindex.HeaderLine) {
		hl.File = name
		*out = append(*out, hl)
		keys[hl.Header.Key()] = true
		if len(*out)%16384 == 0 {
			prog.update("reading", len(*out), 0)
		}
	}, func(le *resindex.LineError) { r.bad(name, le) })
	return err
}

// replay applies the timeline through the engine. Positions number the
// changes in timeline order, so a rerun after a crash skips what was
// applied and applies each change exactly once.
func replay(e *env, eng *resolver.Engine, changes []resindex.HeaderLine, prog *progress) error {
	applied := 0
	for i, c := range changes {
		rec, err := resindex.DecodeRecord(c.Line)
		if err != nil {
			fmt.Fprintf(e.stderr, "%s:line %d: %v (skipped)\n", c.File, c.No, err)
			continue
		}
		ok, err := eng.Apply(rec, resindex.Position{Stream: "ingest", Offset: int64(i + 1)})
		if err != nil {
			return err
		}
		if ok {
			applied++
		}
		prog.update("applying", i+1, len(changes))
	}
	prog.logf("%d changes read, %d took effect", len(changes), applied)
	return nil
}

func runExport(e *env, args []string) error {
	if len(args) > 0 && args[0] == "changes" {
		return storeToFile(e, "export changes", "change feed to write (NDJSON, one entry a line with its sequence number)", args[1:], writeChanges)
	}
	if len(args) == 0 || args[0] != "clusters" {
		return fmt.Errorf("want 'export clusters' or 'export changes' with --data DIR --out FILE: %w", errUsage)
	}
	return storeToFile(e, "export clusters", "clusters CSV to write (source,id,person_id)", args[1:], func(db *store.DB, w io.Writer) error {
		var as []resindex.Assignment
		if err := resolver.Export(db, func(a resindex.Assignment) error { as = append(as, a); return nil }); err != nil {
			return err
		}
		return evaluate.WriteAssignments(w, as)
	})
}

// openStore opens the store a command works on.
func openStore(dir, keyFile string) (*store.DB, error) {
	opts, err := storeOptions(dir, keyFile)
	if err != nil {
		return nil, err
	}
	return store.Open(opts)
}

// writeChanges writes the outbox as NDJSON: {"seq":N,"change":{…}}.
func writeChanges(db *store.DB, w io.Writer) error {
	return db.Outbox(0, 0, func(seq uint64, payload []byte) error {
		_, err := fmt.Fprintf(w, "{\"seq\":%d,\"change\":%s}\n", seq, payload)
		return err
	})
}
