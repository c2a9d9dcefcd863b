package synth

import (
	"fmt"
	"math/rand/v2"
	"strconv"
)

// tenure is how a property is held; it decides which households can live
// there and whether the housing system knows it.
type tenure uint8

const (
	tenureSocial tenure = iota
	tenurePrivate
	tenureOwner
	numTenures
)

// building kinds: a house is one property, a converted house a few flats
// lettered A–D or named by floor, a block many numbered flats with a name.
const (
	kindHouse uint8 = iota
	kindConverted
	kindBlock
)

// property is one addressable location of the local gazetteer (LLPG).
type property struct {
	uprn     string // 12 digits
	saon     string // "Flat 3", "Flat B", "Ground Floor Flat" or ""
	building string // "Carlton House" or ""
	number   string // "12", "12A"
	street   int32
	postcode int32
	tenure   tenure
	kind     uint8
	lines    []string // the standard address lines, shared by every record
}

// street is a named street in one postcode district and polling district.
type street struct {
	name     string // "Ashby Road"
	word     string // "Ashby"
	typ      string // "Road"
	district int8
	polling  int16
}

// gazetteer is the borough's property list.
type gazetteer struct {
	props     []property
	streets   []street
	postcodes []string // "NW5 2AB"
	polling   []string // polling district codes, "KA"
	schools   []school
}

// The borough's postcode districts (outward codes) and the sectors used in
// each: inner north London, a shape like Camden's.
var districts = []struct {
	outward string
	sectors string
	weight  float64
}{
	{"NW1", "0123456789", 4}, {"NW3", "1234567", 3}, {"NW5", "1234", 3}, {"N7", "06789", 2},
	{"N19", "345", 2}, {"N6", "56", 1}, {"NW6", "1234", 1}, {"WC1H", "089", 1},
	{"WC1N", "123", 1}, {"WC1X", "089", 1}, {"WC2H", "89", 0.5}, {"WC2B", "56", 0.5},
}

// Inward unit letters exclude C I K M O V, as Royal Mail's do.
const inwardLetters = "ABDEFGHJLNPQRSTUWXYZ"

var streetWords = fields(`Ashby Carlton Leighton Dartmouth Fortess Brecknock Torriano Agar Bartholomew
	Camden Oakley Eversholt Albert Arlington Bayham Castlehaven Chalcot Chetwynd Cleveland Constantine
	Crogsland Dalmeny Delancey Dunollie Elsworthy Eton Fitzjohn Fleet Frognal Gaisford Gayton Gloucester
	Glenilla Gordon Grafton Hadley Harmood Haverstock Hawley Heath Highgate Holmes Islip Inkerman Jeffrey
	Kelly Kentish Lady Lamble Lawford Leverton Lismore Lupton Malden Mansfield Marquis Mornington Murray
	Nassington Oseney Ospringe Parkway Patshull Pratt Prince Quadrant Queens Raglan Rochester Rosslyn
	Royal Sandall Savernake Spencer Stanmore Swains Tasker Tremlett Tufnell Twisden Ulysses Vicars
	Wellesley Willes Wilmot Worsley Yerbury Zenoria Archway Brookfield Burghley Cathcart Chester Cressy
	Dale Dartmoor Elaine Estelle Falkland Fairhazel Gilden Goldington Harben Hilldrop Huddleston
	Ingestre Jessel Keats Kingsford Lancaster Lyndhurst Maitland Mackeson Netherhall Ormonde Perren
	Primrose Redington Regents Rudall Southampton Steele Swiss Tottenham Upper Varley Warren Wedmore
	Whitestone Winscombe Woodsome Acland Adelaide Akenside Belsize Birch Buckland Calthorpe Carleton
	Coleridge Cumberland Denyer Doynton Eleanor Ferncroft Flask Greenwood Hampden Hargrave Hatton
	Holly Howitt Ivor Kingsgate Lambolle Langland Leighton Makepeace Medburn Midhurst Narcissus Northington
	Oval Parliament Pilgrims Polygon Quex Ravenshaw Rona Sumatra Tanza Tavistock Thurlow Vale Wadham
	Waterlow Weech Westbere Wharton Whittington Wilberforce Winchester Ashdown Bramshill Chesterford
	Corinne Croftdown Dunboyne Elm Gospel Hemingford Iverson Loudoun Lowfield Mazenod Menelik Minster`)

var streetTypes = fields(`Road Street Avenue Gardens Close Grove Place Terrace Lane Square Crescent Way Mews
	Walk Hill Row Villas Park Rise`)

var streetTypeW = newWeighted([]float64{30, 20, 6, 6, 5, 5, 5, 4, 3, 3, 3, 3, 3, 2, 2, 1, 1, 1, 1})

var blockSuffixes = fields(`House Court Mansions Lodge Point Heights Tower Buildings`)

// streetQualifiers make more street names once word × type runs out, as a
// very large borough needs.
var streetQualifiers = fields(`Upper Lower North South East West Old New Great Little`)

// newGazetteer builds at least n properties on as many streets as needed.
func newGazetteer(r *rand.Rand, n int, mix [numTenures]float64) (*gazetteer, error) {
	g := &gazetteer{}
	names := streetNames(r)
	pc, err := newPostcoder(r, n)
	if err != nil {
		return nil, err
	}
	uprn := int64(100021000000)
	for len(g.props) < n {
		if len(g.streets) >= len(names) {
			return nil, fmt.Errorf("synth: gazetteer: ran out of street names at %d properties", len(g.props))
		}
		g.addStreet(r, names[len(g.streets)], pc, &uprn, mix)
	}
	g.postcodes = pc.issued
	g.polling = pollingCodes(len(g.streets))
	g.schools = newSchools(r, len(g.props))
	return g, nil
}

// streetNames returns every word+type combination in a seeded order, then
// qualified ones, never the same name twice.
func streetNames(r *rand.Rand) [][2]string {
	seen := map[string]bool{}
	var out [][2]string
	add := func(w, t string) {
		if k := w + " " + t; !seen[k] {
			seen[k] = true
			out = append(out, [2]string{w, t})
		}
	}
	for _, i := range r.Perm(len(streetWords)) {
		for k := 0; k < 2; k++ {
			add(streetWords[i], streetTypes[streetTypeW.draw(r)])
		}
	}
	for _, q := range streetQualifiers {
		for _, i := range r.Perm(len(streetWords)) {
			add(q+" "+streetWords[i], streetTypes[streetTypeW.draw(r)])
		}
	}
	return out
}

// addStreet lays out one street: numbers 1..k, each a house, a converted
// house or a block, with a new postcode every 15–30 properties.
func (g *gazetteer) addStreet(r *rand.Rand, name [2]string, pc *postcoder, uprn *int64, mix [numTenures]float64) {
	si := int32(len(g.streets))
	st := street{name: name[0] + " " + name[1], word: name[0], typ: name[1], district: int8(pc.district(r))}
	g.streets = append(g.streets, st)
	length := between(r, 6, 60)
	code, left := pc.next(r, int(st.district)), pc.size(r)
	for num := 1; num <= length; num++ {
		for _, p := range building(r, num, mix) {
			if left == 0 {
				code, left = pc.next(r, int(st.district)), pc.size(r)
			}
			*uprn += int64(between(r, 1, 9))
			p.uprn = strconv.FormatInt(*uprn, 10)
			p.street, p.postcode = si, code
			p.lines = standardLines(&p, &st)
			g.props = append(g.props, p)
			left--
		}
	}
}

// building returns the properties at one street number.
func building(r *rand.Rand, num int, mix [numTenures]float64) []property {
	number := strconv.Itoa(num)
	if chance(r, 0.04) {
		number += "A"
	}
	switch choose(r, 62, 27, 11) {
	case 0:
		return []property{{number: number, kind: kindHouse, tenure: drawTenure(r, [3]float64{0.05, 0.25, 0.70}, mix)}}
	case 1:
		return convertedHouse(r, number, mix)
	}
	return block(r, number, mix)
}

func convertedHouse(r *rand.Rand, number string, mix [numTenures]float64) []property {
	n := between(r, 2, 4)
	style := r.IntN(3)
	floors := []string{"Ground Floor Flat", "First Floor Flat", "Second Floor Flat", "Top Floor Flat"}
	out := make([]property, n)
	for i := range out {
		saon := "Flat " + string(rune('A'+i))
		switch style {
		case 1:
			saon = "Flat " + strconv.Itoa(i+1)
		case 2:
			saon = floors[i]
		}
		out[i] = property{saon: saon, number: number, kind: kindConverted,
			tenure: drawTenure(r, [3]float64{0.10, 0.55, 0.35}, mix)}
	}
	return out
}

// block builds a named block of flats. Council estates are whole blocks of
// social housing, thinned by right to buy; private blocks are mostly owned
// or let.
func block(r *rand.Rand, number string, mix [numTenures]float64) []property {
	name := pick(r, streetWords) + " " + pick(r, blockSuffixes)
	w := [3]float64{0.02, 0.45, 0.53}
	if chance(r, 0.6) {
		w = [3]float64{0.70, 0.15, 0.15}
	}
	n := between(r, 6, 32)
	out := make([]property, n)
	for i := range out {
		out[i] = property{saon: "Flat " + strconv.Itoa(i+1), building: name, number: number,
			kind: kindBlock, tenure: drawTenure(r, w, mix)}
	}
	return out
}

// defaultTenure is the mix the per-building weights above produce; the
// configured mix scales them.
var defaultTenure = [numTenures]float64{0.30, 0.30, 0.40}

func drawTenure(r *rand.Rand, w [3]float64, mix [numTenures]float64) tenure {
	for i := range w {
		w[i] *= mix[i] / defaultTenure[i]
	}
	return tenure(choose(r, w[0], w[1], w[2]))
}

// standardLines is the LLPG rendering every source uses unless the record
// carries an address_format deviation: secondary and building name on one
// line, number and street on the next.
func standardLines(p *property, st *street) []string {
	first := p.saon
	if p.building != "" {
		first = joinNonEmpty(" ", p.saon, p.building)
	}
	main := p.number + " " + st.name
	if first == "" {
		return []string{main}
	}
	return []string{first, main}
}

// pollingCodes gives every few streets a polling district code: ward letter
// then district letter.
func pollingCodes(nStreets int) []string {
	out := make([]string, nStreets/8+1)
	for i := range out {
		out[i] = string([]byte{byte('A' + (i/5)%26), byte('A' + i%5)})
		if i >= 130 {
			out[i] += strconv.Itoa(i / 130)
		}
	}
	return out
}

// pollingOf returns the polling district code of a property's street.
func (g *gazetteer) pollingOf(p int32) string {
	return g.polling[int(g.props[p].street)/8]
}

// postcode returns the formatted postcode of a property.
func (g *gazetteer) postcode(p int32) string { return g.postcodes[g.props[p].postcode] }

// streetOf returns the street of a property.
func (g *gazetteer) streetOf(p int32) *street { return &g.streets[g.props[p].street] }

// postcoder issues unit postcodes: each sector has 400 units (a digit and
// two letters), handed out in a seeded order, so no postcode is issued
// twice.
type postcoder struct {
	perSize int // mean properties per postcode
	sectors [][]sectorState
	distW   weighted
	issued  []string
}

type sectorState struct {
	prefix string // "NW5 2"
	order  []int
	used   int
}

func newPostcoder(r *rand.Rand, nProps int) (*postcoder, error) {
	pc := &postcoder{perSize: 22}
	w := make([]float64, len(districts))
	units := 0
	for i, d := range districts {
		w[i] = d.weight
		var ss []sectorState
		for _, s := range d.sectors {
			ss = append(ss, sectorState{prefix: d.outward + " " + string(s)})
			units += len(inwardLetters) * len(inwardLetters)
		}
		pc.sectors = append(pc.sectors, ss)
	}
	pc.distW = newWeighted(w)
	// Leave headroom: a crowded district spills into others, never fails.
	if need := nProps / (units * 2 / 3); need > pc.perSize {
		pc.perSize = need
	}
	if nProps > units*pc.perSize*2 {
		return nil, fmt.Errorf("synth: gazetteer: %d properties do not fit the postcode space", nProps)
	}
	return pc, nil
}

func (pc *postcoder) district(r *rand.Rand) int { return pc.distW.draw(r) }

// size draws how many properties share the next postcode: 15–30 by default.
func (pc *postcoder) size(r *rand.Rand) int {
	return between(r, pc.perSize*2/3, pc.perSize*4/3)
}

// next issues a fresh postcode in district d, or in another district when d
// is full.
func (pc *postcoder) next(r *rand.Rand, d int) int32 {
	for k := 0; k < len(pc.sectors); k++ {
		ss := pc.sectors[(d+k)%len(pc.sectors)]
		start := r.IntN(len(ss))
		for j := range ss {
			s := &ss[(start+j)%len(ss)]
			if code, ok := s.issue(r); ok {
				pc.issued = append(pc.issued, code)
				return int32(len(pc.issued) - 1)
			}
		}
	}
	// Unreachable with the sizing in newPostcoder; sharing a postcode
	// between streets is harmless if it ever happens.
	return int32(r.IntN(len(pc.issued)))
}

func (s *sectorState) issue(r *rand.Rand) (string, bool) {
	n := len(inwardLetters)
	if s.order == nil {
		s.order = r.Perm(n * n)
	}
	if s.used == len(s.order) {
		return "", false
	}
	u := s.order[s.used]
	s.used++
	return s.prefix + string([]byte{inwardLetters[u/n], inwardLetters[u%n]}), true
}
