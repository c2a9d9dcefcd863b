package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestPolicyCheck(t *testing.T) {
	out, _ := mustRun(t, "policy", "check")
	for _, want := range []string{"13 roles", "childrens_services:", "child:     address", "auditor:", "abilities: read_audit"} {
		if !strings.Contains(out, want) {
			t.Errorf("policy check output lacks %q:\n%s", want, out)
		}
	}
	bad := filepath.Join(t.TempDir(), "policy.yaml")
	if err := os.WriteFile(bad, []byte("roles:\n  clerk:\n    adult: [name, shoe_size]\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	_, errs, code := runCLI(t, "policy", "check", "--policy", bad)
	if code != 1 || !strings.Contains(errs, bad+":3: roles.clerk.adult: unknown field \"shoe_size\"") {
		t.Fatalf("bad policy: exit %d\n%s", code, errs)
	}
	if _, _, code := runCLI(t, "policy"); code != 2 {
		t.Errorf("policy without check: exit %d, want 2", code)
	}
}
