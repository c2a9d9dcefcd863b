package config_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/resindex/resindex/internal/config"
)

// TestBackupConfig: backup.* and admin_socket are read with the file's
// relative paths; settings that cannot work are refused, naming the key.
func TestBackupConfig(t *testing.T) {
	p := writeConfig(t, "data: store\nadmin_socket: run/admin.sock\nbackup:\n  dir: backups\n  every: 24h\n  keep: 3\n")
	c, err := config.Load(p)
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Dir(p)
	if c.Backup.Dir != filepath.Join(dir, "backups") || c.Backup.Every != 24*time.Hour || c.Backup.Keep != 3 || c.AdminSocket != filepath.Join(dir, "run/admin.sock") {
		t.Errorf("read %+v, admin_socket %q", c.Backup, c.AdminSocket)
	}
	if c, err := config.Load(writeConfig(t, "admin_socket: \"off\"\n")); err != nil || c.AdminSocket != "off" {
		t.Errorf("admin_socket off: %q, %v", c.AdminSocket, err)
	}
	for _, tc := range []struct{ name, text, want string }{
		{"every negative", "backup:\n  dir: b\n  every: -1h\n", "backup.every is -1h0m0s"},
		{"every without dir", "backup:\n  every: 24h\n", "backup.dir is not"},
		{"every not a duration", "backup:\n  dir: b\n  every: daily\n", ":3: backup.every: want a duration"},
		{"keep negative", "backup:\n  dir: b\n  every: 1h\n  keep: -2\n", "backup.keep is -2"},
		{"unknown key", "backup:\n  directory: b\n", "backup.directory: unknown key"},
		{"dir in the store", "data: store\nbackup:\n  dir: store/backups\n  every: 1h\n", "is inside the store directory"},
		{"dir is the store", "data: store\nbackup:\n  dir: ./store/\n  every: 1h\n", "is inside the store directory"},
	} {
		if _, err := config.Load(writeConfig(t, tc.text)); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: err = %v, want it to mention %q", tc.name, err, tc.want)
		}
	}
}

// TestBackupApartFrom: a backup.dir inside the store is refused however
// it is named; beside it, it is not.
func TestBackupApartFrom(t *testing.T) {
	root := t.TempDir()
	data := filepath.Join(root, "store")
	link := filepath.Join(root, "link")
	if err := os.Mkdir(data, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(data, link); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		dir    string
		inside bool
	}{
		{filepath.Join(data, "b"), true},
		{data, true},
		{filepath.Join(link, "b", "c"), true},
		{filepath.Join(root, "store-backups"), false},
		{root, false},
		{filepath.Join(root, "b"), false},
	} {
		b := config.Backup{Dir: tc.dir}
		if err := b.ApartFrom(data); (err != nil) != tc.inside {
			t.Errorf("%s: %v, want inside %v", tc.dir, err, tc.inside)
		}
	}
}
