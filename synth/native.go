package synth

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"github.com/resindex/resindex"
)

// Native extracts: each source's live records at the end, in the system's
// own shape. Every field the canonical record needs is present, so that a
// per-source mapping can turn an extract back into canonical records;
// names, dates and codes are written the way each kind of system writes
// them.

// column is one column of a CSV extract.
type column struct {
	name string
	doc  string
	get  func(*resindex.Record) string
}

// nativeFile describes one source's extract.
type nativeFile struct {
	source string
	file   string
	about  string
	cols   []column // CSV extracts
	json   func(*resindex.Record) any
	array  string // JSON extracts written as one document: the array's key
	fields string // JSON extracts: field documentation
	key    string // the primary key's field; default the first column
}

// liveRecords returns the final version of every live record, by id.
func liveRecords(versions []resindex.Record) []*resindex.Record {
	last := make(map[string]int, len(versions)/2)
	for i := range versions {
		last[versions[i].ID] = i
	}
	out := make([]*resindex.Record, 0, len(last))
	for i := range versions {
		if last[versions[i].ID] == i && !versions[i].Deleted {
			out = append(out, &versions[i])
		}
	}
	slices.SortFunc(out, func(a, b *resindex.Record) int { return cmp.Compare(a.ID, b.ID) })
	return out
}

// Field helpers shared by the extracts.

func current(r *resindex.Record) *resindex.Address {
	for i := range r.Addresses {
		if r.Addresses[i].Current {
			return &r.Addresses[i]
		}
	}
	if len(r.Addresses) > 0 {
		return &r.Addresses[0]
	}
	return &resindex.Address{}
}

// addrLine returns line i of the current address; with last set, line i
// and any further lines joined (so no line is lost when a system has fewer
// columns than the address has lines).
func addrLine(r *resindex.Record, i int, last bool) string {
	ls := current(r).Lines
	switch {
	case i >= len(ls):
		return ""
	case last:
		return strings.Join(ls[i:], ", ")
	}
	return ls[i]
}

func firstName(r *resindex.Record) string {
	f, _, _ := strings.Cut(r.Name.Given, " ")
	return f
}

func middleNames(r *resindex.Record) string {
	_, m, _ := strings.Cut(r.Name.Given, " ")
	return m
}

func previousSurnames(r *resindex.Record) string {
	var out []string
	for _, n := range r.OtherNames {
		out = append(out, n.Family)
	}
	return strings.Join(out, "|")
}

func first(xs []string) string {
	if len(xs) == 0 {
		return ""
	}
	return xs[0]
}

func attr(key string) func(*resindex.Record) string {
	return func(r *resindex.Record) string { return r.Attributes[key] }
}

func ident(kind string) func(*resindex.Record) string {
	return func(r *resindex.Record) string { return r.Identifiers[kind] }
}

// Date styles: canonical dates are YYYY-MM-DD.

func dmy(iso string) string {
	if len(iso) != 10 {
		return ""
	}
	return iso[8:10] + "/" + iso[5:7] + "/" + iso[:4]
}

func compactDate(iso string) string { return strings.ReplaceAll(iso, "-", "") }

// flagCodes are the upper-case codes the CSV systems use for flags.
var flagCodes = map[string]string{
	resindex.FlagChildProtectionPlan: "CPP", resindex.FlagLookedAfter: "LAC", resindex.FlagChildInNeed: "CIN",
	resindex.FlagCaution: "CAUTION", resindex.FlagDisability: "DISABILITY", resindex.FlagRestricted: "RESTRICTED",
	resindex.FlagStaff: "STAFF", resindex.FlagVIP: "VIP",
}

func flagList(r *resindex.Record) string {
	out := make([]string, len(r.Flags))
	for i, f := range r.Flags {
		out[i] = flagCodes[f]
	}
	return strings.Join(out, "|")
}

func hasFlag(r *resindex.Record, f string) bool { return slices.Contains(r.Flags, f) }

func sexWord(s string) string {
	switch s {
	case "M":
		return "Male"
	case "F":
		return "Female"
	}
	return ""
}

// Columns used by several extracts.
var (
	colTitle    = column{"TITLE", "title", func(r *resindex.Record) string { return r.Name.Title }}
	colPostcode = column{"POSTCODE", "postcode of the current address", func(r *resindex.Record) string { return current(r).Postcode }}
	colUPRN     = column{"UPRN", "UPRN of the current address, when held", func(r *resindex.Record) string { return current(r).UPRN }}
	colEmail    = column{"EMAIL", "email address", func(r *resindex.Record) string { return first(r.Emails) }}
	colPhone    = column{"PHONE", "telephone number", func(r *resindex.Record) string { return first(r.Phones) }}
	colFlags    = column{"FLAGS", "`|`-separated flag codes: CPP, LAC, CIN, CAUTION, DISABILITY, RESTRICTED, STAFF, VIP", flagList}
	colUpdated  = column{"UPDATED_AT", "time of the last change (RFC 3339): the canonical version", func(r *resindex.Record) string { return r.Version }}
	colTown     = column{"TOWN", "post town", func(r *resindex.Record) string { return current(r).Town }}
	colFrom     = column{"ADDRESS_FROM", "date the person moved in (YYYY-MM-DD)", func(r *resindex.Record) string { return current(r).From }}
)

func renamed(c column, name string) column { c.name = name; return c }

func lineCol(name string, i int, last bool) column {
	doc := "address line " + string(rune('1'+i))
	if last {
		doc += " (and any further lines, comma-separated)"
	}
	return column{name, doc, func(r *resindex.Record) string { return addrLine(r, i, last) }}
}

func nativeFiles() []nativeFile {
	return []nativeFile{
		councilTaxNative(), housingNative(), benefitNative(), electoralNative(), ascNative(), cscNative(),
		schoolsNative(), librariesNative(), parkingNative(), contactNative(),
	}
}

// nativeReadme documents every extract from the same definitions that
// write them, so the two cannot drift apart.
func nativeReadme() string {
	var b strings.Builder
	b.WriteString(`# Native extracts

Each file is one source system's extract of its live records at the end of the timeline, in
that system's own shape. Every field of the canonical record is recoverable from it:
dates are converted to YYYY-MM-DD, "Male"/"Female" or gender codes to M/F, flag codes to the
canonical flag names (CPP child_protection_plan, LAC looked_after, CIN child_in_need, CAUTION,
DISABILITY, RESTRICTED, STAFF, VIP), and the address lines, town, postcode, UPRN and "from"
date make the one current address (social care files carry the history too). Given names
are split into first and middle names in some systems: the canonical given name is the two
joined with a space. The update time column is the canonical version; the last-activity
column is last_activity. Values are exactly those of the canonical timeline's final
versions, so deviations (typos, nicknames, reformatted addresses, invalid identifiers) are
the same in both.
`)
	for _, nf := range nativeFiles() {
		fmt.Fprintf(&b, "\n## %s (%s)\n\n%s\n\n", nf.file, nf.source, nf.about)
		if nf.cols == nil {
			b.WriteString("Fields: " + nf.fields + ".\n")
			continue
		}
		b.WriteString("| column | content |\n| --- | --- |\n")
		for _, c := range nf.cols {
			fmt.Fprintf(&b, "| %s | %s |\n", c.name, c.doc)
		}
	}
	return b.String()
}

// Live returns the final version of each live record of a source, by id:
// what the source's extract, or its change events replayed, leave
// standing.
func (b *Borough) Live(source string) map[string]resindex.Record {
	recs := liveRecords(b.Records[source])
	out := make(map[string]resindex.Record, len(recs))
	for _, r := range recs {
		out[r.ID] = *r
	}
	return out
}
