package resindex

import "time"

// Alert is one item of the safeguarding inbox: a new adult in a household
// with a child known to children's services (AlertNewAdult), or a look at
// a child on a plan by someone outside children's services
// (AlertChildLookedUp).
type Alert struct {
	ID       string    `json:"id"`
	Kind     string    `json:"kind"`
	Severity string    `json:"severity"`
	Status   string    `json:"status"`
	RaisedAt time.Time `json:"raised_at"`
	// Household is the property key; UPRN its UPRN when it has one, and
	// Property says whether the adult's place there rests on an inferred
	// UPRN.
	Household string    `json:"household,omitempty"`
	UPRN      string    `json:"uprn,omitempty"`
	Property  *Property `json:"property,omitempty"`
	// Adult is the person who joined; Children the children known to
	// children's services in the household then.
	Adult    *AlertPerson  `json:"adult,omitempty"`
	Children []AlertPerson `json:"children,omitempty"`
	// Evidence is the record that showed the move, EvidenceDate the date
	// it gives for it (YYYY-MM-DD).
	Evidence     *Provenance `json:"evidence,omitempty"`
	EvidenceDate string      `json:"evidence_date,omitempty"`
	// LookedUp says who looked at the child of a lookup notification.
	LookedUp *Lookup `json:"looked_up,omitempty"`

	Assignee string      `json:"assignee,omitempty"`
	Outcome  string      `json:"outcome,omitempty"`
	History  []AlertStep `json:"history"`
	// Deliveries is where each configured webhook stands with the alert.
	Deliveries []Delivery `json:"deliveries,omitempty"`
}

// AlertPerson is a person an alert names, by person ID and the records
// that place them.
type AlertPerson struct {
	Person  string      `json:"person"`
	Records []RecordKey `json:"records"`
	// Age at the evidence date; AgeUnknown when no date of birth is known
	// (an unknown age counts as a possible adult).
	Age        int      `json:"age"`
	AgeUnknown bool     `json:"age_unknown,omitempty"`
	Flags      []string `json:"flags,omitempty"` // children's social care flags
}

// Lookup is a look at a child: who, in which role, when, and through
// which surface (api, ui, cli) and call (search, person, household).
type Lookup struct {
	By      string    `json:"by"`
	Role    string    `json:"role"`
	At      time.Time `json:"at"`
	Surface string    `json:"surface"`
	Action  string    `json:"action"`
}

// AlertStep is one step of an alert's workflow.
type AlertStep struct {
	At     time.Time `json:"at"`
	By     string    `json:"by"`
	Role   string    `json:"role,omitempty"`
	Status string    `json:"status"`
	Note   string    `json:"note,omitempty"`
}

// Delivery is one webhook's delivery of an alert.
type Delivery struct {
	Endpoint string    `json:"endpoint"`
	Status   string    `json:"status"` // pending, delivered, failed (dead letter)
	Attempts int       `json:"attempts"`
	Next     time.Time `json:"next,omitempty"`
	Error    string    `json:"error,omitempty"`
}

// Alert kinds, severities and statuses.
const (
	AlertNewAdult      = "new_adult_with_child"
	AlertChildLookedUp = "child_looked_up"

	SeverityHigh   = "high"   // a child on a child protection plan
	SeverityMedium = "medium" // a looked-after child
	SeverityLow    = "low"    // a child in need, or known without a flag

	AlertNew          = "new"
	AlertAcknowledged = "acknowledged"
	AlertClosed       = "closed"

	// OutcomeNoLongerApplies closes an alert whose reason a later split or
	// merge removed.
	OutcomeNoLongerApplies = "no_longer_applies"
)

// ChangeAlertRaised is the change-feed entry of a raised alert (Alert
// names it), which the publisher sends to the alerts topic.
const ChangeAlertRaised ChangeType = "alert.raised"
