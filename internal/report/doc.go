// Package report writes what the commands tell an operator: how a model
// was fitted and what it holds, what a link did, its clusters and scored
// pairs as CSV, the accuracy of a clustering with its worst errors
// explained, the fields that could not be used as evidence, and what each
// role of an access policy may see and do. It writes keys and figures,
// never resident data.
package report
