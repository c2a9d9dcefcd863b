package resindex

import "strings"

// AttrGoldenConsent is the record attribute that records consent to a
// child's single customer record (a source field mapped to
// attributes.golden_record_consent); "yes" or "true" consents. The
// resolver's children's policy builds a child's golden record with it,
// and the pseudonymised export profiles a child only with it.
const AttrGoldenConsent = "golden_record_consent"

// GoldenConsent reports whether any of a person's records records
// consent to a golden record (AttrGoldenConsent).
func GoldenConsent(recs []Record) bool {
	for i := range recs {
		switch strings.ToLower(strings.TrimSpace(recs[i].Attributes[AttrGoldenConsent])) {
		case "yes", "true":
			return true
		}
	}
	return false
}
