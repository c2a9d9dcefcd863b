package main

import (
	"log/slog"
	"net/http"
	"runtime"
	"runtime/debug"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/resindex/resindex/internal/httpserve"
)

// newRegistry is the process's one metrics registry, with the Go runtime's
// and the process's own metrics and the build's.
func newRegistry() *prometheus.Registry {
	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	info := prometheus.NewGauge(prometheus.GaugeOpts{Name: "resindex_build_info", Help: "Always 1: the build's version and Go version as labels.",
		ConstLabels: prometheus.Labels{"version": buildVersion(), "goversion": runtime.Version()}})
	info.Set(1)
	reg.MustRegister(info)
	return reg
}

// buildVersion is the binary's version, as resindex version says it.
func buildVersion() string {
	info, _ := debug.ReadBuildInfo()
	return release(info) // as resindex version prints it
}

// startMetrics serves the registry at http://addr/metrics, and the
// probes at /healthz and /readyz, until stopped.
func startMetrics(addr string, reg *prometheus.Registry, probes http.Handler, log *slog.Logger) (*httpserve.Server, error) {
	mux := http.NewServeMux()
	mux.Handle("/metrics", promhttp.HandlerFor(reg, promhttp.HandlerOpts{Registry: reg}))
	mux.Handle("GET /healthz", probes)
	mux.Handle("GET /readyz", probes)
	return httpserve.Start("metrics", addr, mux, log)
}
