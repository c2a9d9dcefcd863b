package synth_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/resindex/resindex/synth"
)

// TestGenerateTo: what the counts say is what the files hold.
func TestGenerateTo(t *testing.T) {
	tests := []struct {
		name  string
		write func(dir string) (versions, live int, err error)
		want  []string // files written
	}{
		{"borough", func(dir string) (int, int, error) {
			cfg := synth.DefaultConfig()
			cfg.Persons, cfg.Seed, cfg.NoEvents = 150, 3, true
			return synth.GenerateTo(cfg, dir, nil)
		}, []string{"canonical/council_tax.ndjson", "native/council_tax.csv", "truth/records.csv"}},
		{"people", func(dir string) (int, int, error) {
			n, err := synth.GeneratePeopleTo(synth.PeopleConfig{Persons: 100, Seed: 3}, dir)
			return n, n, err
		}, []string{"canonical/register_a.ndjson", "truth/records.csv"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			versions, live, err := tt.write(dir)
			if err != nil {
				t.Fatal(err)
			}
			for _, p := range tt.want {
				if _, err := os.Stat(filepath.Join(dir, p)); err != nil {
					t.Errorf("%s not written: %v", p, err)
				}
			}
			truth, err := os.ReadFile(filepath.Join(dir, "truth", "records.csv"))
			if err != nil {
				t.Fatal(err)
			}
			if rows := strings.Count(string(truth), "\n") - 1; rows != live || versions < live {
				t.Errorf("%d versions, %d live; the truth has %d rows", versions, live, rows)
			}
		})
	}
	if _, err := synth.GeneratePeopleTo(synth.PeopleConfig{Persons: 0}, t.TempDir()); err == nil {
		t.Error("no persons: no error")
	}
}
