package web

import (
	"context"
	"errors"
	"net/http"
	"sync"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"
	"golang.org/x/oauth2"
)

// keyRefetchEvery is how soon the identity provider may be asked again
// for the same document (its signing keys).
const keyRefetchEvery = 5 * time.Second

var errKeysFresh = errors.New("oidc: the provider's keys were fetched moments ago")

// withKeyFetchLimit gives a context whose HTTP client, the one the
// provider's key set keeps, asks for any one URL at most once per
// keyRefetchEvery. go-oidc fetches the keys afresh for every token whose
// signature fails against the keys it holds; since a credential is
// checked before the failed sign-ins budget, a stream of badly signed
// tokens would otherwise be a stream of requests to the provider.
func withKeyFetchLimit(ctx context.Context) context.Context {
	base := http.DefaultClient
	if c, ok := ctx.Value(oauth2.HTTPClient).(*http.Client); ok && c != nil {
		base = c
	}
	limited := *base
	limited.Transport = &fetchLimit{base: base.Transport, last: map[string]time.Time{}}
	return oidc.ClientContext(ctx, &limited)
}

// fetchLimit is a transport that refuses a request for a URL fetched
// less than keyRefetchEvery ago.
type fetchLimit struct {
	base http.RoundTripper
	mu   sync.Mutex
	last map[string]time.Time
}

func (f *fetchLimit) RoundTrip(r *http.Request) (*http.Response, error) {
	url := r.URL.String()
	f.mu.Lock()
	at, seen := f.last[url]
	fresh := seen && time.Since(at) < keyRefetchEvery
	if !fresh {
		f.last[url] = time.Now()
	}
	f.mu.Unlock()
	if fresh {
		return nil, errKeysFresh
	}
	base := f.base
	if base == nil {
		base = http.DefaultTransport
	}
	return base.RoundTrip(r)
}
