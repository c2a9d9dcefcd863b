// Package evaluate measures how well a clustering of source records into
// persons agrees with a ground truth, and reads the data such measurements
// need.
//
// Assignments (one row per source record: source, id, person_id) are read
// and written as CSV by ReadAssignments and WriteAssignments. Compare turns a
// truth and a prediction into Metrics: pairwise precision, recall and F1, and
// their B-cubed counterparts, all computed from the contingency table of
// (true, predicted) clusters in time linear in the number of records, never
// by enumerating pairs. WorstMerges and WorstSplits name the predicted
// clusters that join the most different persons and the persons spread over
// the most predicted clusters, with an example pair for each, so that an
// engineer can see why the matcher went wrong.
//
// ReadFEBRL loads the public Febrl benchmark files into canonical records and
// their truth, so the matcher can be checked on data nobody on the project
// generated.
//
// Everything here is deterministic: ties are broken by keys or identifiers,
// never by map order. Error messages name line numbers, columns and record
// keys, never resident data such as names or dates of birth.
package evaluate
