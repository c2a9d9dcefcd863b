package main

import (
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"time"
)

// A scheduled backup's file names the store it is of and when it was
// taken (UTC), so that several servers may share one backup.dir: each
// finds, and prunes, only its own store's backups.

const backupStamp = "20060102T150405Z"

// backupName is the file of store id's backup taken at t: names sort by time.
func backupName(id string, t time.Time) string {
	return "resindex-" + id + "-" + t.UTC().Format(backupStamp) + ".backup"
}

// backupFiles are one store's backups in a directory.
type backupFiles struct {
	dir     string
	id      string         // the store's (store.DB.ID)
	pattern *regexp.Regexp // backupName's names for this store and no other
}

func newBackupFiles(dir, id string) backupFiles {
	return backupFiles{dir: dir, id: id, pattern: regexp.MustCompile(`^resindex-` + regexp.QuoteMeta(id) + `-(\d{8}T\d{6}Z)\.backup$`)}
}

// list returns the store's backups, oldest first: regular files named as
// backupName names them, and nothing else.
func (f backupFiles) list() ([]string, error) {
	entries, err := os.ReadDir(f.dir)
	if err != nil {
		return nil, err
	}
	var names []string
	for _, e := range entries {
		if e.Type().IsRegular() && f.pattern.MatchString(e.Name()) {
			names = append(names, e.Name())
		}
	}
	slices.Sort(names)
	return names, nil
}

// newest returns when the newest of the store's backups was taken.
func (f backupFiles) newest() (time.Time, bool) {
	names, err := f.list()
	for i := len(names) - 1; err == nil && i >= 0; i-- {
		m := f.pattern.FindStringSubmatch(names[i])
		if t, perr := time.Parse(backupStamp, m[1]); perr == nil {
			return t, true
		}
	}
	return time.Time{}, false
}

// name is the file of a backup taken at t.
func (f backupFiles) name(t time.Time) string { return backupName(f.id, t) }

// path is a file's path in the directory.
func (f backupFiles) path(name string) string { return filepath.Join(f.dir, name) }
