package main

import (
	"errors"
	"io"
)

// refuseShared refuses, inside the server, what an ingest run there
// would do to the whole server process rather than to its own run. The
// client refuses these first (forwardable); this holds whatever a
// client sends.
func (c ingestConfig) refuseShared(m *Main, stderr io.Writer) error {
	if !m.shared {
		return nil
	}
	if c.bulk {
		return errors.New(bulkRefusal)
	}
	if c.cpuProfile != "" {
		return errors.New("--cpuprofile would profile the whole server, API and all, not this ingest: profile an ingest into a restored backup (resindex backup, then restore), or stop the server")
	}
	if c.population != 0 {
		warnIgnored(stderr, "--population")
	}
	return nil
}
