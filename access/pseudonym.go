package access

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/resindex/resindex"
	"github.com/resindex/resindex/matcher"
)

// MinPseudonymKey is the shortest key pseudonyms are made with (bytes):
// HMAC-SHA256 wants at least its output's size.
const MinPseudonymKey = 32

// maxPseudonymKeyFile bounds what is read of a key file.
const maxPseudonymKeyFile = 4096

// ParsePseudonymKey reads the pseudonym key as an operator keeps it:
//
//   - hex, at least 64 digits (32 bytes), surrounding space ignored, as
//     `openssl rand -hex 32` writes it;
//   - base64 (standard or URL alphabet, padded or not, lines joined),
//     decoding to at least 32 bytes, as `openssl rand -base64 32` writes
//     it, and mixing upper case, lower case and digits as a random one
//     does;
//   - or at least 32 raw bytes that are not text (random bytes, as
//     `head -c 32 /dev/urandom` writes them).
//
// A passphrase, or any other text, is refused: person IDs are sequential,
// so anyone holding an export and guessing a weak key can confirm it
// offline. A refusal says how to make a key and never quotes the content.
func ParsePseudonymKey(raw []byte) ([]byte, error) {
	text := strings.TrimSpace(string(raw))
	switch {
	case text != "" && isHexish(text):
		if len(text) >= 2*MinPseudonymKey && len(text)%2 == 0 {
			if key, err := hex.DecodeString(text); err == nil {
				return key, nil
			}
		}
		return nil, fmt.Errorf("pseudonym key: %d hex digits; want an even number, at least %d (%d bytes): %s",
			len(text), 2*MinPseudonymKey, MinPseudonymKey, makeKey)
	case text != "" && isBase64ish(text):
		if key, ok := decodeBase64Key(text); ok {
			return key, nil
		}
		return nil, fmt.Errorf("pseudonym key: %d characters of text that are not a random key in base64 "+
			"(decoding to at least %d bytes, of mixed case and digits); a passphrase is refused: %s", len(text), MinPseudonymKey, makeKey)
	case len(raw) > maxPseudonymKeyFile:
		return nil, fmt.Errorf("pseudonym key: %d bytes; want at most %d: %s", len(raw), maxPseudonymKeyFile, makeKey)
	case isText(raw):
		return nil, fmt.Errorf("pseudonym key: %d bytes of text; a passphrase is refused (a guessed weak key can be confirmed "+
			"offline against an export): %s", len(raw), makeKey)
	case len(raw) < MinPseudonymKey:
		return nil, fmt.Errorf("pseudonym key: %d raw bytes; want at least %d: %s", len(raw), MinPseudonymKey, makeKey)
	}
	return raw, nil
}

// makeKey says how to make a key, in every refusal.
const makeKey = "make one with `openssl rand -hex 32 > pseudonym.key`"

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

// isBase64ish: text only of the base64 alphabets (either), padding and
// line breaks was meant as base64, or is a passphrase of the same
// characters; either way not raw bytes.
func isBase64ish(s string) bool {
	for _, c := range s {
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || strings.ContainsRune("+/-_=\r\n", c)) {
			return false
		}
	}
	return true
}

// decodeBase64Key decodes a base64 key of at least MinPseudonymKey bytes
// whose text mixes upper case, lower case and digits, as any random key's
// does but few passphrases' (a random 43-character text lacks a digit
// once in a thousand and a case far less often).
func decodeBase64Key(text string) ([]byte, bool) {
	text = strings.Join(strings.Fields(text), "")
	var upper, lower, digit bool
	for _, c := range text {
		upper = upper || 'A' <= c && c <= 'Z'
		lower = lower || 'a' <= c && c <= 'z'
		digit = digit || '0' <= c && c <= '9'
	}
	if !upper || !lower || !digit {
		return nil, false
	}
	for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.RawStdEncoding, base64.URLEncoding, base64.RawURLEncoding} {
		if key, err := enc.DecodeString(text); err == nil {
			return key, len(key) >= MinPseudonymKey
		}
	}
	return nil, false
}

// isText reports whether bytes read as text rather than random bytes:
// valid UTF-8 (32 random bytes are, about once in a hundred million), or
// at least three quarters printable ASCII and white space (random bytes
// are about two fifths).
func isText(raw []byte) bool {
	if len(raw) == 0 || utf8.Valid(raw) {
		return true
	}
	printable := 0
	for _, b := range raw {
		if b >= 0x20 && b < 0x7f || b == '\t' || b == '\n' || b == '\r' {
			printable++
		}
	}
	return 4*printable >= 3*len(raw)
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
