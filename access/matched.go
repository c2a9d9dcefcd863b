package access

import (
	"maps"
	"slices"
	"strings"

	"github.com/resindex/resindex"
	"github.com/resindex/resindex/matcher"
)

// The index compares a query with every value of a record: its other
// names and previous addresses too. A role shown only a person's name and
// current address must not find them by an old postcode or a maiden name,
// nor see them ranked higher for one; and every role is told which of the
// query's fields agreed with what it is shown. A probe says which of a
// query's parts agree with a set of values, judged as the matcher judges
// (its normalisers and comparison levels), so that what agrees here is
// what the index counted.

// part is a piece of a query that agrees or not by itself.
type part string

const (
	partGiven   part = "given"
	partFamily  part = "family"
	partDOB     part = "dob"
	partAddress part = "address"
	partID      part = "identifiers." // and the kind
)

// probe is one query, read once, that values are compared with.
type probe struct {
	name    *matcher.Profile // the query's name; nil for none
	dob     resindex.PartialDate
	address *matcher.Profile // the query's address; nil for none
	ids     map[string]string
}

var (
	queryKey = resindex.RecordKey{Source: "\x00query", ID: "q"}
	valueKey = resindex.RecordKey{Source: "\x00value", ID: "v"}
)

func newProbe(q *resindex.Query) *probe {
	pr := &probe{ids: q.Identifiers}
	if q.Given != "" || q.Family != "" {
		p := matcher.NewProfile(&resindex.Record{Source: queryKey.Source, ID: queryKey.ID, Name: resindex.Name{Given: q.Given, Family: q.Family}})
		pr.name = &p
	}
	if q.Postcode != "" || len(q.AddressLines) > 0 {
		a := resindex.Address{Lines: q.AddressLines, Postcode: q.Postcode}
		p := matcher.NewProfile(&resindex.Record{Source: queryKey.Source, ID: queryKey.ID, Addresses: []resindex.Address{a}})
		pr.address = &p
	}
	pr.dob, _ = resindex.ParsePartialDate(q.DOB) // checked by checkQuery
	return pr
}

// names returns the name parts that agree with any of the names: the
// given or family name at a level the matcher counts as agreement (exact
// to phonetic; "different" does not).
func (pr *probe) names(names []resindex.Name) []part {
	if pr.name == nil {
		return nil
	}
	var given, family bool
	for _, n := range names {
		if given && family {
			break
		}
		p := matcher.NewProfile(&resindex.Record{Source: valueKey.Source, ID: valueKey.ID, Name: n})
		v := matcher.Compare(pr.name, &p)
		given = given || (v[matcher.CmpGiven] >= matcher.GivenExact && v[matcher.CmpGiven] <= matcher.GivenPhonetic)
		family = family || (v[matcher.CmpFamily] >= matcher.FamilyExact && v[matcher.CmpFamily] <= matcher.FamilyPhonetic)
	}
	var out []part
	if given {
		out = append(out, partGiven)
	}
	if family {
		out = append(out, partFamily)
	}
	return out
}

// addressAgrees reports whether the query's address agrees with any of
// the addresses: the same property, building, street and number,
// postcode, or most of the address's words (a shared sector or town is
// not agreement).
func (pr *probe) addressAgrees(addrs []resindex.Address) bool {
	if pr.address == nil || len(addrs) == 0 {
		return false
	}
	p := matcher.NewProfile(&resindex.Record{Source: valueKey.Source, ID: valueKey.ID, Addresses: addrs})
	l := matcher.Compare(pr.address, &p)[matcher.CmpAddress]
	return l >= matcher.AddrExact && l <= matcher.AddrTokens
}

// dobAgrees reports whether the query's date of birth agrees with any of
// the dates, to the precision both have ("1980" agrees with 1980-05-06).
func (pr *probe) dobAgrees(dobs []string) bool {
	if pr.dob.IsZero() {
		return false
	}
	return slices.ContainsFunc(dobs, func(s string) bool {
		d, err := resindex.ParsePartialDate(s)
		return err == nil && !d.IsZero() && d.Year == pr.dob.Year &&
			(d.Month == 0 || pr.dob.Month == 0 || d.Month == pr.dob.Month) && (d.Day == 0 || pr.dob.Day == 0 || d.Day == pr.dob.Day)
	})
}

// idAgrees reports whether the query's identifier of a kind equals any of
// the values, both normalised.
func (pr *probe) idAgrees(kind string, vals []string) bool {
	want := normaliseID(kind, pr.ids[kind])
	return want != "" && slices.ContainsFunc(vals, func(v string) bool { return normaliseID(kind, v) == want })
}

// normaliseID is an identifier as the matcher compares it: a valid NHS
// number, NINO, UPN or UPRN in its one form, any other kind in capitals
// without spaces.
func normaliseID(kind, v string) string {
	if valid := validIDs[strings.ToLower(kind)]; valid != nil {
		if n, ok := valid(v); ok {
			return n
		}
	}
	return strings.ToUpper(strings.Join(strings.Fields(v), ""))
}

var validIDs = map[string]func(string) (string, bool){resindex.IDNHS: matcher.ValidNHS, resindex.IDNINO: matcher.ValidNINO,
	resindex.IDUPN: matcher.ValidUPN, resindex.IDUPRN: matcher.ValidUPRN}

// shown are the values of a subject a role is shown, for the fields it
// is granted, as its view shows them: the golden name and current
// address (with other_names and previous_addresses, the others the
// visible records hold too), and every visible record's date of birth
// and identifiers (records may disagree; the field is granted, not one
// record's value of it).
func (s *Service) shown(role *Role, sub *subject) fieldValues {
	g := sub.goldenRecord(s.opts.Trust)
	var v fieldValues
	if g.Name != nil && role.Field(sub.class, "name") {
		v.names = []resindex.Name{g.Name.Value}
	}
	if role.Field(sub.class, "other_names") {
		v.names = append(v.names, otherNames(sub.visible, g.Name)...)
	}
	if g.Address != nil && role.Field(sub.class, "address") {
		v.addresses = []resindex.Address{g.Address.Value}
	}
	if role.Field(sub.class, "previous_addresses") {
		v.addresses = append(v.addresses, previousAddresses(sub.visible, g.Address)...)
	}
	for i := range sub.visible {
		if r := &sub.visible[i]; r.DOB != "" && role.Field(sub.class, "dob") {
			v.dobs = append(v.dobs, r.DOB)
		}
	}
	addrs := v.addresses
	v.idsOf = func(kind string) []string {
		if !role.Field(sub.class, "identifiers."+kind) {
			return nil
		}
		return heldIDs(sub.visible, addrs, kind)
	}
	return v
}

// fieldValues are values of one person's a query is compared with.
type fieldValues struct {
	names     []resindex.Name
	dobs      []string
	addresses []resindex.Address
	idsOf     func(kind string) []string
}

// heldIDs are the records' identifiers of a kind; a UPRN is also a
// property reference, shown with the address, so those of the addresses
// shown count too.
func heldIDs(recs []resindex.Record, addrs []resindex.Address, kind string) []string {
	var out []string
	for i := range recs {
		if v := recs[i].Identifiers[kind]; v != "" {
			out = append(out, v)
		}
	}
	if strings.EqualFold(kind, resindex.IDUPRN) {
		for _, a := range addrs {
			out = append(out, a.UPRN)
		}
	}
	return out
}

// agree lists the query's parts that agree with the values.
func (pr *probe) agree(v fieldValues) []part {
	out := pr.names(v.names)
	if pr.dobAgrees(v.dobs) {
		out = append(out, partDOB)
	}
	if pr.addressAgrees(v.addresses) {
		out = append(out, partAddress)
	}
	for _, kind := range slices.Sorted(maps.Keys(pr.ids)) {
		if v.idsOf != nil && pr.idAgrees(kind, v.idsOf(kind)) {
			out = append(out, partID+part(kind))
		}
	}
	return out
}

// matched names, as the policy does, the query's fields that agree with
// a value the role is shown of the subject: name, dob, address,
// identifiers.KIND, in that order.
func (s *Service) matched(pr *probe, role *Role, sub *subject) []string {
	var out []string
	for _, p := range pr.agree(s.shown(role, sub)) {
		f := string(p)
		if p == partGiven || p == partFamily {
			f = "name"
		}
		if !slices.Contains(out, f) {
			out = append(out, f)
		}
	}
	return out
}

// hiddenOnly lists the parts of the query (given, family, address) that
// agree with the subject only through a value the role is not shown: a
// name or address its visible records hold besides the golden one, for a
// role without other_names or previous_addresses. Nil, comparing
// nothing, when the role is shown them all or there are none.
func (s *Service) hiddenOnly(pr *probe, role *Role, sub *subject) []part {
	hideNames := pr.name != nil && !role.Field(sub.class, "other_names")
	hideAddresses := pr.address != nil && !role.Field(sub.class, "previous_addresses")
	if !hideNames && !hideAddresses {
		return nil // ranking runs this for every hit: no golden record for a role shown them all
	}
	g := sub.goldenRecord(s.opts.Trust)
	var hidden fieldValues
	if hideNames {
		hidden.names = otherNames(sub.visible, g.Name)
	}
	if hideAddresses {
		hidden.addresses = previousAddresses(sub.visible, g.Address)
	}
	if len(hidden.names) == 0 && len(hidden.addresses) == 0 {
		return nil
	}
	agreed := pr.agree(hidden)
	if len(agreed) == 0 {
		return nil
	}
	seen := pr.agree(s.shown(role, sub))
	return slices.DeleteFunc(agreed, func(p part) bool { return slices.Contains(seen, p) })
}

// without is a query without some of its parts.
func without(q resindex.Query, parts []part) resindex.Query {
	for _, p := range parts {
		switch p {
		case partGiven:
			q.Given = ""
		case partFamily:
			q.Family = ""
		case partAddress:
			q.Postcode, q.AddressLines = "", nil
		}
	}
	return q
}
