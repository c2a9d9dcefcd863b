package matcher

import (
	"bytes"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/resindex/resindex"
)

// AddressParts is a free-text address split into BS 7666-shaped parts, all
// normalised (folded lower-case ASCII, abbreviations expanded), so that two
// writings of one address compare equal part by part.
type AddressParts struct {
	Flat     string   // sub-building (SAON): "2" from "Flat 2" or "2/10 High St"; "basement", "ground", "first" for floor flats
	Number   string   // house number (PAON) with suffix or range: "10", "10a", "10-12"
	Building string   // building name: "carlton house"
	Street   string   // street, abbreviations expanded: "high street", "saint johns road"
	Town     string   // town or locality: the town argument, else a trailing line that is not a street
	Postcode string   // NormalisePostcode of the postcode argument, else a UK postcode ending the last line
	Tokens   []string // every distinctive token of the lines and town, sorted and unique, for token-overlap scores
}

// ParseAddress splits free-text address lines, a town and a postcode into
// parts. It expects UK addresses (flat, building, number and street, then
// locality and town) but never fails: anything it cannot place still
// contributes to Tokens, so an address from elsewhere ("69 Giblin Street",
// "Killarney") degrades to number, street, town and tokens. Lines may also
// hold several comma-separated parts.
func ParseAddress(lines []string, town, postcode string) AddressParts {
	p := AddressParts{Postcode: NormalisePostcode(postcode)}
	segs := splitAddressSegments(lines)
	segs = p.takeTrailingPostcode(segs)
	townToks := addressTokens(town)
	p.Town = strings.Join(townToks, " ")
	toks := make([][]string, 0, len(segs))
	for _, s := range segs {
		if t := addressTokens(s); len(t) > 0 {
			toks = append(toks, t)
		}
	}
	p.Tokens = distinctTokens(toks, townToks)
	p.assign(toks)
	return p
}

// splitAddressSegments splits every line at commas and semicolons, because
// many systems hold the whole address in one line, and drops empty parts.
func splitAddressSegments(lines []string) []string {
	segs := make([]string, 0, len(lines)+2)
	for _, l := range lines {
		for s := range strings.FieldsFuncSeq(l, isSegmentBreak) {
			if s = strings.TrimSpace(s); s != "" {
				segs = append(segs, s)
			}
		}
	}
	return segs
}

func isSegmentBreak(r rune) bool { return r == ',' || r == ';' || r == '\n' || r == '\r' }

// takeTrailingPostcode removes a UK postcode that forms, or ends, the last
// segment (it is neither street nor town) and adopts it when no postcode
// argument was given.
func (p *AddressParts) takeTrailingPostcode(segs []string) []string {
	if len(segs) == 0 {
		return segs
	}
	last := segs[len(segs)-1]
	rest, pc := splitTrailingPostcode(last)
	if pc == "" {
		return segs
	}
	if p.Postcode == "" {
		p.Postcode = pc
	}
	if rest == "" {
		return segs[:len(segs)-1]
	}
	segs[len(segs)-1] = rest
	return segs
}

// splitTrailingPostcode looks for a valid UK postcode as the last one or
// two words of s ("London SW1A 1AA", "SW1A1AA") and returns what precedes it
// and the normalised postcode; pc is "" when there is none.
func splitTrailingPostcode(s string) (rest, pc string) {
	words := strings.Fields(s)
	for n := min(2, len(words)); n >= 1; n-- {
		tail := words[len(words)-n:]
		if n == 2 && len(tail[1]) != 3 {
			continue // only "outward inward" splits in two
		}
		cand := NormalisePostcode(strings.Join(tail, ""))
		if ValidUKPostcode(cand) {
			return strings.Join(words[:len(words)-n], " "), cand
		}
	}
	return s, ""
}

// addressTokens cleans one segment into normalised tokens with
// abbreviations expanded.
func addressTokens(s string) []string {
	toks := strings.Fields(cleanAddressText(s))
	if len(toks) == 0 {
		return nil
	}
	toks = tidyNumbers(toks)
	return expandAddressWords(toks)
}

// cleanAddressText folds s to lower-case ASCII and turns punctuation into
// spaces, except that apostrophes vanish (St John's → st johns) and a hyphen
// or slash between a number and a digit is kept tight, so that ranges
// ("10 - 12" → "10-12") and flat/number pairs ("2/10") stay one token.
func cleanAddressText(s string) string {
	f := FoldASCII(s)
	b := make([]byte, 0, len(f))
	pending := false // a separator waits; written only before the next word
	for i := 0; i < len(f); {
		r, size := utf8.DecodeRuneInString(f[i:])
		i += size
		switch {
		case r < utf8.RuneSelf && (isLower(byte(r)) || isDigit(byte(r))),
			r >= utf8.RuneSelf && (unicode.IsLetter(r) || unicode.IsDigit(r)):
			if pending && len(b) > 0 {
				b = append(b, ' ')
			}
			pending = false
			b = utf8.AppendRune(b, r)
		case isApostrophe(r):
		case (r == '-' || r == '/') && numberJoin(b, f[i:]):
			b = append(b, byte(r))
			pending = false
			i += len(f[i:]) - len(strings.TrimLeft(f[i:], " "))
		default:
			pending = true
		}
	}
	return string(b)
}

// numberJoin reports whether a hyphen or slash joins two numbers: the word
// written last starts with a digit and the next non-space character is one.
func numberJoin(written []byte, next string) bool {
	start := bytes.LastIndexByte(written, ' ') + 1
	if start >= len(written) || !isDigit(written[start]) {
		return false
	}
	next = strings.TrimLeft(next, " ")
	return next != "" && isDigit(next[0])
}

// tidyNumbers glues a lone letter to the number before it ("12 B" → "12b",
// the same house as "12B") and drops a "No" before a number ("No. 10").
func tidyNumbers(toks []string) []string {
	out := toks[:0]
	for i := 0; i < len(toks); i++ {
		t := toks[i]
		next := ""
		if i+1 < len(toks) {
			next = toks[i+1]
		}
		switch {
		case (t == "no" || t == "number") && isHouseNumber(next):
			continue
		case allDigits(t) && len(next) == 1 && isLower(next[0]):
			t += next
			i++
		}
		out = append(out, t)
	}
	return out
}

// addressAbbrev maps the abbreviations found in council address data to
// the word they stand for. "st" is not here: it means saint or street by
// position (saintOrStreet). Flat markers all become "flat".
var addressAbbrev = map[string]string{
	"rd": "road", "ave": "avenue", "av": "avenue", "avn": "avenue", "ln": "lane",
	"cres": "crescent", "cresc": "crescent", "ct": "court", "crt": "court", "pl": "place",
	"gdns": "gardens", "sq": "square", "terr": "terrace", "ter": "terrace", "tce": "terrace",
	"dr": "drive", "drv": "drive", "cl": "close", "gr": "grove", "gro": "grove", "grv": "grove",
	"pk": "park", "hse": "house", "ho": "house", "est": "estate", "mans": "mansions",
	"bldgs": "buildings", "bldg": "building", "wk": "walk", "hwy": "highway", "pde": "parade",
	"cir": "circuit", "circ": "circuit", "mt": "mount", "grn": "green", "cotts": "cottages",
	"twr": "tower", "hts": "heights", "blvd": "boulevard", "esp": "esplanade", "prom": "promenade",
	"yd": "yard", "lwr": "lower", "upr": "upper", "gt": "great", "nth": "north", "sth": "south",
	"flt": "flat", "apt": "flat", "apartment": "flat", "unit": "flat", "maisonette": "flat",
	"bsmt": "basement", "grd": "ground", "gnd": "ground", "flr": "floor",
	"1st": "first", "2nd": "second", "3rd": "third", "4th": "fourth", "5th": "fifth",
	"6th": "sixth", "7th": "seventh", "8th": "eighth", "9th": "ninth", "10th": "tenth",
}

// compassAbbrev expands a one-letter direction after a street type
// ("High Road N"); elsewhere a lone letter is left alone.
var compassAbbrev = map[string]string{"n": "north", "s": "south", "e": "east", "w": "west"}

var (
	compassWords = wordSet("north south east west n s e w")
	streetTypes  = wordSet("street road avenue lane crescent place gardens square terrace drive " +
		"close grove way walk highway parade circuit boulevard hill rise row mews vale view green " +
		"gate wharf yard broadway embankment esplanade promenade quay approach drove park path " +
		"passage alley causeway mount crossway")
	buildingTypes = wordSet("house court mansions buildings building lodge cottage cottages tower " +
		"towers point heights block hall centre center apartments flats chambers manor farm " +
		"farmhouse villa villas barn mill rectory vicarage estate annexe")
	floorWords = wordSet("basement ground first second third fourth fifth sixth seventh eighth " +
		"ninth tenth top lower upper garden attic rear front")
	// floorFlatCodes are the estate agents' initialisms for floor flats.
	floorFlatCodes = map[string]string{"gff": "ground", "lgff": "lower", "fff": "first",
		"sff": "second", "tff": "top", "bff": "basement"}
	// addressStopwords carry no evidence about which address it is.
	addressStopwords = wordSet("flat the and of floor no")
)

// expandAddressWords replaces abbreviations in place.
func expandAddressWords(toks []string) []string {
	for i, t := range toks {
		switch {
		case t == "st":
			toks[i] = saintOrStreet(toks[i+1:])
		case i > 0 && i == len(toks)-1 && compassAbbrev[t] != "" && streetTypes[toks[i-1]]:
			toks[i] = compassAbbrev[t]
		default:
			if e, ok := addressAbbrev[t]; ok {
				toks[i] = e
			}
		}
	}
	return toks
}

// saintOrStreet reads "st" as "saint" when a name follows it ("St John's
// Rd") and as "street" when it ends the line, perhaps before a direction
// ("High St", "High St North").
func saintOrStreet(after []string) string {
	for _, t := range after {
		if !compassWords[t] {
			return "saint"
		}
	}
	return "street"
}

// isHouseNumber reports a house number with optional letter suffix ("10",
// "10a") or a range of them ("10-12").
func isHouseNumber(t string) bool {
	if a, b, ok := strings.Cut(t, "-"); ok {
		return isSimpleHouseNumber(a) && isSimpleHouseNumber(b)
	}
	return isSimpleHouseNumber(t)
}

// isSimpleHouseNumber: 1 to 5 digits and at most one trailing letter.
func isSimpleHouseNumber(t string) bool {
	n := len(t)
	if n > 1 && isLower(t[n-1]) {
		n--
	}
	return n >= 1 && n <= 5 && allDigits(t[:n])
}

// isFlatValue reports what may follow "Flat": a short run of letters and
// digits holding a digit ("2", "2a", "g01") or a single letter ("A").
func isFlatValue(t string) bool {
	if len(t) == 0 || len(t) > 6 {
		return false
	}
	digit := false
	for i := 0; i < len(t); i++ {
		switch c := t[i]; {
		case isDigit(c):
			digit = true
		case !isLower(c):
			return false
		}
	}
	return digit || len(t) == 1
}

// assign places the segments' tokens into parts: flat markers anywhere,
// then building, number and street in reading order, then what trails the
// street as locality, the last of which is the town if none was given.
func (p *AddressParts) assign(segs [][]string) {
	var trailing [][]string
	for i, toks := range segs {
		toks = p.takeFlat(toks)
		if len(toks) == 0 || sameWords(toks, p.Town) {
			continue
		}
		if p.Street != "" {
			trailing = append(trailing, toks)
			continue
		}
		if rest := p.placeSegment(toks, i == len(segs)-1); len(rest) > 0 {
			trailing = append(trailing, rest)
		}
	}
	if p.Town == "" {
		p.Town = townFrom(trailing)
	}
}

// placeSegment handles a segment met before the street is known and
// returns any tokens that trail the street.
func (p *AddressParts) placeSegment(toks []string, last bool) []string {
	if k := houseNumberIndex(toks); k >= 0 && p.Number == "" {
		p.Number = toks[k]
		if k > 0 && p.Building == "" {
			p.Building = partText(toks[:k])
		}
		return p.setStreet(toks[k+1:])
	}
	kind := segmentKind(toks)
	switch {
	case p.Number != "", kind == streetSegment:
		return p.setStreet(toks) // a number standing alone is followed by its street
	case kind == buildingSegment || p.Building == "":
		if p.Building == "" {
			p.Building = partText(toks)
		}
		return nil
	case !last || p.Town != "":
		return p.setStreet(toks) // after a building, before the town
	}
	return toks // the last line, unclassified and no town given: the town
}

// setStreet records toks as the street, splitting off anything after the
// last street-type word ("high street london") as trailing locality.
func (p *AddressParts) setStreet(toks []string) []string {
	if len(toks) == 0 {
		return nil
	}
	end := len(toks)
	for j := len(toks) - 1; j >= 0; j-- {
		if streetTypes[toks[j]] {
			if !allCompass(toks[j+1:]) {
				end = j + 1
			}
			break
		}
	}
	p.Street = partText(toks[:end])
	return toks[end:]
}

// partText joins a building or street name, dropping a leading "the"
// ("The Green", "Old Rectory") that sources keep or omit at random.
func partText(toks []string) string {
	if len(toks) > 1 && toks[0] == "the" {
		toks = toks[1:]
	}
	return strings.Join(toks, " ")
}

func allCompass(toks []string) bool {
	for _, t := range toks {
		if !compassWords[t] {
			return false
		}
	}
	return true
}

// houseNumberIndex finds the first house number of a segment, skipping
// numbers that name part of a building ("Block 2", "Phase 3").
func houseNumberIndex(toks []string) int {
	for i, t := range toks {
		if !isHouseNumber(t) {
			continue
		}
		if i > 0 && (toks[i-1] == "block" || toks[i-1] == "phase" || toks[i-1] == "level") {
			continue
		}
		return i
	}
	return -1
}

type segmentClass int

const (
	otherSegment segmentClass = iota
	streetSegment
	buildingSegment
)

// segmentKind classifies a segment by its last word (ignoring a trailing
// direction): "church lane" is a street, "carlton house" a building.
func segmentKind(toks []string) segmentClass {
	last := toks[len(toks)-1]
	if len(toks) > 1 && compassWords[last] {
		last = toks[len(toks)-2]
	}
	switch {
	case streetTypes[last]:
		return streetSegment
	case buildingTypes[last]:
		return buildingSegment
	}
	return otherSegment
}

// townFrom picks the last trailing segment that is neither a street nor a
// numbered line; a number later in the line may be a foreign postcode
// ("Killarney VIC 3283").
func townFrom(trailing [][]string) string {
	for i := len(trailing) - 1; i >= 0; i-- {
		if segmentKind(trailing[i]) != streetSegment && houseNumberIndex(trailing[i]) != 0 {
			return strings.Join(trailing[i], " ")
		}
	}
	return ""
}

// takeFlat removes sub-building markers from a segment, recording the first
// as the flat: "flat 2", "ground floor flat", "gff", and the flat half of
// "2/10" (the number half stays in the segment).
func (p *AddressParts) takeFlat(toks []string) []string {
	out := toks[:0]
	for i := 0; i < len(toks); i++ {
		t, next := toks[i], ""
		if i+1 < len(toks) {
			next = toks[i+1]
		}
		switch {
		case t == "flat":
			if isFlatValue(next) || floorWords[next] {
				p.setFlat(next)
				i++
			}
		case floorWords[t] && (next == "floor" || next == "flat"):
			p.setFlat(t)
			i += floorRunLength(toks[i+1:])
		case floorFlatCodes[t] != "":
			p.setFlat(floorFlatCodes[t])
		case t == "basement" && len(toks) == 1:
			p.setFlat(t)
		case strings.IndexByte(t, '/') > 0:
			out = append(out, p.splitFlatNumber(t))
		default:
			out = append(out, t)
		}
	}
	return out
}

// floorRunLength counts the "floor", "flat" or "floor flat" words that
// follow a floor word, so "first floor flat" is consumed whole.
func floorRunLength(after []string) int {
	n := 0
	if n < len(after) && after[n] == "floor" {
		n++
	}
	if n < len(after) && after[n] == "flat" {
		n++
	}
	return n
}

// splitFlatNumber reads "2/10" as flat 2 at number 10 and returns the
// number; any other slashed token ("1/2/3") is returned unchanged. It never
// returns more than it was given, which takeFlat's in-place filter relies on.
func (p *AddressParts) splitFlatNumber(t string) string {
	flat, num, _ := strings.Cut(t, "/")
	if isFlatValue(flat) && isHouseNumber(num) {
		p.setFlat(flat)
		return num
	}
	return t
}

func (p *AddressParts) setFlat(v string) {
	if p.Flat == "" {
		p.Flat = v
	}
}

// sameWords reports whether toks joined by spaces equals s, without
// building the joined string.
func sameWords(toks []string, s string) bool {
	if s == "" {
		return false
	}
	for i, t := range toks {
		if i > 0 {
			if s == "" || s[0] != ' ' {
				return false
			}
			s = s[1:]
		}
		if !strings.HasPrefix(s, t) {
			return false
		}
		s = s[len(t):]
	}
	return s == ""
}

// distinctTokens gathers the evidence-bearing tokens of all segments and
// the town, splitting "2/10" into its numbers, sorted and unique.
func distinctTokens(segs [][]string, town []string) []string {
	n := len(town)
	for _, s := range segs {
		n += len(s)
	}
	if n == 0 {
		return nil
	}
	out := make([]string, 0, n+2)
	add := func(t string) {
		if f := floorFlatCodes[t]; f != "" {
			t = f // "gff" and "ground floor flat" share the token "ground"
		}
		if strings.IndexByte(t, '/') < 0 {
			if !addressStopwords[t] {
				out = append(out, t)
			}
			return
		}
		for part := range strings.SplitSeq(t, "/") {
			if part != "" {
				out = append(out, part)
			}
		}
	}
	for _, s := range segs {
		for _, t := range s {
			add(t)
		}
	}
	for _, t := range town {
		add(t)
	}
	if len(out) == 0 {
		return nil
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// Key returns the address as flat|number|building|street|place for exact
// comparison, where place is the postcode, or the town when the postcode is
// missing or a ZZ99 pseudo-postcode. Two writings of one address ("Flat 2,
// 10 High St" and "2/10 High Street") give the same key. An address with no
// flat, number, building or street has no key (""): a bare postcode or town
// says too little to call two addresses the same.
func (a AddressParts) Key() string {
	if a.Flat == "" && a.Number == "" && a.Building == "" && a.Street == "" {
		return ""
	}
	place := a.Postcode
	if place == "" || IsPseudoPostcode(place) {
		place = a.Town
	}
	return a.Flat + "|" + a.Number + "|" + a.Building + "|" + a.Street + "|" + place
}

// PropertyKey names the property an address is at, which keys its
// household: "uprn:<n>" when the address carries a valid UPRN, otherwise
// the normalised address (AddressParts.Key); "" when the address does not
// name a property.
func PropertyKey(a resindex.Address) string {
	if u, ok := ValidUPRN(a.UPRN); ok {
		return "uprn:" + u
	}
	return ParseAddress(a.Lines, a.Town, a.Postcode).Key()
}
