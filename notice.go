package resindex

import "time"

// Rectification told once (issue 16): a resident tells the council once
// that their name, date of birth or address is wrong, and the index sends
// a notice to every source system that holds a record of them. The index
// itself never overrides a source: the correction changes no record and
// no golden record, and reaches the index only when each source, told,
// corrects its own record and sends it again.

// The fields a correction may correct.
const (
	CorrectName    = "name"
	CorrectDOB     = "dob"
	CorrectAddress = "address"
)

// CorrectionFields are the fields a correction may correct, in the order
// forms offer them.
var CorrectionFields = []string{CorrectName, CorrectDOB, CorrectAddress}

// Correction is what a resident says is wrong about them: one field and
// its new value, the source system they told (which has it already, so is
// not told again) and why it is recorded.
type Correction struct {
	Field       string            `json:"field"`
	Name        *CorrectedName    `json:"name,omitempty"`
	DOB         string            `json:"dob,omitempty"` // YYYY-MM-DD
	Address     *CorrectedAddress `json:"address,omitempty"`
	ReportedVia string            `json:"reported_via,omitempty"`
	Reason      string            `json:"reason"`
}

// CorrectedName is a corrected name.
type CorrectedName struct {
	Given  string `json:"given"`
	Family string `json:"family"`
}

// CorrectedAddress is a new or corrected address; UPRN when known.
type CorrectedAddress struct {
	Lines    []string `json:"lines"`
	Postcode string   `json:"postcode"`
	UPRN     string   `json:"uprn,omitempty"`
}

// NoticeTarget is one source system a notice is for, with its own IDs of
// the person's records.
type NoticeTarget struct {
	Source  string   `json:"source"`
	Records []string `json:"record_ids"`
}

// Notice is a correction recorded for a person, numbered, with the
// source systems to tell: every source holding a live record of the
// person but the one the resident told.
type Notice struct {
	Seq        uint64         `json:"notice"`
	Person     string         `json:"person"`
	Correction Correction     `json:"correction"`
	Targets    []NoticeTarget `json:"targets"`
	IssuedAt   time.Time      `json:"issued_at"`
	By         string         `json:"by"`
	Role       string         `json:"role"`
}

// NoticeMessage is what one source system is sent of a notice: the
// correction and its own record IDs, without who recorded it or why.
type NoticeMessage struct {
	Seq         uint64            `json:"notice"`
	IssuedAt    time.Time         `json:"issued_at"`
	Source      string            `json:"source"`
	Records     []string          `json:"record_ids"`
	Person      string            `json:"person"`
	Field       string            `json:"field"`
	Name        *CorrectedName    `json:"name,omitempty"`
	DOB         string            `json:"dob,omitempty"`
	Address     *CorrectedAddress `json:"address,omitempty"`
	ReportedVia string            `json:"reported_via,omitempty"`
}

// Messages are a notice's messages, one for each source it is for, in
// the notice's order of targets.
func (n *Notice) Messages() []NoticeMessage {
	out := make([]NoticeMessage, 0, len(n.Targets))
	for _, t := range n.Targets {
		c := &n.Correction
		out = append(out, NoticeMessage{Seq: n.Seq, IssuedAt: n.IssuedAt, Source: t.Source, Records: t.Records,
			Person: n.Person, Field: c.Field, Name: c.Name, DOB: c.DOB, Address: c.Address, ReportedVia: c.ReportedVia})
	}
	return out
}
