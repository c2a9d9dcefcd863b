// Package synth generates a synthetic inner-London borough with ground
// truth, for testing and measuring resindex: a gazetteer of streets, houses
// and blocks of flats; people in realistic households; a timeline of life
// events; and the ten council systems of resindex.Sources, each seeing its
// own slice of the population late, partially and with its own mistakes.
//
// Generate builds a Borough in memory; Borough.Write lays it out as
//
//	canonical/<source>.ndjson  each source's change timeline: a record appears when the
//	                           source creates it and again, with a later version, each
//	                           time the source changes it; "deleted":true closes it
//	native/<file>              each source's own extract of its live records (council tax
//	                           and electoral CSVs, Mosaic/LiquidLogic-style JSON lines, a
//	                           CRM JSON document…) and a README.md describing the columns
//	truth/records.csv          source,id,person_id of every live record
//	truth/errors.csv           source,id,errors: the deviations each live record shows
//	truth/scenarios.json       safeguarding, subletting and single-person-discount cases
//	truth/households.csv       person_id,uprn,from,to: every true residence (to "" while still there)
//
// # How it works
//
// The truth layer (gazetteer.go, population.go, household.go, timeline.go,
// care.go) simulates who lived where, under which name, from when to when:
// households move within the borough, leave and arrive; babies are born and
// people die; couples marry and one of them (sometimes) changes name or
// takes a double-barrelled one; partners move in, including into lone-parent
// households with a child known to children's social care; social tenants
// move out and sublet. Names come from our own frequency-ordered lists of
// the borough's naming traditions, so common names (Smith, Khan, Begum,
// Mohammed Ali) recur with different dates of birth; twins and fathers and
// sons sharing a full name live at one address.
//
// The source layer (sources.go and the src_*.go files) turns that truth
// into records. Each record is a list of dated changes — created, learned a
// move, learned a name, set an attribute, flagged, touched, closed — that
// is replayed into versions (records.go) and rendered (render.go). Sources
// learn of events late or never: council tax and the electoral register
// within months, libraries and parking much later, the housing system never
// that a tenancy is sublet. That is where stale addresses and old married
// names come from. Deliberate deviations (typos, nicknames, initials,
// swapped given and middle names, mangled double-barrelled names, date
// slips, reformatted addresses, missing postcodes, invalid identifiers) are
// drawn per record at per-source rates by errors_inject.go and stay the same
// in every version of the record.
//
// # The people profile
//
// GeneratePeople (people.go, people_errors.go, people_towns.go) makes data
// shaped unlike the borough, after public person-linkage benchmark sets: a
// flat list of persons, each in one to twelve records spread over three
// registers, with no households, UPRNs, address lines, phones or
// identifiers; a town or a postcode, often nothing; a quarter of the
// duplicate dates of birth wrong; fields missing; nicknames, typos,
// initials and swapped names. People.Write lays out canonical/ and
// truth/records.csv only.
//
// # Determinism
//
// Every stage draws from its own math/rand/v2 PCG stream derived from
// Config.Seed (each source has its own, so sources can be built in
// parallel), and no output is produced by iterating a map: the same Config
// gives the same bytes.
//
// # Record conventions
//
// Dates of birth and address dates are YYYY-MM-DD; sex is "M" or "F";
// versions are RFC 3339 UTC times between 08:00 and 18:00; last_activity is
// a date. UPRNs are carried on addresses, not in Identifiers; NHS numbers
// and NINOs are sometimes printed with spaces. Previous family names are in
// OtherNames (family only). Attributes by source:
//
//	council_tax           account_ref, liability (sole|joint), single_person_discount (true|false), account_start
//	housing               tenancy_ref, tenancy_role (lead_tenant|joint_tenant|household_member), tenancy_start
//	housing_benefit       claim_ref, benefit_role (claimant|partner|dependant|non_dependant)
//	electoral_roll        polling_district, elector_number, attainer (true), attainment_date
//	adult_social_care     client_type (client|carer)
//	children_social_care  case_status
//	schools               school, year_group (R, 1-11), establishment
//	libraries             borrower_type (adult|child|concession)
//	parking               permit_type, vrm, valid_to
//	contact_centre        channel
//
// Flags follow the resindex Flag constants.
package synth
