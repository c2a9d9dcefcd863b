package file

// SetMaxLine lowers the NDJSON line limit for a test and returns what
// restores it.
func SetMaxLine(n int) (restore func()) {
	old := maxLine
	maxLine = n
	return func() { maxLine = old }
}
