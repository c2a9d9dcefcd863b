package mapping

import "github.com/resindex/resindex"

// eval makes the addresses an address rule finds in a row: one from the
// row itself, or one per element of the nested object or list named by
// each. An address with no line, town, postcode or UPRN is no address.
func (a *addressRule) eval(row Row) ([]resindex.Address, *rule, string) {
	ctxs, msg := a.contexts(row)
	if msg != "" {
		return nil, a.eachRule(), msg
	}
	var out []resindex.Address
	for _, ctx := range ctxs {
		ad, r, msg := a.one(ctx)
		if msg != "" {
			return nil, r, msg
		}
		if ad.UPRN != "" || len(ad.Lines) > 0 || ad.Town != "" || ad.Postcode != "" {
			out = append(out, ad)
		}
	}
	return out, nil, ""
}

// eachRule stands for the each key in errors.
func (a *addressRule) eachRule() *rule {
	return &rule{line: a.line, from: []string{a.each}}
}

func (a *addressRule) contexts(row Row) ([]Row, string) {
	if a.each == "" {
		return []Row{row}, ""
	}
	v, _ := lookup(row, a.each)
	switch x := v.(type) {
	case nil:
		return nil, ""
	case map[string]any:
		return []Row{x}, ""
	case []any:
		out := make([]Row, 0, len(x))
		for _, e := range x {
			m, ok := e.(map[string]any)
			if !ok {
				return nil, "want a list of address objects"
			}
			out = append(out, m)
		}
		return out, ""
	}
	return nil, "want an address object or a list of them"
}

// one makes one address from its context.
func (a *addressRule) one(ctx Row) (resindex.Address, *rule, string) {
	var ad resindex.Address
	for _, f := range []struct {
		r   *rule
		dst *string
	}{{a.uprn, &ad.UPRN}, {a.town, &ad.Town}, {a.postcode, &ad.Postcode}, {a.from, &ad.From}, {a.to, &ad.To}} {
		v, msg := scalar(f.r, ctx)
		if msg != "" {
			return ad, f.r, msg
		}
		*f.dst = v
	}
	for _, r := range a.lines {
		vals, msg := r.eval(ctx)
		if msg != "" {
			return ad, r, msg
		}
		ad.Lines = append(ad.Lines, vals...)
	}
	cur, msg := scalar(a.current, ctx)
	switch {
	case msg != "":
		return ad, a.current, msg
	case cur != "" && cur != "true" && cur != "false":
		return ad, a.current, "want true or false"
	}
	ad.Current = cur == "true"
	return ad, nil, ""
}

// scalar evaluates an optional rule that gives at most one value.
func scalar(r *rule, ctx Row) (string, string) {
	if r == nil {
		return "", ""
	}
	vals, msg := r.eval(ctx)
	switch {
	case msg != "":
		return "", msg
	case len(vals) > 1:
		return "", "gives several values for a field that holds one"
	case len(vals) == 0 && r.required:
		return "", "required but empty"
	case len(vals) == 0:
		return "", ""
	}
	return vals[0], ""
}
