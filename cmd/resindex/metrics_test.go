package main

import (
	"io"
	"log/slog"
	"net/http"
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus"
)

func TestStartMetrics(t *testing.T) {
	reg := newRegistry()
	c := prometheus.NewCounter(prometheus.CounterOpts{Name: "resindex_test_total", Help: "a test counter"})
	reg.MustRegister(c)
	c.Add(3)
	ms, err := startMetrics("127.0.0.1:0", reg, &probes{}, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	defer ms.Stop()
	resp, err := http.Get("http://" + ms.Addr + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	for _, want := range []string{"resindex_test_total 3", "go_goroutines", "process_cpu_seconds_total", `resindex_build_info{goversion="go`} {
		if !strings.Contains(string(body), want) {
			t.Errorf("/metrics lacks %q", want)
		}
	}
	if _, err := startMetrics(ms.Addr, reg, &probes{}, slog.New(slog.DiscardHandler)); err == nil {
		t.Error("a second server on the same address started")
	}
}
