package matcher

// Comparison names one compared field. Each has ordered levels, the first
// that applies wins; level 0 is always "null" (a value missing on either
// side), which carries no weight.
type Comparison int

// The comparisons, in the order their terms appear in an explanation.
const (
	CmpGiven Comparison = iota
	CmpFamily
	CmpDOB
	CmpSex
	CmpAddress
	CmpNHS
	CmpNINO
	CmpUPN
	CmpOtherID
	CmpEmail
	CmpPhone
	NumComparisons
)

// Level is the index of a comparison level; 0 is null.
type Level uint8

// LevelNull is the neutral level of every comparison: a value is missing.
const LevelNull Level = 0

// Given-name levels.
const (
	GivenExact      Level = iota + 1 // all given names equal
	GivenFirst                       // first given name equal, middle names compatible
	GivenMiddleDiff                  // first given name equal, middle names differ
	GivenVariant                     // first names are variants (Bob/Robert)
	GivenAnyToken                    // a name appears in another position (middle used as first)
	GivenFuzzy                       // Jaro–Winkler ≥ 0.92
	GivenInitial                     // one side is an initial of the other
	GivenPhonetic                    // same Double Metaphone
	GivenDiff
)

// Family-name levels.
const (
	FamilyExact    Level = iota + 1
	FamilyPart           // a part of a double-barrelled name
	FamilyFuzzy          // Jaro–Winkler ≥ 0.92
	FamilyPhonetic       // same Double Metaphone on some part
	FamilyOther          // matches a previous or alternative family name
	FamilyDiff
)

// Date-of-birth levels.
const (
	DOBExact   Level = iota + 1
	DOBSwap          // day and month transposed
	DOBOneEdit       // one digit different, or two adjacent digits transposed
	DOBPartial       // agrees to the precision both sides have (year or month)
	DOBYear          // same year, month or day otherwise different
	DOBDiff          // different, less than ten years apart
	DOBFar           // ten or more years apart: another generation
)

// Sex levels.
const (
	SexSame Level = iota + 1
	SexDiff
)

// Address levels: the best agreement over the two records' addresses.
const (
	AddrExact    Level = iota + 1 // same UPRN or same normalised address
	AddrBuilding                  // same postcode and house number, flats differ or missing
	AddrStreet                    // same house number and street, postcode differs or missing
	AddrPostcode                  // same postcode, different property
	AddrTokens                    // most address tokens shared
	AddrSector                    // same postcode sector
	AddrTown                      // same town or locality, nothing finer agrees
	AddrDiff
)

// Levels for identifiers, emails and phones.
const (
	IDSame  Level = iota + 1
	IDClose       // opaque identifiers one edit apart (a typo)
	IDDiff
)

// comparisonNames and levelNames are the vocabulary of models and
// explanations; a model file refers to levels by these names.
var comparisonNames = [NumComparisons]string{
	"given_name", "family_name", "dob", "sex", "address", "nhs", "nino", "upn",
	"other_id", "email", "phone",
}

var levelNames = [NumComparisons][]string{
	CmpGiven:   {"null", "exact", "first_exact", "middle_differs", "variant", "any_token", "fuzzy", "initial", "phonetic", "different"},
	CmpFamily:  {"null", "exact", "part", "fuzzy", "phonetic", "other_name", "different"},
	CmpDOB:     {"null", "exact", "day_month_swap", "one_digit", "partial", "same_year", "different", "far_apart"},
	CmpSex:     {"null", "same", "different"},
	CmpAddress: {"null", "exact", "building", "street_number", "postcode", "tokens", "sector", "town", "different"},
	CmpNHS:     {"null", "same", "close", "different"},
	CmpNINO:    {"null", "same", "close", "different"},
	CmpUPN:     {"null", "same", "close", "different"},
	CmpOtherID: {"null", "same", "close", "different"},
	CmpEmail:   {"null", "same", "close", "different"},
	CmpPhone:   {"null", "same", "close", "different"},
}

// String returns the comparison's name as used in models and explanations.
func (c Comparison) String() string { return comparisonNames[c] }

// LevelName returns the name of level l of comparison c.
func (c Comparison) LevelName(l Level) string { return levelNames[c][l] }

// NumLevels returns how many levels comparison c has, null included.
func (c Comparison) NumLevels() int { return len(levelNames[c]) }

// Vector holds one level per comparison: the outcome of comparing two
// profiles, before any weight is applied.
type Vector [NumComparisons]Level
