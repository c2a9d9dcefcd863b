package config

import (
	"fmt"
	"time"
)

// Backup schedules serve's backups of the store (docs/operations.md).
type Backup struct {
	// Dir receives resindex-YYYYMMDDTHHMMSSZ.backup files.
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
