// Package store keeps the resident index in Badger, embedded, in one
// directory: records, persons, households, indexes, source offsets, the
// outbox and the audit log. It knows keys and bytes, not matching: the
// resolver declares what it needs and this package provides it, so store
// never imports resolver.
//
// # Key layout
//
// Package layout owns every key kind, key builder and value encoding;
// this package writes its own kinds (positions, outbox, audit, tokens,
// dead letters, journal, secrets, cursors) through it and never builds a
// key from a literal.
//
// One change is applied in one transaction together with the source
// position that produced it and its outbox entries (Apply), so a crash
// never loses or doubles an effect. Conflicting transactions are retried;
// a change too large for one transaction is journalled and applied whole
// (large.go); bulk work that may commit in pieces goes through Chunked.
package store
