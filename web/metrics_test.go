package web_test

import (
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/resindex/resindex/web"
)

// TestRequestMetricsByPattern: requests are counted by the route pattern
// that took them, never by their path, so that no resident's reference
// (nor anything else a client puts in a path) becomes a label value.
func TestRequestMetricsByPattern(t *testing.T) {
	reg := prometheus.NewRegistry()
	probes := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "ok") })
	s := newServer(t, web.Config{Metrics: reg, Probes: probes})
	var refs []string
	for ref := range s.refs {
		if refs = append(refs, ref); len(refs) == 3 {
			break
		}
	}
	tok := s.tokens["frontline"]
	for _, ref := range refs {
		s.call(t, "GET", "/api/v1/persons/"+ref, tok, "", nil)
		s.call(t, "GET", "/api/v1/persons/"+ref+"/household", tok, "", nil)
		s.call(t, "GET", "/api/v1/persons/"+ref+"/nothing-here", tok, "", nil)
		s.call(t, "GET", "/api/v1/rights/persons/"+ref, "", "", nil)
		for _, path := range []string{"/persons/" + ref, "/no-page/" + ref, "/healthz"} {
			resp, err := http.Get(s.url + path)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
		}
		req, _ := http.NewRequest("BREW"+ref[:4], s.url+"/api/v1/persons/"+ref, nil)
		if resp, err := http.DefaultClient.Do(req); err == nil {
			resp.Body.Close()
		}
	}
	// A person frontline may not see is not found: whichever, the
	// pattern counts the call.
	want := map[string]float64{
		`GET /api/v1/persons/{id}|GET|200+404`:           3,
		`GET /api/v1/persons/{id}/household|GET|200+404`: 3,
		`unmatched|GET|404`:                              6, // the API's and the UI's not-found
		`GET /api/v1/rights/persons/{ref}|GET|401`:       3,
		`GET /healthz|GET|200`:                           3,
		`unmatched|other|404`:                            3, // a method HTTP does not define
	}
	got := requestCounts(t, reg, refs)
	for _, h := range []string{"GET /api/v1/persons/{id}|GET|", "GET /api/v1/persons/{id}/household|GET|"} {
		got[h+"200+404"] = got[h+"200"] + got[h+"404"]
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("requests %s = %v, want %v (all: %v)", k, got[k], v, got)
		}
	}
	if n := testutil.CollectAndCount(reg, "resindex_http_request_duration_seconds"); n == 0 {
		t.Error("no request latencies")
	}
}

// requestCounts reads resindex_http_requests_total as "handler|method|code"
// → count, failing on any label value that is no pattern or holds a
// reference.
func requestCounts(t *testing.T, reg *prometheus.Registry, refs []string) map[string]float64 {
	t.Helper()
	mfs, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]float64{}
	for _, mf := range mfs {
		for _, m := range mf.GetMetric() {
			vals := map[string]string{}
			for _, l := range m.GetLabel() {
				for _, ref := range refs {
					if strings.Contains(l.GetValue(), ref) || strings.Contains(l.GetValue(), ref[:4]) {
						t.Errorf("%s: label %s=%q holds a reference", mf.GetName(), l.GetName(), l.GetValue())
					}
				}
				if l.GetName() == "handler" && l.GetValue() != web.Unmatched && !strings.Contains(l.GetValue(), " /") {
					t.Errorf("%s: handler %q is no route pattern", mf.GetName(), l.GetValue())
				}
				vals[l.GetName()] = l.GetValue()
			}
			if mf.GetName() == "resindex_http_requests_total" {
				got[vals["handler"]+"|"+vals["method"]+"|"+vals["code"]] = m.GetCounter().GetValue()
			}
		}
	}
	return got
}
