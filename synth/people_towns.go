package synth

import (
	"math/rand/v2"
	"strconv"
	"strings"
)

// A ukTown is a town or city of the people profile with the postcode areas
// (the letters of the outward code) its post is addressed through.
type ukTown struct {
	name  string
	areas []string
}

// ukTowns are in rough order of population, so that a Zipf weight makes
// London and the big cities common and most towns rare: many unrelated
// people then share a town, as they share a family name. Our own list.
var ukTowns = func() []ukTown {
	rows := []string{
		"London:E,N,NW,SE,SW,W", "Birmingham:B", "Manchester:M", "Leeds:LS", "Glasgow:G", "Sheffield:S",
		"Bradford:BD", "Liverpool:L", "Edinburgh:EH", "Bristol:BS", "Cardiff:CF", "Leicester:LE",
		"Coventry:CV", "Nottingham:NG", "Newcastle upon Tyne:NE", "Belfast:BT", "Brighton:BN", "Hull:HU",
		"Plymouth:PL", "Stoke-on-Trent:ST", "Wolverhampton:WV", "Derby:DE", "Southampton:SO",
		"Portsmouth:PO", "Swansea:SA", "Aberdeen:AB", "Reading:RG", "Norwich:NR", "Oxford:OX",
		"Cambridge:CB", "York:YO", "Exeter:EX", "Luton:LU", "Milton Keynes:MK", "Northampton:NN",
		"Sunderland:SR", "Preston:PR", "Blackpool:FY", "Bolton:BL", "Ipswich:IP", "Dundee:DD",
		"Gloucester:GL", "Peterborough:PE", "Bath:BA", "Lincoln:LN", "Carlisle:CA", "Chester:CH",
		"Colchester:CO", "Canterbury:CT", "Durham:DH", "Guildford:GU", "Huddersfield:HD", "Lancaster:LA",
		"Salisbury:SP", "Shrewsbury:SY", "Taunton:TA", "Truro:TR", "Worcester:WR", "Wakefield:WF",
		"Warrington:WA", "Inverness:IV", "Perth:PH", "Stirling:FK", "Hereford:HR", "Dorchester:DT",
	}
	out := make([]ukTown, len(rows))
	for i, row := range rows {
		name, areas, _ := strings.Cut(row, ":")
		out[i] = ukTown{name: name, areas: strings.Split(areas, ",")}
	}
	return out
}()

// ukTownW draws a town: 1/rank, so London is about a fifth of everyone.
var ukTownW = zipf(len(ukTowns), 1, 0)

// ukPostcode makes a postcode of the shape the Royal Mail issues in one of
// the town's areas: "LS12 4QT". It need not exist; it only has to look and
// validate like one, and be shared by few people.
func ukPostcode(r *rand.Rand, t *ukTown) string {
	b := make([]byte, 0, 8)
	b = append(b, pick(r, t.areas)...)
	b = strconv.AppendInt(b, int64(1+r.IntN(20)), 10)
	b = append(b, ' ', byte('0'+r.IntN(10)), inwardLetters[r.IntN(len(inwardLetters))], inwardLetters[r.IntN(len(inwardLetters))])
	return string(b)
}

// otherTown draws a town other than t: where a person has moved to.
func otherTown(r *rand.Rand, t int) int {
	for {
		if o := ukTownW.draw(r); o != t {
			return o
		}
	}
}
