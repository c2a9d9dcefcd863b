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
//   - Blocking keys (NewBlockingKeys, FirstShared). Candidate pairs come
//     from fourteen rules (each identifier, email, phone, date of birth with
//     an initial, phonetic family name with birth year or given initial,
//     property, postcode with an initial or family name, phonetic names);
//     each pair is produced by the first rule it shares a key in, once.
//     Oversized blocks are windowed by the caller and counted.
//   - Comparisons and levels (Compare). Each comparison (given name, family
//     name, date of birth, sex, address, NHS number, NINO, UPN, other
//     identifiers, email, phone) has ordered levels, from exact through
//     fuzzy to different, with a neutral level when a value is missing.
//   - Fellegi–Sunter scoring (Scorer). Each level carries m and u; a pair's
//     match weight is the prior log-odds plus the sum of log2(m/u), with
//     term-frequency adjustment (given, family and full name, date of birth,
//     property, postcode) so that a shared rare value counts for more, and
//     a same-property stratum of u for family members at one address.
//   - EM training (EstimateU, TrainEM). u is estimated from random pairs;
//     m and the same-property u by expectation–maximisation over blocked
//     pairs; a default model ships so linking works untrained.
//   - Explanations (Scorer.Explain). Every score breaks down into the terms
//     that sum to it, and names the model version that produced it.
//   - Constrained clustering (Clusterer). Candidate edges are taken in
//     descending weight and two clusters join only when no pair across them
//     is a hard conflict (two different valid NHS numbers or NINOs, a manual
//     "not the same person") or contradicts itself beyond the model's
//     conflict threshold.
//
// The normalisers run over every record on every comparison, so they avoid
// regular expressions and allocate only when the input has to change.
package matcher
