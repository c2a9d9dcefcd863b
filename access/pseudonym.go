package access

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/resindex/resindex"
	"github.com/resindex/resindex/matcher"
)

// MinPseudonymKey is the shortest key pseudonyms are made with (bytes):
// HMAC-SHA256 wants at least its output's size.
const MinPseudonymKey = 32

// maxPseudonymKeyFile bounds what is read of a key file.
const maxPseudonymKeyFile = 4096

// ParsePseudonymKey reads the pseudonym key as an operator keeps it: at
// least 32 bytes as hex (surrounding space ignored, as `openssl rand -hex
// 32` writes it), or at least 32 raw bytes. Anything else is refused,
// naming its size, never its content.
func ParsePseudonymKey(raw []byte) ([]byte, error) {
	text := strings.TrimSpace(string(raw))
	if len(text) >= 2*MinPseudonymKey && len(text)%2 == 0 {
		if key, err := hex.DecodeString(text); err == nil {
			return key, nil
		}
	}
	if len(raw) >= MinPseudonymKey && len(raw) <= maxPseudonymKeyFile && len(text) > 0 && !isHexish(text) {
		return raw, nil
	}
	return nil, fmt.Errorf("pseudonym key: want at least %d bytes, raw or as hex, got %d bytes", MinPseudonymKey, len(raw))
}

// isHexish: text only of hex digits was meant as hex, and a short or odd
// hex key is refused rather than taken as raw bytes of less entropy.
func isHexish(s string) bool {
	for _, c := range s {
		if !strings.ContainsRune("0123456789abcdefABCDEF", c) {
			return false
		}
	}
	return true
}

// ReadPseudonymKey reads the pseudonym key from its file
// (rights.pseudonym_key_file).
func ReadPseudonymKey(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("rights.pseudonym_key_file: %w", err)
	}
	defer f.Close()
	raw, err := io.ReadAll(io.LimitReader(f, maxPseudonymKeyFile+1))
	if err != nil {
		return nil, fmt.Errorf("rights.pseudonym_key_file: %w", err)
	}
	key, err := ParsePseudonymKey(raw)
	if err != nil {
		return nil, fmt.Errorf("rights.pseudonym_key_file %s: %w", path, err)
	}
	return key, nil
}

// Pseudonymiser makes keyed pseudonyms: the same ID and key give the same
// pseudonym, and without the key nobody can tell which ID it stands for.
type Pseudonymiser struct{ key []byte }

// NewPseudonymiser makes pseudonyms with a key of at least MinPseudonymKey bytes.
func NewPseudonymiser(key []byte) (Pseudonymiser, error) {
	if len(key) < MinPseudonymKey {
		return Pseudonymiser{}, fmt.Errorf("pseudonym key: want at least %d bytes, got %d", MinPseudonymKey, len(key))
	}
	return Pseudonymiser{key: key}, nil
}

// Person is a person ID's pseudonym (64 hex digits).
func (ps Pseudonymiser) Person(pid string) string { return ps.mac("person", pid) }

// Household is a household key's pseudonym (64 hex digits).
func (ps Pseudonymiser) Household(key string) string { return ps.mac("household", key) }

// mac keeps the kinds apart, so that no person's pseudonym is a
// household's.
func (ps Pseudonymiser) mac(kind, id string) string {
	m := hmac.New(sha256.New, ps.key)
	m.Write([]byte(kind + "\x00" + id))
	return hex.EncodeToString(m.Sum(nil))
}

// ageBands are the bands of the export, by their lowest age.
var ageBands = []struct {
	from int
	name string
}{{75, "75+"}, {65, "65-74"}, {55, "55-64"}, {45, "45-54"}, {35, "35-44"}, {25, "25-34"}, {18, "18-24"}, {16, "16-17"}, {0, "0-15"}}

// AgeBand is the band of someone born on a (possibly partial) date as of
// a day: "" when the date is unknown, in the future, or partial across
// two bands.
func AgeBand(dob string, asOf time.Time) string {
	d, err := resindex.ParsePartialDate(dob)
	if err != nil || d.IsZero() {
		return ""
	}
	earliest := time.Date(d.Year, time.Month(max(d.Month, 1)), max(d.Day, 1), 0, 0, 0, 0, time.UTC)
	young, old := bandOf(ageOn(d.Latest(), asOf)), bandOf(ageOn(earliest, asOf))
	if young != old {
		return ""
	}
	return young
}

func ageOn(born, day time.Time) int {
	age := day.Year() - born.Year()
	if day.Month() < born.Month() || day.Month() == born.Month() && day.Day() < born.Day() {
		age--
	}
	return age
}

func bandOf(age int) string {
	if age < 0 {
		return ""
	}
	for _, b := range ageBands {
		if age >= b.from {
			return b.name
		}
	}
	return ""
}

// PostcodeSector is a postcode's sector ("NW1 2"), "" for anything not a
// valid UK postcode.
func PostcodeSector(postcode string) string {
	out, sector, ok := matcher.PostcodeParts(matcher.NormalisePostcode(postcode))
	if !ok || matcher.IsPseudoPostcode(sector) {
		return ""
	}
	return out + " " + sector[len(out):]
}
