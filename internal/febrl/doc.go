// Package febrl converts the Febrl record-linkage benchmark into the
// layout `resindex gen` writes a borough in: canonical/<file>.ndjson and
// truth/records.csv, so that link, train, eval and the peers in
// bench/peer read a public benchmark as they read a borough. Parsing a
// Febrl file is evaluate's (ReadFEBRL); this package names each file's
// source, refuses clashes and writes the output whole.
package febrl
