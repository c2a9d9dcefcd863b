package main

import (
	"bufio"
	"encoding/json"
	"io"
	"net/http"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/resindex/resindex"
)

// series is a scrape: each sample line's name and labels → its value.
type series map[string]float64

// sum adds the samples of a metric whose labels hold all of labels; ok
// says whether there was one.
func (s series) sum(name string, labels ...string) (float64, bool) {
	total, ok := 0.0, false
next:
	for k, v := range s {
		if k != name && !strings.HasPrefix(k, name+"{") {
			continue
		}
		for _, l := range labels {
			if !strings.Contains(k, l) {
				continue next
			}
		}
		total, ok = total+v, true
	}
	return total, ok
}

// scrape reads /metrics.
func scrape(t *testing.T, base string) series {
	t.Helper()
	code, body := fetch(t, base+"/metrics")
	if code != 200 {
		t.Fatalf("/metrics: %d", code)
	}
	out := series{}
	sc := bufio.NewScanner(strings.NewReader(body))
	for sc.Scan() {
		line := sc.Text()
		i := strings.LastIndexByte(line, ' ')
		if strings.HasPrefix(line, "#") || i < 0 {
			continue
		}
		v, err := strconv.ParseFloat(line[i+1:], 64)
		if err != nil {
			t.Fatalf("/metrics line %q: %v", line, err)
		}
		out[line[:i]] = v
	}
	return out
}

// waitSeries scrapes until a series is present (the audit chain is
// verified on a goroutine as serve starts); the bound only keeps a
// broken test from hanging.
func waitSeries(t *testing.T, base, name string, errb *lockedBuffer) series {
	t.Helper()
	for range 600 {
		if s := scrape(t, base); func() bool { _, ok := s.sum(name); return ok }() {
			return s
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatalf("no %s on /metrics:\n%s", name, errb.String())
	return nil
}

// waitReady polls /readyz until ready; the bound only keeps a broken
// test from hanging.
func waitReady(t *testing.T, url string, errb *lockedBuffer) {
	t.Helper()
	var body string
	for range 1200 {
		var code int
		if code, body = fetch(t, url); code == 200 {
			return
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatalf("never ready: %q\n%s", body, errb.String())
}

var metricsLine = regexp.MustCompile(`metrics at (http://\S+)/metrics`)

// metricsBase waits for serve to say where its metrics are.
func metricsBase(t *testing.T, errb *lockedBuffer) string {
	t.Helper()
	for range 600 {
		if m := metricsLine.FindStringSubmatch(errb.String()); m != nil {
			return m[1]
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatalf("serve did not say where its metrics are:\n%s", errb.String())
	return ""
}

func fetch(t *testing.T, url string) (int, string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body)
}

// familyOf is the family name of the borough's first council-tax record.
func familyOf(t *testing.T, dir string) string {
	t.Helper()
	line := readLines(t, filepath.Join(dir, "canonical", resindex.SourceCouncilTax+".ndjson"))[0]
	var r resindex.Record
	if err := json.Unmarshal([]byte(line), &r); err != nil {
		t.Fatal(err)
	}
	return r.Name.Family
}

// searchOne searches by family name and returns the first result's
// reference.
func searchOne(t *testing.T, api, tok, family string) string {
	t.Helper()
	var found struct {
		Results []struct {
			ID string `json:"id"`
		} `json:"results"`
	}
	call(t, "GET", api+"/api/v1/persons?family="+family, tok, nil, &found)
	if len(found.Results) == 0 {
		t.Fatalf("no one called %s found", family)
	}
	return found.Results[0].ID
}
