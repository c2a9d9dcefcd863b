package synth

import (
	"strings"
	"testing"
)

// Vectors from REFERENCE.md.
func TestIdentifierVectors(t *testing.T) {
	tests := []struct {
		kind, v string
		valid   bool
	}{
		{"nhs", "9434765919", true},
		{"nhs", "9434765910", false},
		{"nhs", "4010232137", true},
		{"nhs", "943 476 5919", true},
		{"nhs", "0000000000", false},
		{"nino", "ab-12-34-56-c", true},
		{"nino", "TN010280M", false},
		{"nino", "GB123456A", false},
		{"nino", "AO123456A", false},
		{"nino", "AB123456E", false},
		{"nino", "QQ123456C", false},
		{"upn", "B801200005001", true},
		{"upn", "A801200005001", false},
		{"upn", "P207000016049", true},
		{"upn", "Q207000016049", false},
		{"uprn", "100021000123", true},
		{"uprn", "1000210001234", false},
		{"uprn", "0", false},
	}
	valid := map[string]func(string) bool{"nhs": validNHS, "nino": validNINO, "upn": validUPN, "uprn": validUPRN}
	for _, tt := range tests {
		if got := valid[tt.kind](tt.v); got != tt.valid {
			t.Errorf("%s %q valid = %v, want %v", tt.kind, tt.v, got, tt.valid)
		}
	}
}

func TestIssuedIdentifiersValidAndCorruptedInvalid(t *testing.T) {
	r := newRand(1, 1)
	for i := 0; i < 2000; i++ {
		ids := map[string]string{
			"nhs": newNHS(r), "nino": newNINO(r), "upn": newUPN(r, "202", "2345", 2019), "uprn": "100021000123",
		}
		for kind, v := range ids {
			valid := map[string]func(string) bool{"nhs": validNHS, "nino": validNINO, "upn": validUPN, "uprn": validUPRN}[kind]
			if !valid(v) {
				t.Fatalf("issued %s %q is invalid", kind, v)
			}
			if bad := corruptIdentifier(r, kind, v); valid(bad) {
				t.Fatalf("corrupted %s %q -> %q is still valid", kind, v, bad)
			}
			if kind != "uprn" && !valid(spaced(kind, v)) {
				t.Fatalf("spaced %s %q is invalid", kind, spaced(kind, v))
			}
		}
	}
}

func TestNewNINOAvoidsAdministrativePrefixes(t *testing.T) {
	r := newRand(2, 1)
	for i := 0; i < 5000; i++ {
		n := newNINO(r)
		for _, p := range ninoBadPrefix {
			if strings.HasPrefix(n, p) {
				t.Fatalf("issued %s with prefix %s", n, p)
			}
		}
	}
}
