package resolver

import (
	"github.com/resindex/resindex"
	"github.com/resindex/resindex/matcher"
)

// TrainOptions configure training. Zero values take the defaults.
type TrainOptions struct {
	LinkOptions
	FitOptions
}

// Train fits a model to records without linking them (see Fit): the model
// `link` would fit, saved so that it can be pinned, read and compared. The
// starting model (opts.Model) is not changed.
func Train(records []resindex.Record, opts TrainOptions) (*matcher.Model, FitReport, error) {
	opts.LinkOptions.defaults()
	SortRecords(records)
	if err := checkUnique(records); err != nil {
		return nil, FitReport{}, err
	}
	ps, _ := newProfiles(records, opts.Workers, opts.ReleaseRecords, func(d, t int) { opts.Progress("profiles", d, t) })
	model, rep := Fit(ps, opts.Model, opts.FitOptions, opts.Workers, opts.Progress)
	return model, rep, nil
}
