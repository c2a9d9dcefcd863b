package main

import (
	"context"
	"fmt"
	"io"
	"strconv"

	"github.com/resindex/resindex"
	"github.com/resindex/resindex/evaluate"
	"github.com/resindex/resindex/resolver"
	"github.com/resindex/resindex/store"
)

func runExport(ctx context.Context, e *env, args []string) error {
	if len(args) > 0 && args[0] == "changes" {
		return storeToFile(e, "export changes", "change feed to write (NDJSON, one entry a line with its sequence number)", args[1:], writeChanges)
	}
	if len(args) > 0 && args[0] == "model" {
		return storeToFile(e, "export model", "match model JSON to write (the model the store was built with, for link --model)", args[1:], onDB(writeStoredModel))
	}
	if len(args) > 0 && args[0] == "digest" {
		return storeToFile(e, "export digest", "file for the digest of what a read replica copies (equal on a writer and its caught-up replica)", args[1:], onDB(writeReplicaDigest))
	}
	if len(args) > 0 && args[0] == "pseudonymised" {
		return runExportPseudonymised(e, args[1:])
	}
	if len(args) == 0 || args[0] != "clusters" {
		return fmt.Errorf("want 'export clusters', 'export changes', 'export model', 'export digest' or 'export pseudonymised' with --data DIR --out FILE: %w", errUsage)
	}
	return storeToFile(e, "export clusters", "clusters CSV to write (source,id,person_id)", args[1:], func(m *Main, w io.Writer) error {
		db := m.DB
		var as []resindex.Assignment
		if err := resolver.Export(db, func(a resindex.Assignment) error { as = append(as, a); return nil }); err != nil {
			return err
		}
		return evaluate.WriteAssignments(w, as)
	})
}

// onDB adapts a writer of a store's file to storeToFile.
func onDB(write func(*store.DB, io.Writer) error) func(*Main, io.Writer) error {
	return func(m *Main, w io.Writer) error { return write(m.DB, w) }
}

// writeStoredModel writes the store's model as JSON.
func writeStoredModel(db *store.DB, w io.Writer) error {
	m, ok, err := resolver.StoredModel(db)
	if err != nil {
		return err
	}
	if !ok {
		return fmt.Errorf("export model: the store holds no model yet (it is kept from the first change or bulk load)")
	}
	data, err := m.MarshalIndent()
	if err != nil {
		return err
	}
	_, err = w.Write(append(data, '\n'))
	return err
}

// writeChanges writes the outbox as NDJSON: {"seq":N,"change":{…}}.
// The feed holds alerts whole (children's flags, who looked up a child),
// so the export is in the audit log, as alerts list is.
func writeChanges(m *Main, w io.Writer) error {
	db := m.DB
	n := 0
	err := db.Outbox(0, 0, func(seq uint64, payload []byte) error {
		n++
		_, err := fmt.Fprintf(w, "{\"seq\":%d,\"change\":%s}\n", seq, payload)
		return err
	})
	outcome := "ok"
	if err != nil {
		outcome = "error"
	}
	if aerr := auditCommand(m, "export", []string{"changes", "entries=" + strconv.Itoa(n)}, nil, "", outcome); aerr != nil && err == nil {
		err = aerr
	}
	return err
}
