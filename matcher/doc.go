// Package matcher decides whether two person records describe the same
// resident. It is the pure core of resindex: functions over values, with no
// I/O, no clocks and no hidden randomness, so that batch and incremental
// linking reach the same answer on the same data.
//
// The package works in stages:
//
//   - Normalise and validate fields. Names are folded to lower-case ASCII
//     and split into tokens without titles (NormaliseName, NameTokens), given
//     names are related through a shipped table of nicknames and spelling
//     variants (GivenNameGroups, SameGivenName), and phonetic codes come from
//     Double Metaphone (Phonetic). Postcodes, free-text addresses (split into
//     BS 7666-shaped parts by ParseAddress), phones and emails are
//     normalised; NHS numbers, NINOs, UPNs and UPRNs are checked against
//     their published rules, so an invalid identifier is kept for display
//     but never used as evidence.
//   - Blocking keys. Candidate pairs come from several cheap keys (phonetic
//     family name with birth year, full date of birth, postcode sector with
//     initial, each identifier); oversized blocks are capped and counted,
//     never silently dropped.
//   - Comparisons and levels. Each comparison (given name, family name, date
//     of birth, sex, postcode, address, identifiers, contact) has ordered
//     levels, from exact through fuzzy to different, with a neutral level
//     when a value is missing.
//   - Fellegi–Sunter scoring. Each level carries m and u probabilities; a
//     pair's match weight is the prior log-odds plus the sum of log2(m/u),
//     with term-frequency adjustment on exact name matches so that a shared
//     rare surname counts for more than a shared common one.
//   - EM training. u is estimated from random pairs and m by
//     expectation–maximisation over blocked pairs; a default model ships so
//     linking works untrained.
//   - Explanations. Every score can be broken down into the terms that sum
//     to it, and every stored link keeps those terms and the model version.
//   - Constrained clustering. Candidate edges are taken in descending weight
//     and two clusters join only when no hard conflict (two different valid
//     NHS numbers or NINOs, a manual "not the same person") lies between
//     them.
//
// The normalisers run over every record on every comparison, so they avoid
// regular expressions and allocate only when the input has to change.
package matcher
