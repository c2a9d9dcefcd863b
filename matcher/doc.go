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
//     from seventeen rules (each identifier, email, phone, date of birth
//     with either initial, phonetic family name with birth year or given
//     initial, property, postcode with an initial or family name, phonetic
//     names, and rules that need no name (date of birth and place), no
//     family name (given name and birth year) or no date (town and
//     initials)); a record gets keys only for the fields it has, and each
//     pair is produced by the first rule it shares a key in, once.
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
//   - Fitting (EstimateU, EstimateM, Prefer, ApplyM, EstimateHousehold,
//     FitConflictThreshold, TrainingBlocks). u comes from random pairs; m
//     by EM in sessions blocked on one field each, which leave that
//     field's comparisons out, preferring blocks on personal keys; the
//     same-property u by EM over pairs at one property. The caller draws
//     and compares the pairs; a default model ships and is the start.
//   - Explanations (Scorer.Explain). Every score breaks down into the terms
//     that sum to it, and names the model version that produced it.
//   - Constrained clustering (Clusterer). Candidate edges are taken in
//     descending weight and two clusters join unless hard evidence stands
//     between them (Refusal): a manual "not the same person", conflicting
//     identifiers, a contradiction beyond the model's threshold, dates of
//     birth years apart joined through a record without one, or names
//     alone where a pair across does not link.
//
// The normalisers run over every record on every comparison, so they avoid
// regular expressions and allocate only when the input has to change.
package matcher
