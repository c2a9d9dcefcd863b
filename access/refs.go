package access

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"fmt"
	"strconv"
	"strings"
)

// refs turns person IDs into the references the API shows, and back.
// Person IDs are a sequence (P0000000001, P0000000002, …), so showing them
// would let anyone count the index and walk it; a reference is the ID's
// number encrypted with the store's key (one AES block, the number and
// eight zero bytes), which only this index can make or read. A reference
// that was not made here decrypts to non-zero check bytes (a chance of
// 2⁻⁶⁴) and names no one.
type refs struct {
	block cipher.Block
	// tokens seals page tokens that carry the index's own cursors (which
	// name records) so that a caller can neither read nor forge them; its
	// key is derived from the reference key, never the same.
	tokens cipher.AEAD
}

// KeySize is the length of the key person references are made with.
const KeySize = 32

func newRefs(key []byte) (refs, error) {
	if len(key) != KeySize {
		return refs{}, fmt.Errorf("access: person reference key: %d bytes, want %d", len(key), KeySize)
	}
	b, err := aes.NewCipher(key)
	if err != nil {
		return refs{}, err
	}
	sub := sha256.Sum256(append([]byte("resindex page tokens\x00"), key...))
	tb, err := aes.NewCipher(sub[:])
	if err != nil {
		return refs{}, err
	}
	aead, err := cipher.NewGCM(tb)
	return refs{block: b, tokens: aead}, err
}

// seal makes an opaque page token of a cursor.
func (r refs) seal(cursor []byte) string {
	nonce := make([]byte, r.tokens.NonceSize())
	if _, err := rand.Read(nonce); err != nil {
		panic(err) // crypto/rand does not fail on supported platforms
	}
	return base64.RawURLEncoding.EncodeToString(r.tokens.Seal(nonce, nonce, cursor, nil))
}

// open reads a page token made by seal; ok is false for any other.
func (r refs) open(token string) ([]byte, bool) {
	raw, err := strict.DecodeString(token)
	if err != nil || len(raw) < r.tokens.NonceSize() {
		return nil, false
	}
	n := r.tokens.NonceSize()
	out, err := r.tokens.Open(nil, raw[:n], raw[n:], nil)
	return out, err == nil
}

// strict refuses the other spellings base64 allows (non-zero padding
// bits), so that each reference has one spelling.
var strict = base64.RawURLEncoding.Strict()

// ref returns a person ID's reference, or "" for an ID not in the
// index's form.
func (r refs) ref(pid string) string {
	n, err := strconv.ParseUint(strings.TrimPrefix(pid, "P"), 10, 64)
	if err != nil || !strings.HasPrefix(pid, "P") {
		return ""
	}
	var buf [aes.BlockSize]byte
	binary.BigEndian.PutUint64(buf[:8], n)
	r.block.Encrypt(buf[:], buf[:])
	return base64.RawURLEncoding.EncodeToString(buf[:])
}

// id reads a reference; ok is false for anything this index did not make.
func (r refs) id(ref string) (string, bool) {
	raw, err := strict.DecodeString(ref)
	if err != nil || len(raw) != aes.BlockSize {
		return "", false
	}
	r.block.Decrypt(raw, raw)
	if binary.BigEndian.Uint64(raw[8:]) != 0 {
		return "", false
	}
	return fmt.Sprintf("P%010d", binary.BigEndian.Uint64(raw[:8])), true
}

// show is a reference as the audit log records what was asked for: the
// reference, or the person ID given instead of one (the log keeps person
// IDs anyway, and an auditor looks for who tried them), or a mark for
// anything else (a caller's garbage is not kept in the log).
func (r refs) show(ref string) string {
	if _, ok := r.id(ref); ok || isPersonID(ref) {
		return ref
	}
	return "(not a reference)"
}

// isPersonID reports whether s is in the form of the index's person IDs,
// P and ten digits (the form the change feed and exports name persons
// by); whether that person exists is another matter.
func isPersonID(s string) bool {
	if len(s) != 11 || s[0] != 'P' {
		return false
	}
	for _, c := range s[1:] {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}
