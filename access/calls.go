package access

import (
	"cmp"
	"encoding/base64"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/resindex/resindex"
)

// Page asks for one page of a list: the token the previous page gave
// ("" for the first) and its size (0: the default).
type Page struct {
	Token string
	Size  int
}

// Page sizes.
const (
	DefaultPageSize = 10
	MaxPageSize     = 100
	// searchDepth bounds the hits a search ranks before redaction.
	searchDepth = 500
)

func (p Page) size() (int, error) {
	switch {
	case p.Size == 0:
		return DefaultPageSize, nil
	case p.Size < 0 || p.Size > MaxPageSize:
		return 0, &InputError{"page_size", fmt.Sprintf("want 1 to %d", MaxPageSize)}
	}
	return p.Size, nil
}

// offset reads an offset page token: a place in a list of at most limit.
func (p Page) offset(limit int) (int, error) {
	if p.Token == "" {
		return 0, nil
	}
	raw, err := base64.RawURLEncoding.DecodeString(p.Token)
	n, cerr := strconv.Atoi(strings.TrimPrefix(string(raw), "o:"))
	if err != nil || cerr != nil || !strings.HasPrefix(string(raw), "o:") || n < 0 || n > limit {
		return 0, &InputError{"page_token", "not a token this service gave"}
	}
	return n, nil
}

func offsetToken(n int) string {
	return base64.RawURLEncoding.EncodeToString([]byte("o:" + strconv.Itoa(n)))
}

// Person returns a person's view.
func (s *Service) Person(p resindex.Principal, ref, reason string) (PersonView, error) {
	var v PersonView
	err := s.audited(p, "view", "person "+s.refs.show(ref), reason, func(e *AuditEntry) error {
		role, sub, err := s.subjectFor(p, ref, reason, e, "")
		if err == nil {
			v = s.view(role, sub, nil)
		}
		return err
	})
	return v, err
}

// subjectFor resolves the principal's role and the person they ask for,
// recording the person in the audit entry; a call that needs a field for
// the person's class (need, "" for none) is forbidden without it.
func (s *Service) subjectFor(p resindex.Principal, ref, reason string, e *AuditEntry, need string) (*Role, *subject, error) {
	role, err := s.role(p)
	if err != nil {
		return nil, nil, err
	}
	if pid, ok := s.refs.id(ref); ok || isPersonID(ref) {
		e.Persons = []string{cmp.Or(pid, ref)} // asked for, whether shown or not, and however named
	}
	sub, err := s.person(role, ref, reason)
	if sub != nil {
		e.Persons = appendOnce(e.Persons, sub.id) // a merged-away ID's survivor, too
	}
	if err == nil && need != "" && !role.Field(sub.class, need) {
		err = needField(need)
	}
	return role, sub, err
}

// HouseholdView is the people living at a person's address whom the
// principal may see; the others are left out, uncounted.
type HouseholdView struct {
	Person  string                   `json:"person"`
	Address *Value[resindex.Address] `json:"address,omitempty"`
	Members []PersonView             `json:"members"`
	// Former are the people who lived there before, for roles that see
	// previous addresses.
	Former []FormerMember `json:"former,omitempty"`
	// Property is the property the household is keyed by: its UPRN, and
	// whether the person's address gave it or it was inferred (with how
	// sure). Absent when the address names no property.
	Property *resindex.Property `json:"property,omitempty"`
}

// Household returns the household of a person: the people the principal
// may see whose current address, as the records the principal sees have
// it, is the same property as the person's. A household found from
// records the principal may not see (the person has moved, says a source
// it is not granted) would tell where they live now; so would a member
// placed there only by such a source.
func (s *Service) Household(p resindex.Principal, ref, reason string) (HouseholdView, error) {
	var hv HouseholdView
	err := s.audited(p, "household", "household of "+s.refs.show(ref), reason, func(e *AuditEntry) error {
		role, sub, err := s.subjectFor(p, ref, reason, e, "household")
		if err != nil {
			return err
		}
		hv = HouseholdView{Person: ref, Members: []PersonView{s.view(role, sub, memberFields)},
			Address: s.view(role, sub, []string{"address", "sources"}).Address}
		prop, err := s.visibleHousehold(sub)
		if err != nil || prop.Key == "" {
			return err
		}
		key := prop.Key
		hv.Property = &prop
		hv.Members[0].Property = inferred(prop)
		ids, err := s.index.Household(key)
		if err != nil {
			return err
		}
		for _, id := range ids {
			if id == sub.id {
				continue
			}
			msub, mprop, err := s.member(role, id, reason, key)
			if err != nil {
				return err
			}
			if msub != nil {
				mv := s.view(role, msub, memberFields)
				mv.Property = inferred(mprop)
				hv.Members = append(hv.Members, mv)
				e.Persons = appendOnce(e.Persons, id)
			}
		}
		current := map[string]bool{}
		for _, id := range ids {
			current[id] = true
		}
		hv.Former, err = s.formerMembers(role, sub.goldenRecord(s.opts.Trust).Address.Value, key, reason, current, e)
		return err
	})
	return hv, err
}

// visibleHousehold is the property of a subject's current address as the
// records shown have it (no key when they give none).
func (s *Service) visibleHousehold(sub *subject) (resindex.Property, error) {
	g := sub.goldenRecord(s.opts.Trust)
	if g.Address == nil {
		return resindex.Property{}, nil
	}
	return s.index.Property(g.Address.Value)
}

// inferred is a member's property when their place rests on an inferred
// UPRN, else nil: the view says so only where it matters.
func inferred(p resindex.Property) *resindex.Property {
	if !p.Inferred {
		return nil
	}
	return &p
}

// member reads a person of a household, or nil when the principal may not
// see them there: not theirs to see, or placed there only by records they
// may not see. Either way left out, and not counted.
func (s *Service) member(role *Role, id, reason, key string) (*subject, resindex.Property, error) {
	m, err := s.index.Person(id)
	if errors.Is(err, resindex.ErrNotFound) {
		return nil, resindex.Property{}, nil
	}
	if err != nil {
		return nil, resindex.Property{}, err
	}
	msub, err := s.see(role, &m, reason)
	if err != nil {
		return nil, resindex.Property{}, nil
	}
	prop, err := s.visibleHousehold(msub)
	if err != nil || prop.Key != key {
		return nil, prop, err
	}
	return msub, prop, nil
}

func appendOnce(list []string, s string) []string {
	for _, x := range list {
		if x == s {
			return list
		}
	}
	return append(list, s)
}

// Explanation is why a person's records are linked: the pairs that join
// the records the principal may see.
type Explanation struct {
	Person string     `json:"person"`
	Links  []LinkView `json:"links"`
}

// LinkView is one pair of records with its match weight and terms.
type LinkView struct {
	A           string              `json:"a"`
	B           string              `json:"b"`
	Weight      float64             `json:"weight"`
	Probability float64             `json:"probability"`
	Decision    string              `json:"decision"`
	Override    string              `json:"override,omitempty"`
	Terms       []resindex.LinkTerm `json:"terms"`
}

// Explain returns why a person's records are linked. Pairs with a record
// the principal may not see are left out; records are named by source
// and ID only to a role that sees sources.
func (s *Service) Explain(p resindex.Principal, ref, reason string) (Explanation, error) {
	var x Explanation
	err := s.audited(p, "explain", "links of "+s.refs.show(ref), reason, func(e *AuditEntry) error {
		role, sub, err := s.subjectFor(p, ref, reason, e, "links")
		if err != nil {
			return err
		}
		// The pairs joining the visible records among themselves: pairs
		// through a hidden record would show, by a gap, that one exists.
		links, err := s.index.Links(sub.id, keysOf(sub.visible))
		if err != nil {
			return err
		}
		x = Explanation{Person: ref, Links: []LinkView{}}
		names := recordNames(sub, role.Field(sub.class, "sources"))
		for _, l := range links {
			a, aok := names[l.A]
			b, bok := names[l.B]
			if aok && bok {
				x.Links = append(x.Links, LinkView{A: a, B: b, Weight: l.Weight, Probability: l.Probability, Decision: l.Decision, Override: l.Override,
					Terms: visibleTerms(role, sub.class, l.Terms)})
			}
		}
		return nil
	})
	return x, err
}

func keysOf(recs []resindex.Record) []resindex.RecordKey {
	out := make([]resindex.RecordKey, len(recs))
	for i := range recs {
		out[i] = recs[i].Key()
	}
	return out
}

// termField is the field a comparison reads, as the policy names it.
var termField = map[string]string{"given_name": "name", "family_name": "name", "dob": "dob", "sex": "sex", "address": "address",
	"nhs": "identifiers.nhs", "nino": "identifiers.nino", "upn": "identifiers.upn", "email": "emails", "phone": "phones"}

// visibleTerms keeps the terms of comparisons over fields the role sees
// (a comparison of opaque identifiers needs some identifier granted): how
// two NHS numbers compare is not for a role that may not see them. The
// weight stays the whole score.
func visibleTerms(role *Role, c Class, terms []resindex.LinkTerm) []resindex.LinkTerm {
	out := []resindex.LinkTerm{}
	for _, t := range terms {
		f, known := termField[t.Comparison]
		if (known && role.Field(c, f)) || (!known && slices.ContainsFunc(role.Fields(c), func(g string) bool { return strings.HasPrefix(g, "identifiers.") })) {
			out = append(out, t)
		}
	}
	return out
}

// recordNames names the subject's visible records: source/id, or only
// "record N" for a role that does not see sources.
func recordNames(sub *subject, sources bool) map[resindex.RecordKey]string {
	out := map[resindex.RecordKey]string{}
	for i := range sub.visible {
		k := sub.visible[i].Key()
		out[k] = "record " + strconv.Itoa(i+1)
		if sources {
			out[k] = k.String()
		}
	}
	return out
}

// SearchPage is one page of search results, best first.
type SearchPage struct {
	Results  []PersonView `json:"results"`
	NextPage string       `json:"next_page,omitempty"`
	// Withheld counts shielded persons among the results, left out for
	// want of a reason: told only to roles that may see them with one.
	Withheld int `json:"withheld_shielded,omitempty"`
}

// Search finds persons, ranked and fuzzy, and shows each as a summary of
// the fields the role grants. Persons the principal may not see are left
// out before paging, so pages never reveal them.
func (s *Service) Search(p resindex.Principal, q resindex.Query, pg Page, reason string) (SearchPage, error) {
	var out SearchPage
	err := s.audited(p, "search", describe(q), reason, func(e *AuditEntry) error {
		role, err := s.role(p)
		if err != nil {
			return err
		}
		if !role.Sees(Adult) && !role.Sees(Child) {
			return &ForbiddenError{"fields of adults or children"} // a role that sees no one has nothing to search
		}
		if err := checkQuery(&q); err != nil {
			return err
		}
		if err := checkQueryGrants(role, queryFields(&q)); err != nil {
			return err
		}
		size, err := pg.size()
		if err != nil {
			return err
		}
		from, err := pg.offset(searchDepth)
		if err != nil {
			return err
		}
		rk := s.newRanking(role, q, reason, searchDepth+1, map[string]personRead{})
		seen, withheld, more, err := s.visibleHits(rk, from+size)
		if err != nil {
			return err
		}
		out = SearchPage{Results: []PersonView{}}
		if role.Can(SeeShielded) {
			out.Withheld = withheld
		}
		review, link := s.index.Thresholds()
		for _, f := range seen[min(from, len(seen)):] {
			v := s.view(role, f.sub, summaryFields)
			v.Strength, v.Matched = strength(f.weight, review, link), s.matched(rk.probe, role, f.sub)
			out.Results = append(out.Results, v)
			e.Persons = append(e.Persons, f.sub.id)
		}
		if more && from+size < searchDepth {
			out.NextPage = offsetToken(from + size)
		}
		return nil
	})
	return out, err
}

// visibleHits returns the first n persons a search finds that the role
// may see, ranked by their visible records, whether there are more, and
// how many shielded persons were withheld for want of a reason. It asks
// the index once, as deep as a search may page, and ranks the best hits
// first, looking deeper (50 → 200 → 500) only while too few of them are
// the role's to see; each hit's person is read once.
func (s *Service) visibleHits(rk *ranking, n int) ([]found, int, bool, error) {
	hits, err := s.index.Search(rk.q, rk.depth)
	if err != nil {
		return nil, 0, false, err
	}
	for depth := min(max(4*n, 50), searchDepth); ; depth = min(4*depth, searchDepth) {
		ranked, withheld, err := rk.rank(hits[:min(len(hits), depth)], n)
		if err != nil {
			return nil, 0, false, err
		}
		if len(ranked) > n || len(hits) <= depth || depth == searchDepth {
			return ranked[:min(len(ranked), n)], withheld, len(ranked) > n, nil
		}
	}
}

// checkQuery refuses a query that names nothing, or too much, and puts
// its date of birth in the index's form.
func checkQuery(q *resindex.Query) error {
	if q.Empty() {
		return &InputError{"query", "give at least one of given, family, dob, postcode, address or an identifier"}
	}
	for name, v := range map[string]string{"given": q.Given, "family": q.Family, "dob": q.DOB, "postcode": q.Postcode} {
		if len(v) > 200 {
			return &InputError{name, "longer than 200 characters"}
		}
	}
	if len(q.Identifiers) > 10 || len(q.AddressLines) > 10 {
		return &InputError{"query", "more than 10 identifiers or address lines"}
	}
	for _, l := range q.AddressLines {
		if len(l) > 200 {
			return &InputError{"address", "a line longer than 200 characters"}
		}
	}
	for k, v := range q.Identifiers {
		if len(k) > 64 || len(v) > 200 {
			return &InputError{"id", "a kind longer than 64 characters or a value longer than 200"}
		}
	}
	dob, err := NormaliseDOB(q.DOB)
	q.DOB = dob
	return err
}

// describe renders a query for the audit log (which keeps what was
// asked; the log is the store's, read only by auditors).
func describe(q resindex.Query) string {
	var parts []string
	add := func(k, v string) {
		if v != "" {
			parts = append(parts, k+"="+v)
		}
	}
	add("given", q.Given)
	add("family", q.Family)
	add("dob", q.DOB)
	add("postcode", q.Postcode)
	add("address", strings.Join(q.AddressLines, ", "))
	kinds := make([]string, 0, len(q.Identifiers))
	for k := range q.Identifiers {
		kinds = append(kinds, k)
	}
	sort.Strings(kinds)
	for _, k := range kinds {
		add("id."+k, q.Identifiers[k])
	}
	return strings.Join(parts, " ")
}
