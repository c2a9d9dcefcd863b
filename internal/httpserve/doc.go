// Package httpserve runs the binary's HTTP servers (the JSON API, the
// Prometheus metrics) on listeners of their own, with timeouts that keep a
// slow or stalled client from holding a connection open, until they are
// stopped; stopping lets requests in flight finish.
package httpserve
