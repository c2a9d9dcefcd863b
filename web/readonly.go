package web

import (
	"net/http"
	"strings"
)

// A read replica (resindex serve --replica-of) serves reads from a copy
// of the writer's store, which only the writer changes: a change made on
// the replica would be overwritten by the next copy, or clash with it.
// So every request that would change the index is refused before any
// work, whether or not it signed in, and told where to go instead.

// errReadReplica is the refusal, on the API and on the staff pages.
var errReadReplica = &apiError{http.StatusServiceUnavailable, "read_replica",
	"this is a read replica; it serves searches and records but changes nothing: make changes on the writer"}

// readsByPost are the calls sent as POST that change nothing but the
// audit log (which each process keeps for itself), and signing out.
var readsByPost = map[string]bool{
	"/api/v1/verify": true,
	"/api/v1/export": true,
	"/signout":       true,
	"/auth/logout":   true,
	"/auth/demo":     true,
}

// refusedOnReplica reports whether a request would change the index.
func refusedOnReplica(r *http.Request) bool {
	switch r.Method {
	case http.MethodPost, http.MethodPut, http.MethodDelete, http.MethodPatch:
		return !readsByPost[r.URL.Path]
	}
	return false
}

// refuseReadOnly answers a refused request: JSON on the API, a page on
// the staff UI.
func (s *Server) refuseReadOnly(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Retry-After", "0")
	if strings.HasPrefix(r.URL.Path, "/api/") {
		s.fail(w, r, errReadReplica)
		return
	}
	s.uiFail(w, r, nil, errReadReplica)
}
