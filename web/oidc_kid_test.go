package web

import (
	"encoding/base64"
	"strings"
	"testing"
)

func b64(s string) string { return base64.RawURLEncoding.EncodeToString([]byte(s)) }

// TestTokenKeyID: the kid of a well-formed header; "" for anything else.
func TestTokenKeyID(t *testing.T) {
	for _, c := range []struct{ name, token, want string }{
		{"kid", b64(`{"alg":"RS256","kid":"k2"}`) + ".e30.sig", "k2"},
		{"no kid", b64(`{"alg":"RS256"}`) + ".e30.sig", ""},
		{"empty", "", ""},
		{"no dot", b64(`{"kid":"k2"}`), ""},
		{"empty header", ".e30.sig", ""},
		{"padded base64", base64.URLEncoding.EncodeToString([]byte(`{"kid":"k22"}`)) + ".e30.sig", ""},
		{"std base64", "eyJraWQiOiJrPz4/In0+.e30.sig", ""},
		{"not json", b64("kid=k2") + ".e30.sig", ""},
		{"kid not a string", b64(`{"kid":7}`) + ".e30.sig", ""},
		{"json array", b64(`["k2"]`) + ".e30.sig", ""},
		{"kid too long", b64(`{"kid":"`+strings.Repeat("k", maxKeyID+1)+`"}`) + ".e30.sig", ""},
		{"header too long", b64(`{"kid":"k2","x":"`+strings.Repeat("x", maxKeyHeader)+`"}`) + ".e30.sig", ""},
	} {
		if got := tokenKeyID(c.token); got != c.want {
			t.Errorf("%s: %q, want %q", c.name, got, c.want)
		}
	}
}

// TestKeySetIDs: a key set's key IDs; other documents are not key sets.
func TestKeySetIDs(t *testing.T) {
	kids, ok := keySetIDs([]byte(`{"keys":[{"kid":"k1","kty":"RSA"},{"kid":"k2"}]}`))
	if !ok || len(kids) != 2 || !kids["k1"] || !kids["k2"] {
		t.Fatalf("key set: %v %v", kids, ok)
	}
	if kids, ok := keySetIDs([]byte(`{"keys":[]}`)); !ok || len(kids) != 0 {
		t.Fatalf("empty key set: %v %v", kids, ok)
	}
	for _, bad := range []string{`{"issuer":"https://idp"}`, `{"keys":null}`, `{"keys":{"kid":"k1"}}`, `not json`, ``, `[]`} {
		if kids, ok := keySetIDs([]byte(bad)); ok {
			t.Errorf("%q: %v, want not a key set", bad, kids)
		}
	}
}

// FuzzTokenKeyID: any token gives a bounded key ID or none, never a
// panic.
func FuzzTokenKeyID(f *testing.F) {
	for _, s := range []string{b64(`{"kid":"k2"}`) + ".e30.sig", ".", "eyJ.", b64(`{"kid":"\u0000"}`) + "."} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, token string) {
		if kid := tokenKeyID(token); len(kid) > maxKeyID {
			t.Fatalf("%q: key ID of %d bytes", token, len(kid))
		}
		keySetIDs([]byte(token))
	})
}
