package resolver_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/resindex/resindex/matcher"
	"github.com/resindex/resindex/resolver"
)

func TestLoadModel(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "model.json")
	data, err := matcher.DefaultModel().MarshalIndent()
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(good, data, 0o600); err != nil {
		t.Fatal(err)
	}
	bad := filepath.Join(dir, "bad.json")
	if err := os.WriteFile(bad, []byte("{not json"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, path := range []string{"", resolver.ShippedModel, good} {
		if m, err := resolver.LoadModel(path); err != nil || m == nil {
			t.Errorf("%q: %v", path, err)
		}
	}
	for _, path := range []string{bad, filepath.Join(dir, "absent.json")} {
		if _, err := resolver.LoadModel(path); err == nil || !strings.Contains(err.Error(), filepath.Base(path)) {
			t.Errorf("%q: err %v, want one naming the file", path, err)
		}
	}
}
