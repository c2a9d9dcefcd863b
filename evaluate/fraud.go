package evaluate

import (
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/resindex/resindex"
)

// FraudCase is one injected fraud of truth/scenarios.json: a sublet
// tenancy (Account is the lead tenant's housing record) or a false single
// person discount (Account is the liable party's council tax record).
// Subject is the tenant or the liable person; Records are the records
// that show the fraud (none: no source shows it).
type FraudCase struct {
	Account resindex.RecordKey
	Subject string
	Records []resindex.RecordKey
}

// fraudLists are the members of scenarios.json and their account fields.
var fraudLists = map[string]struct{ source, id, subject string }{
	"sublets":                 {resindex.SourceHousing, "tenancy_record_id", "tenant_person_id"},
	"single_person_discounts": {resindex.SourceCouncilTax, "account_record_id", "liable_person_id"},
}

// ReadFraudCases reads one list of truth/scenarios.json, "sublets" or
// "single_person_discounts": objects with the account's record id and the
// subject's person id (strings) and a records list of {"source","id"}
// objects. Errors name the member at fault, never a value.
func ReadFraudCases(r io.Reader, list string) ([]FraudCase, error) {
	f, ok := fraudLists[list]
	if !ok {
		return nil, fmt.Errorf("evaluate: no fraud list %q", list)
	}
	items, err := scenarioList(r, list)
	if err != nil {
		return nil, err
	}
	out := make([]FraudCase, 0, len(items))
	for i, item := range items {
		path := fmt.Sprintf("%s[%d]", list, i)
		obj, err := jsonObject(item, path)
		if err != nil {
			return nil, err
		}
		c := FraudCase{Account: resindex.RecordKey{Source: f.source}}
		if c.Account.ID, err = jsonString(obj, f.id, path); err != nil {
			return nil, err
		}
		if c.Account.ID == "" {
			return nil, fmt.Errorf("evaluate: %s.%s: empty", path, f.id)
		}
		if c.Subject, err = jsonString(obj, f.subject, path); err != nil {
			return nil, err
		}
		if c.Records, err = jsonRecords(obj, "records", path); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, nil
}

// ReadFraudCasesFile reads one list of truth/scenarios.json (see
// ReadFraudCases); errors name the file.
func ReadFraudCasesFile(path, list string) ([]FraudCase, error) {
	return readFile(path, func(r io.Reader) ([]FraudCase, error) { return ReadFraudCases(r, list) })
}

// FindingRow is one finding as a check's CSV lists it (fraud.Columns).
type FindingRow struct {
	ID      string
	Score   float64
	Account resindex.RecordKey
	UPRN    string
	Records []resindex.RecordKey
	Signals []string
}

// ReadFindings reads a subletting or single person discount CSV: the
// header (required, in order, as columns gives it), then finding_id,
// score (0–1), the account's source and id, uprn, record keys joined by
// ";" and signal names joined by ";". Errors name the line and column,
// never a value.
func ReadFindings(r io.Reader, columns []string) ([]FindingRow, error) {
	if len(columns) != 7 {
		return nil, errors.New("evaluate: a findings CSV has seven columns")
	}
	var out []FindingRow
	seen := map[string]int{}
	err := readRows(r, columns, func(row []string, line int) error {
		if len(row) != len(columns) {
			return fmt.Errorf("evaluate: line %d: %d columns, want %d", line, len(row), len(columns))
		}
		f := FindingRow{ID: row[0], Account: resindex.RecordKey{Source: row[2], ID: row[3]}, UPRN: row[4]}
		if f.ID == "" {
			return fmt.Errorf("evaluate: line %d: column %s: empty", line, columns[0])
		}
		if first, dup := seen[f.ID]; dup {
			return fmt.Errorf("evaluate: line %d: column %s: duplicate (first on line %d)", line, columns[0], first)
		}
		seen[f.ID] = line
		s, err := strconv.ParseFloat(row[1], 64)
		if err != nil || !(s >= 0 && s <= 1) { // NaN too
			return fmt.Errorf("evaluate: line %d: column %s: want a number from 0 to 1", line, columns[1])
		}
		f.Score = s
		if f.Account.Check() != nil {
			return fmt.Errorf("evaluate: line %d: columns %s, %s: want a source and an id", line, columns[2], columns[3])
		}
		if f.Records, err = parseKeyList(row[5], line, columns[5]); err != nil {
			return err
		}
		if row[6] != "" {
			f.Signals = strings.Split(row[6], ";")
		}
		out = append(out, f)
		return nil
	})
	return out, err
}

// FraudMetrics are one check's findings scored against the injected
// cases: recall over every case and over those some source shows, and
// precision over the findings at or above the threshold.
type FraudMetrics struct {
	Cases, Shown, Found, FoundShown int
	Findings, Correct               int
	Recall, RecallShown, Precision  float64
	Misses                          []FraudMiss
	False                           []FindingRow
}

// FraudMiss is a case no finding at or above the threshold names, and why.
type FraudMiss struct {
	Case FraudCase
	Why  string
}

// ScoreFindings scores the findings at or above min against the cases. A
// case is found when a finding names its account record. all holds every
// finding the check made (below the threshold too), to say why a case
// was missed.
func ScoreFindings(cases []FraudCase, all []FindingRow, min float64) FraudMetrics {
	var m FraudMetrics
	byAccount := map[resindex.RecordKey]FindingRow{}
	for _, f := range all {
		byAccount[f.Account] = f
	}
	injected := map[resindex.RecordKey]bool{}
	for _, c := range cases {
		injected[c.Account] = true
		m.Cases++
		shown := len(c.Records) > 0
		if shown {
			m.Shown++
		}
		f, ok := byAccount[c.Account]
		if ok && f.Score >= min {
			m.Found++
			if shown {
				m.FoundShown++
			}
			continue
		}
		m.Misses = append(m.Misses, FraudMiss{Case: c, Why: missWhy(f, ok, shown, min)})
	}
	for _, f := range all {
		if f.Score < min {
			continue
		}
		m.Findings++
		if injected[f.Account] {
			m.Correct++
		} else {
			m.False = append(m.False, f)
		}
	}
	m.Recall, m.RecallShown, m.Precision = ratioOrZero(m.Found, m.Cases), ratioOrZero(m.FoundShown, m.Shown), ratioOrZero(m.Correct, m.Findings)
	return m
}

func missWhy(f FindingRow, found, shown bool, min float64) string {
	switch {
	case found:
		return fmt.Sprintf("scored %.3f, below %.2f (%s)", f.Score, min, strings.Join(f.Signals, ", "))
	case !shown:
		return "no source's records show it"
	}
	return "no signal fired"
}

// FormatFindings prints one check's figures, then up to maxList misses and
// false findings (record keys only: they name no resident).
func FormatFindings(w io.Writer, title string, m FraudMetrics, maxList int) error {
	fmt.Fprintf(w, "%s: %d injected, %d some source shows; %d findings at or above the threshold\n", title, m.Cases, m.Shown, m.Findings)
	fmt.Fprintf(w, "  recall %.4f (%d/%d)  recall where a source shows it %.4f (%d/%d)  precision %.4f (%d/%d)\n",
		m.Recall, m.Found, m.Cases, m.RecallShown, m.FoundShown, m.Shown, m.Precision, m.Correct, m.Findings)
	for i, x := range m.Misses {
		if i == maxList {
			fmt.Fprintf(w, "  … and %d more misses\n", len(m.Misses)-maxList)
			break
		}
		fmt.Fprintf(w, "  missed %s: %s\n", x.Case.Account, x.Why)
	}
	for i, f := range m.False {
		if i == maxList {
			fmt.Fprintf(w, "  … and %d more false findings\n", len(m.False)-maxList)
			break
		}
		_, err := fmt.Fprintf(w, "  false finding %s %s: score %.3f (%s)\n", f.ID, f.Account, f.Score, strings.Join(f.Signals, ", "))
		if err != nil {
			return err
		}
	}
	return nil
}
