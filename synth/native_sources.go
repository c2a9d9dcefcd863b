package synth

import (
	"strings"

	"github.com/resindex/resindex"
)

// The ten extracts, one function each.

func councilTaxNative() nativeFile {
	return nativeFile{source: resindex.SourceCouncilTax, file: "council_tax.csv",
		about: "Council tax liable parties (revenues system extract), one row per liable party per account.",
		cols: []column{
			{"PARTY_REF", "liable party reference (ACCOUNT_REF-LIABLE_PARTY_SEQ): the record id", func(x *resindex.Record) string { return x.ID }},
			{"ACCOUNT_REF", "council tax account", attr("account_ref")},
			{"LIABLE_PARTY_SEQ", "party number on the account", func(x *resindex.Record) string { _, s, _ := strings.Cut(x.ID, "-"); return s }},
			colTitle,
			{"FORENAMES", "all given names, space-separated", func(x *resindex.Record) string { return x.Name.Given }},
			{"SURNAME", "family name", func(x *resindex.Record) string { return x.Name.Family }},
			{"DATE_OF_BIRTH", "DD/MM/YYYY", func(x *resindex.Record) string { return dmy(x.DOB) }},
			{"NI_NUMBER", "National Insurance number", ident(resindex.IDNINO)},
			colUPRN,
			lineCol("ADDR1", 0, false), lineCol("ADDR2", 1, false), lineCol("ADDR3", 2, true),
			renamed(colTown, "ADDR4"),
			colPostcode,
			{"OCCUPIED_FROM", "DD/MM/YYYY the liable party's occupation began", func(x *resindex.Record) string { return dmy(current(x).From) }},
			{"SPD_FLAG", "Y when single person discount applies, else N", func(x *resindex.Record) string { return yn(x.Attributes["single_person_discount"] == "true") }},
			{"LIABILITY", "S sole, J joint", func(x *resindex.Record) string { return liabilityCodes[x.Attributes["liability"]] }},
			{"ACCOUNT_START", "DD/MM/YYYY", func(x *resindex.Record) string { return dmy(x.Attributes["account_start"]) }},
			colEmail, colPhone,
			renamed(colFlags, "MARKERS"),
			{"LAST_TRANSACTION_DATE", "DD/MM/YYYY of the last bill or payment: last activity", func(x *resindex.Record) string { return dmy(x.LastActivity) }},
			colUpdated,
		}}
}

var liabilityCodes = map[string]string{"sole": "S", "joint": "J"}

func yn(b bool) string {
	if b {
		return "Y"
	}
	return "N"
}

func housingNative() nativeFile {
	roles := map[string]string{"lead_tenant": "Lead Tenant", "joint_tenant": "Joint Tenant", "household_member": "Household Member"}
	return nativeFile{source: resindex.SourceHousing, file: "housing.csv",
		about: "Housing management system: tenancies and the people on them, one row per person per tenancy.",
		cols: []column{
			{"PERSON_REF", "person on tenancy (TENANCY_REF-PERSON_NO): the record id", func(x *resindex.Record) string { return x.ID }},
			{"TENANCY_REF", "tenancy", attr("tenancy_ref")},
			{"TENANCY_ROLE", "Lead Tenant, Joint Tenant or Household Member", func(x *resindex.Record) string { return roles[x.Attributes["tenancy_role"]] }},
			colTitle,
			{"FIRST_NAME", "first given name", firstName},
			{"MIDDLE_NAME", "further given names", middleNames},
			{"LAST_NAME", "family name", func(x *resindex.Record) string { return x.Name.Family }},
			{"PREVIOUS_LAST_NAMES", "`|`-separated earlier family names", previousSurnames},
			{"DOB", "YYYY-MM-DD", func(x *resindex.Record) string { return x.DOB }},
			{"GENDER", "M or F", func(x *resindex.Record) string { return x.Sex }},
			{"NI_NUMBER", "National Insurance number", ident(resindex.IDNINO)},
			renamed(colUPRN, "PROPERTY_UPRN"),
			lineCol("ADDRESS_LINE_1", 0, false), lineCol("ADDRESS_LINE_2", 1, false), lineCol("ADDRESS_LINE_3", 2, true),
			colTown, colPostcode, colFrom,
			{"TENANCY_START", "YYYY-MM-DD", attr("tenancy_start")},
			colPhone, colEmail,
			renamed(colFlags, "ALERTS"),
			{"LAST_CONTACT", "YYYY-MM-DD: last activity", func(x *resindex.Record) string { return x.LastActivity }},
			renamed(colUpdated, "MODIFIED"),
		}}
}

func benefitNative() nativeFile {
	roles := map[string]string{"claimant": "CLAIMANT", "partner": "PARTNER", "dependant": "DEPENDANT", "non_dependant": "NON-DEP"}
	return nativeFile{source: resindex.SourceHousingBenefit, file: "housing_benefit.csv",
		about: "Housing benefit / council tax support claims, one row per member of a claim.",
		cols: []column{
			{"MEMBER_ID", "claim member (CLAIM_REF-n): the record id", func(x *resindex.Record) string { return x.ID }},
			{"CLAIM_REF", "claim", attr("claim_ref")},
			{"MEMBER_TYPE", "CLAIMANT, PARTNER, DEPENDANT or NON-DEP", func(x *resindex.Record) string { return roles[x.Attributes["benefit_role"]] }},
			colTitle,
			{"SURNAME", "family name", func(x *resindex.Record) string { return x.Name.Family }},
			{"FORENAME", "first given name", firstName},
			{"OTHER_FORENAMES", "further given names", middleNames},
			{"PREVIOUS_SURNAMES", "`|`-separated earlier family names", previousSurnames},
			{"DOB", "YYYYMMDD", func(x *resindex.Record) string { return compactDate(x.DOB) }},
			{"SEX", "M or F", func(x *resindex.Record) string { return x.Sex }},
			{"NINO", "National Insurance number", ident(resindex.IDNINO)},
			colUPRN,
			lineCol("ADDRESS1", 0, false), lineCol("ADDRESS2", 1, false), lineCol("ADDRESS3", 2, true),
			renamed(colTown, "ADDRESS4"), colPostcode,
			{"RESIDENT_FROM", "YYYYMMDD", func(x *resindex.Record) string { return compactDate(current(x).From) }},
			colEmail, renamed(colPhone, "TELEPHONE"), colFlags,
			{"LAST_REVIEW", "YYYYMMDD: last activity", func(x *resindex.Record) string { return compactDate(x.LastActivity) }},
			renamed(colUpdated, "CHANGED_AT"),
		}}
}

func electoralNative() nativeFile {
	return nativeFile{source: resindex.SourceElectoralRoll, file: "electoral_roll.csv",
		about: "Electoral management system: register entries, one row per elector per address.",
		cols: []column{
			{"Elector ID", "Prefix-Elector Number: the record id", func(x *resindex.Record) string { return x.ID }},
			{"Prefix", "polling district", attr("polling_district")},
			{"Elector Number", "number within the polling district", attr("elector_number")},
			{"Elector Markers", "A for an attainer (16 or 17)", func(x *resindex.Record) string {
				if x.Attributes["attainer"] == "true" {
					return "A"
				}
				return ""
			}},
			{"Date Of Attainment", "DD/MM/YYYY the attainer turns 18", func(x *resindex.Record) string { return dmy(x.Attributes["attainment_date"]) }},
			{"Title", "title", func(x *resindex.Record) string { return x.Name.Title }},
			{"First Names", "all given names", func(x *resindex.Record) string { return x.Name.Given }},
			{"Surname", "family name", func(x *resindex.Record) string { return x.Name.Family }},
			{"Previous Surname", "`|`-separated earlier family names", previousSurnames},
			{"Date of Birth", "DD/MM/YYYY", func(x *resindex.Record) string { return dmy(x.DOB) }},
			lineCol("Address 1", 0, false), lineCol("Address 2", 1, false), lineCol("Address 3", 2, true),
			{"Address 4", "post town", func(x *resindex.Record) string { return current(x).Town }},
			{"Postcode", "postcode", func(x *resindex.Record) string { return current(x).Postcode }},
			{"Property UPRN", "UPRN", func(x *resindex.Record) string { return current(x).UPRN }},
			{"Resident Since", "DD/MM/YYYY", func(x *resindex.Record) string { return dmy(current(x).From) }},
			{"Email", "email address", func(x *resindex.Record) string { return first(x.Emails) }},
			{"Telephone", "telephone number", func(x *resindex.Record) string { return first(x.Phones) }},
			renamed(colFlags, "Flags"),
			{"Last Canvass Response", "DD/MM/YYYY: last activity", func(x *resindex.Record) string { return dmy(x.LastActivity) }},
			renamed(colUpdated, "Last Updated"),
		}}
}

func schoolsNative() nativeFile {
	return nativeFile{source: resindex.SourceSchools, file: "schools.csv",
		about: "Pupil records from the schools' management information systems, one row per pupil per school.",
		cols: []column{
			{"Pupil ID", "establishment-admission number: the record id", func(x *resindex.Record) string { return x.ID }},
			{"UPN", "unique pupil number", ident(resindex.IDUPN)},
			{"Legal Surname", "family name", func(x *resindex.Record) string { return x.Name.Family }},
			{"Legal Forename", "first given name", firstName},
			{"Middle Names", "further given names", middleNames},
			{"Preferred Surname", "as Legal Surname", func(x *resindex.Record) string { return x.Name.Family }},
			{"Preferred Forename", "as Legal Forename", firstName},
			{"DOB", "DD/MM/YYYY", func(x *resindex.Record) string { return dmy(x.DOB) }},
			{"Gender", "M or F", func(x *resindex.Record) string { return x.Sex }},
			{"Year Group", "R or 1-11", attr("year_group")},
			{"School", "school name", attr("school")},
			{"Establishment Number", "LA code and DfE establishment number", attr("establishment")},
			lineCol("Address Line 1", 0, false), lineCol("Address Line 2", 1, false), lineCol("Address Line 3", 2, true),
			renamed(colTown, "Town"), renamed(colPostcode, "Postcode"), renamed(colUPRN, "UPRN"),
			{"Address Start", "DD/MM/YYYY", func(x *resindex.Record) string { return dmy(current(x).From) }},
			renamed(colFlags, "Flags"),
			{"Last Census", "DD/MM/YYYY: last activity", func(x *resindex.Record) string { return dmy(x.LastActivity) }},
			renamed(colUpdated, "Last Updated"),
		}}
}

func librariesNative() nativeFile {
	return nativeFile{source: resindex.SourceLibraries, file: "libraries.csv",
		about: "Library management system borrowers, one row per card.",
		cols: []column{
			{"BORROWER_ID", "card barcode: the record id", func(x *resindex.Record) string { return x.ID }},
			{"SURNAME", "family name", func(x *resindex.Record) string { return x.Name.Family }},
			{"FIRST_NAME", "given name(s)", func(x *resindex.Record) string { return x.Name.Given }},
			colTitle,
			{"DATE_OF_BIRTH", "YYYY-MM-DD", func(x *resindex.Record) string { return x.DOB }},
			{"GENDER", "Male or Female", func(x *resindex.Record) string { return sexWord(x.Sex) }},
			lineCol("ADDRESS1", 0, false), lineCol("ADDRESS2", 1, false), lineCol("ADDRESS3", 2, true),
			colTown, colPostcode, colUPRN, colFrom, colEmail, colPhone,
			{"BORROWER_TYPE", "adult, child or concession", attr("borrower_type")},
			renamed(colFlags, "BLOCKS"),
			{"LAST_ACTIVITY", "YYYY-MM-DD of the last loan or renewal", func(x *resindex.Record) string { return x.LastActivity }},
			renamed(colUpdated, "UPDATED"),
		}}
}

func parkingNative() nativeFile {
	return nativeFile{source: resindex.SourceParking, file: "parking.csv",
		about: "Parking permits, one row per resident permit (no date of birth is collected).",
		cols: []column{
			{"Permit Number", "the record id", func(x *resindex.Record) string { return x.ID }},
			{"Permit Type", "permit type", attr("permit_type")},
			{"Holder Title", "title", func(x *resindex.Record) string { return x.Name.Title }},
			{"Holder First Name", "given name(s)", func(x *resindex.Record) string { return x.Name.Given }},
			{"Holder Surname", "family name", func(x *resindex.Record) string { return x.Name.Family }},
			lineCol("Address Line 1", 0, false), lineCol("Address Line 2", 1, false), lineCol("Address Line 3", 2, true),
			renamed(colTown, "Town"), renamed(colPostcode, "Postcode"), renamed(colUPRN, "UPRN"),
			{"Resident Since", "DD/MM/YYYY", func(x *resindex.Record) string { return dmy(current(x).From) }},
			{"VRM", "vehicle registration mark", attr("vrm")},
			renamed(colEmail, "Email"), renamed(colPhone, "Mobile"),
			{"Valid To", "DD/MM/YYYY", func(x *resindex.Record) string { return dmy(x.Attributes["valid_to"]) }},
			renamed(colFlags, "Flags"),
			{"Last Renewed", "DD/MM/YYYY: last activity", func(x *resindex.Record) string { return dmy(x.LastActivity) }},
			renamed(colUpdated, "Updated"),
		}}
}
