// Package layout is the store's layout: every kind of key, the functions
// that build and read keys, and the encodings of values. The resolver and
// the store write the store through it and build no key of their own, so
// that this package is the one place to learn what the store holds and
// where a resident's data lies (Kinds marks the kinds that hold it):
// erasure must reach every one, and a test walks a populated store and
// fails on any key Check does not know.
//
// Every key starts with a one-byte kind and a slash, so each kind is a
// contiguous range that can be scanned or dropped on its own:
//
//	r/<source>\x00<id>            canonical record of one source record (binary: EncodeRecord);
//	                              for a deleted record, a tombstone: key, deleting version, deleted
//	m/<source>\x00<id>            the person a record belongs to
//	p/<person id>                 person: household key, golden record hash, then member record IDs (length-prefixed strings)
//	g/<person id>                 person: golden record with provenance (JSON)
//	d/<person id>                 redirect: a merged-away person ID → the surviving one
//	b/<hash:8><sort key>\x01<source>\x00<id>  blocking index entry (no value); the hash names
//	                              the rule and key, the sort key (name, date of birth) orders a block
//	i/c/<postcode>\x00<source>\x00<id>  postcode index entry (no value), for search by postcode
//	h/<property key>              household: the persons at one property
//	f/<kind byte><value>          term-frequency count
//	o/<stream>                    applied source position: kafka:<topic>/<partition> (offset),
//	                              file:<source>:<hash> (line), or an ingest stream
//	q/<stream>\x00<offset:8>        a dead letter held until it is published
//	x/<seq:8>                     outbox entry, sequence big-endian so scans run in order
//	a/<seq:8>                     audit entry: SHA-256 over (previous hash, seq, payload), then the payload (store/audit.go)
//	v/<record a>\x00\x00<record b>    manual override (link / unlink)
//	w/<record a>\x00\x00<record b>    review queue: a pair scored in the review band (no value)
//	t/<sha-256 of token>          API token: its name, role and expiry (never the token)
//	j/<piece:8>                   journal of a change too large for one transaction (store/large.go)
//	c/<finding id>                a fraud finding's review: outcome, note, who and when (JSON)
//	s/<name>                      counters and settings: outbox-seq, person-seq, records,
//	                              settings (model and population), journal-complete, bulk-load (stage),
//	                              store-id (identity for idempotency keys), audit-head (last audit hash and seq)
//	s/secret/<name>               random secrets kept with the data (person-refs: the key of person references)
//	s/cursor/<name>               how far a reader of the outbox (an outbound topic) has got
package layout
