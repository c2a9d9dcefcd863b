package web

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"sync"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"
	"golang.org/x/oauth2"
	"golang.org/x/time/rate"
)

// keyRefetchEvery is how soon the identity provider may be asked again
// for the same document (its signing keys), and how soon again for the
// same unknown key ID.
const keyRefetchEvery = 5 * time.Second

// unknownKeyFetches caps refetches for key IDs the server does not hold,
// over all of them: one a second, bursts of 3. Without it a client
// naming a fresh key ID in each token would make each one a request to
// the provider.
var unknownKeyFetches = rate.Every(time.Second)

const unknownKeyBurst = 3

var errKeysFresh = errors.New("oidc: the provider's keys were fetched moments ago")

// withKeyFetchLimit gives a context whose HTTP client, the one the
// provider's key set keeps, asks for any one URL at most once per
// keyRefetchEvery, and the limit it goes through. go-oidc fetches the
// keys afresh for every token whose signature fails against the keys it
// holds; since a credential is checked before the failed sign-ins
// budget, a stream of badly signed tokens would otherwise be a stream of
// requests to the provider.
func withKeyFetchLimit(ctx context.Context) (context.Context, *fetchLimit) {
	base := http.DefaultClient
	if c, ok := ctx.Value(oauth2.HTTPClient).(*http.Client); ok && c != nil {
		base = c
	}
	f := &fetchLimit{base: base.Transport, last: map[string]time.Time{}, asked: map[string]time.Time{},
		unknown: rate.NewLimiter(unknownKeyFetches, unknownKeyBurst)}
	limited := *base
	limited.Transport = f
	return oidc.ClientContext(ctx, &limited), f
}

// fetchLimit is a transport that refuses a request for a URL fetched
// less than keyRefetchEvery ago, unless a token naming a key the server
// does not hold was granted a refetch (expect): right after the provider
// rotates its keys, badly signed tokens keeping the keys "fresh" must not
// refuse a valid token signed with the new key.
type fetchLimit struct {
	base    http.RoundTripper
	mu      sync.Mutex
	last    map[string]time.Time
	held    map[string]bool      // key IDs of the last key set fetched
	asked   map[string]time.Time // unknown key IDs granted a refetch, when
	grant   bool                 // a refetch granted and not yet made
	unknown *rate.Limiter
}

// expect is called with a token before it is verified: if it names a
// key ID the server does not hold, not granted a refetch in the last
// keyRefetchEvery, and within the cap over all of them, the next fetch
// may go ahead however fresh the keys are.
func (f *fetchLimit) expect(token string) {
	kid := tokenKeyID(token)
	if kid == "" {
		return
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	now := time.Now()
	if at, ok := f.asked[kid]; f.held[kid] || ok && now.Sub(at) < keyRefetchEvery || !f.unknown.AllowN(now, 1) {
		return
	}
	if len(f.asked) >= 256 { // the cap keeps recent ones few: forget the old
		for k, at := range f.asked {
			if now.Sub(at) >= keyRefetchEvery {
				delete(f.asked, k)
			}
		}
	}
	f.asked[kid] = now
	f.grant = true
}

func (f *fetchLimit) RoundTrip(r *http.Request) (*http.Response, error) {
	if !f.allow(r.URL.String()) {
		return nil, errKeysFresh
	}
	base := f.base
	if base == nil {
		base = http.DefaultTransport
	}
	resp, err := base.RoundTrip(r)
	if err != nil || resp.StatusCode != http.StatusOK {
		return resp, err
	}
	return f.learn(resp)
}

// allow says whether url may be fetched now, and if so records it.
func (f *fetchLimit) allow(url string) bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	at, seen := f.last[url]
	if seen && time.Since(at) < keyRefetchEvery {
		if !f.grant {
			return false
		}
		f.grant = false
	}
	f.last[url] = time.Now()
	return true
}

// learn notes the key IDs of a key set fetched, so that expect knows
// which it holds; other documents (discovery) pass untouched. The body is
// read here and handed on whole.
func (f *fetchLimit) learn(resp *http.Response) (*http.Response, error) {
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		return nil, err
	}
	resp.Body = io.NopCloser(bytes.NewReader(body))
	if kids, ok := keySetIDs(body); ok {
		f.mu.Lock()
		f.held = kids
		f.mu.Unlock()
	}
	return resp, nil
}

// keySetIDs reads the key IDs of a JSON Web Key Set; false if the
// document is not one.
func keySetIDs(body []byte) (map[string]bool, bool) {
	var set struct {
		Keys *[]struct {
			Kid string `json:"kid"`
		} `json:"keys"`
	}
	if json.Unmarshal(body, &set) != nil || set.Keys == nil {
		return nil, false
	}
	kids := map[string]bool{}
	for _, k := range *set.Keys {
		kids[k.Kid] = true
	}
	return kids, true
}
