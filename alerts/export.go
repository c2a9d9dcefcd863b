package alerts

import (
	"encoding/csv"
	"encoding/json"
	"io"
	"strings"
	"time"

	"github.com/resindex/resindex"
)

// CSVColumns are the header of the alerts CSV, a plain format for
// case-management systems: *_records are source/id keys joined by ";".
var CSVColumns = []string{"alert_id", "raised_at", "kind", "severity", "status", "uprn", "adult_records", "child_records", "evidence_date"}

// WriteCSV writes alerts as CSV with CSVColumns.
func WriteCSV(w io.Writer, list []resindex.Alert) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(CSVColumns); err != nil {
		return err
	}
	for i := range list {
		a := &list[i]
		var adult, kids []string
		if a.Adult != nil {
			adult = keys(a.Adult.Records)
		}
		for _, c := range a.Children {
			kids = append(kids, keys(c.Records)...)
		}
		row := []string{a.ID, a.RaisedAt.UTC().Format(time.RFC3339), a.Kind, a.Severity, a.Status, a.UPRN,
			strings.Join(adult, ";"), strings.Join(kids, ";"), a.EvidenceDate}
		if err := cw.Write(row); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

func keys(ks []resindex.RecordKey) []string {
	out := make([]string, len(ks))
	for i, k := range ks {
		out[i] = k.String()
	}
	return out
}

// WriteJSON writes alerts as one JSON array.
func WriteJSON(w io.Writer, list []resindex.Alert) error {
	if list == nil {
		list = []resindex.Alert{}
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(list)
}
