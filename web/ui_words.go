package web

import (
	"fmt"
	"html/template"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/resindex/resindex"
	"github.com/resindex/resindex/access"
)

// The staff pages speak in words a member of staff uses: sources by their
// service's name, dates as "27 March 1985", match weights as how much
// more likely two records make it that they are one person.

var templateFuncs = template.FuncMap{
	"date":    longDate,
	"time":    func(t time.Time) string { return t.UTC().Format("2 January 2006 15:04:05 UTC") },
	"name":    fullName,
	"address": addressLine,
	"source":  sourceName,
	"flag":    flagName,
	"field":   fieldName,
	"ident":   identName,
	"prov":    provenance,
	"classWords": func(c access.Class) string {
		if c == access.Child {
			return "Child"
		}
		return "Adult"
	},
	"join":       strings.Join,
	"dict":       dict,
	"errFor":     errFor,
	"flagColour": flagColour,
	"inc":        func(i int) int { return i + 1 },
	"percentOf":  percent,
	"maxQueue":   func() int { return access.MaxQueueSort },
	"findingOf":  termWords,
	"strength":   strengthTag,
	"matched":    matchedWords,
	"alertKind":  kindWords,
	"severity":   severityTag,
	"alertState": alertStatusWords,
	"outcome":    outcomeWords,
	"aged":       agedWords,
	"checkName":  checkWords,
	"signal":     signalWords,
	"score":      func(x float64) string { return strconv.FormatFloat(x, 'f', 2, 64) },
	"says":       saysWords,
}

// termWords is one comparison's finding as a line of a list.
func termWords(t resindex.LinkTerm) string {
	f := finding(t.Comparison, t.Level)
	return comparisonName(t.Comparison) + ": " + strings.ToLower(f[:1]) + f[1:]
}

// longDate shows an ISO date (or a partial one) the way GOV.UK does.
func longDate(s string) string {
	for _, f := range []struct{ in, out string }{{"2006-01-02", "2 January 2006"}, {"2006-01", "January 2006"}} {
		if t, err := time.Parse(f.in, s); err == nil {
			return t.Format(f.out)
		}
	}
	return s
}

func fullName(n resindex.Name) string {
	return strings.Join(strings.Fields(n.Title+" "+n.Given+" "+n.Family), " ")
}

func addressLine(a resindex.Address) string {
	parts := append([]string{}, a.Lines...)
	for _, p := range []string{a.Town, a.Postcode} {
		if p != "" {
			parts = append(parts, p)
		}
	}
	return strings.Join(parts, ", ")
}

var sourceNames = map[string]string{
	resindex.SourceCouncilTax: "Council tax", resindex.SourceHousing: "Housing", resindex.SourceHousingBenefit: "Housing benefit",
	resindex.SourceElectoralRoll: "Electoral register", resindex.SourceAdultSocialCare: "Adult social care",
	resindex.SourceChildrenSocial: "Children's social care", resindex.SourceSchools: "Schools", resindex.SourceLibraries: "Libraries",
	resindex.SourceParking: "Parking", resindex.SourceContactCentre: "Contact centre",
}

// sourceName is a source system's name as staff know it.
func sourceName(s string) string { return named(sourceNames, s) }

var flagNames = map[string]string{
	resindex.FlagChildProtectionPlan: "Child protection plan", resindex.FlagLookedAfter: "Looked after child",
	resindex.FlagChildInNeed: "Child in need", resindex.FlagCaution: "Caution: staff safety",
	resindex.FlagDisability: "Disability", resindex.FlagRestricted: "Restricted record", resindex.FlagStaff: "Council staff",
	resindex.FlagVIP: "High-profile person",
}

func flagName(f string) string { return named(flagNames, f) }

var identNames = map[string]string{"nhs": "NHS number", "nino": "National Insurance number", "upn": "Unique pupil number", "uprn": "Property reference (UPRN)"}

func identName(k string) string { return named(identNames, k) }

// fieldName is a policy field in words.
func fieldName(f string) string {
	if k, ok := strings.CutPrefix(f, "identifiers."); ok {
		return identName(k)
	}
	switch f {
	case "dob":
		return "Date of birth"
	case "address":
		return "Address"
	case "name":
		return "Name"
	}
	return words(strings.TrimPrefix(f, "attributes."))
}

// named is a name's words from a table, else the name itself in words.
func named(names map[string]string, s string) string {
	if n, ok := names[s]; ok {
		return n
	}
	return words(s)
}

// words turns a snake_case name into a sentence-case phrase.
func words(s string) string { return capital(strings.ReplaceAll(s, "_", " ")) }

// capital is a text with its first letter a capital.
func capital(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

func provenance(p *resindex.Provenance) string {
	if p == nil {
		return ""
	}
	return sourceName(p.Source) + " record " + p.Record
}

// waterfall is one pair of records and how each comparison moved the
// odds that they are one person: Splink's waterfall chart, as a table.
type waterfall struct {
	A, B        string
	Probability string
	Decision    string
	Override    string
	Total       string
	Rows        []waterfallRow
}

type waterfallRow struct {
	Label, Finding, Effect, Weight, Bar string
}

// explainLink puts a link's terms into words, with a bar for each whose
// length is its share of the largest term.
func explainLink(l access.LinkView) waterfall {
	w := waterfall{A: l.A, B: l.B, Probability: percent(l.Probability), Decision: decisionWords(l.Decision), Total: signed(l.Weight)}
	switch l.Override {
	case "link":
		w.Override = "A data steward decided these records are the same person."
	case "unlink":
		w.Override = "A data steward decided these records are not the same person."
	}
	rest := l.Weight
	for _, t := range l.Terms {
		rest -= t.Weight
	}
	// The starting point is the prior: how likely any two records are one
	// person before comparing. Comparisons of fields the role may not see
	// are left out of the list, so their part is in this line too.
	rows := []waterfallRow{{Label: "Starting point", Finding: "How likely any two records are the same person before comparing them, and any comparison of details your role does not see",
		Effect: effect(rest), Weight: signed(rest)}}
	weights := []float64{rest}
	for _, t := range l.Terms {
		rows = append(rows, waterfallRow{Label: comparisonName(t.Comparison), Finding: finding(t.Comparison, t.Level), Effect: effect(t.Weight), Weight: signed(t.Weight)})
		weights = append(weights, t.Weight)
	}
	biggest := 0.0
	for _, x := range weights {
		biggest = math.Max(biggest, math.Abs(x))
	}
	for i, x := range weights {
		rows[i].Bar = bar(x, biggest, i == 0)
	}
	w.Rows = rows
	return w
}

func bar(x, biggest float64, prior bool) string {
	steps := 0
	if biggest > 0 {
		steps = int(math.Round(math.Abs(x) / biggest * 20))
	}
	kind := "for"
	switch {
	case prior:
		kind = "prior"
	case x < 0:
		kind = "against"
	}
	return fmt.Sprintf("app-bar app-bar--%s app-w-%d", kind, steps*5)
}

func signed(x float64) string { return strconv.FormatFloat(x, 'f', 1, 64) }

func percent(p float64) string {
	switch {
	case p >= 0.999:
		return "more than 99.9%"
	case p < 0.001:
		return "less than 0.1%"
	}
	return strconv.FormatFloat(p*100, 'f', 1, 64) + "%"
}

// effect says how a weight (log2 of a Bayes factor) moves the odds.
func effect(w float64) string {
	f := math.Pow(2, math.Abs(w))
	if f < 1.05 {
		return "makes no real difference"
	}
	times := strconv.FormatFloat(f, 'f', 1, 64)
	switch {
	case f >= 1e6:
		times = "over a million"
	case f >= 10:
		times = strconv.FormatFloat(math.Round(f), 'f', 0, 64)
	}
	if w > 0 {
		return "makes it " + times + " times more likely they are the same person"
	}
	return "makes it " + times + " times less likely they are the same person"
}

func decisionWords(d string) string {
	switch d {
	case "link":
		return "Strong enough to link automatically"
	case "review":
		return "A possible match, for a data steward to decide"
	case "no link":
		return "Not strong enough to link on its own: these records are joined through others"
	case "hard conflict":
		return "These records cannot be one person (for example, two different NHS numbers)"
	}
	return words(d)
}

var comparisonNames = map[string]string{
	"given_name": "First name", "family_name": "Last name", "dob": "Date of birth", "sex": "Sex", "address": "Address",
	"nhs": "NHS number", "nino": "National Insurance number", "upn": "Unique pupil number", "other_id": "Other reference",
	"email": "Email address", "phone": "Phone number",
}

// findings are what each comparison's level means, as a social worker
// would put it.
var findings = map[string]map[string]string{
	"given_name": {"exact": "The first names are the same", "first_exact": "The first names are the same; other given names differ or are missing",
		"middle_differs": "The first names match but the middle names differ", "variant": "The first names are forms of the same name (like Bob and Robert)",
		"any_token": "One of the given names is the same", "fuzzy": "The first names are spelt almost the same", "initial": "Only the initials agree",
		"phonetic": "The first names sound the same", "different": "The first names are different"},
	"family_name": {"exact": "The last names are the same", "part": "One last name is part of the other (a double-barrelled name, say)",
		"fuzzy": "The last names are spelt almost the same", "phonetic": "The last names sound the same",
		"other_name": "One record's last name is another name the other holds (a previous or married name)", "different": "The last names are different"},
	"dob": {"exact": "The dates of birth are the same", "day_month_swap": "The dates of birth agree with the day and month swapped",
		"one_digit": "The dates of birth differ by one digit, as a typing slip would", "partial": "One record has only part of the date of birth, and it agrees",
		"same_year": "Only the year of birth agrees", "different": "The dates of birth are different", "far_apart": "The dates of birth are years apart"},
	"sex": {"same": "Recorded with the same sex", "different": "Recorded with different sexes"},
	"address": {"exact": "The same address (the same property)", "building": "The same building", "street_number": "The same house number and street",
		"postcode": "The same postcode", "tokens": "The addresses have most of their words in common", "sector": "Addresses in the same neighbourhood (postcode sector)",
		"town": "Only the town agrees", "different": "The addresses are different"},
}

var idPlurals = map[string]string{"nhs": "NHS numbers", "nino": "National Insurance numbers", "upn": "unique pupil numbers",
	"other_id": "other reference numbers", "email": "email addresses", "phone": "phone numbers"}

var idFindings = map[string]string{"same": "are the same", "close": "differ by one character, as a typing slip would", "different": "are different"}

func finding(comparison, level string) string {
	if level == "null" {
		return "One of the records does not say, so this comparison counts for little"
	}
	if f, ok := findings[comparison][level]; ok {
		return f
	}
	if f, ok := idFindings[level]; ok {
		plural, known := idPlurals[comparison]
		if !known {
			plural = strings.ReplaceAll(comparison, "_", " ") + " values"
		}
		return "The " + plural + " " + f
	}
	return words(comparison) + ": " + words(level)
}

// dict builds a map from key, value pairs, for passing several values to
// a template.
func dict(kv ...any) map[string]any {
	m := make(map[string]any, len(kv)/2)
	for i := 0; i+1 < len(kv); i += 2 {
		k, _ := kv[i].(string)
		m[k] = kv[i+1]
	}
	return m
}

// errFor is the error summary's message for a field, or "".
func errFor(errs []formError, field string) string {
	for _, e := range errs {
		if e.Field == field {
			return e.Message
		}
	}
	return ""
}

// flagColour picks a GOV.UK tag colour for a flag: red for what a visitor
// must know first.
func flagColour(f string) string {
	switch f {
	case resindex.FlagCaution, resindex.FlagChildProtectionPlan:
		return "red"
	case resindex.FlagLookedAfter, resindex.FlagChildInNeed:
		return "orange"
	case resindex.FlagRestricted, resindex.FlagStaff, resindex.FlagVIP:
		return "purple"
	}
	return "grey"
}

func comparisonName(c string) string { return named(comparisonNames, c) }

type tag struct{ Class, Text string }

// strengthTag is a search result's strength as a tag.
func strengthTag(v access.PersonView) *tag {
	switch v.Strength {
	case "strong":
		return &tag{"govuk-tag--green", "Strong match"}
	case "possible":
		return &tag{"govuk-tag--yellow", "Possible match"}
	case "weak":
		return &tag{"govuk-tag--grey", "Weak match"}
	}
	return nil
}

// matchedWords lists the fields a result matched on.
func matchedWords(v access.PersonView) string {
	var out []string
	for _, f := range v.Matched {
		out = append(out, fieldName(f))
	}
	return strings.Join(out, ", ")
}

// kindWords is an alert's kind as its page's heading says it.
func kindWords(kind string) string {
	switch kind {
	case resindex.AlertNewAdult:
		return "New adult in a household with a child known to children's services"
	case resindex.AlertChildLookedUp:
		return "Child on a plan looked up"
	}
	return words(kind)
}

// severityTag is an alert's severity as a tag: red for a child on a
// child protection plan, as the flag's own tag is.
func severityTag(severity string) tag {
	switch severity {
	case resindex.SeverityHigh:
		return tag{"govuk-tag--red", "High"}
	case resindex.SeverityMedium:
		return tag{"govuk-tag--orange", "Medium"}
	case resindex.SeverityLow:
		return tag{"govuk-tag--grey", "Low"}
	}
	return tag{"govuk-tag--grey", words(severity)}
}

func alertStatusWords(status string) string {
	switch status {
	case resindex.AlertNew:
		return "New"
	case resindex.AlertAcknowledged:
		return "Acknowledged"
	case resindex.AlertClosed:
		return "Closed"
	}
	return words(status)
}

var outcomeNames = map[string]string{"action_taken": "Action taken", "no_action_needed": "No action needed",
	"referred": "Referred on", "duplicate": "Duplicate of another alert", resindex.OutcomeNoLongerApplies: "No longer applies (the records were relinked)",
	"fraud_confirmed": "Fraud confirmed", "no_fraud": "No fraud found", "insufficient_evidence": "Not enough evidence to act on"}

func outcomeWords(o string) string { return named(outcomeNames, o) }

// agedWords names a person of an alert by their class and age, as the
// link to their page: the alert holds no name.
func agedWords(class string, p access.AlertPersonView) string {
	if p.AgeUnknown {
		return class + ", age not known"
	}
	return class + ", aged " + strconv.Itoa(p.Age)
}

// checkWords names a fraud check as the fraud team does.
func checkWords(check string) string {
	switch check {
	case "subletting":
		return "Subletting"
	case "spd":
		return "Single person discount"
	}
	return words(check)
}

var signalNames = map[string]string{
	"tenant_lives_elsewhere": "Tenant lives elsewhere",
	"others_not_on_tenancy":  "Others living there, not on the tenancy", "tenant_holds_other": "Tenant holds a home elsewhere",
	"no_tenant_activity": "No activity by the tenant at the property", "others_liable_for_council_tax": "Others pay the council tax",
	"tenant_dormant": "Tenant's records dormant", "electoral_register": "Another adult on the electoral register",
	"tenancy_member": "Another adult on a tenancy", "benefit_claim": "Another adult on a benefit claim",
	"other_source": "Another adult in other records",
}

// signalWords names a fraud check's signal.
func signalWords(name string) string { return named(signalNames, name) }

// saysWords is a signal's sentence as a sentence: capitalised, with a
// full stop.
func saysWords(s string) string {
	if s == "" {
		return s
	}
	return capital(strings.TrimSuffix(s, ".")) + "."
}

// findingStatusWords is a review status a findings filter may name.
func findingStatusWords(status string) string {
	switch status {
	case access.FindingUnreviewed:
		return "Not reviewed"
	case access.FindingReviewed:
		return "Reviewed (any outcome)"
	}
	return "Reviewed: " + outcomeWords(status)
}
