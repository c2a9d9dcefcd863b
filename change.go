package resindex

// Change is one entry of the change feed: what happened to a person or a
// household as a change to a source record was applied. Alerts, fraud
// checks and downstream systems read the feed; the engine writes it in the
// same transaction as the change itself.
type Change struct {
	Type      ChangeType `json:"type"`
	Person    string     `json:"person"`
	From      string     `json:"from,omitempty"` // person.merged: the ID merged away
	Records   int        `json:"records,omitempty"`
	Household string     `json:"household,omitempty"`
	// Evidence is the record that showed a move into or out of a
	// household.
	Evidence *Provenance `json:"evidence,omitempty"`
	// Why says what a household.joined rests on (JoinMoved, JoinMerged,
	// JoinSplit, JoinResolved): only a move is a new person arriving.
	Why string `json:"why,omitempty"`
	// Property is the household's property as the person's address gives
	// it: on household.joined, whether its UPRN was inferred and how
	// surely.
	Property *Property `json:"property,omitempty"`
	// Alert is the alert an alert.* entry reports, as raised.
	Alert *Alert `json:"alert,omitempty"`
}

// Why a person joined a household (Change.Why).
const (
	// JoinMoved: the person's newest residence evidence places them at
	// the property, and it did not before.
	JoinMoved = "moved"
	// JoinMerged: records already in the household through another
	// person were merged into this one.
	JoinMerged = "merged"
	// JoinSplit: the person was split from one still in the household.
	JoinSplit = "split"
	// JoinResolved: the person's address is unchanged; the index now
	// knows the property's UPRN for it.
	JoinResolved = "resolved"
)

// ChangeType names what a change-feed entry reports.
type ChangeType string

// The kinds of change-feed entry.
const (
	ChangePersonCreated   ChangeType = "person.created"   // a new person, from their first record
	ChangePersonUpdated   ChangeType = "person.updated"   // a person's records or golden record changed
	ChangePersonSplit     ChangeType = "person.split"     // a new person split from From
	ChangePersonMerged    ChangeType = "person.merged"    // From was merged into Person
	ChangePersonDeleted   ChangeType = "person.deleted"   // the person's last record went
	ChangeHouseholdJoined ChangeType = "household.joined" // Person joined Household
	ChangeHouseholdLeft   ChangeType = "household.left"   // Person left Household
)
