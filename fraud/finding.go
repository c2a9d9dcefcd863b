// Package fraud holds the fraud team's checks over the whole index:
// illegal subletting of council tenancies and council tax single person
// discounts claimed while other adults live at the property. Each finding
// has a score, the signals that fired and the source records, with their
// dates, behind each signal, so that an investigator can act on it. The
// checks read only what the index already holds, never a health or
// social-care record, and never raise a finding on a restricted person.
package fraud

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/resindex/resindex"
)

// Kind names a check.
type Kind string

// The checks.
const (
	Subletting Kind = "subletting"
	SPD        Kind = "spd"
)

// ParseKind reads a check's name as the command line and API give it.
func ParseKind(s string) (Kind, error) {
	switch Kind(s) {
	case Subletting, SPD:
		return Kind(s), nil
	}
	return "", resindex.NewError(resindex.ErrInvalid, fmt.Sprintf("check %q: want subletting or spd", s))
}

// DefaultMinScore is the score at or above which a finding is reported
// by default: two independent signals, or one strong one with support.
const DefaultMinScore = 0.5

// Finding is one tenancy or council tax account the checks think worth
// an investigator's time.
type Finding struct {
	ID    string  `json:"finding_id"`
	Kind  Kind    `json:"kind"`
	Score float64 `json:"score"`
	// Account is the housing record of the tenancy's lead tenant, or the
	// council tax record of the liable party with the discount.
	Account   resindex.RecordKey `json:"-"`
	Reference string             `json:"reference,omitempty"` // tenancy_ref or account_ref
	UPRN      string             `json:"uprn"`
	// Subject is the tenant, or the liable party, by person ID; Others
	// the adults whose evidence places them at the property.
	Subject        string               `json:"subject"`
	SubjectRecords []resindex.RecordKey `json:"-"`
	Others         []string             `json:"others,omitempty"`
	OtherRecords   []resindex.RecordKey `json:"-"`
	Signals        []Signal             `json:"signals"`
	// Since is the day the check dates the finding from: the tenant's
	// first evidence elsewhere, or the first other adult's move in.
	Since string `json:"since,omitempty"`
}

// Signal is one reason a finding was raised.
type Signal struct {
	Name     string     `json:"name"`
	Weight   float64    `json:"weight"`
	Says     string     `json:"says"`
	Evidence []Evidence `json:"evidence"`
}

// Evidence is one source record behind a signal: whose it is, where it
// places them and the date it rests on. JSON gives the record as
// source/id.
type Evidence struct {
	Record resindex.RecordKey `json:"-"`
	Person string             `json:"person"`
	UPRN   string             `json:"uprn,omitempty"`
	// Moved is the day the record says its subject moved in; Active the
	// day it was last active.
	Moved  string `json:"moved_in,omitempty"`
	Active string `json:"last_active,omitempty"`
}

// MarshalJSON writes the evidence with its record as source/id.
func (e Evidence) MarshalJSON() ([]byte, error) {
	type plain Evidence
	return json.Marshal(struct {
		Record string `json:"record"`
		plain
	}{e.Record.String(), plain(e)})
}

// Signal names, as the CSV and the API give them.
const (
	SigTenantElsewhere   = "tenant_lives_elsewhere"
	SigOthersAtProperty  = "others_not_on_tenancy"
	SigTenantHoldsOther  = "tenant_holds_other"
	SigNoTenantActivity  = "no_tenant_activity"
	SigOthersLiable      = "others_liable_for_council_tax"
	SigTenantDormant     = "tenant_dormant"
	SigElectoralRegister = "electoral_register"
	SigTenancyMember     = "tenancy_member"
	SigBenefitClaim      = "benefit_claim"
	SigOtherSource       = "other_source"
)

// Signals are the names of each check's signals, strongest first: the
// filters the pages and the API offer.
var Signals = map[Kind][]string{
	Subletting: {SigOthersLiable, SigTenantElsewhere, SigOthersAtProperty, SigTenantDormant, SigTenantHoldsOther, SigNoTenantActivity},
	SPD:        {SigElectoralRegister, SigTenancyMember, SigBenefitClaim, SigOtherSource},
}

// KindOfID is the check a finding's ID names ("FS" and twelve lower-case
// hex digits for subletting, "FD" for the single person discount); ok is
// false for anything else, which names no finding.
func KindOfID(id string) (k Kind, ok bool) {
	if len(id) != 14 || strings.Trim(id[2:], "0123456789abcdef") != "" {
		return "", false
	}
	switch id[:2] {
	case "FS":
		return Subletting, true
	case "FD":
		return SPD, true
	}
	return "", false
}

// findingID names a finding by its check and account record, the same on
// every run so that a review stays with its finding; a hash, so that the
// ID names no council reference.
func findingID(k Kind, account resindex.RecordKey) string {
	sum := sha256.Sum256([]byte(string(k) + "\x00" + account.String()))
	prefix := "FS"
	if k == SPD {
		prefix = "FD"
	}
	return prefix + hex.EncodeToString(sum[:6])
}

// SignalNames lists the names of a finding's signals, in order.
func (f *Finding) SignalNames() []string {
	out := make([]string, len(f.Signals))
	for i, s := range f.Signals {
		out[i] = s.Name
	}
	return out
}

// score combines signal weights as independent pieces of evidence: one
// minus the chance that every one of them is wrong.
func score(signals []Signal) float64 {
	miss := 1.0
	for _, s := range signals {
		miss *= 1 - s.Weight
	}
	return float64(int((1-miss)*1000+0.5)) / 1000
}
