// Package access decides what each member of staff may see, and records
// every look: the one chokepoint for reads of resident data (DESIGN.md
// §2, §8).
//
// The policy (policy.go, YAML, shipped as default_policy.yaml for a
// council to adapt) is a set of roles; a role grants, per record class
// (adult, child), the fields it may see; the sources whose records it
// may see; and abilities (see shielded persons with a reason, review
// matches, read the audit log, export, …). Everything not granted is
// denied.
//
// The Service (service.go) produces every view — a person, a household,
// a search result, an explanation of links, an identity check, an
// export, the review queue, the safeguarding alert inbox (alerts.go,
// over the alerts package's store), the fraud findings (fraud.go and
// fraud_view.go, over the fraud package's checks) — for a principal,
// from an Index it declares (the resolver's engine implements it). The
// rules (view.go): a child is seen only by roles with child fields; a
// shielded person only by roles with see_shielded, and then only with a
// reason; only records of granted sources inside the activity window
// count; a person the principal may not see is not found, exactly as one
// who does not exist.
// Each call appends its entry to the hash-chained audit log (audit.go)
// before it answers. Person IDs leave this package only as opaque
// references (refs.go).
package access
