package access

// SARInfo is one item of what Art. 15 UK GDPR says a subject access
// answer must tell besides the data itself: fixed text, the same for
// every resident, that a council adapts to its own privacy notice.
type SARInfo struct {
	Topic string `json:"topic"`
	Text  string `json:"text"`
}

// sarInformation is the table SARInformation returns, in the order the
// report shows it.
var sarInformation = []SARInfo{
	{"Purposes", "The council keeps a resident index to give its services one view of each resident and household: to find " +
		"the right record when you contact us, to keep registers up to date without asking you twice, to alert social workers " +
		"when a new adult joins a household with a child known to children's services, to prevent fraud, and to check " +
		"identity when you apply for a service online."},
	{"Lawful basis", "Public task (UK GDPR Art. 6(1)(e)); for special category data, substantial public interest " +
		"(safeguarding, statutory functions) under the Data Protection Act 2018, Schedule 1."},
	{"Categories of data", "Names and previous names, dates of birth, sex, current and previous addresses, contact details, " +
		"reference numbers (NHS number, National Insurance number, pupil number, service references), and markers such " +
		"as a disability, a caution or a child's social care status, as each council service holds them."},
	{"Sources", "Each record in this report names the council service it came from: council tax, housing, housing benefit, " +
		"the electoral register, adult and children's social care, schools, libraries, parking and the contact centre."},
	{"Recipients", "Council staff whose role needs the data, each seeing only what their job allows; every look is recorded " +
		"and listed in this report. The index passes corrections back to the council services that hold your records."},
	{"Retention", "A record stays in the index while the service that holds it keeps it, and is shown to staff only for two " +
		"years after its last activity; records inactive for longer are removed on a schedule."},
	{"Automated decisions and profiling", "The index decides automatically which records belong to the same person, by " +
		"comparing their details; this report explains each link. Fraud checks flag accounts for an investigator to look " +
		"at: a finding is a lead reviewed by a person, never a decision about you. No decision with legal or similar " +
		"effect is made by the index alone."},
	{"Your rights", "You may ask for wrong data to be corrected, for data to be erased or its use restricted, and object " +
		"to profiling; you may complain to the Information Commissioner's Office (ico.org.uk, 0303 123 1113)."},
	{"Other people", "Information about other people, such as the others living in your household, is withheld unless they " +
		"agreed to its release or it is reasonable to release it."},
}

// SARInformation returns the fixed information a subject access report
// gives (a copy: callers may not change the table).
func SARInformation() []SARInfo { return append([]SARInfo(nil), sarInformation...) }
