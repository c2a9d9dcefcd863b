package access

import (
	"github.com/resindex/resindex"
	"github.com/resindex/resindex/fraud"
)

// LeavingOut wraps the fraud checks' reading of the index so that
// restricted persons and persons objecting to profiling are neither
// subjects nor evidence: their records are never handed to the checks.
// Who is left out is read afresh at the start of each run.
func LeavingOut(st TxnStore, scan fraud.Scan) fraud.Scan {
	return func(fn func(pid string, r *resindex.Record, place resindex.Property) error) error {
		rs, err := LoadRightsSets(st)
		if err != nil {
			return err
		}
		return scan(func(pid string, r *resindex.Record, place resindex.Property) error {
			if rs.LeftOut(pid) {
				return nil
			}
			return fn(pid, r, place)
		})
	}
}
