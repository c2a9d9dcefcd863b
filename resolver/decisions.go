package resolver

import "github.com/resindex/resindex"

// Decision is what one committed change did to the persons it touched,
// read from the change-feed entries it wrote: one decision a change, the
// most telling when it did several things (a merge that also moved
// someone is a merge).
type Decision int

// The decisions, most telling first.
const (
	DecidedMerged    Decision = iota // persons were merged
	DecidedSplit                     // a person was split
	DecidedReview                    // a pair was queued for the data stewards' review
	DecidedNewPerson                 // a new person was made
	DecidedJoined                    // a record new to the index joined a person it already held
	DecidedUpdated                   // a person's records, golden record or household changed
	DecidedDeleted                   // a person's last record went
	DecidedUnchanged                 // no person or household changed (an older version, nothing new)
	NumDecisions
)

var decisionNames = [NumDecisions]string{"merged", "split", "review", "new_person", "joined", "updated", "deleted", "unchanged"}

// String is the decision's name as metrics label it ("new_person").
func (d Decision) String() string {
	if d < 0 || d >= NumDecisions {
		return "unknown"
	}
	return decisionNames[d]
}

// decide reads a change's decision from its feed entries, whether it
// queued a pair for review and whether its record was new to the index.
func decide(feed []resindex.Change, queued, newRecord bool) Decision {
	seen := map[resindex.ChangeType]bool{}
	for _, c := range feed {
		seen[c.Type] = true
	}
	switch {
	case seen[resindex.ChangePersonMerged]:
		return DecidedMerged
	case seen[resindex.ChangePersonSplit]:
		return DecidedSplit
	case queued:
		return DecidedReview
	case seen[resindex.ChangePersonCreated]:
		return DecidedNewPerson
	case seen[resindex.ChangePersonUpdated] && newRecord:
		return DecidedJoined
	case seen[resindex.ChangePersonUpdated], seen[resindex.ChangeHouseholdJoined], seen[resindex.ChangeHouseholdLeft]:
		return DecidedUpdated
	case seen[resindex.ChangePersonDeleted]:
		return DecidedDeleted
	}
	return DecidedUnchanged
}
