package web

import (
	"encoding/base64"
	"encoding/json"
	"strings"
)

// maxKeyHeader and maxKeyID bound what tokenKeyID decodes and what a
// token may make the server remember: real headers and key IDs are far
// shorter.
const maxKeyHeader, maxKeyID = 4096, 256

// tokenKeyID is the key ID (kid) a compact JWS names in its protected
// header, unverified: only a hint of which key to fetch, never trusted
// for anything else. "" when there is none or the token is malformed.
func tokenKeyID(token string) string {
	head, _, ok := strings.Cut(token, ".")
	if !ok || head == "" || len(head) > maxKeyHeader {
		return ""
	}
	raw, err := base64.RawURLEncoding.DecodeString(head)
	if err != nil {
		return ""
	}
	var h struct {
		Kid string `json:"kid"`
	}
	if json.Unmarshal(raw, &h) != nil || len(h.Kid) > maxKeyID {
		return ""
	}
	return h.Kid
}
