// Package searchbench measures searches as staff make them: it builds the
// queries a member of staff would type from records drawn from the store,
// times them, counts how often the right person is in the first ten, and
// prints figures only, never resident data. The searches themselves are
// the caller's (the engine directly, or the JSON API through Client).
package searchbench
