package resindex

import (
	"strings"
	"time"
)

// Version is the release of resindex this is. A release build sets it
// (go build -ldflags "-X github.com/resindex/resindex.Version=1.4.0");
// `resindex version` prints it with the Go version and VCS revision.
var Version = "dev"

// CompareVersions orders two versions of a source record: -1 when a is
// older than b, 0 when they are the same moment, 1 when a is newer.
// Versions are RFC 3339 times, compared as instants, so "…:20Z",
// "…:20.000Z" and "…:20+00:00" are the same and "…:20.5Z" comes after
// "…:20Z" whatever the number of fraction digits; any other text (a log
// position, say) is compared as text.
func CompareVersions(a, b string) int {
	if len(a) == len(b) && strings.HasSuffix(a, "Z") && strings.HasSuffix(b, "Z") {
		return strings.Compare(a, b) // the same layout: text order is time order
	}
	ta, errA := time.Parse(time.RFC3339Nano, a)
	tb, errB := time.Parse(time.RFC3339Nano, b)
	if errA != nil || errB != nil {
		return strings.Compare(a, b)
	}
	return ta.Compare(tb)
}
