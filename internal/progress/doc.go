// Package progress prints the stage and counts of long work, at most once
// a second, so that an operator can see a million-record run moving.
package progress
