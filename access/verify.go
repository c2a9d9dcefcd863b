package access

import (
	"strings"

	"github.com/resindex/resindex"
)

// Claim is who an applicant says they are, for identity verification.
type Claim struct {
	Given, Family string
	DOB           string
	Postcode      string
	AddressLines  []string
}

// Verdicts of identity verification.
const (
	Match     = "match"
	NoMatch   = "no_match"
	Uncertain = "uncertain"
)

// Verify says whether a claimed identity matches one known resident:
// match when exactly one person the principal may see scores at the link
// weight and agrees on the date of birth, with no other near them; no
// match when none reaches the review weight; uncertain otherwise. It
// discloses nothing else: no person, no reference, no score.
func (s *Service) Verify(p resindex.Principal, c Claim) (string, error) {
	verdict := ""
	err := s.audited(p, "verify", describe(c.query()), "", func(e *AuditEntry) error {
		role, err := s.roleAble(p, VerifyIdentity)
		if err != nil {
			return err
		}
		if err := checkClaim(&c); err != nil {
			return err
		}
		verdict, err = s.verdict(role, c.query(), e)
		return err
	})
	return verdict, err
}

func (c *Claim) query() resindex.Query {
	return resindex.Query{Given: c.Given, Family: c.Family, DOB: c.DOB, Postcode: c.Postcode, AddressLines: c.AddressLines}
}

// checkClaim refuses a claim short of what a check needs, and puts its
// date of birth in the index's form.
func checkClaim(c *Claim) error {
	for _, f := range []struct{ name, v string }{{"given", c.Given}, {"family", c.Family}, {"dob", c.DOB}} {
		if strings.TrimSpace(f.v) == "" {
			return &InputError{f.name, "required for identity verification"}
		}
	}
	if strings.TrimSpace(c.Postcode) == "" && len(c.AddressLines) == 0 {
		return &InputError{"postcode", "a postcode or address lines are required for identity verification"}
	}
	q := c.query()
	if err := checkQuery(&q); err != nil {
		return err
	}
	if d, _ := resindex.ParsePartialDate(q.DOB); d.Precision != resindex.PrecisionDay {
		return &InputError{"dob", "want a full date, DD/MM/YYYY or YYYY-MM-DD"}
	}
	c.DOB = q.DOB
	return nil
}

// verdict ranks the persons the role may see against the claim, by
// their visible records.
func (s *Service) verdict(role *Role, q resindex.Query, e *AuditEntry) (string, error) {
	review, link := s.index.Thresholds()
	rk := s.newRanking(role, q, "", 20, nil)
	hits, err := s.index.Search(q, rk.depth)
	if err != nil {
		return "", err
	}
	ranked, _, err := rk.rank(hits, 1)
	if err != nil {
		return "", err
	}
	var near []found
	for _, f := range ranked {
		if f.weight >= review {
			near = append(near, f)
			e.Persons = append(e.Persons, f.sub.id) // the auditor may know whom a check touched
		}
	}
	switch {
	case len(near) == 0:
		return NoMatch, nil
	case len(near) == 1 && near[0].weight >= link && sameDOB(near[0].sub.visible, q.DOB):
		return Match, nil
	}
	return Uncertain, nil
}

func sameDOB(recs []resindex.Record, dob string) bool {
	for i := range recs {
		if recs[i].DOB == dob {
			return true
		}
	}
	return false
}
