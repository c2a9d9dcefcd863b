package synth

import (
	"math/rand/v2"
	"strings"
)

// town is the post town of every property in the borough.
const town = "London"

// streetAbbrev is how clerks shorten street types.
var streetAbbrev = map[string]string{
	"Road": "Rd", "Street": "St", "Avenue": "Ave", "Gardens": "Gdns", "Close": "Cl", "Grove": "Gr",
	"Place": "Pl", "Terrace": "Ter", "Lane": "Ln", "Square": "Sq", "Crescent": "Cres", "Walk": "Wlk",
	"Park": "Pk", "Villas": "Vlls", "Mews": "Mws", "Hill": "Hl", "Way": "Wy", "Row": "Rw", "Rise": "Ri",
}

// addressVariant writes a property's address in one of the non-standard
// ways sources write it: abbreviated street types, "3/12 Ashby Road",
// "12 Ashby Road Flat 3", capitals, one long line, the building without its
// number, no town. It returns the lines and the town.
func addressVariant(r *rand.Rand, p *property, st *street) ([]string, string) {
	flat := p.saon != ""
	switch r.IntN(7) {
	case 1:
		if n, ok := flatNumber(p.saon); ok {
			return []string{n + "/" + p.number + " " + st.name}, town
		}
	case 2:
		if flat {
			return compact(p.building, p.number+" "+st.name+" "+p.saon), town
		}
	case 3:
		return upperAll(p.lines), strings.ToUpper(town)
	case 4:
		if len(p.lines) > 1 {
			return []string{strings.Join(p.lines, ", ")}, town
		}
	case 5:
		if p.building != "" {
			return []string{p.saon + " " + p.building, st.name}, town
		}
	case 6:
		if flat {
			return []string{joinNonEmpty(", ", p.saon, p.building), p.number + " " + st.name}, ""
		}
		return p.lines, ""
	}
	return abbreviated(p, st), town
}

// abbreviated shortens the street type, or lower-cases the lines when the
// type has no usual abbreviation, so that the result always differs.
func abbreviated(p *property, st *street) []string {
	ab, ok := streetAbbrev[st.typ]
	if !ok {
		return lowerAll(p.lines)
	}
	out := append([]string(nil), p.lines...)
	out[len(out)-1] = p.number + " " + st.word + " " + ab
	return out
}

// flatNumber returns the number or letter of "Flat 3" / "Flat B".
func flatNumber(saon string) (string, bool) {
	if n, ok := strings.CutPrefix(saon, "Flat "); ok && n != "" {
		return n, true
	}
	return "", false
}

func compact(parts ...string) []string {
	var out []string
	for _, p := range parts {
		if p != "" {
			out = append(out, p)
		}
	}
	return out
}

func upperAll(xs []string) []string {
	out := make([]string, len(xs))
	for i, x := range xs {
		out[i] = strings.ToUpper(x)
	}
	return out
}

func lowerAll(xs []string) []string {
	out := make([]string, len(xs))
	for i, x := range xs {
		out[i] = strings.ToLower(x)
	}
	return out
}

// joinNonEmpty joins the non-empty parts with sep.
func joinNonEmpty(sep string, parts ...string) string {
	return strings.Join(compact(parts...), sep)
}
