package resindex

import (
	"cmp"
	"fmt"
	"strings"
)

// Record is one person as one source system knows them: the canonical
// shape every connector produces and every part of resindex consumes.
// Fields may be absent or empty; nothing here is trusted until the matcher
// has normalised and validated it.
type Record struct {
	Source       string            `json:"source"`
	ID           string            `json:"id"`
	Version      string            `json:"version,omitempty"`
	Deleted      bool              `json:"deleted,omitempty"`
	Name         Name              `json:"name"`
	OtherNames   []Name            `json:"other_names,omitempty"`
	DOB          string            `json:"dob,omitempty"`
	Sex          string            `json:"sex,omitempty"`
	Addresses    []Address         `json:"addresses,omitempty"`
	Identifiers  map[string]string `json:"identifiers,omitempty"`
	Emails       []string          `json:"emails,omitempty"`
	Phones       []string          `json:"phones,omitempty"`
	Flags        []string          `json:"flags,omitempty"`
	Attributes   map[string]string `json:"attributes,omitempty"`
	LastActivity string            `json:"last_activity,omitempty"`
}

// Key identifies a source record across the whole index.
func (r *Record) Key() RecordKey { return RecordKey{Source: r.Source, ID: r.ID} }

// RecordKey is the (source, id) pair that names one source record.
type RecordKey struct {
	Source string
	ID     string
}

// String renders the key as "source/id", the form used in explanations.
func (k RecordKey) String() string { return k.Source + "/" + k.ID }

// Check refuses a key the index cannot hold: an empty source or id, or
// one holding a NUL or \x01 byte (the store separates the parts of its
// keys with them). The error names the field, never its value; it is of
// kind invalid.
func (k RecordKey) Check() error {
	for _, f := range []struct{ name, v string }{{"source", k.Source}, {"id", k.ID}} {
		switch {
		case f.v == "":
			return NewError(ErrInvalid, "field "+f.name+": missing")
		case strings.ContainsAny(f.v, "\x00\x01"):
			return NewError(ErrInvalid, "field "+f.name+": holds a control character (NUL or \\x01)")
		}
	}
	return nil
}

// ParseRecordKey reads a key in String's form, SOURCE/ID. A malformed
// one is an error of kind invalid.
func ParseRecordKey(s string) (RecordKey, error) {
	src, id, ok := strings.Cut(s, "/")
	if !ok || src == "" || id == "" {
		return RecordKey{}, NewError(ErrInvalid, fmt.Sprintf("record %q: want SOURCE/ID, e.g. electoral_roll/ER-1", s))
	}
	return RecordKey{Source: src, ID: id}, nil
}

// Less orders keys by source, then id; the order every batch job sorts by
// so that results never depend on input order.
func (k RecordKey) Less(o RecordKey) bool {
	if k.Source != o.Source {
		return k.Source < o.Source
	}
	return k.ID < o.ID
}

// Compare orders keys as Less does, for slices.SortFunc.
func (k RecordKey) Compare(o RecordKey) int {
	return cmp.Or(cmp.Compare(k.Source, o.Source), cmp.Compare(k.ID, o.ID))
}

// Name is a personal name as a source holds it. Given may hold several
// given names ("Mary Ann"); Family may be double-barrelled.
type Name struct {
	Title  string `json:"title,omitempty"`
	Given  string `json:"given,omitempty"`
	Family string `json:"family,omitempty"`
}

// Address is one address a source holds for a person, with the period the
// person lived there. UPRN is the gazetteer's property reference when the
// source knows it.
type Address struct {
	UPRN     string   `json:"uprn,omitempty"`
	Lines    []string `json:"lines,omitempty"`
	Town     string   `json:"town,omitempty"`
	Postcode string   `json:"postcode,omitempty"`
	From     string   `json:"from,omitempty"`
	To       string   `json:"to,omitempty"`
	Current  bool     `json:"current,omitempty"`
}

// Known identifier kinds. Any other kind in Record.Identifiers is opaque and
// compared by exact match only.
const (
	IDNHS  = "nhs"  // NHS number, modulus 11
	IDNINO = "nino" // National Insurance number
	IDUPN  = "upn"  // unique pupil number, check letter
	IDUPRN = "uprn" // unique property reference number
)

// Source systems of a UK council, as the synthetic borough and the shipped
// mappings name them.
const (
	SourceCouncilTax      = "council_tax"
	SourceHousing         = "housing"
	SourceHousingBenefit  = "housing_benefit"
	SourceElectoralRoll   = "electoral_roll"
	SourceAdultSocialCare = "adult_social_care"
	SourceChildrenSocial  = "children_social_care"
	SourceSchools         = "schools"
	SourceLibraries       = "libraries"
	SourceParking         = "parking"
	SourceContactCentre   = "contact_centre"
)

// Sources lists the ten council systems in a fixed order.
var Sources = []string{
	SourceCouncilTax, SourceHousing, SourceHousingBenefit, SourceElectoralRoll,
	SourceAdultSocialCare, SourceChildrenSocial, SourceSchools, SourceLibraries,
	SourceParking, SourceContactCentre,
}

// Record flags with a meaning across the index.
const (
	FlagChildProtectionPlan = "child_protection_plan"
	FlagLookedAfter         = "looked_after"
	FlagChildInNeed         = "child_in_need"
	FlagCaution             = "caution"
	FlagDisability          = "disability"
	FlagRestricted          = "restricted"
	FlagStaff               = "staff"
	FlagVIP                 = "vip"
)

// Assignment places one source record in one person cluster: the row format
// of link's output and of the ground truth.
type Assignment struct {
	Key      RecordKey
	PersonID string
}
