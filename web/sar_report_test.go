package web_test

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"regexp"
	"testing"

	"github.com/resindex/resindex/access"
	"github.com/resindex/resindex/web"
)

var updateReport = flag.Bool("update-sar", false, "rewrite testdata/sar/report.golden.html")

// TestSARReportGolden draws the stand-alone report of testdata/sar/sar.json
// (access's golden report) and compares it with report.golden.html
// (-update-sar rewrites it). The file must stand alone: no script, no
// stylesheet or image from anywhere, its print rules inline; and it says
// every section in words.
func TestSARReportGolden(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("testdata", "sar", "sar.json"))
	if err != nil {
		t.Fatal(err)
	}
	var sar access.SAR
	if err := json.Unmarshal(data, &sar); err != nil {
		t.Fatal(err)
	}
	var got bytes.Buffer
	if err := web.WriteSARReport(&got, &sar); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join("testdata", "sar", "report.golden.html")
	if *updateReport {
		if err := os.WriteFile(path, got.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with -update-sar to write it)", err)
	}
	if !bytes.Equal(got.Bytes(), want) {
		t.Errorf("the report differs from %s (rerun with -update-sar and review the diff)", path)
	}
	if regexp.MustCompile(`<script|<link|<img|src=|url\(`).Match(got.Bytes()) {
		t.Error("the report is not self-contained: it loads something")
	}
	for _, want := range []string{"@media print", "Subject access report", "Electoral register: record ER-1", "Libraries: record LIB-9",
		"9 Old Road", "Another resident", "Property 100000000009", "more than 99.9% likely", "Date of birth: the dates of birth are the same", "Who has looked at your records",
		"never a decision", "The fraud checks are not set up", "council tax call", "Retention"} {
		if !bytes.Contains(got.Bytes(), []byte(want)) {
			t.Errorf("the report lacks %q", want)
		}
	}
}
