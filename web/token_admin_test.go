package web_test

import (
	"errors"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/resindex/resindex"
	"github.com/resindex/resindex/web"
)

// memTokens is a TokenStore in memory.
type memTokens map[string][]byte

func (m memTokens) PutToken(hash string, record []byte) error { m[hash] = record; return nil }
func (m memTokens) DeleteToken(hash string) error             { delete(m, hash); return nil }
func (m memTokens) Token(hash string) ([]byte, error) {
	if r, ok := m[hash]; ok {
		return r, nil
	}
	return nil, resindex.ErrNotFound
}
func (m memTokens) Tokens(fn func(hash string, record []byte) error) error {
	for _, h := range slices.Sorted(maps.Keys(m)) {
		if err := fn(h, m[h]); err != nil {
			return err
		}
	}
	return nil
}

func TestListAndRevokeTokens(t *testing.T) {
	ts := memTokens{}
	for _, info := range []web.TokenInfo{{Name: "crm", Role: "frontline"}, {Name: "crm", Role: "auditor"}, {Name: "etl", Role: "steward"}} {
		if _, err := web.CreateToken(ts, info); err != nil {
			t.Fatal(err)
		}
	}
	tests := []struct {
		revoke  string
		want    int
		wantErr string
		left    []string // the names listed after, sorted
	}{
		{revoke: "nobody", wantErr: `no token is named "nobody"`, left: []string{"crm", "crm", "etl"}},
		{revoke: "crm", want: 2, left: []string{"etl"}},
		{revoke: "crm", wantErr: "no token is named", left: []string{"etl"}},
		{revoke: "etl", want: 1},
	}
	for _, tt := range tests {
		n, err := web.RevokeTokens(ts, tt.revoke)
		if n != tt.want || (tt.wantErr == "") != (err == nil) || err != nil && !strings.Contains(err.Error(), tt.wantErr) {
			t.Errorf("revoke %s = %d, %v; want %d, %q", tt.revoke, n, err, tt.want, tt.wantErr)
		}
		var names []string
		err = web.ListTokens(ts, func(prefix string, info web.TokenInfo) error {
			if len(prefix) != 12 {
				t.Errorf("hash prefix %q: want 12 characters", prefix)
			}
			names = append(names, info.Name)
			return nil
		})
		slices.Sort(names)
		if err != nil || !slices.Equal(names, tt.left) {
			t.Errorf("after revoking %s: %v, %v; want %v", tt.revoke, names, err, tt.left)
		}
	}
	ts["0123456789abcdef"] = []byte("{not json")
	if err := web.ListTokens(ts, func(string, web.TokenInfo) error { return nil }); err == nil || !strings.Contains(err.Error(), "corrupt") {
		t.Errorf("a corrupt record: %v", err)
	}
	stop := errors.New("stop")
	delete(ts, "0123456789abcdef")
	web.CreateToken(ts, web.TokenInfo{Name: "x", Role: "y"})
	if err := web.ListTokens(ts, func(string, web.TokenInfo) error { return stop }); !errors.Is(err, stop) {
		t.Errorf("fn's error: %v", err)
	}
}

func TestOIDCWithSecretFile(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "secret")
	if err := os.WriteFile(file, []byte("  s3cret\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		file, want, wantErr string
	}{
		{file: "", want: "from-env"},
		{file: file, want: "s3cret"},
		{file: filepath.Join(dir, "absent"), want: "from-env", wantErr: "oidc.client_secret_file"},
	}
	for _, tt := range tests {
		c, err := web.OIDCConfig{ClientSecret: "from-env"}.WithSecretFile(tt.file)
		if c.ClientSecret != tt.want || (tt.wantErr == "") != (err == nil) || err != nil && !strings.Contains(err.Error(), tt.wantErr) {
			t.Errorf("%q: secret %q, %v; want %q, %q", tt.file, c.ClientSecret, err, tt.want, tt.wantErr)
		}
	}
}
