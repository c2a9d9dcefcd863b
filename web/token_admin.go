package web

import (
	"encoding/json"
	"fmt"
)

// hashShown is how much of a token's hash ListTokens shows: enough to
// tell tokens apart, never enough to find one by.
const hashShown = 12

// ListTokens calls fn for each token kept, with the start of its hash
// and its record (never the token, which is not kept).
func ListTokens(ts TokenStore, fn func(hashPrefix string, info TokenInfo) error) error {
	return ts.Tokens(func(hash string, record []byte) error {
		var info TokenInfo
		if err := json.Unmarshal(record, &info); err != nil {
			return fmt.Errorf("token %s…: stored record is corrupt", hash[:8])
		}
		return fn(hash[:hashShown], info)
	})
}

// RevokeTokens deletes every token of a service account and returns how
// many there were; none is an error, since a name misspelt would
// otherwise leave the tokens it meant working.
func RevokeTokens(ts TokenStore, name string) (int, error) {
	var hashes []string
	err := ts.Tokens(func(hash string, record []byte) error {
		var info TokenInfo
		if json.Unmarshal(record, &info) == nil && info.Name == name {
			hashes = append(hashes, hash)
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	if len(hashes) == 0 {
		return 0, fmt.Errorf("no token is named %q", name)
	}
	for i, h := range hashes {
		if err := ts.DeleteToken(h); err != nil {
			return i, fmt.Errorf("token: revoked %d of the %d named %q: %w", i, len(hashes), name, err)
		}
	}
	return len(hashes), nil
}
