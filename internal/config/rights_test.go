package config_test

import (
	"path/filepath"
	"testing"

	"github.com/resindex/resindex/internal/config"
)

// TestRightsConfig: the pseudonym key file is taken from the
// configuration's directory, and the safeguarding rule is told who is
// restricted.
func TestPseudonymKeyConfig(t *testing.T) {
	p := writeConfig(t, "rights:\n  pseudonym_key_file: pseudonym.key\n")
	c, err := config.Load(p)
	if err != nil {
		t.Fatal(err)
	}
	if want := filepath.Join(filepath.Dir(p), "pseudonym.key"); c.Rights.PseudonymKeyFile != want {
		t.Errorf("pseudonym_key_file = %q, want %q", c.Rights.PseudonymKeyFile, want)
	}
	if c.AlertOptions().Restricted == nil {
		t.Error("the alert rule is not told who is restricted")
	}
	if _, err := config.Load(writeConfig(t, "rights:\n  pseudonym_key: abc\n")); err == nil {
		t.Error("a misspelt rights option was accepted")
	}
}
