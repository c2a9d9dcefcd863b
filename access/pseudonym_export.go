package access

import (
	"encoding/csv"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/resindex/resindex"
)

// PseudonymColumns are the pseudonymised export's columns, in order
// (docs/rights-export.md gives each one's type and meaning). The set is
// stable: a column is only ever added at the end.
var PseudonymColumns = []string{"person_pseudonym", "household_pseudonym", "age_band", "sex", "postcode_sector",
	"sources", "source_count", "household_size", "single_person_discount"}

// careSources are never named in the export, nor read for it: holding a
// social care record says something of a person's health or care
// (special category data), and the export carries none.
var careSources = []string{resindex.SourceAdultSocialCare, resindex.SourceChildrenSocial}

// ResidentScan hands over every live record that belongs to a person,
// with the person's ID and the property its current address places them
// at; the record may be reused between calls (resolver.LiveRecords).
type ResidentScan func(fn func(pid string, r *resindex.Record, place resindex.Property) error) error

// PseudonymisedOptions tune the export.
type PseudonymisedOptions struct {
	AsOf  time.Time // the day ages are reckoned on
	Trust []string  // golden-record source order (default resindex.DefaultTrust)
	// Window is the activity window (0: DefaultWindow; negative: none):
	// a children's social care record, or one with a child flag, makes its
	// subject a child only while active in it, as in Service's views.
	Window time.Duration
}

// PseudonymisedCounts says what the export wrote and left out.
type PseudonymisedCounts struct {
	Rows int
	// Restricted, Objecting, Shielded and Children count the persons left
	// out for each; a person left out for more than one reason counts once,
	// under the first of: restricted, objecting, shielded, child.
	Restricted, Objecting int
	// Shielded: a record carries a shielding flag (restricted, staff, VIP).
	Shielded int
	// Children: anyone who might be under 18 on AsOf, as the views treat
	// them (classify), unless a record records consent
	// (resindex.AttrGoldenConsent).
	Children int
}

// resident is what the export keeps of one person's records: no more
// than the columns need.
type resident struct {
	recs   []resindex.Record
	places map[string]string // record ID (source NUL id) → property key
	spd    bool
	// Read from every record, the care sources' too (and then dropped):
	// child, a record says the person may be under 18; consent, a record
	// records consent to profiling a child; shielded, a record carries a
	// shielding flag.
	child, consent, shielded bool
}

// WritePseudonymised writes one CSV row per person (PseudonymColumns): no
// names, dates of birth, addresses, identifiers, contacts or record IDs;
// keyed pseudonyms for person and household; age bands; postcode
// sectors. Persons restricted or objecting to profiling (rs), shielded
// persons and children (under 18 without recorded consent: they are not
// profiled) are left out, and counted.
func WritePseudonymised(w io.Writer, scan ResidentScan, rs RightsSets, ps Pseudonymiser, opts PseudonymisedOptions) (PseudonymisedCounts, error) {
	var n PseudonymisedCounts
	since := time.Time{}
	switch {
	case opts.Window == 0:
		since = opts.AsOf.Add(-DefaultWindow)
	case opts.Window > 0:
		since = opts.AsOf.Add(-opts.Window)
	}
	byPerson := map[string]*resident{}
	err := scan(func(pid string, r *resindex.Record, place resindex.Property) error {
		res := byPerson[pid]
		if res == nil {
			res = &resident{places: map[string]string{}}
			byPerson[pid] = res
		}
		res.child = res.child || saysChild(r, opts.AsOf, since)
		res.consent = res.consent || resindex.GoldenConsent([]resindex.Record{*r})
		res.shielded = res.shielded || hasAny(r.Flags, shieldFlags)
		if slices.Contains(careSources, r.Source) {
			return nil
		}
		res.add(r, place)
		return nil
	})
	if err != nil {
		return n, err
	}
	trust := opts.Trust
	if len(trust) == 0 {
		trust = resindex.DefaultTrust
	}
	rows := make([]pseudonymRow, 0, len(byPerson))
	sizes := map[string]int{}
	for pid, res := range byPerson {
		switch {
		case len(res.recs) == 0:
			continue // known only to social care: no row, and not counted
		case rs.Restricted[pid]:
			n.Restricted++
			continue
		case rs.Objecting[pid]:
			n.Objecting++
			continue
		case res.shielded:
			n.Shielded++
			continue
		case res.child && !res.consent:
			n.Children++
			continue
		}
		row := res.row(pid, trust, opts.AsOf)
		if row.household != "" {
			sizes[row.household]++
		}
		rows = append(rows, row)
	}
	cells := make([][]string, 0, len(rows))
	for _, row := range rows {
		cells = append(cells, row.cells(ps, sizes))
	}
	// In pseudonym order: the order of person IDs (when each was first
	// seen) is not the export's to tell.
	slices.SortFunc(cells, func(a, b []string) int { return strings.Compare(a[0], b[0]) })
	cw := csv.NewWriter(w)
	if err := cw.Write(PseudonymColumns); err != nil {
		return n, err
	}
	for _, c := range cells {
		if err := cw.Write(c); err != nil {
			return n, err
		}
		n.Rows++
	}
	cw.Flush()
	return n, cw.Error()
}

// add keeps of a record only what the columns are made from.
func (res *resident) add(r *resindex.Record, place resindex.Property) {
	keep := resindex.Record{Source: r.Source, ID: r.ID, Version: r.Version, DOB: r.DOB, Sex: r.Sex, LastActivity: r.LastActivity}
	if a, ok := resindex.CurrentAddress(r); ok {
		keep.Addresses = []resindex.Address{{UPRN: a.UPRN, Postcode: a.Postcode, From: a.From, To: a.To, Current: true}}
	}
	res.recs = append(res.recs, keep)
	res.places[resindex.RecordKey{Source: r.Source, ID: r.ID}.String()] = place.Key
	if v := r.Attributes["single_person_discount"]; v == "true" {
		res.spd = true
	}
}

// pseudonymRow is one person's row before pseudonyms are made.
type pseudonymRow struct {
	pid, household, ageBand, sex, sector string
	sources                              []string
	spd                                  bool
}

func (res *resident) row(pid string, trust []string, asOf time.Time) pseudonymRow {
	g := resindex.GoldenRecord(res.recs, trust, time.Time{})
	row := pseudonymRow{pid: pid, spd: res.spd}
	if g.DOB != nil {
		row.ageBand = AgeBand(g.DOB.Value, asOf)
	}
	if g.Sex != nil {
		row.sex = exportSex(g.Sex.Value)
	}
	if g.Address != nil {
		row.sector = PostcodeSector(g.Address.Value.Postcode)
		row.household = res.places[resindex.RecordKey{Source: g.Address.From.Source, ID: g.Address.From.Record}.String()]
	}
	for _, r := range res.recs {
		if !slices.Contains(row.sources, r.Source) {
			row.sources = append(row.sources, r.Source)
		}
	}
	slices.Sort(row.sources)
	return row
}

func (row pseudonymRow) cells(ps Pseudonymiser, sizes map[string]int) []string {
	household, size := "", ""
	if row.household != "" {
		household, size = ps.Household(row.household), strconv.Itoa(sizes[row.household])
	}
	return []string{ps.Person(row.pid), household, row.ageBand, row.sex, row.sector,
		strings.Join(row.sources, ";"), strconv.Itoa(len(row.sources)), size, strconv.FormatBool(row.spd)}
}

// exportSex is a sex as the export spells it, M or F; anything else a
// source holds is left empty rather than copied (free text could name).
func exportSex(s string) string {
	switch strings.ToUpper(strings.TrimSpace(s)) {
	case "M", "MALE":
		return "M"
	case "F", "FEMALE":
		return "F"
	}
	return ""
}
