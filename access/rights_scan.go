package access

import (
	"slices"

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

// withoutLeftOut drops the findings that name a person restricted or
// objecting since the run that found them (the next run leaves them out
// at the source): none is shown, as subject or as evidence. The run's
// own list is not changed.
func (s *Service) withoutLeftOut(fs []fraud.Finding) ([]fraud.Finding, error) {
	if s.opts.Rights == nil {
		return fs, nil
	}
	rs, err := LoadRightsSets(s.opts.Rights)
	if err != nil || len(rs.Restricted)+len(rs.Objecting) == 0 {
		return fs, err
	}
	out := make([]fraud.Finding, 0, len(fs))
	for _, f := range fs {
		if !rs.LeftOut(f.Subject) && !slices.ContainsFunc(f.Others, rs.LeftOut) {
			out = append(out, f)
		}
	}
	return out, nil
}
