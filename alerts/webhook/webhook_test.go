package webhook

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"math"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

var (
	testSecret = []byte("s3cr3t-0123456789-abcdef")
	testNow    = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	testBody   = []byte(`{"alert":"A-17","kind":"safeguarding"}`)
)

func fixedNow() time.Time { return testNow }

func endpoint(u string) Endpoint { return Endpoint{Name: "hub", URL: u, Secret: testSecret} }

// noLeak fails when an error's text carries the secret, a response body,
// or the URL's credentials and query.
func noLeak(t *testing.T, err error, extra ...string) {
	t.Helper()
	if err == nil {
		return
	}
	msg := err.Error()
	for _, s := range append([]string{string(testSecret), "pa55word", "tok3n"}, extra...) {
		if s != "" && strings.Contains(msg, s) {
			t.Errorf("error %q carries %q", msg, s)
		}
	}
}

// recorded is what a test receiver saw of a request.
type recorded struct {
	method, contentType, userAgent, delivery, signature string
	body                                                []byte
}

func TestSendSuccess(t *testing.T) {
	for _, code := range []int{200, 201, 202, 204, 299} {
		t.Run(http.StatusText(code), func(t *testing.T) {
			got := make(chan recorded, 1)
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				body, _ := io.ReadAll(r.Body)
				got <- recorded{r.Method, r.Header.Get("Content-Type"), r.Header.Get("User-Agent"),
					r.Header.Get(DeliveryHeader), r.Header.Get(SignatureHeader), body}
				w.WriteHeader(code)
			}))
			defer srv.Close()
			s := &Sender{Now: fixedNow, UserAgent: "resindex-test/9"}
			res := s.Send(context.Background(), endpoint(srv.URL+"/hook"), "alert-17", testBody)
			if res.Err != nil || res.Retry || res.After != 0 || res.Status != code {
				t.Fatalf("Send = %+v, want status %d and no error", res, code)
			}
			r := <-got
			if r.method != http.MethodPost || r.contentType != "application/json" || r.userAgent != "resindex-test/9" ||
				r.delivery != "alert-17" || string(r.body) != string(testBody) {
				t.Errorf("receiver saw %+v", r)
			}
			if want := Sign(testSecret, testBody, testNow.Unix()); r.signature != want {
				t.Errorf("signature %q, want %q", r.signature, want)
			}
		})
	}
}

func TestSendDefaults(t *testing.T) {
	ua := make(chan string, 1)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ua <- r.Header.Get("User-Agent")
	}))
	defer srv.Close()
	var s *Sender // nil: a zero Sender
	if res := s.Send(context.Background(), endpoint(srv.URL), "d1", nil); res.Err != nil || res.Status != 200 {
		t.Fatalf("Send = %+v", res)
	}
	if got := <-ua; got != DefaultUserAgent {
		t.Errorf("User-Agent %q, want %q", got, DefaultUserAgent)
	}
}

// TestSendSignatureVerifiesAtReceiver: a receiver using Verify accepts a
// delivery signed with its secret and refuses one signed with another,
// which is a permanent failure.
func TestSendSignatureVerifiesAtReceiver(t *testing.T) {
	receiverSecret := testSecret
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(r.Body)
		if err != nil {
			http.Error(w, "read", http.StatusBadRequest)
			return
		}
		if err := Verify(receiverSecret, body, r.Header.Get(SignatureHeader), time.Now(), time.Minute); err != nil {
			http.Error(w, "bad signature", http.StatusUnauthorized)
			return
		}
		w.WriteHeader(http.StatusNoContent)
	}))
	defer srv.Close()
	for _, tc := range []struct {
		name   string
		secret []byte
		status int
		ok     bool
	}{
		{"same secret", testSecret, 204, true},
		{"other secret", []byte("another-secret-of-16+bytes"), 401, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := endpoint(srv.URL)
			e.Secret = tc.secret
			res := (&Sender{}).Send(context.Background(), e, "d-1", testBody)
			if res.Status != tc.status || (res.Err == nil) != tc.ok || res.Retry {
				t.Fatalf("Send = %+v, want status %d", res, tc.status)
			}
			noLeak(t, res.Err, "bad signature", string(tc.secret))
		})
	}
}

func TestSendRetryable(t *testing.T) {
	date := func(d time.Duration) string { return testNow.Add(d).Format(http.TimeFormat) }
	for _, tc := range []struct {
		name       string
		status     int
		retryAfter string
		after      time.Duration
	}{
		{"503 no Retry-After", 503, "", 0},
		{"500", 500, "", 0},
		{"502", 502, "", 0},
		{"504", 504, "", 0},
		{"501", 501, "", 0},
		{"599", 599, "", 0},
		{"408", 408, "", 0},
		{"425", 425, "", 0},
		{"429 seconds", 429, "120", 2 * time.Minute},
		{"429 zero", 429, "0", 0},
		{"503 seconds padded", 503, " 3 ", 3 * time.Second},
		{"503 date", 503, date(90 * time.Second), 90 * time.Second},
		{"503 RFC 850 date", 503, testNow.Add(time.Minute).Format(time.RFC850), time.Minute},
		{"503 ANSI C date", 503, testNow.Add(time.Minute).Format(time.ANSIC), time.Minute},
		{"503 past date", 503, date(-time.Hour), 0},
		{"503 far date", 503, date(72 * time.Hour), MaxRetryAfter},
		{"503 garbage", 503, "soon", 0},
		{"503 fraction", 503, "1.5", 0},
		{"503 negative", 503, "-5", 0},
		{"503 huge seconds", 503, "99999999999999999999999999", MaxRetryAfter},
		{"503 over the cap", 503, "7200", MaxRetryAfter},
		{"503 at the cap", 503, "3600", MaxRetryAfter},
		{"503 under the cap", 503, "3599", 3599 * time.Second},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if tc.retryAfter != "" {
					w.Header().Set("Retry-After", tc.retryAfter)
				}
				w.WriteHeader(tc.status)
				io.WriteString(w, "RECEIVER-BODY-detail")
			}))
			defer srv.Close()
			res := (&Sender{Now: fixedNow}).Send(context.Background(), endpoint(srv.URL), "d-1", testBody)
			if res.Status != tc.status || !res.Retry || res.After != tc.after || res.Err == nil {
				t.Fatalf("Send = %+v, want status %d, retry after %s", res, tc.status, tc.after)
			}
			if msg := res.Err.Error(); !strings.Contains(msg, `"hub"`) || !strings.Contains(msg, itoa(int64(tc.status))) {
				t.Errorf("error %q does not name the endpoint and status", msg)
			}
			noLeak(t, res.Err, "RECEIVER-BODY")
		})
	}
}

func TestSendPermanent(t *testing.T) {
	var redirected atomic.Int32
	target := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { redirected.Add(1) }))
	defer target.Close()
	for _, status := range []int{400, 401, 403, 404, 405, 409, 410, 413, 422, 301, 302, 303, 307, 308, 418, 451} {
		t.Run(http.StatusText(status), func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Retry-After", "30") // not honoured for a permanent failure
				if status >= 300 && status < 400 {
					w.Header().Set("Location", target.URL)
				}
				w.WriteHeader(status)
				io.WriteString(w, "RECEIVER-BODY-detail")
			}))
			defer srv.Close()
			res := (&Sender{Now: fixedNow}).Send(context.Background(), endpoint(srv.URL), "d-1", testBody)
			if res.Status != status || res.Retry || res.After != 0 || res.Err == nil {
				t.Fatalf("Send = %+v, want a permanent failure with status %d", res, status)
			}
			if msg := res.Err.Error(); !strings.Contains(msg, `"hub"`) || !strings.Contains(msg, itoa(int64(status))) {
				t.Errorf("error %q does not name the endpoint and status", msg)
			}
			noLeak(t, res.Err, "RECEIVER-BODY")
		})
	}
	if n := redirected.Load(); n != 0 {
		t.Errorf("a redirect was followed %d times", n)
	}
}

func TestSendInvalid(t *testing.T) {
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { hits.Add(1) }))
	defer srv.Close()
	good := endpoint(srv.URL)
	for _, tc := range []struct {
		name string
		e    Endpoint
		id   string
	}{
		{"bad name", Endpoint{Name: "Hub!", URL: srv.URL, Secret: testSecret}, "d-1"},
		{"short secret", Endpoint{Name: "hub", URL: srv.URL, Secret: []byte("short")}, "d-1"},
		{"bad url", Endpoint{Name: "hub", URL: "ftp://pa55word@x/?tok3n", Secret: testSecret}, "d-1"},
		{"empty id", good, ""},
		{"id with space", good, "a b"},
		{"id with newline", good, "a\r\nX-Evil: 1"},
		{"id not ASCII", good, "délivery"},
		{"id too long", good, strings.Repeat("x", maxIDLen+1)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res := (&Sender{}).Send(context.Background(), tc.e, tc.id, testBody)
			if res.Err == nil || res.Retry || res.Status != 0 {
				t.Fatalf("Send = %+v, want a permanent failure", res)
			}
			noLeak(t, res.Err)
		})
	}
	if n := hits.Load(); n != 0 {
		t.Errorf("the receiver was called %d times", n)
	}
	if res := (&Sender{}).Send(context.Background(), good, strings.Repeat("x", maxIDLen), nil); res.Err != nil {
		t.Errorf("an id of %d characters: %v", maxIDLen, res.Err)
	}
}

func TestSendNetworkError(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {}))
	u := srv.URL
	srv.Close() // nothing listens there now
	u = strings.Replace(u, "http://", "http://user:pa55word@", 1) + "/hook?token=tok3n"
	res := (&Sender{}).Send(context.Background(), endpoint(u), "d-1", testBody)
	if res.Err == nil || !res.Retry || res.Status != 0 || res.After != 0 {
		t.Fatalf("Send = %+v, want a retryable failure without a status", res)
	}
	if !strings.Contains(res.Err.Error(), `"hub"`) {
		t.Errorf("error %q does not name the endpoint", res.Err)
	}
	noLeak(t, res.Err)
}

// blocking is a receiver that answers only when the request is given up
// (or the test ends); arrived says a request came.
func blocking(t *testing.T) (srv *httptest.Server, arrived chan struct{}) {
	arrived = make(chan struct{}, 1)
	release := make(chan struct{})
	srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case arrived <- struct{}{}:
		default:
		}
		select {
		case <-r.Context().Done():
		case <-release:
		}
	}))
	t.Cleanup(func() { close(release); srv.Close() })
	return srv, arrived
}

func TestSendContextCancelled(t *testing.T) {
	t.Run("while waiting", func(t *testing.T) {
		srv, arrived := blocking(t)
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		go func() { <-arrived; cancel() }()
		res := (&Sender{}).Send(ctx, endpoint(srv.URL), "d-1", testBody)
		if res.Err == nil || !res.Retry || res.Status != 0 || !errors.Is(res.Err, context.Canceled) {
			t.Fatalf("Send = %+v, want a retryable failure wrapping context.Canceled", res)
		}
		if !strings.Contains(res.Err.Error(), `"hub"`) {
			t.Errorf("error %q does not name the endpoint", res.Err)
		}
	})
	t.Run("before", func(t *testing.T) {
		var hits atomic.Int32
		srv := httptest.NewServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { hits.Add(1) }))
		defer srv.Close()
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		res := (&Sender{}).Send(ctx, endpoint(srv.URL), "d-1", testBody)
		if res.Err == nil || !res.Retry || !errors.Is(res.Err, context.Canceled) || hits.Load() != 0 {
			t.Fatalf("Send = %+v (hits %d), want a retryable failure and no request", res, hits.Load())
		}
	})
}

func TestSendTimeout(t *testing.T) {
	t.Run("default per attempt", func(t *testing.T) {
		old := attemptTimeout
		attemptTimeout = 100 * time.Millisecond
		defer func() { attemptTimeout = old }()
		srv, _ := blocking(t)
		start := time.Now()
		res := (&Sender{Client: &http.Client{}}).Send(context.Background(), endpoint(srv.URL), "d-1", testBody)
		if res.Err == nil || !res.Retry || res.Status != 0 || !errors.Is(res.Err, context.DeadlineExceeded) {
			t.Fatalf("Send = %+v, want a retryable timeout", res)
		}
		if !strings.Contains(res.Err.Error(), "no answer within 100ms") {
			t.Errorf("error %q does not say it timed out", res.Err)
		}
		if d := time.Since(start); d > 5*time.Second {
			t.Errorf("Send took %s", d)
		}
	})
	t.Run("the client's own", func(t *testing.T) {
		srv, _ := blocking(t)
		res := (&Sender{Client: &http.Client{Timeout: 100 * time.Millisecond}}).Send(context.Background(), endpoint(srv.URL), "d-1", testBody)
		if res.Err == nil || !res.Retry || res.Status != 0 {
			t.Fatalf("Send = %+v, want a retryable timeout", res)
		}
		if !strings.Contains(res.Err.Error(), "no answer within 100ms") {
			t.Errorf("error %q does not say it timed out", res.Err)
		}
	})
}

// TestSendLargeAnswer: a long answer does not hold up the attempt and
// never reaches the error.
func TestSendLargeAnswer(t *testing.T) {
	for _, status := range []int{200, 500} {
		t.Run(http.StatusText(status), func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.WriteHeader(status)
				chunk := []byte(strings.Repeat("LONG-BODY-", 1024))
				for range 1024 { // 10 MiB
					if _, err := w.Write(chunk); err != nil {
						return
					}
				}
			}))
			defer srv.Close()
			res := (&Sender{}).Send(context.Background(), endpoint(srv.URL), "d-1", testBody)
			if res.Status != status || (res.Err == nil) != (status == 200) {
				t.Fatalf("Send = %+v", res)
			}
			noLeak(t, res.Err, "LONG-BODY")
		})
	}
}

// fields is every field an error from Validate names.
func fields(err error) []string {
	var out []string
	var walk func(error)
	walk = func(err error) {
		var ee *EndpointError
		if j, ok := err.(interface{ Unwrap() []error }); ok {
			for _, e := range j.Unwrap() {
				walk(e)
			}
		} else if errors.As(err, &ee) {
			out = append(out, ee.Field)
		}
	}
	if err != nil {
		walk(err)
	}
	return out
}

func TestValidate(t *testing.T) {
	const u = "https://hooks.example.org/resindex"
	for _, tc := range []struct {
		name string
		e    Endpoint
		want string // the fields wrong, joined by ","
	}{
		{"good", Endpoint{"hub", u, testSecret}, ""},
		{"good http with port", Endpoint{"a_b-9", "http://10.0.0.7:8080/x?k=v", testSecret}, ""},
		{"upper-case scheme", Endpoint{"hub", "HTTPS://hooks.example.org/", testSecret}, ""},
		{"userinfo", Endpoint{"hub", "https://user:pa55word@hooks.example.org/", testSecret}, ""},
		{"name of 64", Endpoint{strings.Repeat("n", 64), u, testSecret}, ""},
		{"secret of 16", Endpoint{"hub", u, make([]byte, 16)}, ""},
		{"no name", Endpoint{"", u, testSecret}, "name"},
		{"name of 65", Endpoint{strings.Repeat("n", 65), u, testSecret}, "name"},
		{"upper-case name", Endpoint{"Hub", u, testSecret}, "name"},
		{"name with space", Endpoint{"the hub", u, testSecret}, "name"},
		{"name with dot", Endpoint{"hub.1", u, testSecret}, "name"},
		{"name with quote", Endpoint{`hub"}`, u, testSecret}, "name"},
		{"no url", Endpoint{"hub", "", testSecret}, "url"},
		{"relative url", Endpoint{"hub", "/hook?token=tok3n", testSecret}, "url"},
		{"ftp", Endpoint{"hub", "ftp://pa55word@files.example.org/?tok3n", testSecret}, "url"},
		{"no host", Endpoint{"hub", "https:///path?token=tok3n", testSecret}, "url"},
		{"port only", Endpoint{"hub", "http://:8080/", testSecret}, "url"},
		{"opaque", Endpoint{"hub", "https:hooks.example.org", testSecret}, "url"},
		{"no scheme", Endpoint{"hub", "hooks.example.org/x", testSecret}, "url"},
		{"unparsable", Endpoint{"hub", "http://user:pa55word@[::1/?tok3n", testSecret}, "url"},
		{"control character", Endpoint{"hub", "https://hooks.example.org/\n?tok3n", testSecret}, "url"},
		{"short secret", Endpoint{"hub", u, []byte("pa55word")}, "secret"},
		{"no secret", Endpoint{"hub", u, nil}, "secret"},
		{"all wrong", Endpoint{"", "mailto:x@example.org?tok3n", []byte("pa55word")}, "name,url,secret"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.e.Validate()
			if got := strings.Join(fields(err), ","); got != tc.want {
				t.Fatalf("Validate() = %v, fields %q, want %q", err, got, tc.want)
			}
			if err == nil {
				return
			}
			msg := err.Error()
			noLeak(t, err, string(tc.e.Secret))
			if strings.Contains(tc.want, "secret") && strings.Contains(msg, "pa55word") {
				t.Errorf("error %q echoes the secret", msg)
			}
			name := "(unnamed)"
			if tc.e.Name != "" {
				name = strconv.Quote(tc.e.Name[:min(len(tc.e.Name), maxNameLen)])
			}
			if !strings.Contains(msg, name) {
				t.Errorf("error %q does not name endpoint %q", msg, name)
			}
			for _, f := range strings.Split(tc.want, ",") {
				if !strings.Contains(msg, f+":") {
					t.Errorf("error %q does not say %s is wrong", msg, f)
				}
			}
		})
	}
	// The URL is echoed, redacted, when that helps.
	err := Endpoint{"hub", "ftp://user:pa55word@files.example.org/in?token=tok3n#frag", testSecret}.Validate()
	if err == nil || !strings.Contains(err.Error(), `"ftp://files.example.org/in"`) {
		t.Errorf("Validate() = %v, want the redacted URL", err)
	}
}

func TestSign(t *testing.T) {
	h := hmac.New(sha256.New, testSecret)
	h.Write([]byte("1700000000." + string(testBody)))
	want := "t=1700000000,v1=" + hex.EncodeToString(h.Sum(nil))
	if got := Sign(testSecret, testBody, 1700000000); got != want {
		t.Errorf("Sign = %q, want %q", got, want)
	}
}

func TestVerify(t *testing.T) {
	now := testNow.Unix()
	good := Sign(testSecret, testBody, now)
	v1 := func(h string) string { _, v, _ := strings.Cut(h, ",v1="); return v }
	other := []byte("the-other-secret-16+")
	sigAt := func(ts int64) string { return Sign(testSecret, testBody, ts) }
	for _, tc := range []struct {
		name   string
		secret []byte
		body   []byte
		header string
		tol    time.Duration
		want   error // nil, a sentinel, or errAny
	}{
		{"good", testSecret, testBody, good, time.Minute, nil},
		{"good, default tolerance", testSecret, testBody, sigAt(now - 299), 0, nil},
		{"good, surrounding space", testSecret, testBody, " " + good + " ", 0, nil},
		{"elements reversed", testSecret, testBody, "v1=" + v1(good) + ",t=" + itoa(now), 0, nil},
		{"upper-case hex", testSecret, testBody, "t=" + itoa(now) + ",v1=" + strings.ToUpper(v1(good)), 0, nil},
		{"rotation: second v1 matches", testSecret, testBody, "t=" + itoa(now) + ",v1=" + v1(Sign(other, testBody, now)) + ",v1=" + v1(good), 0, nil},
		{"unknown scheme ignored", testSecret, testBody, good + ",v0=whatever,v2=", 0, nil},
		{"empty body", testSecret, nil, Sign(testSecret, nil, now), 0, nil},
		{"at the tolerance", testSecret, testBody, sigAt(now - 60), time.Minute, nil},

		{"wrong secret", other, testBody, good, 0, ErrSignatureMismatch},
		{"tampered body", testSecret, []byte(`{"alert":"A-18"}`), good, 0, ErrSignatureMismatch},
		{"timestamp changed", testSecret, testBody, "t=" + itoa(now+1) + ",v1=" + v1(good), 0, ErrSignatureMismatch},
		{"zero signature", testSecret, testBody, "t=" + itoa(now) + ",v1=" + strings.Repeat("0", 64), 0, ErrSignatureMismatch},

		{"stale", testSecret, testBody, sigAt(now - 61), time.Minute, ErrStaleSignature},
		{"an hour old", testSecret, testBody, sigAt(now - 3600), 0, ErrStaleSignature},
		{"from the future", testSecret, testBody, sigAt(now + 301), 0, ErrStaleSignature},
		{"most negative", testSecret, testBody, sigAt(math.MinInt64), 0, ErrStaleSignature},
		{"most positive", testSecret, testBody, sigAt(math.MaxInt64), 0, ErrStaleSignature},

		{"empty", testSecret, testBody, "", 0, ErrMalformedSignature},
		{"garbage", testSecret, testBody, "garbage", 0, ErrMalformedSignature},
		{"no v1", testSecret, testBody, "t=" + itoa(now), 0, ErrMalformedSignature},
		{"no t", testSecret, testBody, "v1=" + v1(good), 0, ErrMalformedSignature},
		{"empty t", testSecret, testBody, "t=,v1=" + v1(good), 0, ErrMalformedSignature},
		{"t not a number", testSecret, testBody, "t=soon,v1=" + v1(good), 0, ErrMalformedSignature},
		{"t with plus", testSecret, testBody, "t=+" + itoa(now) + ",v1=" + v1(good), 0, ErrMalformedSignature},
		{"t with leading zero", testSecret, testBody, "t=0" + itoa(now) + ",v1=" + v1(good), 0, ErrMalformedSignature},
		{"t too big", testSecret, testBody, "t=99999999999999999999,v1=" + v1(good), 0, ErrMalformedSignature},
		{"two t", testSecret, testBody, good + ",t=" + itoa(now), 0, ErrMalformedSignature},
		{"v1 not hex", testSecret, testBody, "t=" + itoa(now) + ",v1=" + strings.Repeat("zz", 32), 0, ErrMalformedSignature},
		{"v1 short", testSecret, testBody, "t=" + itoa(now) + ",v1=" + v1(good)[:62], 0, ErrMalformedSignature},
		{"v1 long", testSecret, testBody, good + "00", 0, ErrMalformedSignature},
		{"v1 empty", testSecret, testBody, "t=" + itoa(now) + ",v1=", 0, ErrMalformedSignature},
		{"empty element", testSecret, testBody, good + ",", 0, ErrMalformedSignature},
		{"no key", testSecret, testBody, good + ",=x", 0, ErrMalformedSignature},
		{"semicolons", testSecret, testBody, strings.ReplaceAll(good, ",", ";"), 0, ErrMalformedSignature},
		{"spaces inside", testSecret, testBody, strings.ReplaceAll(good, ",", ", "), 0, ErrMalformedSignature},
		{"too long", testSecret, testBody, good + strings.Repeat(",x=y", 3000), 0, ErrMalformedSignature},
		{"no secret", nil, testBody, good, 0, errAny},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := Verify(tc.secret, tc.body, tc.header, testNow, tc.tol)
			switch {
			case tc.want == nil && err != nil:
				t.Fatalf("Verify = %v, want nil", err)
			case tc.want == errAny && err == nil:
				t.Fatal("Verify = nil, want an error")
			case tc.want != nil && tc.want != errAny && !errors.Is(err, tc.want):
				t.Fatalf("Verify = %v, want %v", err, tc.want)
			}
			if err != nil && len(tc.header) > 20 && strings.Contains(err.Error(), tc.header[:20]) {
				t.Errorf("error %q echoes the header", err)
			}
			noLeak(t, err, string(tc.body))
		})
	}
}

var errAny = errors.New("any error")

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

func TestBackoff(t *testing.T) {
	fixed := func(v float64) func() float64 { return func() float64 { return v } }
	// Exact values: defaults, equal jitter, attempt below 1, the cap.
	for _, tc := range []struct {
		attempt   int
		base, max time.Duration
		jitter    float64
		want      time.Duration
	}{
		{1, 0, 0, 1, 5 * time.Second},
		{2, 0, 0, 1, 10 * time.Second},
		{3, 0, 0, 1, 20 * time.Second},
		{3, 0, 0, 0, 10 * time.Second},
		{3, 0, 0, 0.5, 15 * time.Second},
		{0, 0, 0, 1, 5 * time.Second},
		{-7, 0, 0, 1, 5 * time.Second},
		{math.MinInt, 0, 0, 1, 5 * time.Second},
		{10, 0, 0, 1, 2560 * time.Second}, // 5s·512
		{11, 0, 0, 1, time.Hour},          // 5s·1024 > 1h
		{11, 0, 0, 0, time.Hour / 2},
		{4, time.Second, 5 * time.Second, 1, 5 * time.Second},
		{1, time.Minute, time.Second, 1, time.Second}, // base above the cap
		{1, -time.Second, -time.Second, 1, 5 * time.Second},
		{math.MaxInt, 0, 0, 1, time.Hour},
		{math.MaxInt, 1, math.MaxInt64, 1, math.MaxInt64},
		{3, 0, 0, 7, 20 * time.Second},           // jitter above 1 is 1
		{3, 0, 0, -2, 10 * time.Second},          // below 0 is 0
		{3, 0, 0, math.NaN(), 10 * time.Second},  // NaN is 0
		{3, 0, 0, math.Inf(1), 20 * time.Second}, // +Inf is 1
	} {
		if got := Backoff(tc.attempt, tc.base, tc.max, fixed(tc.jitter)); got != tc.want {
			t.Errorf("Backoff(%d, %s, %s, %v) = %s, want %s", tc.attempt, tc.base, tc.max, tc.jitter, got, tc.want)
		}
	}
	// Monotone up to the cap and never negative, for attempts up to 1000.
	for _, lim := range []struct{ base, max time.Duration }{
		{0, 0}, {time.Second, time.Minute}, {3 * time.Second, 10 * time.Second},
		{1, math.MaxInt64}, {math.MaxInt64 / 3, math.MaxInt64}, {math.MaxInt64, math.MaxInt64}, {7 * time.Millisecond, 0},
	} {
		for _, j := range []float64{0, 0.25, 0.5, 1} {
			capped := lim.max
			if capped == 0 {
				capped = DefaultBackoffMax
			}
			prev := time.Duration(0)
			for a := 0; a <= 1000; a++ {
				d := Backoff(a, lim.base, lim.max, fixed(j))
				if d < 0 || d < prev || d > capped {
					t.Fatalf("base %s max %s jitter %v: Backoff(%d) = %s after %s", lim.base, lim.max, j, a, d, prev)
				}
				prev = d
			}
			if j == 1 && prev != capped {
				t.Errorf("base %s max %s: Backoff(1000) = %s, want the cap %s", lim.base, lim.max, prev, capped)
			}
		}
	}
	// Random jitter stays within the half it may vary.
	for range 200 {
		if d := Backoff(3, 0, 0, nil); d < 10*time.Second || d > 20*time.Second {
			t.Fatalf("Backoff(3) with random jitter = %s, want within [10s, 20s]", d)
		}
	}
}
