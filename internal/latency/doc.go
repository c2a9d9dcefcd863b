// Package latency sums up a set of measured durations as an operator
// reads them: the median, the 99th percentile and the maximum.
package latency
