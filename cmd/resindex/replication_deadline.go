package main

import (
	"errors"
	"net/http"
	"time"
)

// replicationIdle is the replication stream's rolling write deadline:
// each write to the connection must go through within it. The API
// server's WriteTimeout (a minute) would cut a whole copy or a backlog
// that takes longer, and a replica that resumes sends its position only
// with the last batch, so it would ask for the same again for ever.
// There is always some deadline: a replica that stops reading would
// otherwise hold the writer's snapshot (and so its compactions) for
// ever. It matches the replica's bound on a silent read. A variable so
// tests can shorten it.
var replicationIdle = time.Minute

// errWriterStopping ends a stream when the writer's server stops.
var errWriterStopping = errors.New("replication: the writer is stopping")

// deadlineWriter writes a response with a rolling write deadline, and
// refuses to write once stopping is closed.
type deadlineWriter struct {
	w        http.ResponseWriter
	rc       *http.ResponseController
	stopping <-chan struct{}
}

func newDeadlineWriter(w http.ResponseWriter, stopping <-chan struct{}) *deadlineWriter {
	return &deadlineWriter{w: w, rc: http.NewResponseController(w), stopping: stopping}
}

func (d *deadlineWriter) Write(b []byte) (int, error) {
	select {
	case <-d.stopping:
		return 0, errWriterStopping
	default:
	}
	// A writer the controller cannot reach (a test's wrapper) keeps the
	// server's own timeout.
	if err := d.rc.SetWriteDeadline(time.Now().Add(replicationIdle)); err != nil && !errors.Is(err, http.ErrNotSupported) {
		return 0, err
	}
	return d.w.Write(b)
}

// watchStopping cuts a write in progress short when stopping closes,
// until done is closed.
func (d *deadlineWriter) watchStopping(done <-chan struct{}) {
	select {
	case <-done:
	case <-d.stopping:
		_ = d.rc.SetWriteDeadline(time.Now()) // best effort: Write refuses from now on
	}
}
