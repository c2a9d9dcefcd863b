package web

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/resindex/resindex"
)

// TokenStore keeps API tokens by the hash of the token (the store
// implements it); a missing token is resindex.ErrNotFound.
type TokenStore interface {
	PutToken(hash string, record []byte) error
	Token(hash string) ([]byte, error)
	DeleteToken(hash string) error
	Tokens(fn func(hash string, record []byte) error) error
}

// TokenPrefix starts every API token, so that a leaked one is easy to
// recognise (and to search for in code and logs).
const TokenPrefix = "rxt_"

// TokenInfo is what the store keeps of an API token: never the token.
type TokenInfo struct {
	Name    string    `json:"name"`
	Role    string    `json:"role"`
	Created time.Time `json:"created"`
	Expires time.Time `json:"expires,omitzero"`
}

// HashToken is the key a token is kept under.
func HashToken(token string) string {
	h := sha256.Sum256([]byte(token))
	return hex.EncodeToString(h[:])
}

// CreateToken makes a new API token for a service account in a role,
// keeps its hash and returns the token, which is shown once.
func CreateToken(ts TokenStore, info TokenInfo) (string, error) {
	if info.Name == "" || info.Role == "" {
		return "", errors.New("token: a name and a role are required")
	}
	raw := make([]byte, 32)
	if _, err := rand.Read(raw); err != nil {
		return "", err
	}
	token := TokenPrefix + base64.RawURLEncoding.EncodeToString(raw)
	data, err := json.Marshal(info)
	if err != nil {
		return "", err
	}
	if err := ts.PutToken(HashToken(token), data); err != nil {
		return "", fmt.Errorf("token: %w", err)
	}
	return token, nil
}

// lookupToken returns a live token's record; ok is false for an unknown
// or expired token, err is for a store that cannot answer.
func lookupToken(ts TokenStore, token string, now time.Time) (TokenInfo, bool, error) {
	var info TokenInfo
	if ts == nil || !strings.HasPrefix(token, TokenPrefix) {
		return info, false, nil
	}
	data, err := ts.Token(HashToken(token))
	if errors.Is(err, resindex.ErrNotFound) {
		return info, false, nil
	}
	if err != nil {
		return info, false, fmt.Errorf("token: %w", err)
	}
	if err := json.Unmarshal(data, &info); err != nil {
		return info, false, fmt.Errorf("token: stored record is corrupt: %w", err)
	}
	return info, info.Expires.IsZero() || now.Before(info.Expires), nil
}
