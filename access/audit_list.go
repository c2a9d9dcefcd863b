package access

import (
	"encoding/json"
	"io"
)

// WriteEntries writes the log's entries that match as NDJSON, one a line,
// each with its sequence number ("seq") beside its fields, for an auditor's
// tools to read.
func WriteEntries(w io.Writer, log AuditLog, f AuditFilter) error {
	enc := json.NewEncoder(w)
	return Entries(log, f, func(seq uint64, e AuditEntry) error {
		return enc.Encode(struct {
			Seq uint64 `json:"seq"`
			AuditEntry
		}{seq, e})
	})
}
