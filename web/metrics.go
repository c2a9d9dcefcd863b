package web

import (
	"net/http"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// httpMetrics count and time the server's requests by route pattern,
// method and status, on the registry main builds.
type httpMetrics struct {
	requests *prometheus.CounterVec
	duration *prometheus.HistogramVec
}

// Unmatched is the handler label of a request no route took: one the
// not-found pages answered, or a method a route does not allow.
const Unmatched = "unmatched"

func newHTTPMetrics(reg prometheus.Registerer) *httpMetrics {
	m := &httpMetrics{
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "resindex_http_requests_total",
			Help: "Requests to the JSON API and staff UI, by route pattern (never the path), method and status code."},
			[]string{"handler", "method", "code"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "resindex_http_request_duration_seconds",
			Help:    "Time to answer a request to the JSON API or staff UI, by route pattern and method.",
			Buckets: []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10, 30}},
			[]string{"handler", "method"}),
	}
	reg.MustRegister(m.requests, m.duration)
	return m
}

// observe records one request once it is answered.
func (m *httpMetrics) observe(r *http.Request, status int, took time.Duration) {
	if m == nil {
		return
	}
	h, method := HandlerLabel(r.Pattern), methodLabel(r.Method)
	m.requests.WithLabelValues(h, method, strconv.Itoa(status)).Inc()
	m.duration.WithLabelValues(h, method).Observe(took.Seconds())
}

// HandlerLabel is the handler label of a request the mux routed to
// pattern: the pattern itself ("GET /api/v1/persons/{id}"), so that no
// reference in a path (a resident's) ever becomes a label value, or
// Unmatched for the not-found catch-alls and no route at all.
func HandlerLabel(pattern string) string {
	switch pattern {
	case "", "/", "/api/":
		return Unmatched
	}
	return pattern
}

// methodLabel bounds the method label to the methods HTTP defines: a
// client may send any token as a method.
func methodLabel(m string) string {
	switch m {
	case http.MethodGet, http.MethodHead, http.MethodPost, http.MethodPut, http.MethodPatch,
		http.MethodDelete, http.MethodOptions, http.MethodConnect, http.MethodTrace:
		return m
	}
	return "other"
}
