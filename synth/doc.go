// Package synth generates a synthetic inner-London borough with ground truth:
// a gazetteer of streets, houses and blocks of flats; people in realistic
// households; three (by default) years of life events; and the ten council
// source systems of resindex.Sources, each seeing its own slice of the
// population late, partially and with its own mistakes.
//
// The generator works in two layers. The truth layer (gazetteer.go,
// population.go, timeline.go) simulates who lived where, under which name,
// from when to when. The source layer (sources.go and the src_*.go files)
// turns that truth into each system's records: a record is created when the
// system learns of the person, updated when it learns of a move, a name
// change or a new flag, and deleted when it closes the case, each with a
// version time. Systems learn late or never, which is where stale addresses
// and maiden names come from; deliberate deviations (typos, nicknames,
// swapped dates, reformatted addresses, invalid identifiers) are injected per
// record by errors_inject.go and listed in the ground truth.
//
// Everything is driven by one math/rand/v2 PCG stream per stage, derived from
// Config.Seed, and nothing is ever produced by iterating a map: the same
// Config gives the same bytes.
//
// Source attributes (Record.Attributes) used by the generated records:
//
//	council_tax           account_ref, liability (sole|joint), single_person_discount (true|false), account_start
//	housing               tenancy_ref, tenancy_role (lead_tenant|joint_tenant|household_member), tenancy_start
//	housing_benefit       claim_ref, benefit_role (claimant|partner|dependant|non_dependant)
//	electoral_roll        polling_district, elector_number, attainer (true), attainment_date
//	adult_social_care     client_type
//	children_social_care  case_status
//	schools               school, year_group
//	libraries             borrower_type
//	parking               permit_type, vrm, valid_to
//	contact_centre        channel
//
// Flags follow the resindex Flag constants. Dates of birth are YYYY-MM-DD,
// sex is "M" or "F", versions are RFC 3339 UTC times and last_activity is a
// date.
package synth
