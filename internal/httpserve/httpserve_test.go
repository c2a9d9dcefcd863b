package httpserve_test

import (
	"io"
	"log/slog"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/resindex/resindex/internal/httpserve"
)

func TestStartStop(t *testing.T) {
	slow := make(chan struct{})
	mux := http.NewServeMux()
	mux.HandleFunc("/hello", func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "hello") })
	mux.HandleFunc("/slow", func(w http.ResponseWriter, r *http.Request) { <-slow; io.WriteString(w, "done") })
	s, err := httpserve.Start("test", "127.0.0.1:0", mux, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	if strings.HasSuffix(s.Addr, ":0") {
		t.Fatalf("Addr %s: want the port chosen", s.Addr)
	}
	tests := []struct {
		path, want string
		status     int
	}{
		{"/hello", "hello", 200},
		{"/absent", "404 page not found\n", 404},
	}
	for _, tt := range tests {
		if status, body := get(t, "http://"+s.Addr+tt.path); status != tt.status || body != tt.want {
			t.Errorf("GET %s = %d %q, want %d %q", tt.path, status, body, tt.status, tt.want)
		}
	}
	if _, err := httpserve.Start("second", s.Addr, mux, slog.New(slog.DiscardHandler)); err == nil || !strings.HasPrefix(err.Error(), "second: ") {
		t.Errorf("a second server on the same address: %v", err)
	}
	// A request in flight finishes when the server stops.
	got := make(chan string, 1)
	go func() { _, body := get(t, "http://"+s.Addr+"/slow"); got <- body }()
	time.Sleep(100 * time.Millisecond)
	stopped := make(chan struct{})
	go func() { s.Stop(); close(stopped) }()
	time.Sleep(100 * time.Millisecond)
	close(slow)
	<-stopped
	if body := <-got; body != "done" {
		t.Errorf("the request in flight got %q", body)
	}
	if _, err := http.Get("http://" + s.Addr + "/hello"); err == nil {
		t.Error("the server still answers after Stop")
	}
}

func get(t *testing.T, url string) (int, string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Error(err)
		return 0, ""
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}
