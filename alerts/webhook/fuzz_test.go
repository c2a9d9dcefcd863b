package webhook

import (
	"errors"
	"strconv"
	"strings"
	"testing"
	"time"
)

// FuzzVerify feeds arbitrary headers and bodies to Verify: it never
// panics, every failure is one of its three kinds, a header accepted for
// a body is one whose t and some v1 are that body's signature, and a
// header Sign made for the body now is accepted.
func FuzzVerify(f *testing.F) {
	now := testNow.Unix()
	good := Sign(testSecret, testBody, now)
	for _, h := range []string{
		good, "", "t=", "v1=", "t=1", "garbage", ",", "=", "t=1,v1=zz", good + ",", good + ",v0=x",
		"t=" + strconv.FormatInt(now, 10) + ",v1=" + strings.Repeat("0", 64), "t=-9223372036854775808,v1=00",
		"t=9223372036854775807," + good[strings.IndexByte(good, ',')+1:], strings.ReplaceAll(good, ",", ", "),
	} {
		f.Add(h, testBody)
	}
	f.Fuzz(func(t *testing.T, header string, body []byte) {
		err := Verify(testSecret, body, header, testNow, time.Minute)
		if err != nil && !errors.Is(err, ErrMalformedSignature) && !errors.Is(err, ErrSignatureMismatch) && !errors.Is(err, ErrStaleSignature) {
			t.Fatalf("Verify(%q) = %v: not one of its kinds", header, err)
		}
		if err == nil {
			// Accepted: the header holds a t within the minute and the
			// v1 Sign gives for it (upper- or lower-case).
			var ts int64 = -1
			for part := range strings.SplitSeq(strings.TrimSpace(header), ",") {
				if v, ok := strings.CutPrefix(part, "t="); ok {
					ts, _ = strconv.ParseInt(v, 10, 64)
				}
			}
			want := Sign(testSecret, body, ts)
			_, sig, _ := strings.Cut(want, ",v1=")
			if ts < now-60 || ts > now+60 || !strings.Contains(strings.ToLower(header), "v1="+sig) {
				t.Fatalf("Verify accepted %q for body %q", header, body)
			}
		}
		if err := Verify(testSecret, body, Sign(testSecret, body, now), testNow, time.Minute); err != nil {
			t.Fatalf("Verify(Sign(body %q)) = %v", body, err)
		}
	})
}

// FuzzRetryAfter feeds arbitrary Retry-After values: the wait is never
// negative nor over the cap, and delay-seconds under the cap are exact.
func FuzzRetryAfter(f *testing.F) {
	for _, v := range []string{
		"", "0", "120", " 7 ", "3600", "3599", "-1", "1.5", "soon", "99999999999999999999999",
		testNow.Add(90 * time.Second).Format(time.RFC1123), testNow.Add(-time.Hour).Format(time.RFC1123),
		testNow.Add(time.Minute).Format(time.RFC850), testNow.Add(time.Minute).Format(time.ANSIC),
		"Mon, 01 Jan 0001 00:00:00 GMT", "Fri, 31 Dec 9999 23:59:59 GMT",
	} {
		f.Add(v)
	}
	f.Fuzz(func(t *testing.T, v string) {
		d := parseRetryAfter(v, testNow)
		if d < 0 || d > MaxRetryAfter {
			t.Fatalf("parseRetryAfter(%q) = %s", v, d)
		}
		s := strings.TrimSpace(v)
		if n, err := strconv.ParseUint(s, 10, 64); err == nil && digits(s) && n < 3600 && d != time.Duration(n)*time.Second {
			t.Fatalf("parseRetryAfter(%q) = %s, want %ds", v, d, n)
		}
	})
}
