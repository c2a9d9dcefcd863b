package resindex_test

import (
	"testing"

	"github.com/resindex/resindex"
)

func TestCompareVersions(t *testing.T) {
	for _, tc := range []struct {
		a, b string
		want int
	}{
		{"2024-01-02T03:04:05Z", "2024-01-02T03:04:05Z", 0},
		{"2024-01-02T03:04:05Z", "2024-01-02T03:04:06Z", -1},
		{"2024-01-02T03:04:05.5Z", "2024-01-02T03:04:05Z", 1},     // text order says older
		{"2024-01-02T03:04:05.1Z", "2024-01-02T03:04:05.15Z", -1}, // text order says newer
		{"2024-01-02T03:04:05.120Z", "2024-01-02T03:04:05.12Z", 0},
		{"2024-01-02T03:04:05+01:00", "2024-01-02T02:04:05Z", 0},
		{"2024-01-02T03:04:05+01:00", "2024-01-02T02:30:00Z", -1}, // 02:04:05Z
		{"2024-01", "2024-02", -1},                                // not times: as text
		{"", "2024-01-02T03:04:05Z", -1},
		{"offset:10", "offset:9", -1},
	} {
		if got := resindex.CompareVersions(tc.a, tc.b); got != tc.want {
			t.Errorf("CompareVersions(%q, %q) = %d, want %d", tc.a, tc.b, got, tc.want)
		}
		if got := resindex.CompareVersions(tc.b, tc.a); got != -tc.want {
			t.Errorf("CompareVersions(%q, %q) = %d, want %d", tc.b, tc.a, got, -tc.want)
		}
	}
}
