package fraud

import (
	"encoding/csv"
	"encoding/json"
	"io"
	"strconv"
	"strings"

	"github.com/resindex/resindex"
)

// Columns are the header of each check's CSV, a plain format for
// case-management systems: *_records are source/id keys joined by ";",
// signals are names joined by ";" (docs/fraud.md).
var Columns = map[Kind][]string{
	Subletting: {"finding_id", "score", "tenancy_source", "tenancy_id", "uprn", "tenant_records", "signals"},
	SPD:        {"finding_id", "score", "account_source", "account_id", "uprn", "other_adult_records", "signals"},
}

// WriteCSV writes one check's findings as CSV with its Columns.
func WriteCSV(w io.Writer, k Kind, list []Finding) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(Columns[k]); err != nil {
		return err
	}
	for i := range list {
		f := &list[i]
		recs := f.SubjectRecords
		if k == SPD {
			recs = f.OtherRecords
		}
		row := []string{f.ID, strconv.FormatFloat(f.Score, 'f', 3, 64), f.Account.Source, f.Account.ID, f.UPRN,
			joinKeys(recs), strings.Join(f.SignalNames(), ";")}
		if err := cw.Write(row); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

func joinKeys(ks []resindex.RecordKey) string {
	out := make([]string, len(ks))
	for i, k := range ks {
		out[i] = k.String()
	}
	return strings.Join(out, ";")
}

// jsonFinding is a finding with its record keys written as source/id.
type jsonFinding struct {
	Finding
	Account        string   `json:"account"`
	SubjectRecords []string `json:"subject_records"`
	OtherRecords   []string `json:"other_records,omitempty"`
}

// WriteJSON writes findings as one JSON array, keys as source/id.
func WriteJSON(w io.Writer, list []Finding) error {
	out := make([]jsonFinding, len(list))
	for i, f := range list {
		out[i] = jsonFinding{Finding: f, Account: f.Account.String(), SubjectRecords: strs(f.SubjectRecords), OtherRecords: strs(f.OtherRecords)}
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}

func strs(ks []resindex.RecordKey) []string {
	out := make([]string, len(ks))
	for i, k := range ks {
		out[i] = k.String()
	}
	return out
}
