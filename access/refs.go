package access

import (
	"crypto/aes"
	"crypto/cipher"
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
type refs struct{ block cipher.Block }

// KeySize is the length of the key person references are made with.
const KeySize = 32

func newRefs(key []byte) (refs, error) {
	if len(key) != KeySize {
		return refs{}, fmt.Errorf("access: person reference key: %d bytes, want %d", len(key), KeySize)
	}
	b, err := aes.NewCipher(key)
	return refs{b}, err
}

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
	raw, err := base64.RawURLEncoding.DecodeString(ref)
	if err != nil || len(raw) != aes.BlockSize {
		return "", false
	}
	r.block.Decrypt(raw, raw)
	if binary.BigEndian.Uint64(raw[8:]) != 0 {
		return "", false
	}
	return fmt.Sprintf("P%010d", binary.BigEndian.Uint64(raw[:8])), true
}
