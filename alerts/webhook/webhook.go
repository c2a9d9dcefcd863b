package webhook

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// Headers of a delivery.
const (
	// SignatureHeader carries Sign's "t=<unix>,v1=<hex>".
	SignatureHeader = "Resindex-Signature"
	// DeliveryHeader carries the delivery id: the same for every attempt
	// at one alert, so a receiver can drop repeats.
	DeliveryHeader = "Resindex-Delivery"
)

// Limits and defaults.
const (
	// DefaultTimeout bounds one attempt when the Sender's client has no
	// Timeout of its own.
	DefaultTimeout = 10 * time.Second
	// MaxRetryAfter caps a receiver's Retry-After.
	MaxRetryAfter = time.Hour
	// MaxResponseBody is the most of a response body read (and discarded).
	MaxResponseBody = 64 << 10
	// DefaultBackoffBase and DefaultBackoffMax are Backoff's base and cap
	// when it is given zero.
	DefaultBackoffBase = 5 * time.Second
	DefaultBackoffMax  = time.Hour
	// DefaultTolerance is Verify's tolerance when it is given zero.
	DefaultTolerance = 5 * time.Minute
	// DefaultUserAgent is sent when the Sender has no UserAgent.
	DefaultUserAgent = "resindex-webhook/1"
	// MinSecretLen is the shortest secret Validate accepts.
	MinSecretLen = 16
	// maxNameLen is the longest endpoint name; maxIDLen the longest
	// delivery id; maxHeaderLen the longest signature header Verify reads.
	maxNameLen   = 64
	maxIDLen     = 128
	maxHeaderLen = 8 << 10
)

// attemptTimeout is DefaultTimeout; tests shorten it.
var attemptTimeout = DefaultTimeout

// Endpoint is one configured receiver of alerts.
type Endpoint struct {
	// Name identifies the endpoint in errors and metric labels:
	// 1 to 64 of a-z, 0-9, '_' and '-'.
	Name string
	// URL is where deliveries are POSTed: absolute http or https.
	URL string
	// Secret signs every delivery: at least MinSecretLen bytes, shared
	// with the receiver and nobody else.
	Secret []byte
}

// EndpointError is one thing wrong with an Endpoint. Its text names the
// endpoint and the field, echoes the URL only without its user
// information, query and fragment, and never the secret.
type EndpointError struct {
	Endpoint string // the Name as configured, which may itself be the fault
	Field    string // "name", "url" or "secret"
	Reason   string
}

func (e *EndpointError) Error() string {
	return fmt.Sprintf("webhook endpoint %s: %s: %s", displayName(e.Endpoint), e.Field, e.Reason)
}

// displayName quotes a name for an error, shortened when it is too long
// to be valid anyway.
func displayName(name string) string {
	if name == "" {
		return "(unnamed)"
	}
	if len(name) > maxNameLen {
		return strconv.Quote(name[:maxNameLen]) + "…"
	}
	return strconv.Quote(name)
}

// Validate says what is wrong with the endpoint, every field at once
// (each an *EndpointError, joined), or nil.
func (e Endpoint) Validate() error {
	var errs []error
	bad := func(field, reason string) {
		errs = append(errs, &EndpointError{Endpoint: e.Name, Field: field, Reason: reason})
	}
	if !validName(e.Name) {
		bad("name", fmt.Sprintf("must be 1 to %d of a-z, 0-9, '_' and '-' (it labels metrics)", maxNameLen))
	}
	switch u, err := url.Parse(e.URL); {
	case e.URL == "":
		bad("url", "is empty")
	case err != nil:
		bad("url", "is not a URL") // url's error would echo it whole
	case u.Scheme != "http" && u.Scheme != "https":
		bad("url", fmt.Sprintf("%q: must be absolute http or https", redact(u)))
	case u.Opaque != "" || u.Hostname() == "":
		bad("url", fmt.Sprintf("%q: has no host", redact(u)))
	}
	if len(e.Secret) < MinSecretLen {
		bad("secret", fmt.Sprintf("must be at least %d bytes", MinSecretLen))
	}
	if len(errs) == 1 {
		return errs[0]
	}
	return errors.Join(errs...)
}

func validName(name string) bool {
	if name == "" || len(name) > maxNameLen {
		return false
	}
	for i := 0; i < len(name); i++ {
		c := name[i]
		if !('a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '_' || c == '-') {
			return false
		}
	}
	return true
}

// redact is the URL without user information, query or fragment (the
// places a token is usually kept), or an opaque part.
func redact(u *url.URL) string {
	r := *u
	if r.Opaque != "" {
		r.Opaque = "…"
	}
	r.User = nil
	r.RawQuery, r.ForceQuery = "", false
	r.Fragment, r.RawFragment = "", ""
	return r.String()
}

// Sign is the signature header of body sent at timestamp (Unix seconds):
// "t=<unix>,v1=<hex HMAC-SHA256(secret, "<unix>." + body)>".
func Sign(secret, body []byte, timestamp int64) string {
	t := strconv.FormatInt(timestamp, 10)
	return "t=" + t + ",v1=" + hex.EncodeToString(mac(secret, t, body))
}

func mac(secret []byte, t string, body []byte) []byte {
	h := hmac.New(sha256.New, secret)
	io.WriteString(h, t) //nolint:errcheck // a hash never fails
	h.Write([]byte{'.'})
	h.Write(body)
	return h.Sum(nil)
}

// Verify's failures, wrapped with what exactly was wrong.
var (
	// ErrMalformedSignature: the header is not "t=<unix>,v1=<64 hex>[,…]".
	ErrMalformedSignature = errors.New("webhook: malformed signature header")
	// ErrSignatureMismatch: no v1 signature is body's under the secret.
	ErrSignatureMismatch = errors.New("webhook: signature does not match")
	// ErrStaleSignature: the signature is good but its timestamp is
	// further from now than the tolerance (a replay, or a clock adrift).
	ErrStaleSignature = errors.New("webhook: signature timestamp outside the tolerance")
)

// Verify checks a signature header against body and secret, as a
// receiver does: one t= element, one or more v1= elements (any may match,
// so a sender may sign with an old and a new secret while they are
// rotated; elements of other schemes are ignored), compared in constant
// time; then the timestamp must be within tolerance of now, either side
// (DefaultTolerance when tolerance is zero or less). The error wraps
// ErrMalformedSignature, ErrSignatureMismatch or ErrStaleSignature, and
// never echoes the header, body or secret.
func Verify(secret, body []byte, header string, now time.Time, tolerance time.Duration) error {
	if len(secret) == 0 {
		return errors.New("webhook: verify: the secret is empty")
	}
	if tolerance <= 0 {
		tolerance = DefaultTolerance
	}
	header = strings.TrimSpace(header)
	if header == "" {
		return fmt.Errorf("%w: it is empty", ErrMalformedSignature)
	}
	if len(header) > maxHeaderLen {
		return fmt.Errorf("%w: longer than %d bytes", ErrMalformedSignature, maxHeaderLen)
	}
	var (
		t    string
		ts   int64
		sigs [][]byte
		i    int
	)
	for part := range strings.SplitSeq(header, ",") {
		i++
		k, v, ok := strings.Cut(part, "=")
		if !ok || k == "" {
			return fmt.Errorf("%w: element %d is not key=value", ErrMalformedSignature, i)
		}
		switch k {
		case "t":
			if t != "" {
				return fmt.Errorf("%w: more than one t=", ErrMalformedSignature)
			}
			n, err := strconv.ParseInt(v, 10, 64)
			if err != nil || strconv.FormatInt(n, 10) != v {
				return fmt.Errorf("%w: t= is not Unix seconds", ErrMalformedSignature)
			}
			t, ts = v, n
		case "v1":
			sig, err := hex.DecodeString(v)
			if err != nil || len(sig) != sha256.Size {
				return fmt.Errorf("%w: v1= (element %d) is not %d hex digits", ErrMalformedSignature, i, 2*sha256.Size)
			}
			sigs = append(sigs, sig)
		}
	}
	if t == "" {
		return fmt.Errorf("%w: no t= timestamp", ErrMalformedSignature)
	}
	if len(sigs) == 0 {
		return fmt.Errorf("%w: no v1= signature", ErrMalformedSignature)
	}
	want := mac(secret, t, body)
	match := false
	for _, sig := range sigs {
		if hmac.Equal(sig, want) {
			match = true
		}
	}
	if !match {
		return ErrSignatureMismatch
	}
	if !within(now.Unix(), ts, int64(tolerance/time.Second)) {
		return fmt.Errorf("%w of %s", ErrStaleSignature, tolerance)
	}
	return nil
}

// within: |a-b| <= tol (tol >= 0), without overflow for any a and b.
func within(a, b, tol int64) bool {
	if a < b {
		a, b = b, a
	}
	return uint64(a)-uint64(b) <= uint64(tol)
}

// Sender makes delivery attempts. The zero Sender is ready: a client of
// its own, the wall clock, DefaultUserAgent.
type Sender struct {
	// Client makes the request. Its Timeout, when set, bounds an attempt;
	// otherwise DefaultTimeout does. Redirects are not followed (a 3xx is
	// a permanent failure: the URL wants updating) unless the client has
	// a CheckRedirect of its own.
	Client *http.Client
	// Now is the clock for the signature's timestamp and Retry-After
	// dates; nil is time.Now.
	Now func() time.Time
	// UserAgent is the User-Agent header; "" is DefaultUserAgent.
	UserAgent string
}

// Result is what one attempt came to and what to do next.
type Result struct {
	// Status is the receiver's HTTP status, 0 when none came.
	Status int
	// Err is nil when the alert was delivered (a 2xx), and otherwise says
	// why not: the endpoint's name and the status or the network's
	// error, never the response body or the secret.
	Err error
	// Retry says the failure may pass (408, 425, 429, 5xx, a network
	// error, a timeout, the caller's context ending): try again later.
	// False with an Err is permanent (another 4xx, a 3xx, an invalid
	// endpoint or id): dead-letter it.
	Retry bool
	// After is how long the receiver asked us to wait (Retry-After,
	// capped at MaxRetryAfter), 0 when it did not: wait at least this,
	// and at least Backoff's delay.
	After time.Duration
}

// Send makes one attempt at delivering body to e: a POST with
// Content-Type application/json, the signature, the delivery id and the
// User-Agent. id must be the same for every attempt at one alert (the
// receiver drops repeats by it): 1 to 128 printable ASCII characters
// without spaces. Up to MaxResponseBody of the answer is read and
// discarded. Send never logs.
func (s *Sender) Send(ctx context.Context, e Endpoint, id string, body []byte) Result {
	if s == nil {
		s = &Sender{}
	}
	if err := e.Validate(); err != nil {
		return Result{Err: err}
	}
	if !validID(id) {
		return Result{Err: fmt.Errorf("webhook %q: the delivery id must be 1 to %d printable ASCII characters without spaces", e.Name, maxIDLen)}
	}
	client := s.client()
	timeout := client.Timeout
	attempt := ctx
	if timeout <= 0 {
		timeout = attemptTimeout
		var cancel context.CancelFunc
		attempt, cancel = context.WithTimeout(ctx, timeout)
		defer cancel()
	}
	req, err := http.NewRequestWithContext(attempt, http.MethodPost, e.URL, bytes.NewReader(body))
	if err != nil { // Validate has parsed the URL; this is not expected
		return Result{Err: fmt.Errorf("webhook %q: cannot make the request", e.Name)}
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set(SignatureHeader, Sign(e.Secret, body, s.now().Unix()))
	req.Header.Set(DeliveryHeader, id)
	ua := s.UserAgent
	if ua == "" {
		ua = DefaultUserAgent
	}
	req.Header.Set("User-Agent", ua)

	resp, err := client.Do(req)
	if err != nil {
		return Result{Err: sendError(ctx, e.Name, timeout, err), Retry: true}
	}
	defer resp.Body.Close()
	io.Copy(io.Discard, io.LimitReader(resp.Body, MaxResponseBody)) //nolint:errcheck // the status is the answer

	code := resp.StatusCode
	status := fmt.Sprintf("%d %s", code, http.StatusText(code))
	switch {
	case code >= 200 && code <= 299:
		return Result{Status: code}
	case retryable(code):
		return Result{Status: code, Retry: true, After: parseRetryAfter(resp.Header.Get("Retry-After"), s.now()),
			Err: fmt.Errorf("webhook %q: the receiver answered %s (retryable)", e.Name, status)}
	case code >= 300 && code <= 399:
		return Result{Status: code,
			Err: fmt.Errorf("webhook %q: the receiver answered %s: redirects are not followed (update the endpoint's URL)", e.Name, status)}
	default:
		return Result{Status: code, Err: fmt.Errorf("webhook %q: the receiver answered %s (permanent)", e.Name, status)}
	}
}

func retryable(code int) bool {
	switch code {
	case http.StatusRequestTimeout, http.StatusTooEarly, http.StatusTooManyRequests:
		return true
	}
	return code >= 500 && code <= 599
}

// sendError words a failure without an answer: the caller's context
// ending, a timeout, or the network. A *url.Error is unwrapped, as its
// text carries the URL with its query.
func sendError(ctx context.Context, name string, timeout time.Duration, err error) error {
	if ctx.Err() != nil {
		return fmt.Errorf("webhook %q: abandoned before an answer: %w", name, ctx.Err())
	}
	var te interface{ Timeout() bool }
	isTimeout := errors.As(err, &te) && te.Timeout() || errors.Is(err, context.DeadlineExceeded)
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err
	}
	if isTimeout {
		return fmt.Errorf("webhook %q: no answer within %s: %w", name, timeout, err)
	}
	return fmt.Errorf("webhook %q: no answer: %w", name, err)
}

func validID(id string) bool {
	if id == "" || len(id) > maxIDLen {
		return false
	}
	for i := 0; i < len(id); i++ {
		if id[i] < 0x21 || id[i] > 0x7e {
			return false
		}
	}
	return true
}

func (s *Sender) now() time.Time {
	if s.Now != nil {
		return s.Now()
	}
	return time.Now()
}

// client is the Sender's client, copied so that it does not follow
// redirects unless it says how.
func (s *Sender) client() *http.Client {
	var c http.Client
	if s.Client != nil {
		c = *s.Client
	}
	if c.CheckRedirect == nil {
		c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	}
	return &c
}

// parseRetryAfter reads a Retry-After value, delay-seconds or an
// HTTP-date, as a wait from now in [0, MaxRetryAfter]; anything else is 0
// (no wish: the caller's backoff decides).
func parseRetryAfter(v string, now time.Time) time.Duration {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0
	}
	if digits(v) {
		n, err := strconv.ParseUint(v, 10, 64)
		if err != nil || n >= uint64(MaxRetryAfter/time.Second) { // only too big can fail
			return MaxRetryAfter
		}
		return time.Duration(n) * time.Second
	}
	t, err := http.ParseTime(v)
	if err != nil {
		return 0
	}
	return min(max(t.Sub(now), 0), MaxRetryAfter) // Sub saturates
}

func digits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// Backoff is the wait after the attempt-th failed attempt (the first is
// 1; less is taken as 1): base·2^(attempt-1), capped at maxDelay, with equal
// jitter — half the delay fixed, the other half scaled by jitter() in
// [0, 1] (clamped; nil is math/rand/v2's Float64). Equal rather than full
// jitter: full jitter may wait next to nothing, and a receiver that is
// down should get at least half the delay before the next knock, while
// the random half still spreads retries of many alerts that failed
// together. base and maxDelay default to DefaultBackoffBase and
// DefaultBackoffMax when zero or less; the result is never negative and
// never overflows, whatever the attempt. With a fixed jitter it never
// decreases as attempt grows.
func Backoff(attempt int, base, maxDelay time.Duration, jitter func() float64) time.Duration {
	if base <= 0 {
		base = DefaultBackoffBase
	}
	if maxDelay <= 0 {
		maxDelay = DefaultBackoffMax
	}
	attempt = max(attempt, 1)
	d := min(base, maxDelay)
	for i := 1; i < attempt && d < maxDelay; i++ {
		if d > maxDelay/2 {
			d = maxDelay
			break
		}
		d *= 2
	}
	if jitter == nil {
		jitter = rand.Float64
	}
	j := jitter()
	if !(j >= 0) { // also NaN
		j = 0
	}
	j = min(j, 1)
	half := d / 2
	r := time.Duration(j * float64(half))
	if r < 0 || r > half { // float rounding at the extremes
		r = half
	}
	return d - half + r
}
