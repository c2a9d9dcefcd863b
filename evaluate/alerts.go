package evaluate

import (
	"bytes"
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/resindex/resindex"
)

// AlertColumns is the header of the alerts CSV, in order: what
// `resindex alerts list --format csv` writes and ReadAlerts reads.
var AlertColumns = []string{"alert_id", "raised_at", "kind", "severity", "status", "uprn", "adult_records", "child_records", "evidence_date"}

// The columns of AlertColumns, by position.
const (
	colAlertID = iota
	colRaisedAt
	colKind
	colSeverity
	colStatus
	colUPRN
	colAdults
	colChildren
	colEvidence
)

// scoredKind is the one kind of alert ScoreAlerts scores: a new adult in
// a household with a child known to children's social care. Other kinds
// (child_looked_up, ...) are notifications with nothing in the truth to
// score them against.
const scoredKind = "new_adult_with_child"

// AlertRow is one alert as the alerts CSV lists it. Adults and Children
// are record keys (nil when the column is empty); UPRN and EvidenceDate
// may be "".
type AlertRow struct {
	ID, RaisedAt, Kind, Severity, Status, UPRN string
	Adults, Children                           []resindex.RecordKey
	EvidenceDate                               string
}

// ReadAlerts reads an alerts CSV: the header AlertColumns (required, in
// order), then one row per alert. alert_id, raised_at (RFC 3339), kind,
// severity and status are required; evidence_date is empty or
// YYYY-MM-DD; adult_records and child_records are SOURCE/ID keys joined
// by ";", or empty. An alert id seen twice is an error. Errors name the
// line, the column and, in a key list, the key's place (from 1), never a
// value: record ids and UPRNs can be resident data.
func ReadAlerts(r io.Reader) ([]AlertRow, error) {
	var out []AlertRow
	seen := make(map[string]int)
	err := readRows(r, AlertColumns, func(row []string, line int) error {
		a, err := parseAlert(row, line)
		if err != nil {
			return err
		}
		if first, dup := seen[a.ID]; dup {
			return fmt.Errorf("evaluate: line %d: column alert_id: duplicate (first on line %d)", line, first)
		}
		seen[a.ID] = line
		out = append(out, a)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// ReadAlertsFile reads an alerts CSV file (see ReadAlerts); errors name
// the file.
func ReadAlertsFile(path string) ([]AlertRow, error) { return readFile(path, ReadAlerts) }

// parseAlert checks one data row of an alerts CSV.
func parseAlert(row []string, line int) (AlertRow, error) {
	if len(row) != len(AlertColumns) {
		return AlertRow{}, fmt.Errorf("evaluate: line %d: %d columns, want %d", line, len(row), len(AlertColumns))
	}
	for _, i := range []int{colAlertID, colRaisedAt, colKind, colSeverity, colStatus} {
		if strings.TrimSpace(row[i]) == "" {
			return AlertRow{}, fmt.Errorf("evaluate: line %d: column %s: empty", line, AlertColumns[i])
		}
	}
	// time.Parse's errors quote the value, so they are not wrapped.
	if _, err := time.Parse(time.RFC3339, row[colRaisedAt]); err != nil {
		return AlertRow{}, fmt.Errorf("evaluate: line %d: column raised_at: want an RFC 3339 time", line)
	}
	if _, ok := parseDay(row[colEvidence]); !ok && row[colEvidence] != "" {
		return AlertRow{}, fmt.Errorf("evaluate: line %d: column evidence_date: want YYYY-MM-DD", line)
	}
	adults, err := parseKeyList(row[colAdults], line, AlertColumns[colAdults])
	if err != nil {
		return AlertRow{}, err
	}
	children, err := parseKeyList(row[colChildren], line, AlertColumns[colChildren])
	if err != nil {
		return AlertRow{}, err
	}
	return AlertRow{ID: row[colAlertID], RaisedAt: row[colRaisedAt], Kind: row[colKind], Severity: row[colSeverity],
		Status: row[colStatus], UPRN: row[colUPRN], Adults: adults, Children: children, EvidenceDate: row[colEvidence]}, nil
}

// parseKeyList reads record keys joined by ";"; "" is none. ParseRecordKey's
// error quotes the key, so it is replaced by one naming the key's place.
func parseKeyList(s string, line int, column string) ([]resindex.RecordKey, error) {
	if s == "" {
		return nil, nil
	}
	var out []resindex.RecordKey
	for i, part := range strings.Split(s, ";") {
		k, err := resindex.ParseRecordKey(part)
		if err != nil {
			return nil, fmt.Errorf("evaluate: line %d: column %s: key %d: want SOURCE/ID", line, column, i+1)
		}
		// Check names the field, never its value.
		if err := k.Check(); err != nil {
			return nil, fmt.Errorf("evaluate: line %d: column %s: key %d: %v", line, column, i+1, err)
		}
		out = append(out, k)
	}
	return out, nil
}

// parseDay parses a YYYY-MM-DD date.
func parseDay(s string) (time.Time, bool) {
	t, err := time.Parse(time.DateOnly, s)
	return t, err == nil
}

// SafeguardingCase is one safeguarding scenario of the synthetic truth: an
// adult who moved, on Date, into the property UPRN where children known
// to children's social care live. Records are the adult's source records
// that place them there on or after Date; none means no source shows the
// move, so no alert could be raised from the records.
type SafeguardingCase struct {
	Adult    string
	Children []string
	UPRN     string
	Date     string
	Records  []resindex.RecordKey
}

// ReadSafeguarding reads the safeguarding list of truth/scenarios.json: a
// JSON object whose "safeguarding" member is a list of objects with
// adult_person_id, uprn and date (YYYY-MM-DD) strings, a child_person_ids
// list of strings and a records list of {"source","id"} objects (a list
// may be null or empty). Other members, at either level, are ignored.
// Errors name the byte position of a syntax error, or the path of the
// member at fault (safeguarding[3].records[0].id, counting from 0), never
// a value.
func ReadSafeguarding(r io.Reader) ([]SafeguardingCase, error) {
	items, err := scenarioList(r, "safeguarding")
	if err != nil {
		return nil, err
	}
	var out []SafeguardingCase
	for i, item := range items {
		c, err := parseCase(item, fmt.Sprintf("safeguarding[%d]", i))
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, nil
}

// scenarioList reads one member of truth/scenarios.json, a list, as its
// items undecoded; errors name the member, or a syntax error's position.
func scenarioList(r io.Reader, list string) ([]json.RawMessage, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("evaluate: read JSON: %w", err)
	}
	var top map[string]json.RawMessage
	if err := json.Unmarshal(data, &top); err != nil {
		return nil, jsonError(data, err)
	}
	raw, ok := top[list]
	if !ok {
		return nil, fmt.Errorf("evaluate: %s: missing", list)
	}
	var items []json.RawMessage
	if err := json.Unmarshal(raw, &items); err != nil {
		return nil, fmt.Errorf("evaluate: %s: want a list", list)
	}
	return items, nil
}

// ReadSafeguardingFile reads truth/scenarios.json (see ReadSafeguarding);
// errors name the file.
func ReadSafeguardingFile(path string) ([]SafeguardingCase, error) {
	return readFile(path, ReadSafeguarding)
}

// jsonError words an error of decoding the whole file. A syntax error's
// own text quotes the offending character, so only its position is kept:
// the line and byte column (from 1) of the last byte read.
func jsonError(data []byte, err error) error {
	var se *json.SyntaxError
	if !errors.As(err, &se) {
		return errors.New("evaluate: want a JSON object with a safeguarding list")
	}
	before := data[:min(max(se.Offset-1, 0), int64(len(data)))]
	line := 1 + bytes.Count(before, []byte("\n"))
	col := len(before) - bytes.LastIndexByte(before, '\n')
	return fmt.Errorf("evaluate: line %d: byte column %d: malformed JSON", line, col)
}

// parseCase checks one item of the safeguarding list.
func parseCase(raw json.RawMessage, path string) (SafeguardingCase, error) {
	obj, err := jsonObject(raw, path)
	if err != nil {
		return SafeguardingCase{}, err
	}
	var c SafeguardingCase
	for _, f := range []struct {
		name string
		v    *string
	}{{"adult_person_id", &c.Adult}, {"uprn", &c.UPRN}, {"date", &c.Date}} {
		if *f.v, err = jsonString(obj, f.name, path); err != nil {
			return SafeguardingCase{}, err
		}
	}
	if _, ok := parseDay(c.Date); !ok {
		return SafeguardingCase{}, fmt.Errorf("evaluate: %s.date: want YYYY-MM-DD", path)
	}
	if c.Children, err = jsonStrings(obj, "child_person_ids", path); err != nil {
		return SafeguardingCase{}, err
	}
	if c.Records, err = jsonRecords(obj, "records", path); err != nil {
		return SafeguardingCase{}, err
	}
	return c, nil
}

// jsonObject decodes raw as an object.
func jsonObject(raw json.RawMessage, path string) (map[string]json.RawMessage, error) {
	var obj map[string]json.RawMessage
	if err := json.Unmarshal(raw, &obj); err != nil || obj == nil {
		return nil, fmt.Errorf("evaluate: %s: want an object", path)
	}
	return obj, nil
}

// jsonString returns the required, non-blank string member name of obj.
func jsonString(obj map[string]json.RawMessage, name, path string) (string, error) {
	raw, ok := obj[name]
	if !ok {
		return "", fmt.Errorf("evaluate: %s.%s: missing", path, name)
	}
	var s string
	if err := json.Unmarshal(raw, &s); err != nil {
		return "", fmt.Errorf("evaluate: %s.%s: want a string", path, name)
	}
	if strings.TrimSpace(s) == "" {
		return "", fmt.Errorf("evaluate: %s.%s: empty", path, name)
	}
	return s, nil
}

// jsonList returns the items of the required list member name of obj;
// null is an empty list.
func jsonList(obj map[string]json.RawMessage, name, path string) ([]json.RawMessage, error) {
	raw, ok := obj[name]
	if !ok {
		return nil, fmt.Errorf("evaluate: %s.%s: missing", path, name)
	}
	var items []json.RawMessage
	if err := json.Unmarshal(raw, &items); err != nil {
		return nil, fmt.Errorf("evaluate: %s.%s: want a list", path, name)
	}
	return items, nil
}

// jsonStrings returns the list of non-blank strings name of obj (nil
// when empty).
func jsonStrings(obj map[string]json.RawMessage, name, path string) ([]string, error) {
	items, err := jsonList(obj, name, path)
	if err != nil {
		return nil, err
	}
	var out []string
	for i, item := range items {
		var s string
		if err := json.Unmarshal(item, &s); err != nil {
			return nil, fmt.Errorf("evaluate: %s.%s[%d]: want a string", path, name, i)
		}
		if strings.TrimSpace(s) == "" {
			return nil, fmt.Errorf("evaluate: %s.%s[%d]: empty", path, name, i)
		}
		out = append(out, s)
	}
	return out, nil
}

// jsonRecords returns the list of {"source","id"} records name of obj
// (nil when empty), each a key the index could hold.
func jsonRecords(obj map[string]json.RawMessage, name, path string) ([]resindex.RecordKey, error) {
	items, err := jsonList(obj, name, path)
	if err != nil {
		return nil, err
	}
	var out []resindex.RecordKey
	for i, item := range items {
		at := fmt.Sprintf("%s.%s[%d]", path, name, i)
		rec, err := jsonObject(item, at)
		if err != nil {
			return nil, err
		}
		var k resindex.RecordKey
		if k.Source, err = jsonString(rec, "source", at); err != nil {
			return nil, err
		}
		if k.ID, err = jsonString(rec, "id", at); err != nil {
			return nil, err
		}
		if err := k.Check(); err != nil {
			return nil, fmt.Errorf("evaluate: %s: %v", at, err)
		}
		out = append(out, k)
	}
	return out, nil
}

// AlertMetrics scores safeguarding alerts against the true cases. Alerts
// and cases are paired one to one (see ScoreAlerts); a rate whose
// denominator is 0 is 0, so empty inputs give all zeros.
type AlertMetrics struct {
	// Cases counts the true cases; Detectable those some source record
	// shows (a non-empty Records list).
	Cases, Detectable int
	// Scored counts the alerts of the scored kind; Matched those paired
	// with a case (and so the cases paired with an alert);
	// MatchedDetectable the detectable cases among them. Duplicates
	// counts the unpaired alerts for a case already paired: they are
	// false alerts too.
	Scored, Matched, MatchedDetectable, Duplicates int
	// Precision is Matched/Scored; Recall is MatchedDetectable/Detectable,
	// what the index could find; RecallAll is Matched/Cases; F1 is from
	// Precision and Recall.
	Precision, Recall, RecallAll, F1 float64
	// Misses are the unpaired cases, by date then adult (then input order).
	Misses []AlertMiss
	// False are the unpaired scored alerts, by alert id (then input order).
	False []FalseAlert
}

// AlertMiss is a true case no alert was paired with, and why.
type AlertMiss struct {
	Adult    string
	Children []string
	UPRN     string
	Date     string
	Reason   string
}

// FalseAlert is a scored alert paired with no case, and why. Adult is the
// true person the alert names ("" when its records name nobody in the
// truth); DuplicateOf is the alert paired with the case this one
// repeats, or "".
type FalseAlert struct {
	ID, UPRN, Adult string
	DuplicateOf     string
	Reason          string
}

// The reasons of AlertMiss and FalseAlert that take no value.
const (
	missUndetectable   = "no source record shows the move"
	missNoAlert        = "no alert at the property"
	missElsewhere      = "no alert at the property; alerts name the adult at another property"
	missOutvoted       = "alerts at the property hold the adult's records, but mostly another person's"
	missNotInTruth     = "the adult's records at the property are not in the truth"
	missNobody         = "alerts at the property name no one in the truth"
	missOtherAdults    = "alerts at the property name other adults"
	falseNoAdult       = "the alert names no adult record"
	falseNotInTruth    = "its adult records are not in the truth"
	falseNoProperty    = "the alert names no property"
	falseOtherProperty = "the adult's move in the truth is to another property"
	falseNotMovedIn    = "the adult did not move in per the truth"
	falseNoCase        = "no case at the property"
)

// ScoreAlerts scores the alerts of kind new_adult_with_child against the
// true cases; other kinds are notifications and are left out. An alert
// names the true person most of its adult records belong to (truthOf;
// ties go to the smallest person id; records truthOf lacks are ignored),
// and matches a case at its UPRN for that adult. Pairs are made one to
// one, nearest first: by the days between the alert's evidence date and
// the case's date (no evidence date is farthest), then alert id, then
// case order.
func ScoreAlerts(cases []SafeguardingCase, alerts []AlertRow, truthOf map[resindex.RecordKey]string) AlertMetrics {
	s := newAlertScoring(cases, alerts, truthOf)
	s.pair()
	return s.metrics()
}

// withCaseRecords adds to the truth the records the cases name, for the
// case's adult: the truth lists the records live at the end of the
// timeline, and an alert names the records that showed the move, which
// may have closed since (a benefit claim ended, a tenancy given up).
func withCaseRecords(truthOf map[resindex.RecordKey]string, cases []SafeguardingCase) map[resindex.RecordKey]string {
	out := make(map[resindex.RecordKey]string, len(truthOf))
	for k, v := range truthOf {
		out[k] = v
	}
	for _, c := range cases {
		for _, k := range c.Records {
			if _, ok := out[k]; !ok {
				out[k] = c.Adult
			}
		}
	}
	return out
}

// alertScoring is the state of one ScoreAlerts: the scored alerts, who
// each names, and the pairs made.
type alertScoring struct {
	cases   []SafeguardingCase
	alerts  []AlertRow
	truthOf map[resindex.RecordKey]string
	adult   []string // by alert: the true person it names, or ""
	caseOf  []int    // by alert: the paired case, or -1
	alertOf []int    // by case: the paired alert, or -1
	nearest []int    // by alert: its first candidate case in pairing order, or -1
	// named holds the true persons the alerts name; caseAdults and
	// caseUPRNs the adults and properties of the cases. They explain
	// what went unpaired without a scan per alert or case.
	named, caseAdults, caseUPRNs map[string]bool
}

func newAlertScoring(cases []SafeguardingCase, alerts []AlertRow, truthOf map[resindex.RecordKey]string) *alertScoring {
	s := &alertScoring{cases: cases, truthOf: withCaseRecords(truthOf, cases), alertOf: filled(len(cases), -1)}
	for _, a := range alerts {
		if a.Kind == scoredKind {
			s.alerts = append(s.alerts, a)
		}
	}
	s.adult = make([]string, len(s.alerts))
	s.named, s.caseAdults, s.caseUPRNs = map[string]bool{}, map[string]bool{}, map[string]bool{}
	for i, a := range s.alerts {
		// A record listed twice is still one piece of evidence.
		adults := slices.Clone(a.Adults)
		slices.SortFunc(adults, resindex.RecordKey.Compare)
		s.adult[i] = majority(slices.Compact(adults), s.truthOf)
		s.named[s.adult[i]] = s.adult[i] != ""
	}
	for _, c := range cases {
		s.caseAdults[c.Adult], s.caseUPRNs[c.UPRN] = true, true
	}
	s.caseOf, s.nearest = filled(len(s.alerts), -1), filled(len(s.alerts), -1)
	return s
}

func filled(n, v int) []int {
	out := make([]int, n)
	for i := range out {
		out[i] = v
	}
	return out
}

// candidate is an alert that could pair with a case, and how far apart
// their dates are.
type candidate struct{ alert, c, days int }

// pair pairs alerts with cases greedily, nearest first. Every alert that
// can pair with a case at all can pair with every case for the same adult
// and property, so greedy pairing also pairs as many as can be.
func (s *alertScoring) pair() {
	byAdultAt := make(map[[2]string][]int)
	for ci, c := range s.cases {
		byAdultAt[[2]string{c.UPRN, c.Adult}] = append(byAdultAt[[2]string{c.UPRN, c.Adult}], ci)
	}
	var cands []candidate
	for ai, a := range s.alerts {
		if s.adult[ai] == "" {
			continue
		}
		for _, ci := range byAdultAt[[2]string{a.UPRN, s.adult[ai]}] {
			cands = append(cands, candidate{ai, ci, dayDistance(a.EvidenceDate, s.cases[ci].Date)})
		}
	}
	slices.SortFunc(cands, func(x, y candidate) int {
		return cmp.Or(cmp.Compare(x.days, y.days), cmp.Compare(s.alerts[x.alert].ID, s.alerts[y.alert].ID),
			cmp.Compare(x.alert, y.alert), cmp.Compare(x.c, y.c))
	})
	for _, c := range cands {
		if s.nearest[c.alert] < 0 {
			s.nearest[c.alert] = c.c
		}
		if s.caseOf[c.alert] < 0 && s.alertOf[c.c] < 0 {
			s.caseOf[c.alert], s.alertOf[c.c] = c.c, c.alert
		}
	}
}

// dayDistance is the number of days between two YYYY-MM-DD dates, or
// math.MaxInt when either is missing or malformed.
func dayDistance(a, b string) int {
	ta, okA := parseDay(a)
	tb, okB := parseDay(b)
	if !okA || !okB {
		return math.MaxInt
	}
	d := int(ta.Sub(tb).Hours() / 24)
	return max(d, -d)
}

// metrics counts the pairs and explains what was left unpaired.
func (s *alertScoring) metrics() AlertMetrics {
	m := AlertMetrics{Cases: len(s.cases), Scored: len(s.alerts)}
	at := s.alertsAt()
	for ci, c := range s.cases {
		detectable := len(c.Records) > 0
		if detectable {
			m.Detectable++
		}
		if s.alertOf[ci] < 0 {
			m.Misses = append(m.Misses, AlertMiss{Adult: c.Adult, Children: c.Children, UPRN: c.UPRN, Date: c.Date, Reason: s.missReason(c, at[c.UPRN])})
			continue
		}
		m.Matched++
		if detectable {
			m.MatchedDetectable++
		}
	}
	for ai := range s.alerts {
		if s.caseOf[ai] < 0 {
			f := s.falseAlert(ai)
			if f.DuplicateOf != "" {
				m.Duplicates++
			}
			m.False = append(m.False, f)
		}
	}
	slices.SortStableFunc(m.Misses, func(a, b AlertMiss) int { return cmp.Or(cmp.Compare(a.Date, b.Date), cmp.Compare(a.Adult, b.Adult)) })
	slices.SortStableFunc(m.False, func(a, b FalseAlert) int { return cmp.Compare(a.ID, b.ID) })
	m.Precision = ratioOrZero(m.Matched, m.Scored)
	m.Recall = ratioOrZero(m.MatchedDetectable, m.Detectable)
	m.RecallAll = ratioOrZero(m.Matched, m.Cases)
	m.F1 = harmonic(m.Precision, m.Recall)
	return m
}

// ratioOrZero is num/den, or 0 when den is 0: with nothing to find, or
// nothing raised, no alert has been shown to work.
func ratioOrZero(num, den int) float64 {
	if den == 0 {
		return 0
	}
	return float64(num) / float64(den)
}

// alertsAt indexes the scored alerts by UPRN, in input order.
func (s *alertScoring) alertsAt() map[string][]int {
	at := make(map[string][]int)
	for ai, a := range s.alerts {
		at[a.UPRN] = append(at[a.UPRN], ai)
	}
	return at
}

// missReason says why case c, unpaired, got no alert; here are the scored
// alerts at its property.
func (s *alertScoring) missReason(c SafeguardingCase, here []int) string {
	switch {
	case len(c.Records) == 0:
		return missUndetectable
	case len(here) == 0 && s.named[c.Adult]:
		return missElsewhere
	case len(here) == 0:
		return missNoAlert
	}
	for _, ai := range here {
		// Only possible when the adult moved in twice: the alert went to
		// the other move.
		if s.adult[ai] == c.Adult && s.caseOf[ai] >= 0 {
			return "the adult's alert at the property went to their case of " + s.cases[s.caseOf[ai]].Date
		}
	}
	switch {
	case s.holdRecordOf(here, c.Adult):
		return missOutvoted
	case !s.anyOf(c.Records, c.Adult):
		return missNotInTruth
	case s.allNobody(here):
		return missNobody
	}
	return missOtherAdults
}

// holdRecordOf reports whether any of the alerts lists a record of person.
func (s *alertScoring) holdRecordOf(alerts []int, person string) bool {
	for _, ai := range alerts {
		if s.anyOf(s.alerts[ai].Adults, person) {
			return true
		}
	}
	return false
}

// anyOf reports whether any of recs is person's in the truth.
func (s *alertScoring) anyOf(recs []resindex.RecordKey, person string) bool {
	for _, k := range recs {
		if p, ok := s.truthOf[k]; ok && p == person {
			return true
		}
	}
	return false
}

// allNobody reports whether none of the alerts names a true person.
func (s *alertScoring) allNobody(alerts []int) bool {
	for _, ai := range alerts {
		if s.adult[ai] != "" {
			return false
		}
	}
	return true
}

// falseAlert says why scored alert ai, unpaired, is false.
func (s *alertScoring) falseAlert(ai int) FalseAlert {
	a, adult := s.alerts[ai], s.adult[ai]
	f := FalseAlert{ID: a.ID, UPRN: a.UPRN, Adult: adult}
	switch {
	case len(a.Adults) == 0:
		f.Reason = falseNoAdult
	case adult == "":
		f.Reason = falseNotInTruth
	case s.nearest[ai] >= 0:
		// Pairing leaves an alert out only when all its cases are taken.
		f.DuplicateOf = s.alerts[s.alertOf[s.nearest[ai]]].ID
		f.Reason = "duplicate of alert " + f.DuplicateOf
	case a.UPRN == "":
		f.Reason = falseNoProperty
	case s.caseAdults[adult]:
		f.Reason = falseOtherProperty
	case s.caseUPRNs[a.UPRN]:
		f.Reason = falseNotMovedIn
	default:
		f.Reason = falseNoCase
	}
	return f
}

// FormatAlerts writes m as a plain report: the figures one a line, aligned
// as Metrics.Format aligns them, then up to maxList missed cases and up to
// maxList false alerts (none when maxList <= 0). It prints ids, UPRNs and
// dates of evidence only, never a name or a date of birth.
func FormatAlerts(w io.Writer, m AlertMetrics, maxList int) error {
	var b strings.Builder
	for _, l := range m.reportLines() {
		fmt.Fprintf(&b, "%-24s %14s\n", l[0], l[1])
	}
	if n := min(maxList, len(m.Misses)); n > 0 {
		fmt.Fprintf(&b, "\nmissed cases (%s):\n", shown(n, len(m.Misses)))
		for _, x := range m.Misses[:n] {
			fmt.Fprintf(&b, "- adult %s at %s from %s: %s\n", x.Adult, x.UPRN, x.Date, x.Reason)
		}
	}
	if n := min(maxList, len(m.False)); n > 0 {
		fmt.Fprintf(&b, "\nfalse alerts (%s):\n", shown(n, len(m.False)))
		for _, f := range m.False[:n] {
			fmt.Fprintf(&b, "- alert %s at %s, adult %s: %s\n", f.ID, orDash(f.UPRN), orDash(f.Adult), f.Reason)
		}
	}
	if _, err := io.WriteString(w, b.String()); err != nil {
		return fmt.Errorf("evaluate: format alert metrics: %w", err)
	}
	return nil
}

// reportLines returns the label and formatted value of each figure of
// FormatAlerts.
func (m AlertMetrics) reportLines() [][2]string {
	count := strconv.Itoa
	pct := func(f float64) string { return fmt.Sprintf("%.4f%%", 100*f) }
	return [][2]string{
		{"Safeguarding cases", count(m.Cases)},
		{"Detectable cases", count(m.Detectable)},
		{"Alerts scored", count(m.Scored)},
		{"Alerts matched", count(m.Matched)},
		{"Detectable matched", count(m.MatchedDetectable)},
		{"Duplicate alerts", count(m.Duplicates)},
		{"Precision", pct(m.Precision)},
		{"Recall (detectable)", pct(m.Recall)},
		{"Recall (all cases)", pct(m.RecallAll)},
		{"F1", pct(m.F1)},
	}
}

// shown words how many of a list are printed.
func shown(n, of int) string {
	if n == of {
		return strconv.Itoa(of)
	}
	return fmt.Sprintf("first %d of %d", n, of)
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
