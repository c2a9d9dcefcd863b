package report_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/resindex/resindex/access"
	"github.com/resindex/resindex/internal/report"
)

func TestPolicy(t *testing.T) {
	shipped, err := access.Default()
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "policy.yaml")
	if err := os.WriteFile(path, []byte("roles:\n  clerk:\n    description: counter staff\n    adult: [name]\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	small, err := access.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		p    *access.Policy
		want []string
	}{
		{"shipped", shipped, []string{"13 roles", "childrens_services:", "child:     address", "auditor:", "abilities: read_audit"}},
		{"one role", small, []string{"1 roles", "\nclerk: counter staff\n", "  sources:   all\n", "  adult:     name\n", "  child:     (not visible)\n", "  abilities: none\n"}},
	}
	for _, tt := range tests {
		var b strings.Builder
		report.Policy(&b, tt.p)
		for _, w := range tt.want {
			if !strings.Contains(b.String(), w) {
				t.Errorf("%s: lacks %q:\n%s", tt.name, w, b.String())
			}
		}
	}
}
