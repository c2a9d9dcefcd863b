package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const convertHeader = "rec_id, given_name, surname, street_number, address_1, address_2, suburb, postcode, state, date_of_birth, soc_sec_id"

// convertA and convertB are the two files of a small linkage task: person 1
// is in both, with typing errors. internal/febrl's tests cover each way a
// file can be wrong; these cover the command around it.
const (
	convertA = convertHeader + "\r\n" +
		"rec-1-org, mary, smith, 12, high street, flat 2, hobart, 7000, tas, 19700131, 1234567\r\n" +
		"rec-2-org, john, brown, 4, kent road, , perth, 6000, wa, 19551102, 7654321\r\n" +
		"rec-3-org, ann, lee, , , , , , , 1970, \r\n"
	convertB = convertHeader + "\n" +
		"rec-1-dup-0, mary, smyth, 12, high st, flat 2, hobart, 7000, tas, 19700131, 1234567\n" +
		"rec-4-org, , jones, 9, park lane, , darwin, 0800, nt, 19801340, 1112223\n"
)

// TestConvertFEBRL: what convert writes, link and eval read; a malformed
// file fails the command (exit 1) and leaves nothing behind.
func TestConvertFEBRL(t *testing.T) {
	dir := t.TempDir()
	a, b, bad := filepath.Join(dir, "dataset4a.csv"), filepath.Join(dir, "dataset4b.csv"), filepath.Join(dir, "bad.csv")
	mustWriteFile(t, a, convertA)
	mustWriteFile(t, b, convertB)
	mustWriteFile(t, bad, convertB+"rec-5-org, tom, ash\n")
	out := filepath.Join(dir, "out")
	_, errs := mustRun(t, "convert", "febrl", "--in", a, "--in", b, "--ssn", "--out", out)
	if !strings.Contains(errs, "converted 5 records of 4 persons from 2 files to "+out) {
		t.Errorf("convert said:\n%s", errs)
	}
	truth, clusters := filepath.Join(out, "truth", "records.csv"), filepath.Join(out, "clusters.csv")
	_, errs = mustRun(t, "link", "--in", filepath.Join(out, "canonical"), "--out", clusters, "--truth", truth, "--quiet")
	if strings.Contains(errs, "line") {
		t.Errorf("link reported bad lines in convert's output:\n%s", errs)
	}
	mustRun(t, "eval", "--truth", truth, "--clusters", clusters)

	failed := filepath.Join(dir, "failed")
	_, errs, code := runCLI(t, "convert", "febrl", "--in", a, "--in", bad, "--out", failed)
	if code != 1 || !strings.Contains(errs, "bad.csv: evaluate: line 4: 3 columns, want 11") {
		t.Fatalf("exit %d, stderr %q", code, errs)
	}
	if _, err := os.Stat(failed); !os.IsNotExist(err) {
		t.Errorf("a failed conversion left %s behind", failed)
	}
}

func TestConvertUsage(t *testing.T) {
	for _, args := range [][]string{
		{"convert"},
		{"convert", "csv", "--in", "x.csv", "--out", "d"},
		{"convert", "febrl", "--out", "d"},
		{"convert", "febrl", "--in", "x.csv"},
		{"convert", "febrl", "--in", "x.csv", "--out", "d", "stray"},
	} {
		if _, _, code := runCLI(t, args...); code != 2 {
			t.Errorf("resindex %s: exit %d, want 2", strings.Join(args, " "), code)
		}
	}
}
