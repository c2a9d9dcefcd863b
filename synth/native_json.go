package synth

import (
	"github.com/resindex/resindex"
)

// The JSON extracts: social care systems export people as JSON lines with
// camelCase fields and DD/MM/YYYY dates; the CRM exports one OData-style
// document.

// careAddress is an address as the social care systems export it.
type careAddress struct {
	UPRN      string `json:"uprn,omitempty"`
	Line1     string `json:"line1"`
	Line2     string `json:"line2,omitempty"`
	Line3     string `json:"line3,omitempty"`
	Town      string `json:"town,omitempty"`
	Postcode  string `json:"postcode,omitempty"`
	StartDate string `json:"startDate,omitempty"`
	EndDate   string `json:"endDate,omitempty"`
	IsCurrent bool   `json:"isCurrent"`
}

func careAddresses(r *resindex.Record) []careAddress {
	out := make([]careAddress, len(r.Addresses))
	for i, a := range r.Addresses {
		out[i] = careAddress{UPRN: a.UPRN, Town: a.Town, Postcode: a.Postcode, StartDate: dmy(a.From),
			EndDate: dmy(a.To), IsCurrent: a.Current}
		for j, l := range a.Lines {
			switch j {
			case 0:
				out[i].Line1 = l
			case 1:
				out[i].Line2 = l
			default:
				out[i].Line3 = joinNonEmpty(", ", out[i].Line3, l)
			}
		}
	}
	return out
}

// ascPerson is an adult social care person record (Mosaic style).
type ascPerson struct {
	PersonID         string        `json:"personId"`
	NHSNumber        string        `json:"nhsNumber,omitempty"`
	NINumber         string        `json:"niNumber,omitempty"`
	Title            string        `json:"title,omitempty"`
	Forename         string        `json:"forename"`
	MiddleNames      string        `json:"middleNames,omitempty"`
	Surname          string        `json:"surname"`
	PreviousSurnames []string      `json:"previousSurnames,omitempty"`
	DateOfBirth      string        `json:"dateOfBirth,omitempty"`
	Gender           string        `json:"gender,omitempty"`
	Addresses        []careAddress `json:"addresses"`
	Email            string        `json:"email,omitempty"`
	Phone            string        `json:"phone,omitempty"`
	ClientType       string        `json:"clientType,omitempty"`
	Disability       bool          `json:"disability"`
	Warnings         []string      `json:"warnings,omitempty"`
	LastContactDate  string        `json:"lastContactDate,omitempty"`
	UpdatedAt        string        `json:"updatedAt"`
}

func ascNative() nativeFile {
	return nativeFile{source: resindex.SourceAdultSocialCare, file: "adult_social_care.ndjson", key: "personId",
		about: "Adult social care case management (Mosaic style): one JSON object per line per person.",
		fields: "`personId` (record id), `nhsNumber`, `niNumber`, `title`, `forename`, `middleNames`, `surname`, " +
			"`previousSurnames` [..], `dateOfBirth` DD/MM/YYYY, `gender` Male/Female, `addresses` [{`uprn`, `line1`-`line3`, " +
			"`town`, `postcode`, `startDate`, `endDate` DD/MM/YYYY, `isCurrent`}], `email`, `phone`, `clientType` (client/carer), " +
			"`disability` (flag disability), `warnings` [CAUTION, RESTRICTED, STAFF, VIP], `lastContactDate` DD/MM/YYYY " +
			"(last activity), `updatedAt` RFC 3339 (version)",
		json: func(r *resindex.Record) any {
			return ascPerson{PersonID: r.ID, NHSNumber: r.Identifiers[resindex.IDNHS], NINumber: r.Identifiers[resindex.IDNINO],
				Title: r.Name.Title, Forename: firstName(r), MiddleNames: middleNames(r), Surname: r.Name.Family,
				PreviousSurnames: surnames(r.OtherNames), DateOfBirth: dmy(r.DOB), Gender: sexWord(r.Sex),
				Addresses: careAddresses(r), Email: first(r.Emails), Phone: first(r.Phones),
				ClientType: r.Attributes["client_type"], Disability: hasFlag(r, resindex.FlagDisability),
				Warnings: warnings(r, resindex.FlagDisability), LastContactDate: dmy(r.LastActivity), UpdatedAt: r.Version}
		}}
}

// warnings lists the flag codes except those the system has a field for.
func warnings(r *resindex.Record, except ...string) []string {
	var out []string
	for _, f := range r.Flags {
		skip := false
		for _, e := range except {
			skip = skip || f == e
		}
		if !skip {
			out = append(out, flagCodes[f])
		}
	}
	return out
}

func surnames(ns []resindex.Name) []string {
	var out []string
	for _, n := range ns {
		out = append(out, n.Family)
	}
	return out
}

// cscPerson is a children's social care person record (LiquidLogic style).
type cscPerson struct {
	PersonID          string        `json:"personId"`
	UPN               string        `json:"upn,omitempty"`
	NHSNumber         string        `json:"nhsNumber,omitempty"`
	Forename          string        `json:"forename"`
	MiddleNames       string        `json:"middleNames,omitempty"`
	Surname           string        `json:"surname"`
	PreviousSurnames  []string      `json:"previousSurnames,omitempty"`
	DateOfBirth       string        `json:"dateOfBirth,omitempty"`
	Gender            string        `json:"gender,omitempty"`
	Address           *careAddress  `json:"address,omitempty"`
	PreviousAddresses []careAddress `json:"previousAddresses,omitempty"`
	CaseStatus        string        `json:"caseStatus,omitempty"`
	CINStatus         bool          `json:"cinStatus"`
	CPPlan            bool          `json:"cpPlan"`
	LookedAfter       bool          `json:"lookedAfter"`
	Restricted        bool          `json:"restricted"`
	LastReviewDate    string        `json:"lastReviewDate,omitempty"`
	ModifiedDate      string        `json:"modifiedDate"`
}

func cscNative() nativeFile {
	return nativeFile{source: resindex.SourceChildrenSocial, file: "children_social_care.ndjson", key: "personId",
		about: "Children's social care case management (LiquidLogic style): one JSON object per line per child.",
		fields: "`personId` (record id), `upn`, `nhsNumber`, `forename`, `middleNames`, `surname`, `previousSurnames`, " +
			"`dateOfBirth` DD/MM/YYYY, `gender` Male/Female, `address` (current, fields as in adult social care), " +
			"`previousAddresses` [..], `caseStatus`, `cinStatus` (child_in_need), `cpPlan` (child_protection_plan), " +
			"`lookedAfter` (looked_after), `restricted` (restricted), `lastReviewDate` DD/MM/YYYY (last activity), " +
			"`modifiedDate` RFC 3339 (version)",
		json: func(r *resindex.Record) any {
			p := cscPerson{PersonID: r.ID, UPN: r.Identifiers[resindex.IDUPN], NHSNumber: r.Identifiers[resindex.IDNHS],
				Forename: firstName(r), MiddleNames: middleNames(r), Surname: r.Name.Family,
				PreviousSurnames: surnames(r.OtherNames), DateOfBirth: dmy(r.DOB), Gender: sexWord(r.Sex),
				CaseStatus: r.Attributes["case_status"], CINStatus: hasFlag(r, resindex.FlagChildInNeed),
				CPPlan: hasFlag(r, resindex.FlagChildProtectionPlan), LookedAfter: hasFlag(r, resindex.FlagLookedAfter),
				Restricted: hasFlag(r, resindex.FlagRestricted), LastReviewDate: dmy(r.LastActivity), ModifiedDate: r.Version}
			if as := careAddresses(r); len(as) > 0 {
				p.Address, p.PreviousAddresses = &as[0], as[1:]
			}
			return p
		}}
}

// crmContact is a contact as the CRM's OData export has it.
type crmContact struct {
	ContactID      string  `json:"contactid"`
	Salutation     *string `json:"salutation"`
	FirstName      string  `json:"firstname"`
	LastName       string  `json:"lastname"`
	BirthDate      *string `json:"birthdate"`
	GenderCode     *int    `json:"gendercode"`
	Email          *string `json:"emailaddress1"`
	MobilePhone    *string `json:"mobilephone"`
	Line1          string  `json:"address1_line1"`
	Line2          string  `json:"address1_line2"`
	Line3          string  `json:"address1_line3"`
	City           string  `json:"address1_city"`
	PostalCode     string  `json:"address1_postalcode"`
	UPRN           *string `json:"new_uprn"`
	MovedIn        string  `json:"new_addressfrom"`
	Channel        string  `json:"new_channel"`
	Flags          string  `json:"new_flags"`
	LastActivityOn string  `json:"lastactivityon"`
	ModifiedOn     string  `json:"modifiedon"`
}

func contactNative() nativeFile {
	return nativeFile{source: resindex.SourceContactCentre, file: "contact_centre.json", array: "value", key: "contactid",
		about: "Contact centre CRM (Dynamics style): one JSON document, contacts in its `value` array.",
		fields: "`contactid` (record id), `salutation`, `firstname`, `lastname`, `birthdate` YYYY-MM-DD or null, " +
			"`gendercode` 1 male, 2 female or null, `emailaddress1`, `mobilephone`, `address1_line1`-`address1_line3`, " +
			"`address1_city`, `address1_postalcode`, `new_uprn`, `new_addressfrom` YYYY-MM-DD, `new_channel`, `new_flags` " +
			"(`|`-separated flag codes), `lastactivityon` YYYY-MM-DD (last activity), `modifiedon` RFC 3339 (version)",
		json: func(r *resindex.Record) any {
			a := current(r)
			c := crmContact{ContactID: r.ID, Salutation: orNull(r.Name.Title), FirstName: r.Name.Given, LastName: r.Name.Family,
				BirthDate: orNull(r.DOB), Email: orNull(first(r.Emails)), MobilePhone: orNull(first(r.Phones)),
				Line1: addrLine(r, 0, false), Line2: addrLine(r, 1, false), Line3: addrLine(r, 2, true),
				City: a.Town, PostalCode: a.Postcode, UPRN: orNull(a.UPRN), MovedIn: a.From,
				Channel: r.Attributes["channel"], Flags: flagList(r), LastActivityOn: r.LastActivity, ModifiedOn: r.Version}
			if g := map[string]int{"M": 1, "F": 2}[r.Sex]; g != 0 {
				c.GenderCode = &g
			}
			return c
		}}
}

func orNull(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}
