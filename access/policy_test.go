package access_test

import (
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/resindex/resindex/access"
	"github.com/resindex/resindex/internal/yamltree"
)

func mustDefault(t testing.TB) *access.Policy {
	t.Helper()
	p, err := access.Default()
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// The shipped policy has the thirteen roles and grants what DESIGN.md §1
// says each job needs, and nothing it says the job must never see.
func TestDefaultPolicy(t *testing.T) {
	p := mustDefault(t)
	want := []string{"admin", "adult_social_care", "auditor", "childrens_services", "data_steward", "electoral",
		"fraud", "frontline", "housing", "information_governance", "integration", "revenues", "safeguarding"}
	if got := p.Roles(); !reflect.DeepEqual(got, want) {
		t.Fatalf("roles %v, want %v", got, want)
	}
	role := func(name string) *access.Role {
		r, ok := p.Role(name)
		if !ok {
			t.Fatalf("no role %s", name)
		}
		return r
	}
	// Electoral services see attainers, who are children (issue 13);
	// information governance answers a child's subject access request
	// (issue 16).
	childRoles := map[string]bool{"childrens_services": true, "safeguarding": true, "electoral": true, "information_governance": true}
	shielded := map[string]bool{"childrens_services": true, "safeguarding": true, "information_governance": true}
	for _, name := range want {
		r := role(name)
		if r.Sees(access.Child) != childRoles[name] {
			t.Errorf("%s sees children: %v", name, r.Sees(access.Child))
		}
		if r.Can(access.SeeShielded) != shielded[name] {
			t.Errorf("%s sees shielded persons: %v", name, r.Can(access.SeeShielded))
		}
		if r.Description == "" {
			t.Errorf("%s has no description", name)
		}
	}
	for _, tc := range []struct {
		role  string
		class access.Class
		field string
		want  bool
	}{
		{"frontline", access.Adult, "name", true},
		{"frontline", access.Adult, "sources", true},
		{"frontline", access.Adult, "identifiers.nhs", false}, // special category
		{"frontline", access.Adult, "flags.disability", false},
		{"frontline", access.Adult, "flags.caution", false},
		{"adult_social_care", access.Adult, "identifiers.nhs", true},
		{"adult_social_care", access.Adult, "flags.disability", true},
		{"adult_social_care", access.Child, "name", false},
		{"childrens_services", access.Child, "flags.child_protection_plan", true},
		{"childrens_services", access.Adult, "identifiers.nino", false},
		{"fraud", access.Adult, "identifiers.nino", true},
		{"fraud", access.Adult, "attributes.single_person_discount", true},
		{"fraud", access.Adult, "flags.disability", false}, // health
		{"fraud", access.Child, "name", false},
		{"auditor", access.Adult, "name", false},
		{"admin", access.Adult, "name", false},
		{"admin", access.Adult, "dob", false},
		{"electoral", access.Child, "attributes.attainer", true},
		{"electoral", access.Child, "attributes.attainment_date", true},
		{"electoral", access.Child, "household", false}, // the register's entry, and no more
		{"electoral", access.Child, "phones", false},
		{"electoral", access.Child, "other_names", false},
		{"integration", access.Adult, "sources", true},
		{"integration", access.Child, "name", false},
	} {
		if got := role(tc.role).Field(tc.class, tc.field); got != tc.want {
			t.Errorf("%s %s %s: %v, want %v", tc.role, tc.class, tc.field, got, tc.want)
		}
	}
	if role("fraud").Source("adult_social_care") || !role("fraud").Source("council_tax") || !role("frontline").Source("libraries") {
		t.Error("fraud's sources are not council tax, housing, benefits and the register only")
	}
	if !role("auditor").Can(access.ReadAudit) || role("frontline").Can(access.ReadAudit) || !role("data_steward").Can(access.ReviewMatches) {
		t.Error("abilities: the auditor reads the audit log, the steward reviews matches, frontline neither")
	}
	if !role("fraud").Can(access.FraudFindings) || role("childrens_services").Can(access.FraudFindings) {
		t.Error("only fraud sees fraud findings")
	}
	for _, name := range want {
		if role(name).Can(access.ResolveIDs) != (name == "integration") {
			t.Errorf("%s resolves person IDs: %v; only integration, which follows the change feed, should", name, role(name).Can(access.ResolveIDs))
		}
	}
}

// TestNoChildOnlyFieldForAdults: a field only a child's record holds
// (a child flag makes a child; so does a future attainment date) granted
// for adults would show nothing, or would show a child to a role that
// may not see children: the shipped policy grants none for adults.
func TestNoChildOnlyFieldForAdults(t *testing.T) {
	p := mustDefault(t)
	childOnly := []string{"flags.child_protection_plan", "flags.looked_after", "flags.child_in_need", "attributes.attainer", "attributes.attainment_date"}
	for _, name := range p.Roles() {
		r, _ := p.Role(name)
		for _, f := range childOnly {
			if r.Field(access.Adult, f) {
				t.Errorf("%s grants %s for adults, which only children's records hold", name, f)
			}
		}
	}
}

func TestAttributeWildcard(t *testing.T) {
	p, err := access.Parse("p.yaml", []byte("roles:\n  r:\n    adult: ['attributes.*']\n"))
	if err != nil {
		t.Fatal(err)
	}
	r, _ := p.Role("r")
	if !r.Field(access.Adult, "attributes.vrm") || r.Field(access.Adult, "name") || r.Sees(access.Child) || !r.Source("any") {
		t.Error("attributes.* grants every attribute and nothing else")
	}
}

// A policy that cannot be used fails with the file, line and key.
func TestPolicyErrors(t *testing.T) {
	for _, tc := range []struct {
		name, yaml string
		line       int
		key, msg   string
	}{
		{"empty", "", 1, "(file)", "empty policy"},
		{"not yaml", "roles: [a\n", 1, "(file)", "not valid YAML"},
		{"no roles", "roles: {}\n", 1, "roles", "names no role"},
		{"unknown top key", "rolls: {}\n", 1, "rolls", "unknown key"},
		{"bad role name", "roles:\n  Front Line: {}\n", 2, "roles.Front Line", "lower-case"},
		{"unknown role key", "roles:\n  r:\n    adults: [name]\n", 3, "roles.r.adults", "unknown key"},
		{"unknown field", "roles:\n  r:\n    adult: [name, nhs_number]\n", 3, "roles.r.adult", `unknown field "nhs_number"`},
		{"identifier wildcard", "roles:\n  r:\n    adult: ['identifiers.*']\n", 3, "roles.r.adult", "unknown field"},
		{"unknown ability", "roles:\n  r:\n    abilities: [see_everything]\n", 3, "roles.r.abilities", "unknown ability"},
		{"bad source", "roles:\n  r:\n    sources: [Council Tax]\n", 3, "roles.r.sources", "source"},
		{"fields not a list", "roles:\n  r:\n    adult: {name: true}\n", 3, "roles.r.adult", "want text"},
		{"role twice", "roles:\n  r: {}\n  r: {}\n", 3, "roles.r", "given twice"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := access.Parse("p.yaml", []byte(tc.yaml))
			var ye *yamltree.Error
			if !errors.As(err, &ye) {
				t.Fatalf("got %v, want a policy error", err)
			}
			if ye.Line != tc.line || ye.Key != tc.key || !strings.Contains(ye.Msg, tc.msg) || !strings.HasPrefix(err.Error(), "policy p.yaml:") {
				t.Fatalf("got %q (line %d, key %q), want line %d, key %q, %q", err, ye.Line, ye.Key, tc.line, tc.key, tc.msg)
			}
		})
	}
}

// FuzzParse: any YAML is a usable policy or an error naming the file.
func FuzzParse(f *testing.F) {
	f.Add([]byte("roles:\n  r:\n    adult: [name, 'attributes.*']\n    sources: all\n    abilities: [export]\n"))
	f.Add([]byte("roles:\n  r: {child: [flags.vip], sources: [a, b]}\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := access.Parse("f.yaml", data)
		var ye *yamltree.Error
		switch {
		case err != nil && (!errors.As(err, &ye) || ye.File != "f.yaml"):
			t.Fatalf("error %v does not name the file", err)
		case err == nil && len(p.Roles()) == 0:
			t.Fatal("a policy without roles parsed")
		}
	})
}
