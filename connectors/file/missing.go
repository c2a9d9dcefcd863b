package file

import "slices"

// Missing returns the ids in held that are not in seen, sorted and each
// once: the records of a source the store holds but its full extract
// lacks, which the source has deleted. Use it only for an extract read
// without a RowError; a row that failed was not seen, so its record would
// look deleted.
func Missing(held []string, seen map[string]bool) []string {
	var out []string
	for _, id := range held {
		if !seen[id] {
			out = append(out, id)
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}
