package synth

import (
	"cmp"
	"slices"

	"github.com/resindex/resindex"
)

// Scenarios are the safeguarding and fraud cases in the borough, found
// from the truth after the sources are built, so that each comes with the
// source records that show it.
type Scenarios struct {
	Safeguarding          []SafeguardingScenario `json:"safeguarding"`
	Sublets               []SubletScenario       `json:"sublets"`
	SinglePersonDiscounts []SPDScenario          `json:"single_person_discounts"`
}

// RecordRef names a source record.
type RecordRef struct {
	Source string `json:"source"`
	ID     string `json:"id"`
}

// SafeguardingScenario: a new adult moved into a household with a child
// known to children's social care. Records are the adult's source records
// (live or since closed) that place them at the property on or after Date.
type SafeguardingScenario struct {
	AdultPersonID  string      `json:"adult_person_id"`
	ChildPersonIDs []string    `json:"child_person_ids"`
	UPRN           string      `json:"uprn"`
	Date           string      `json:"date"`
	Records        []RecordRef `json:"records"`
}

// SubletScenario: a social tenancy whose tenant has moved out, without
// telling housing, while others occupy the home. TenantLivesAtUPRN is
// where the tenant lives now (or lived when they died); empty, with
// TenantOutsideBorough, when they left the borough. Records show the
// tenant at that address and the occupants at the tenancy's property.
type SubletScenario struct {
	TenancyRecordID      string      `json:"tenancy_record_id"`
	TenantPersonID       string      `json:"tenant_person_id"`
	UPRN                 string      `json:"uprn"`
	Since                string      `json:"since"`
	TenantLivesAtUPRN    string      `json:"tenant_lives_at_uprn,omitempty"`
	TenantOutsideBorough bool        `json:"tenant_outside_borough"`
	OccupantPersonIDs    []string    `json:"occupant_person_ids"`
	Records              []RecordRef `json:"records"`
}

// SPDScenario: a council-tax account with single person discount at the
// end although other adults live at the property. Records are the other
// adults' live records at that property (the electoral register's, as the
// National Fraud Initiative matches, and any other source's); empty when
// no source shows them.
type SPDScenario struct {
	AccountRecordID     string      `json:"account_record_id"`
	LiablePersonID      string      `json:"liable_person_id"`
	UPRN                string      `json:"uprn"`
	OtherAdultPersonIDs []string    `json:"other_adult_person_ids"`
	Records             []RecordRef `json:"records"`
}

// scenarioIndex gives every person's records across sources.
type scenarioIndex struct {
	w     *world
	built []*builtSource
	byPer [][]*srec
}

func findScenarios(w *world, built []*builtSource) Scenarios {
	x := &scenarioIndex{w: w, built: built, byPer: make([][]*srec, len(w.people))}
	for _, sb := range built {
		for _, s := range sb.recs {
			x.byPer[s.person] = append(x.byPer[s.person], s)
		}
	}
	return Scenarios{Safeguarding: x.safeguarding(), Sublets: x.sublets(), SinglePersonDiscounts: x.discounts()}
}

func (x *scenarioIndex) ref(s *srec) RecordRef {
	return RecordRef{Source: x.built[s.src].def.name, ID: s.id}
}

// showsAt returns pi's records that place them at prop, in source then id
// order: with live, the live records whose address is prop now; without,
// every record that held prop in a version on or after day d.
func (x *scenarioIndex) showsAt(pi, prop int32, d day, live bool) []RecordRef {
	var out []RecordRef
	for _, s := range x.byPer[pi] {
		if live {
			if s.deleted == never && s.final.prop == prop {
				out = append(out, x.ref(s))
			}
			continue
		}
		for _, ps := range s.props {
			if ps.prop == prop && ps.at >= d {
				out = append(out, x.ref(s))
				break
			}
		}
	}
	slices.SortFunc(out, func(a, b RecordRef) int { return cmp.Or(cmp.Compare(a.Source, b.Source), cmp.Compare(a.ID, b.ID)) })
	return out
}

// source returns the built records of the named source.
func (x *scenarioIndex) source(name string) []*srec {
	for _, sb := range x.built {
		if sb.def.name == name {
			return sb.recs
		}
	}
	return nil
}

// knownToCSC reports whether children's social care had an open record of
// child pi on day d.
func (x *scenarioIndex) knownToCSC(pi int32, d day) bool {
	for _, s := range x.byPer[pi] {
		if x.built[s.src].def.name == resindex.SourceChildrenSocial && s.created() <= d && s.deleted > d {
			return true
		}
	}
	return false
}

func (x *scenarioIndex) safeguarding() []SafeguardingScenario {
	w := x.w
	var out []SafeguardingScenario
	for _, j := range w.joins {
		var kids []string
		for _, m := range w.occRes[j.occ] {
			r, p := w.res(m), &w.people[m.pi]
			if r.from <= j.at && j.at < r.to && !p.adultAt(j.at) && x.knownToCSC(m.pi, j.at) {
				kids = append(kids, personID(m.pi))
			}
		}
		if len(kids) == 0 {
			continue
		}
		prop := w.occs[j.occ].prop
		out = append(out, SafeguardingScenario{AdultPersonID: personID(j.person), ChildPersonIDs: kids,
			UPRN: w.g.props[prop].uprn, Date: w.iso(j.at), Records: x.showsAt(j.person, prop, j.at, false)})
	}
	slices.SortStableFunc(out, func(a, b SafeguardingScenario) int {
		return cmp.Or(cmp.Compare(a.Date, b.Date), cmp.Compare(a.AdultPersonID, b.AdultPersonID))
	})
	return out
}

func (x *scenarioIndex) sublets() []SubletScenario {
	w := x.w
	var out []SubletScenario
	occupiers := map[int32][]int32{} // sublet tenancy occupancy → subletters' occupancies
	for o := range w.occs {
		if t := w.occs[o].subletOf; t >= 0 {
			occupiers[t] = append(occupiers[t], int32(o))
		}
	}
	for _, s := range x.source(resindex.SourceHousing) {
		if s.occ < 0 || s.deleted != never || !w.occs[s.occ].sublet || s.final.attrs[hoRole] != "lead_tenant" {
			continue
		}
		oc := &w.occs[s.occ]
		sc := SubletScenario{TenancyRecordID: s.id, TenantPersonID: personID(s.person),
			UPRN: w.g.props[oc.prop].uprn, Since: w.iso(oc.to)}
		if lp := w.lastProp(s.person); lp >= 0 {
			sc.TenantLivesAtUPRN = w.g.props[lp].uprn
			sc.Records = x.showsAt(s.person, lp, oc.to, false)
		} else {
			sc.TenantOutsideBorough = true
		}
		for _, o := range occupiers[s.occ] {
			for _, m := range w.occRes[o] {
				sc.OccupantPersonIDs = append(sc.OccupantPersonIDs, personID(m.pi))
				sc.Records = append(sc.Records, x.showsAt(m.pi, oc.prop, oc.to, false)...)
			}
		}
		out = append(out, sc)
	}
	slices.SortFunc(out, func(a, b SubletScenario) int { return cmp.Compare(a.TenancyRecordID, b.TenancyRecordID) })
	return out
}

// discounts finds accounts with the discount on at the end where two or
// more adults live.
func (x *scenarioIndex) discounts() []SPDScenario {
	w := x.w
	var out []SPDScenario
	seen := map[int32]bool{}
	for _, s := range x.source(resindex.SourceCouncilTax) {
		if s.deleted != never || s.final.attrs[ctSPD] != "true" || seen[s.occ] {
			continue
		}
		seen[s.occ] = true
		prop := w.occs[s.occ].prop
		adults := x.adultsAt(prop)
		if len(adults) < 2 {
			continue
		}
		sc := SPDScenario{AccountRecordID: s.id, LiablePersonID: personID(s.person), UPRN: w.g.props[prop].uprn}
		for _, a := range adults {
			if a != s.person {
				sc.OtherAdultPersonIDs = append(sc.OtherAdultPersonIDs, personID(a))
				sc.Records = append(sc.Records, x.showsAt(a, prop, 0, true)...)
			}
		}
		out = append(out, sc)
	}
	slices.SortFunc(out, func(a, b SPDScenario) int { return cmp.Compare(a.AccountRecordID, b.AccountRecordID) })
	return out
}

// adultsAt lists the adults living at prop at the end.
func (x *scenarioIndex) adultsAt(prop int32) []int32 {
	w := x.w
	var out []int32
	for _, o := range w.propOccs[prop] {
		if w.occs[o].to != never {
			continue
		}
		for _, m := range w.occRes[o] {
			if w.res(m).to == never && w.people[m.pi].adultAt(w.end) {
				out = append(out, m.pi)
			}
		}
	}
	return out
}
