package layout

import (
	"bytes"
	"fmt"
	"strings"
)

// Kind is one kind of stored key: what it holds, which package writes it,
// how its value is encoded, and whether it holds a resident's data (in
// its key or its value), which erasure must reach.
type Kind struct {
	Prefix   string
	Name     string
	Writer   string // the package that writes it
	Value    string // the value's encoding
	Resident bool   // a resident's data is in the key or the value
	shape    func(rest []byte) bool
}

// Kinds are every kind of key the store holds, in prefix order. A key of
// any other kind is corruption or a package writing behind this one's
// back; Check says which.
var Kinds = []Kind{
	{AuditPrefix, "audit entry", "store", "SHA-256 chain hash, then the entry (JSON)", true, fixed(8)},
	{BlockPrefix, "blocking index entry", "resolver", "none", true, blockShape},
	{FindingPrefix, "fraud finding review", "fraud", "JSON fraud.Review", true, nonEmpty},
	{RedirectPrefix, "person redirect", "resolver", "surviving person ID", true, nonEmpty},
	{FreqPrefix, "term-frequency count", "resolver", "decimal", true, nonEmpty},
	{GoldenPrefix, "golden record (none for a child without consent)", "resolver", "JSON resindex.Golden", true, nonEmpty},
	{EpisodePrefix, "household episode", "alerts", "alert ID, left:DATE[|alert ID], or a lookup's day", true, episodeShape},
	{HouseholdPrefix, "household", "resolver", "JSON resindex.Household", true, nonEmpty},
	{PostcodePrefix, "postcode index entry", "resolver", "none", true, postcodeShape},
	{UPRNPrefix, "UPRN index entry", "resolver", "none", true, uprnShape},
	{NoticePrefix, "rectification notice", "access", "JSON notice: person, sources, correction, who and when", true, fixed(8)},
	{JournalPrefix, "large-change journal piece", "store", "(op, key, value) strings", true, fixed(8)},
	{AlertPrefix, "alert", "alerts", "JSON resindex.Alert", true, nonEmpty},
	{MemberPrefix, "record's person", "resolver", "person ID", true, recShape},
	{PositionPrefix, "applied source position", "store", "decimal offset", false, nonEmpty},
	{PersonPrefix, "person", "resolver", "strings: household, golden hash (or the withheld marker with address and golden hashes), record IDs", true, nonEmpty},
	{DeadLetterPrefix, "held dead letter", "store", "the message as received", true, deadLetterShape},
	{RecordPrefix, "source record", "resolver", "binary record (EncodeRecord)", true, recShape},
	{SingletonPrefix, "counter, setting, secret or cursor", "store and resolver", "per key", false, singletonShape},
	{TokenPrefix, "API token", "store", "JSON name, role, expiry", false, nonEmpty},
	{RightsPrefix, "restriction and objection", "access", "JSON: restriction and objection, each with who, when and why", true, nonEmpty},
	{OverridePrefix, "steward's override", "resolver", "JSON kind and reason", true, pairShape},
	{ReviewPrefix, "review-queue pair", "resolver", "none", true, pairShape},
	{OutboxPrefix, "change-feed entry", "store", "JSON resindex.Change", true, fixed(8)},
	{DeliveryPrefix, "webhook delivery to make", "alerts", "none", false, deliveryShape},
	{DeletedPrefix, "deleted key's mark, for read replicas", "store", "when it was deleted (Unix seconds, decimal)", true, nonEmpty}, // and see Check
}

// KindOf returns the kind of a key.
func KindOf(key []byte) (Kind, bool) {
	for _, k := range Kinds {
		if bytes.HasPrefix(key, []byte(k.Prefix)) {
			return k, true
		}
	}
	return Kind{}, false
}

// Check reports a key of no known kind, or of a known kind in the wrong
// shape. The error names the kind, never the key's content (it may be a
// resident's).
func Check(key []byte) error {
	k, ok := KindOf(key)
	if !ok {
		return fmt.Errorf("layout: a key of unknown kind %q (%d bytes)", PrefixOf(key), len(key))
	}
	rest := key[len(k.Prefix):]
	if !k.shape(rest) || k.Prefix == DeletedPrefix && (Check(rest) != nil || !Replicated(rest)) {
		return fmt.Errorf("layout: a %s key (%s) of the wrong shape (%d bytes)", k.Name, k.Prefix, len(key))
	}
	return nil
}

// PrefixOf is a key's first two bytes (up to the first slash), safe to
// name in an error.
func PrefixOf(key []byte) string {
	if i := bytes.IndexByte(key, '/'); i >= 0 && i < 4 {
		return string(key[:i+1])
	}
	return "?"
}

func nonEmpty(rest []byte) bool { return len(rest) > 0 }

func fixed(n int) func([]byte) bool { return func(rest []byte) bool { return len(rest) == n } }

// recShape: source NUL id, both present.
func recShape(rest []byte) bool {
	src, id, ok := bytes.Cut(rest, []byte{0})
	return ok && len(src) > 0 && len(id) > 0
}

func blockShape(rest []byte) bool {
	if len(rest) < 8 {
		return false
	}
	_, rec, ok := bytes.Cut(rest[8:], []byte{1})
	return ok && recShape(rec)
}

func postcodeShape(rest []byte) bool {
	pc, rec, ok := bytes.Cut(rest, []byte{0})
	return ok && len(pc) > 0 && recShape(rec)
}

func uprnShape(rest []byte) bool {
	_, _, _, ok := ParseUPRN(append([]byte(UPRNPrefix), rest...))
	return ok
}

func episodeShape(rest []byte) bool {
	h, p, ok := bytes.Cut(rest, []byte{0})
	return ok && len(h) > 0 && len(p) > 0
}

func deliveryShape(rest []byte) bool {
	_, _, ok := ParseDelivery(append([]byte(DeliveryPrefix), rest...))
	return ok
}

func pairShape(rest []byte) bool {
	a, b, ok := bytes.Cut(rest, []byte{0, 0})
	return ok && recShape(a) && recShape(b)
}

func deadLetterShape(rest []byte) bool {
	_, _, ok := ParseDeadLetter(append([]byte(DeadLetterPrefix), rest...))
	return ok
}

func singletonShape(rest []byte) bool {
	key := SingletonPrefix + string(rest)
	for _, s := range singletons {
		if key == string(s) {
			return true
		}
	}
	for _, p := range []string{secretPrefix, cursorPrefix} {
		if name, ok := strings.CutPrefix(key, p); ok && name != "" {
			return true
		}
	}
	return false
}
