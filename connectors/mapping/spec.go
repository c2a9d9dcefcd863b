package mapping

import (
	"regexp"

	"github.com/resindex/resindex/internal/yamltree"
)

// SpecError is a mapping file that cannot be used: it names the file, the
// line and the key at fault.
type SpecError = yamltree.Error

// parser walks a mapping's YAML tree.
type parser struct{ *yamltree.Parser }

var sourceName = regexp.MustCompile(`^[a-z][a-z0-9_]{0,63}$`)
