// Package store keeps the resident index in Badger, embedded, in one
// directory: records, persons, households, indexes, source offsets, the
// outbox and the audit log. It knows keys and bytes, not matching: the
// resolver declares what it needs and this package provides it, so store
// never imports resolver.
//
// # Key layout
//
// Every key starts with a one-byte kind and a slash, so each kind is a
// contiguous range that can be scanned or dropped on its own:
//
//	r/<source>\x00<id>            canonical record of one source record (binary: resindex.Record.MarshalBinary)
//	m/<source>\x00<id>            the person a record belongs to
//	p/<person id>                 person: household key, golden record hash, then member record IDs (length-prefixed strings)
//	g/<person id>                 person: golden record with provenance (JSON)
//	d/<person id>                 redirect: a merged-away person ID → the surviving one
//	b/<rule><hash:8><source>\x00<id>  blocking index entry (no value)
//	h/<property key>              household: the persons at one property
//	f/<kind>/<value>              term-frequency count
//	o/<stream>                    applied source position (offset, file line)
//	x/<seq:8>                     outbox entry, sequence big-endian so scans run in order
//	a/<seq:8>                     audit entry, hash-chained
//	l/<alert id>                  safeguarding alert
//	v/<record a>\x00\x00<record b>    manual override (link / unlink)
//	s/<name>                      sequences and settings (next outbox number, model version)
//
// One change is applied in one transaction together with the source
// position that produced it and its outbox entries (Apply), so a crash
// never loses or doubles an effect. Conflicting transactions are retried;
// work too large for one transaction is only done through Chunked, which
// commits in pieces and says so.
package store
