// Package resindex is the dictionary of the resident index: the canonical
// Record that every connector produces, the names of sources, identifiers
// and flags, partial dates, and the NDJSON reader for canonical records. It
// imports only the standard library; every other package builds on it.
package resindex
