// Package access decides what each member of staff may see: the policy
// of roles (YAML, shipped as a default a council adapts), and — in later
// steps — the redaction of persons, households and search results into
// views for a principal, shielding, and the audit trail. It is the one
// chokepoint for reads of resident data (DESIGN.md §2, §8).
//
// A role grants, per record class (adult, child), the fields it may see;
// the sources whose records it may see; and abilities (see shielded
// persons with a reason, review matches, read the audit log, export, …).
// Everything not granted is denied. A role without child fields does not
// see children at all.
package access
