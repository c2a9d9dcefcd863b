package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// familyNames reads the family names of a generated source.
func familyNames(t *testing.T, path string) []string {
	t.Helper()
	var names []string
	for _, line := range strings.Split(mustReadFile(t, path), "\n") {
		var r struct {
			Name struct{ Family string } `json:"name"`
		}
		if json.Unmarshal([]byte(line), &r) == nil && len(r.Name.Family) >= 4 {
			names = append(names, r.Name.Family)
		}
	}
	if len(names) == 0 {
		t.Fatal("no family names")
	}
	return names
}

// TestEncryptedBackupCommands: an encrypted store's backup holds no
// resident's name in the clear; restore refuses it without the store's
// key, naming --key-file, and with the key restores the same index.
func TestEncryptedBackupCommands(t *testing.T) {
	dir := t.TempDir()
	mustRun(t, "gen", "--persons", "200", "--seed", "4", "--out", dir, "--quiet", "--no-events")
	key := filepath.Join(dir, "key")
	os.WriteFile(key, []byte(strings.Repeat("5c", 32)+"\n"), 0o600)
	data := filepath.Join(dir, "store")
	mustRun(t, "ingest", "--canonical", filepath.Join(dir, "canonical"), "--data", data, "--key-file", key, "--quiet")
	backup := filepath.Join(dir, "store.backup")
	mustRun(t, "backup", "--data", data, "--key-file", key, "--out", backup)
	raw, err := os.ReadFile(backup)
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range familyNames(t, filepath.Join(dir, "canonical", "council_tax.ndjson")) {
		if bytes.Contains(raw, []byte(name)) {
			t.Fatalf("the backup holds the family name %q in the clear", name)
		}
	}
	restored := filepath.Join(dir, "restored")
	_, errs, code := runCLI(t, "restore", "--data", restored, "--in", backup)
	if code == 0 || !strings.Contains(errs, "the backup is encrypted; give the store's --key-file") {
		t.Fatalf("restore without the key: exit %d\n%s", code, errs)
	}
	other := filepath.Join(dir, "other")
	os.WriteFile(other, []byte(strings.Repeat("77", 32)+"\n"), 0o600)
	if _, errs, code := runCLI(t, "restore", "--data", restored, "--key-file", other, "--in", backup); code == 0 || !strings.Contains(errs, "encrypted with another key") {
		t.Fatalf("restore with another key: exit %d\n%s", code, errs)
	}
	cut := filepath.Join(dir, "cut.backup")
	os.WriteFile(cut, raw[:len(raw)-1000], 0o600)
	if _, errs, code := runCLI(t, "restore", "--data", restored, "--key-file", key, "--in", cut); code == 0 || !strings.Contains(errs, "does not authenticate") {
		t.Fatalf("restore of a cut backup: exit %d\n%s", code, errs)
	}
	mustRun(t, "restore", "--data", restored, "--key-file", key, "--in", backup)
	want, got := filepath.Join(dir, "want.csv"), filepath.Join(dir, "got.csv")
	mustRun(t, "export", "clusters", "--data", data, "--key-file", key, "--out", want)
	mustRun(t, "export", "clusters", "--data", restored, "--key-file", key, "--out", got)
	if w, g := mustReadFile(t, want), mustReadFile(t, got); w != g || strings.Count(w, "\n") < 200 {
		t.Fatalf("the restored store's clusters differ (%d and %d lines)", strings.Count(w, "\n"), strings.Count(g, "\n"))
	}
}
