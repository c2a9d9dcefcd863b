package matcher

import (
	"strings"

	"github.com/antzucaro/matchr"
)

// fuzzyThreshold is the Jaro–Winkler similarity above which two names count
// as a typo of one another. matchr only boosts the prefix above Jaro 0.7, so
// this is its own scale, not another library's.
const fuzzyThreshold = 0.92

// Compare compares two profiles field by field. The names may be compared
// with one side's given and family names swapped, when that agrees better
// (a common data-entry error).
func Compare(a, b *Profile) Vector {
	v, _ := compare(a, b)
	return v
}

// compare also returns the addresses that gave the address level, whose
// frequencies the term-frequency adjustment needs.
func compare(a, b *Profile) (Vector, addressPair) {
	if after(a, b) {
		// A few comparisons (swapped names) look one way first; taking the
		// pair in key order keeps every score the same both ways round.
		v, addr := compare(b, a)
		return v, addressPair{addr.b, addr.a}
	}
	var v Vector
	compareNames(&v, a, b)
	addr := compareRest(&v, a, b)
	return v, addr
}

// compareNames sets the given- and family-name levels: the costly part of
// a comparison.
func compareNames(v *Vector, a, b *Profile) {
	v[CmpGiven] = compareGiven(a.Given, a.GivenPh, b.Given, b.GivenPh)
	v[CmpFamily] = compareFamily(a, b)
	if v[CmpGiven] >= GivenDiff-1 && v[CmpFamily] >= FamilyOther {
		v[CmpGiven], v[CmpFamily] = compareSwapped(a, b, v[CmpGiven], v[CmpFamily])
	}
}

// compareRest sets every level but the names', for a pair in key order.
func compareRest(v *Vector, a, b *Profile) addressPair {
	var addr addressPair
	v[CmpDOB] = compareDOB(a, b)
	v[CmpSex] = compareSex(a.Sex, b.Sex)
	v[CmpAddress], addr = compareAddresses(a.Addresses, b.Addresses)
	v[CmpNHS] = compareExactID(a.NHS, b.NHS)
	v[CmpNINO] = compareExactID(a.NINO, b.NINO)
	v[CmpUPN] = compareExactID(a.UPN, b.UPN)
	v[CmpOtherID] = compareOpaque(a.Opaque, b.Opaque)
	v[CmpEmail] = compareSets(a.Emails, b.Emails)
	v[CmpPhone] = compareSets(a.Phones, b.Phones)
	return addr
}

// after reports whether a comes after b in key order, the order pairs are
// compared in; by rank when both were ranked in one batch (RankByKey).
func after(a, b *Profile) bool {
	if a.rank>>32 == b.rank>>32 && a.rank != 0 && b.rank != 0 {
		return a.rank > b.rank
	}
	return b.Key.Less(a.Key)
}

// compareSwapped compares a's given name with b's family name and the other
// way round, keeping the straight levels unless both swapped ones agree.
func compareSwapped(a, b *Profile, g, f Level) (Level, Level) {
	if len(a.Given) == 0 || len(b.Given) == 0 || a.Family == "" || b.Family == "" {
		return g, f
	}
	sg := compareGiven(a.Given, a.GivenPh, b.FamilyT, b.FamilyPh)
	sf := compareGiven(a.FamilyT, a.FamilyPh, b.Given, b.GivenPh)
	switch {
	case sg <= GivenFuzzy && sf <= GivenFuzzy:
		return sg, familyFromGivenLevel(sf)
	case sg <= GivenFuzzy || sf <= GivenFuzzy:
		// One name moved to the other field and the other replaced: a
		// name appears in another position, which strangers also show
		// ("James Thomas", "Thomas Williams"), so it is any_token, whose
		// m and u the data sets, never an exact name.
		return GivenAnyToken, FamilyDiff
	}
	return g, f
}

func familyFromGivenLevel(l Level) Level {
	switch l {
	case GivenExact, GivenFirst, GivenMiddleDiff:
		return FamilyExact
	case GivenVariant, GivenAnyToken:
		return FamilyPart
	}
	return FamilyFuzzy
}

func compareGiven(a, aph, b, bph []string) Level {
	if len(a) == 0 || len(b) == 0 {
		return LevelNull
	}
	switch {
	case equalTokens(a, b) || (len(a) > 1 || len(b) > 1) && joinedEqual(a, b):
		return GivenExact
	case a[0] == b[0] && middleNamesConflict(a[1:], b[1:]):
		return GivenMiddleDiff
	case a[0] == b[0]:
		return GivenFirst
	case len(a[0]) > 1 && len(b[0]) > 1 && (SameGivenName(a[0], b[0]) || diminutive(a[0], b[0])):
		return GivenVariant
	case anyTokenShared(a, b):
		return GivenAnyToken
	case len(a[0]) > 1 && len(b[0]) > 1 && similarName(a[0], b[0]):
		return GivenFuzzy
	case isInitialOf(a[0], b[0]) || isInitialOf(b[0], a[0]):
		return GivenInitial
	case aph[0] != "" && aph[0] == bph[0]:
		return GivenPhonetic
	}
	return GivenDiff
}

// middleNamesConflict reports whether both sides have middle names and
// none of one side's is compatible (equal, a variant, or an initial) with
// the other's: "Aisha Saima" and "Aisha Zainab" are likely two people.
func middleNamesConflict(a, b []string) bool {
	if len(a) == 0 || len(b) == 0 {
		return false
	}
	for _, x := range a {
		for _, y := range b {
			if x == y || isInitialOf(x, y) || isInitialOf(y, x) || SameGivenName(x, y) {
				return false
			}
		}
	}
	return true
}

// anyTokenShared reports whether one side's first given name appears, or
// has a variant, among the other side's given names: a middle name used as
// the first. A shared middle name alone is not enough (twins often share
// one).
func anyTokenShared(a, b []string) bool {
	return len(a[0]) > 1 && containsGiven(b[1:], a[0]) || len(b[0]) > 1 && containsGiven(a[1:], b[0])
}

func containsGiven(toks []string, name string) bool {
	for _, t := range toks {
		if t == name || len(t) > 1 && SameGivenName(t, name) {
			return true
		}
	}
	return false
}

// similarName reports a likely typo: Jaro–Winkler at or above the
// threshold, or few edits for the length (one in four letters, two in
// eight), which catches two typos in a long name that Jaro–Winkler misses.
func similarName(a, b string) bool {
	if !couldBeSimilar(a, b) {
		return false
	}
	if matchr.JaroWinkler(a, b, false) >= fuzzyThreshold {
		return true
	}
	n := min(len(a), len(b))
	switch {
	case n >= 8:
		return withinEdits(a, b, 2)
	case n >= 4:
		return withinEdits(a, b, 1)
	}
	return false
}

func equalTokens(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func compareFamily(a, b *Profile) Level {
	if a.Family == "" || b.Family == "" {
		return LevelNull
	}
	switch {
	case a.Family == b.Family || (len(a.FamilyT) > 1 || len(b.FamilyT) > 1) && joinedEqual(a.FamilyT, b.FamilyT):
		return FamilyExact
	case sharesPart(a.FamilyT, b.FamilyT):
		return FamilyPart
	case similarName(a.Family, b.Family):
		return FamilyFuzzy
	case sharesPart(a.FamilyPh, b.FamilyPh):
		return FamilyPhonetic
	case otherNameMatch(a, b):
		return FamilyOther
	}
	return FamilyDiff
}

// joinedEqual catches "van der berg" against "vanderberg" (callers skip
// it for two single tokens, which equality has answered). It walks the
// tokens in step rather than joining them: it runs on every comparison of
// names, and joining allocated on each.
func joinedEqual(a, b []string) bool {
	i, j, x, y := 0, 0, 0, 0 // token and byte positions on each side
	for {
		for i < len(a) && x == len(a[i]) {
			i, x = i+1, 0
		}
		for j < len(b) && y == len(b[j]) {
			j, y = j+1, 0
		}
		if i == len(a) || j == len(b) {
			return i == len(a) && j == len(b)
		}
		if a[i][x] != b[j][y] {
			return false
		}
		x, y = x+1, y+1
	}
}

func sharesPart(a, b []string) bool {
	for _, x := range a {
		if len(x) < 2 {
			continue
		}
		for _, y := range b {
			if x == y {
				return true
			}
		}
	}
	return false
}

func otherNameMatch(a, b *Profile) bool {
	for _, o := range a.OtherFamily {
		if o == b.Family || containsString(b.OtherFamily, o) {
			return true
		}
	}
	return containsString(b.OtherFamily, a.Family)
}

func containsString(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func compareSex(a, b byte) Level {
	switch {
	case a == 0 || b == 0:
		return LevelNull
	case a == b:
		return SexSame
	}
	return SexDiff
}

// compareExactID compares two valid identifiers. Values one keystroke
// apart are "close", not a contradiction: a NINO with one digit mistyped
// can still pass validation, and must not forbid a link as two different
// NINOs do. (An NHS number's check digit catches every such slip, so for
// NHS numbers "close" does not occur.)
func compareExactID(a, b string) Level {
	switch {
	case a == "" || b == "":
		return LevelNull
	case a == b:
		return IDSame
	case withinEdits(a, b, 1):
		return IDClose
	}
	return IDDiff
}

// compareOpaque compares identifiers of kinds the matcher does not know:
// only values of the same kind are compared; a one-character typo is
// "close" rather than a contradiction.
func compareOpaque(a, b []string) Level {
	best := LevelNull
	for _, x := range a {
		kx, vx, _ := strings.Cut(x, "=")
		for _, y := range b {
			ky, vy, _ := strings.Cut(y, "=")
			if kx != ky {
				continue
			}
			l := IDDiff
			if vx == vy {
				return IDSame
			} else if withinEdits(vx, vy, 1) {
				l = IDClose
			}
			if best == LevelNull || l < best {
				best = l
			}
		}
	}
	return best
}

// compareSets compares emails or phones: any shared value is "same"; two
// one keystroke apart are "close".
func compareSets(a, b []string) Level {
	if len(a) == 0 || len(b) == 0 {
		return LevelNull
	}
	best := IDDiff
	for _, x := range a {
		for _, y := range b {
			switch {
			case x == y:
				return IDSame
			case len(x) >= 6 && withinEdits(x, y, 1):
				best = IDClose
			}
		}
	}
	return best
}

// diminutive recognises the ways short forms are made in English and many
// other languages, for names the variant table does not list: a clipped
// form ("Cal" for Callum, "Sukh" for Sukhwinder) or a clipped form with a
// pet ending ("Gordy", "Musti", "Sukhi").
func diminutive(a, b string) bool {
	short, long := a, b
	if len(short) > len(long) {
		short, long = long, short
	}
	if len(short) < 3 || len(short) == len(long) {
		return false
	}
	if long[:len(short)] == short {
		return true
	}
	stem := short[:len(short)-1]
	if strings.HasSuffix(short, "ie") {
		stem = short[:len(short)-2]
	}
	last := short[len(short)-1]
	petEnding := last == 'y' || last == 'i' || last == 'e' || last == 'o'
	return petEnding && len(stem) >= 3 && strings.HasPrefix(long, stem)
}

// couldBeSimilar is a cheap necessary condition for similarName, so that
// most pairs of plainly different names skip Jaro–Winkler and the edit
// distance. Both need most letters in common: Jaro–Winkler ≥ 0.92 needs
// Jaro ≥ 0.866, which bounds the matching letters m by m/|a| + m/|b| ≥ 1.6;
// k edits leave at least max(|a|,|b|) − k letters in common, with k ≤ 2.
func couldBeSimilar(a, b string) bool {
	if !isASCIIName(a) || !isASCIIName(b) {
		return true // letters of other scripts: leave it to the full tests
	}
	var counts [27]int32
	for i := 0; i < len(a); i++ {
		counts[letterIndex(a[i])]++
	}
	common := 0
	for i := 0; i < len(b); i++ {
		j := letterIndex(b[i])
		if counts[j] > 0 {
			counts[j]--
			common++
		}
	}
	m := float64(common)
	jaroPossible := m/float64(len(a))+m/float64(len(b)) >= 1.6
	editsPossible := common >= max(len(a), len(b))-2
	return jaroPossible || editsPossible
}

func isASCIIName(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

func letterIndex(c byte) int {
	if c >= 'a' && c <= 'z' {
		return int(c - 'a')
	}
	return 26
}
