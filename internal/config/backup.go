package config

import (
	"fmt"
	"path/filepath"
	"strings"
	"time"
)

// Backup schedules serve's backups of the store (docs/operations.md).
type Backup struct {
	// Dir receives resindex-<store ID>-YYYYMMDDTHHMMSSZ.backup files.
	Dir string `yaml:"dir"`
	// Every is how often; no backups are taken when it is unset.
	Every time.Duration `yaml:"every"`
	// Keep is how many of the newest backups stay (default 7).
	Keep int `yaml:"keep"`
}

// DefaultBackupKeep is how many backups stay when backup.keep is unset.
const DefaultBackupKeep = 7

func (b *Backup) validate() error {
	switch {
	case b.Every < 0:
		return fmt.Errorf("backup.every is %s: want a positive duration such as 24h (or leave it out for no backups)", b.Every)
	case b.Every > 0 && b.Dir == "":
		return fmt.Errorf("backup.every is set but backup.dir is not: name the directory the backups go to")
	case b.Keep < 0:
		return fmt.Errorf("backup.keep is %d: want a positive number (default %d)", b.Keep, DefaultBackupKeep)
	}
	return nil
}

// ApartFrom refuses a backup.dir inside the store directory data (or the
// same): a compaction replaces the store's files, a restore wants an
// empty directory, and a lost disk would take the store and its backups.
func (b *Backup) ApartFrom(data string) error {
	if b.Dir == "" || data == "" {
		return nil
	}
	dir, store := resolved(b.Dir), resolved(data)
	rel, err := filepath.Rel(store, dir)
	if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return nil
	}
	return fmt.Errorf("backup.dir %s is inside the store directory %s: give a directory apart from the store (ideally on another disk)", b.Dir, data)
}

// resolved is path made absolute, with the symbolic links of its longest
// existing ancestor followed: two names of one directory compare equal.
func resolved(path string) string {
	abs, err := filepath.Abs(path)
	if err != nil {
		return filepath.Clean(path)
	}
	rest := ""
	for p := abs; ; p = filepath.Dir(p) {
		if real, err := filepath.EvalSymlinks(p); err == nil {
			return filepath.Join(real, rest)
		}
		if filepath.Dir(p) == p {
			return abs
		}
		rest = filepath.Join(filepath.Base(p), rest)
	}
}
