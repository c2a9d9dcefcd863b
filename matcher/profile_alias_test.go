package matcher

import (
	"fmt"
	"reflect"
	"strings"
	"testing"
	"unsafe"

	"github.com/resindex/resindex"
)

// TestProfileKeepsNoInputString: a profile outlives its record (a link
// releases each record once profiled), so it must not keep a string that
// shares memory with the record's: a decoder may hold all of a record's
// strings in one allocation (ndjson's does), which one kept identifier
// would keep whole. The record's strings are cut from one string here,
// already in normalised form, which is when a normaliser returns its input.
func TestProfileKeepsNoInputString(t *testing.T) {
	var arena strings.Builder
	arena.Grow(4096)
	cut := func(s string) string {
		start := arena.Len()
		arena.WriteString(s)
		return arena.String()[start:]
	}
	r := resindex.Record{
		Source: "s", ID: "1",
		Name:       resindex.Name{Title: cut("mr"), Given: cut("john"), Family: cut("smith")},
		OtherNames: []resindex.Name{{Given: cut("jon"), Family: cut("jones")}},
		DOB:        cut("1980-04-07"), Sex: cut("M"),
		Addresses: []resindex.Address{{UPRN: cut("100021234567"), Lines: []string{cut("flat 2"), cut("10 high street")},
			Town: cut("london"), Postcode: cut("NW1 4AB")}},
		Identifiers: map[string]string{cut("nhs"): cut("9434765919"), cut("nino"): cut("AB123456C"), cut("upn"): cut("A123456789012"), cut("x"): cut("y")},
		Emails:      []string{cut("m@example.org")}, Phones: []string{cut("02079460000"), cut("+447700900000")},
	}
	start := uintptr(unsafe.Pointer(unsafe.StringData(arena.String())))
	end := start + uintptr(arena.Len())
	p := NewProfile(&r)
	var shared []string
	var walk func(v reflect.Value, path string)
	walk = func(v reflect.Value, path string) {
		switch v.Kind() {
		case reflect.String:
			if s := v.String(); s != "" {
				if at := uintptr(unsafe.Pointer(unsafe.StringData(s))); at >= start && at < end {
					shared = append(shared, path)
				}
			}
		case reflect.Struct:
			for i := range v.NumField() {
				walk(v.Field(i), path+"."+v.Type().Field(i).Name)
			}
		case reflect.Slice:
			for i := range v.Len() {
				walk(v.Index(i), fmt.Sprintf("%s[%d]", path, i))
			}
		}
	}
	walk(reflect.ValueOf(p), "profile")
	if len(shared) > 0 {
		t.Errorf("the profile shares the record's memory in %v", shared)
	}
}
