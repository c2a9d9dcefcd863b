// Package resolver turns canonical records into persons. It holds the batch
// linker, which links a whole set of records at once with the matcher's
// blocking, scoring and constrained clustering; the incremental engine that
// applies one change at a time shares that code so that both agree on the
// same data.
package resolver
