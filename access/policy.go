package access

import (
	_ "embed"
	"fmt"
	"os"
	"regexp"
	"slices"
	"sort"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/resindex/resindex/internal/yamltree"
)

// Class is a record class a role is granted fields for.
type Class string

// Record classes.
const (
	Adult Class = "adult"
	Child Class = "child" // under 18 by date of birth, or a child record
)

// Ability is something a role may do beyond seeing fields.
type Ability string

// Abilities.
const (
	SeeShielded    Ability = "see_shielded" // restricted, staff and VIP persons, with a recorded reason
	ReviewMatches  Ability = "review_matches"
	ReadAudit      Ability = "read_audit"
	Export         Ability = "export"
	Alerts         Ability = "alerts"
	FraudFindings  Ability = "fraud_findings"
	VerifyIdentity Ability = "verify_identity"
	Admin          Ability = "admin"
	// ResolveIDs lets a role name a person by the index's own ID
	// (P0000000001), as the change feed and exports do, besides the
	// opaque reference: for systems that follow the feed.
	ResolveIDs Ability = "resolve_ids"
	// Rights lets a role act on residents' data-protection requests:
	// subject access, erasure, rectification, restriction and objection.
	Rights Ability = "rights"
)

var abilities = []string{string(SeeShielded), string(ReviewMatches), string(ReadAudit), string(Export),
	string(Alerts), string(FraudFindings), string(VerifyIdentity), string(Admin), string(ResolveIDs),
	string(Rights)}

// Fields a view can show, besides identifiers.KIND, flags.FLAG and
// attributes.NAME (or attributes.*, every attribute).
var plainFields = []string{"name", "other_names", "dob", "sex", "address", "previous_addresses", "emails", "phones",
	"sources", "household", "links"}

// Role is what one job may see and do.
type Role struct {
	Name        string
	Description string
	sources     map[string]bool // nil: every source
	named       []namedSource   // the sources as the file names them, for CheckSources
	fields      map[Class]map[string]bool
	abilities   map[Ability]bool
}

// Sees reports whether the role sees records of a class at all.
func (r *Role) Sees(c Class) bool { return len(r.fields[c]) > 0 }

// Field reports whether the role sees a field of a class's records.
func (r *Role) Field(c Class, field string) bool {
	fs := r.fields[c]
	if fs[field] {
		return true
	}
	return strings.HasPrefix(field, "attributes.") && fs["attributes.*"]
}

// Source reports whether the role sees records from a source.
func (r *Role) Source(source string) bool { return r.sources == nil || r.sources[source] }

// Can reports whether the role has an ability.
func (r *Role) Can(a Ability) bool { return r.abilities[a] }

// Sources lists the sources granted, in order; none means every source.
func (r *Role) Sources() []string { return yamltree.SortedKeys(r.sources) }

// Fields lists a class's fields granted, in order.
func (r *Role) Fields(c Class) []string { return yamltree.SortedKeys(r.fields[c]) }

// Abilities lists the abilities granted, in order.
func (r *Role) Abilities() []string {
	out := make([]string, 0, len(r.abilities))
	for a := range r.abilities {
		out = append(out, string(a))
	}
	sort.Strings(out)
	return out
}

// Policy is the set of roles.
type Policy struct {
	File  string
	roles map[string]*Role
	// named is every source a role names, with where (CheckSources).
	named []namedSource
}

// Role returns a role by name.
func (p *Policy) Role(name string) (*Role, bool) {
	r, ok := p.roles[name]
	return r, ok
}

// Roles lists the roles' names in order.
func (p *Policy) Roles() []string { return yamltree.SortedKeys(p.roles) }

//go:embed default_policy.yaml
var defaultPolicy []byte

// Default returns the policy that ships with resindex
// (access/default_policy.yaml).
func Default() (*Policy, error) { return Parse("default_policy.yaml", defaultPolicy) }

// Load reads a policy file.
func Load(path string) (*Policy, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("policy: %w", err)
	}
	return Parse(path, data)
}

// Parse reads a policy; an error names the file, the line and the key.
func Parse(file string, data []byte) (*Policy, error) {
	p := &yamltree.Parser{Kind: "policy", File: file}
	root, err := p.Root(data)
	if err != nil {
		return nil, err
	}
	top, err := p.Object(root, "", "roles")
	if err != nil {
		return nil, err
	}
	if len(top) == 0 {
		return nil, p.Fail(root, "roles", "required: the policy names no role")
	}
	pairs, err := p.Object(top[0].V, "roles")
	if err != nil {
		return nil, err
	}
	if len(pairs) == 0 {
		return nil, p.Fail(top[0].V, "roles", "the policy names no role")
	}
	pol := &Policy{File: file, roles: map[string]*Role{}}
	for _, kv := range pairs {
		r, err := parseRole(p, kv)
		if err != nil {
			return nil, err
		}
		pol.roles[r.Name] = r
		pol.named = append(pol.named, r.named...)
	}
	return pol, nil
}

var roleName = regexp.MustCompile(`^[a-z][a-z0-9_]{0,63}$`)

func parseRole(p *yamltree.Parser, kv yamltree.Pair) (*Role, error) {
	where := yamltree.Join("roles", kv.Key)
	if !roleName.MatchString(kv.Key) {
		return nil, p.Fail(kv.K, where, "want lower-case letters, digits and _ (e.g. adult_social_care)")
	}
	r := &Role{Name: kv.Key, fields: map[Class]map[string]bool{}, abilities: map[Ability]bool{}}
	opts, err := p.Object(kv.V, where, "description", "sources", "adult", "child", "abilities")
	if err != nil {
		return nil, err
	}
	for _, o := range opts {
		if err := roleOption(p, r, o, yamltree.Join(where, o.Key)); err != nil {
			return nil, err
		}
	}
	return r, nil
}

func roleOption(p *yamltree.Parser, r *Role, o yamltree.Pair, at string) error {
	switch o.Key {
	case "description":
		d, err := p.Text(o.V, at)
		r.Description = d
		return err
	case "sources":
		return roleSources(p, r, o.V, at)
	case "abilities":
		return roleAbilities(p, r, o.V, at)
	}
	fs, err := fieldSet(p, o.V, at)
	r.fields[Class(o.Key)] = fs
	return err
}

func roleSources(p *yamltree.Parser, r *Role, n *yaml.Node, at string) error {
	list, err := list(p, n, at)
	if err != nil {
		return err
	}
	if len(list) == 1 && list[0] == "all" {
		return nil
	}
	r.sources = map[string]bool{}
	for _, s := range list {
		if !roleName.MatchString(s) || s == "all" {
			return p.Fail(n, at, "source %q: want `all`, or source names (lower-case letters, digits and _)", s)
		}
		r.sources[s] = true
		r.named = append(r.named, namedSource{s, at, itemLine(n, s)})
	}
	return nil
}

func roleAbilities(p *yamltree.Parser, r *Role, n *yaml.Node, at string) error {
	list, err := list(p, n, at)
	if err != nil {
		return err
	}
	for _, a := range list {
		if !slices.Contains(abilities, a) {
			return p.Fail(n, at, "unknown ability %q (want one of %s)", a, strings.Join(abilities, ", "))
		}
		r.abilities[Ability(a)] = true
	}
	return nil
}

var fieldPart = regexp.MustCompile(`^([a-z][a-z0-9_]{0,63}|\*)$`)

// fieldSet reads a class's fields, refusing names a view does not have.
func fieldSet(p *yamltree.Parser, n *yaml.Node, at string) (map[string]bool, error) {
	list, err := list(p, n, at)
	if err != nil {
		return nil, err
	}
	out := map[string]bool{}
	for _, f := range list {
		if !knownField(f) {
			return nil, p.Fail(n, at, "unknown field %q (want one of %s, identifiers.KIND, flags.FLAG, attributes.NAME or attributes.*)",
				f, strings.Join(plainFields, ", "))
		}
		out[f] = true
	}
	return out, nil
}

func knownField(f string) bool {
	if slices.Contains(plainFields, f) {
		return true
	}
	prefix, name, ok := strings.Cut(f, ".")
	switch {
	case !ok || !fieldPart.MatchString(name):
		return false
	case prefix == "attributes":
		return true
	case prefix == "identifiers" || prefix == "flags":
		return name != "*"
	}
	return false
}

// list reads a list of texts (an empty list is allowed).
func list(p *yamltree.Parser, n *yaml.Node, at string) ([]string, error) {
	n = yamltree.Deref(n)
	if n.Kind == yaml.SequenceNode && len(n.Content) == 0 {
		return nil, nil
	}
	return p.Texts(n, at)
}
