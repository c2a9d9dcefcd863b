package layout

import (
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/resindex/resindex"
)

// EncodeStrings packs strings (record IDs, a person's membership) as
// AppendString does, one after another.
func EncodeStrings(ss []string) []byte {
	var out []byte
	for _, s := range ss {
		out = AppendString(out, s)
	}
	return out
}

// DecodeStrings reads EncodeStrings's form back.
func DecodeStrings(b []byte) ([]string, error) {
	ss := []string{}
	for len(b) > 0 {
		s, rest, ok := CutString(b)
		if !ok {
			return nil, errors.New("truncated string list")
		}
		ss, b = append(ss, s), rest
	}
	return ss, nil
}

// EncodeCount is a counter's value: decimal.
func EncodeCount(n int64) []byte { return strconv.AppendInt(nil, n, 10) }

// DecodeCount reads a counter's value; the error names the key's kind,
// not its content.
func DecodeCount(key, val []byte) (uint64, error) {
	n, err := strconv.ParseUint(string(val), 10, 64)
	if err != nil {
		return 0, fmt.Errorf("layout: counter under %s is corrupt: %w", PrefixOf(key), err)
	}
	return n, nil
}

// EncodeOffset is a stream's applied position: its offset in decimal.
func EncodeOffset(off int64) []byte { return strconv.AppendInt(nil, off, 10) }

// DecodeOffset reads EncodeOffset's form back.
func DecodeOffset(val []byte) (int64, error) {
	off, err := strconv.ParseInt(string(val), 10, 64)
	if err != nil {
		return 0, fmt.Errorf("layout: a position is corrupt: %w", err)
	}
	return off, nil
}

// EncodeHousehold is a household's value.
func EncodeHousehold(h resindex.Household) ([]byte, error) { return json.Marshal(h) }

// DecodeHousehold reads EncodeHousehold's form back.
func DecodeHousehold(b []byte) (resindex.Household, error) {
	var h resindex.Household
	if err := json.Unmarshal(b, &h); err != nil {
		return h, fmt.Errorf("layout: stored household is corrupt: %w", err)
	}
	return h, nil
}

// EncodeGolden is a golden record's value.
func EncodeGolden(g *resindex.Golden) ([]byte, error) { return json.Marshal(g) }

// DecodeGolden reads EncodeGolden's form back.
func DecodeGolden(b []byte) (resindex.Golden, error) {
	var g resindex.Golden
	if err := json.Unmarshal(b, &g); err != nil {
		return g, fmt.Errorf("layout: stored golden record is corrupt: %w", err)
	}
	return g, nil
}

// EncodeClocks writes clocks kept per source (the data's clocks, the
// alert rule's): JSON, source → RFC 3339 time.
func EncodeClocks(clocks map[string]time.Time) []byte {
	out := make(map[string]string, len(clocks))
	for src, v := range clocks {
		out[src] = v.UTC().Format(time.RFC3339)
	}
	data, _ := json.Marshal(out) // a map of strings always encodes
	return data
}

// DecodeClocks reads EncodeClocks' form; errors name the source, never a
// value beyond it.
func DecodeClocks(b []byte) (map[string]time.Time, error) {
	var raw map[string]string
	if err := json.Unmarshal(b, &raw); err != nil {
		return nil, fmt.Errorf("layout: clocks: %w", err)
	}
	out := make(map[string]time.Time, len(raw))
	for src, s := range raw {
		v, err := time.Parse(time.RFC3339, s)
		if err != nil {
			return nil, fmt.Errorf("layout: the clock of %s is not an RFC 3339 time", src)
		}
		out[src] = v
	}
	return out, nil
}
