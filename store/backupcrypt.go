package store

import (
	"bufio"
	"bytes"
	"crypto/aes"
	"crypto/cipher"
	"crypto/hkdf"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
)

// An encrypted store's backup is encrypted too: Badger's backup stream
// holds its keys and values decrypted, and a backup file is copied to
// places the store's disk never goes. The file is
//
//	header: magic "RXBACKUP" | version 1 | 8-byte random prefix | 16-byte key check
//	chunks: AES-256-GCM of up to 64 KiB of the stream each
//
// The AES key and the key check are derived (HKDF-SHA256) from the
// store's key with the random prefix as salt, so every file has its own
// key; the check tells a wrong key from a damaged file. Chunk i's nonce
// is prefix ‖ uint32 i (no two chunks of one key share a nonce), and its
// additional data says whether it is the last chunk: a file cut at a
// chunk boundary, or chunks reordered, fails to open.

const (
	backupMagic     = "RXBACKUP"
	backupVersion   = 1
	backupPrefixLen = 8
	backupCheckLen  = 16
	backupHeaderLen = len(backupMagic) + 1 + backupPrefixLen + backupCheckLen
	backupChunk     = 64 << 10
	backupKeyInfo   = "resindex backup v1"
	backupCheckInfo = "resindex backup v1 key check"
)

// ErrBackupEncrypted is Restore's error for an encrypted backup and no key.
var ErrBackupEncrypted = errors.New("the backup is encrypted; give the store's --key-file")

// ErrBackupWrongKey is Restore's error for an encrypted backup and a key
// other than the one it was written with.
var ErrBackupWrongKey = errors.New("the backup is encrypted with another key; give the store's --key-file")

// ErrBackupDamaged is Restore's error for an encrypted backup that was
// cut short or changed.
var ErrBackupDamaged = errors.New("the backup is damaged or cut short")

// backupKeys derives a file's AES key and key check from the store's key.
func backupKeys(storeKey, prefix []byte) (aead cipher.AEAD, check []byte, err error) {
	key, err := hkdf.Key(sha256.New, storeKey, prefix, backupKeyInfo, 32)
	if err != nil {
		return nil, nil, fmt.Errorf("store: backup key: %w", err)
	}
	check, err = hkdf.Key(sha256.New, storeKey, prefix, backupCheckInfo, backupCheckLen)
	if err != nil {
		return nil, nil, fmt.Errorf("store: backup key: %w", err)
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, nil, fmt.Errorf("store: backup key: %w", err)
	}
	aead, err = cipher.NewGCM(block)
	if err != nil {
		return nil, nil, fmt.Errorf("store: backup key: %w", err)
	}
	return aead, check, nil
}

// chunkNonce is prefix ‖ big-endian i.
func chunkNonce(prefix []byte, i uint32) []byte {
	return binary.BigEndian.AppendUint32(append(make([]byte, 0, 12), prefix...), i)
}

// chunkAD is a chunk's additional data: the version and the last-chunk flag.
func chunkAD(last bool) []byte {
	if last {
		return []byte{backupVersion, 1}
	}
	return []byte{backupVersion, 0}
}

// sealer encrypts a backup stream as it is written; Close seals the last
// chunk, and a stream not closed is incomplete (and will not open).
type sealer struct {
	w      io.Writer
	aead   cipher.AEAD
	prefix []byte
	n      uint32
	buf    []byte
	out    []byte
}

// newSealer writes the header to w.
func newSealer(w io.Writer, storeKey []byte) (*sealer, error) {
	prefix := make([]byte, backupPrefixLen)
	if _, err := rand.Read(prefix); err != nil {
		return nil, fmt.Errorf("store: backup nonce: %w", err)
	}
	aead, check, err := backupKeys(storeKey, prefix)
	if err != nil {
		return nil, err
	}
	hdr := append(append(append([]byte(backupMagic), backupVersion), prefix...), check...)
	if _, err := w.Write(hdr); err != nil {
		return nil, err
	}
	return &sealer{w: w, aead: aead, prefix: prefix, buf: make([]byte, 0, backupChunk)}, nil
}

// Write holds back a full chunk until more follows: only Close knows
// which chunk is the last.
func (s *sealer) Write(p []byte) (int, error) {
	written := 0
	for len(p) > 0 {
		if len(s.buf) == backupChunk {
			if err := s.seal(false); err != nil {
				return written, err
			}
		}
		k := copy(s.buf[len(s.buf):backupChunk], p)
		s.buf = s.buf[:len(s.buf)+k]
		p = p[k:]
		written += k
	}
	return written, nil
}

// Close seals the last chunk (empty if the stream was).
func (s *sealer) Close() error { return s.seal(true) }

func (s *sealer) seal(last bool) error {
	if s.n == math.MaxUint32 {
		return errors.New("store: backup: too large to encrypt (256 TiB)")
	}
	s.out = s.aead.Seal(s.out[:0], chunkNonce(s.prefix, s.n), s.buf, chunkAD(last))
	s.n++
	s.buf = s.buf[:0]
	_, err := s.w.Write(s.out)
	return err
}

// isEncryptedBackup reports whether a backup starts with the header's
// magic. A plain Badger backup starts with a little-endian uint64 length,
// which these bytes would make over 5 EB: the two never meet.
func isEncryptedBackup(br *bufio.Reader) bool {
	head, _ := br.Peek(len(backupMagic))
	return bytes.Equal(head, []byte(backupMagic))
}

// opener decrypts an encrypted backup as it is read: every chunk is
// authenticated before any of it is returned.
type opener struct {
	r      *bufio.Reader
	aead   cipher.AEAD
	prefix []byte
	n      uint32
	in     []byte
	plain  []byte
	done   bool
}

// newOpener reads and checks the header.
func newOpener(r *bufio.Reader, storeKey []byte) (*opener, error) {
	hdr := make([]byte, backupHeaderLen)
	if _, err := io.ReadFull(r, hdr); err != nil {
		return nil, fmt.Errorf("%w: the header is cut short", ErrBackupDamaged)
	}
	if string(hdr[:len(backupMagic)]) != backupMagic {
		return nil, fmt.Errorf("%w: not an encrypted resindex backup", ErrBackupDamaged)
	}
	if v := hdr[len(backupMagic)]; v != backupVersion {
		return nil, fmt.Errorf("the backup's format is version %d; this resindex reads version %d", v, backupVersion)
	}
	if len(storeKey) == 0 {
		return nil, ErrBackupEncrypted
	}
	prefix := hdr[len(backupMagic)+1 : len(backupMagic)+1+backupPrefixLen]
	aead, check, err := backupKeys(storeKey, prefix)
	if err != nil {
		return nil, err
	}
	if subtle.ConstantTimeCompare(check, hdr[len(hdr)-backupCheckLen:]) != 1 {
		return nil, ErrBackupWrongKey
	}
	return &opener{r: r, aead: aead, prefix: prefix, in: make([]byte, backupChunk+aead.Overhead())}, nil
}

func (o *opener) Read(p []byte) (int, error) {
	for len(o.plain) == 0 {
		if o.done {
			return 0, io.EOF
		}
		if err := o.next(); err != nil {
			return 0, err
		}
	}
	k := copy(p, o.plain)
	o.plain = o.plain[k:]
	return k, nil
}

// next reads and opens one chunk. A chunk is the last when the file ends
// with it: short, or full with nothing after.
func (o *opener) next() error {
	k, err := io.ReadFull(o.r, o.in)
	last := false
	switch {
	case errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF):
		last = true
	case err != nil:
		return fmt.Errorf("store: restore: read chunk %d: %w", o.n, err)
	default:
		if _, perr := o.r.Peek(1); errors.Is(perr, io.EOF) {
			last = true
		}
	}
	if k < o.aead.Overhead() {
		return fmt.Errorf("%w: chunk %d is missing or cut short", ErrBackupDamaged, o.n)
	}
	plain, oerr := o.aead.Open(o.in[:0], chunkNonce(o.prefix, o.n), o.in[:k], chunkAD(last))
	if oerr != nil {
		return fmt.Errorf("%w: chunk %d does not authenticate (changed, reordered or the file cut short)", ErrBackupDamaged, o.n)
	}
	if o.n == math.MaxUint32 && !last {
		return fmt.Errorf("%w: too many chunks", ErrBackupDamaged)
	}
	o.n++
	o.plain, o.done = plain, last
	return nil
}
