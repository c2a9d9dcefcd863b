package file

import (
	"fmt"
	"path/filepath"
	"strings"

	"github.com/resindex/resindex/connectors/mapping"
)

// Format of an extract.
type Format string

// The extract formats.
const (
	CSV    Format = "csv"    // a header line, then one row per line
	NDJSON Format = "ndjson" // one JSON object per line
	JSON   Format = "json"   // one JSON object with the rows in an array
)

// FormatFor picks an extract's format: the mapping's, when it states one
// (a system's export format is part of what the mapping describes), else
// the file's extension.
func FormatFor(m *mapping.Mapping, path string) (Format, error) {
	switch Format(m.Format) {
	case CSV, NDJSON, JSON:
		return Format(m.Format), nil
	case "":
	default:
		return "", fmt.Errorf("file: %s: mapping %s has unknown format %q", path, m.File, m.Format)
	}
	switch strings.ToLower(filepath.Ext(path)) {
	case ".csv":
		return CSV, nil
	case ".ndjson", ".jsonl":
		return NDJSON, nil
	case ".json":
		return JSON, nil
	}
	return "", fmt.Errorf("file: %s: cannot tell the format: the mapping for %s names none and the extension is not .csv, .ndjson, .jsonl or .json",
		path, m.Source)
}
