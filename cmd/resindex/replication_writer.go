package main

import (
	"context"
	"crypto/subtle"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/resindex/resindex/store"
)

// replicationPath is where a writer serves its store's changes to read
// replicas: on the API's listener, outside /api/v1 (it is no staff call,
// and never in the OpenAPI document or the access matrix).
const replicationPath = "/replication/v1/changes"

// withReplication adds the replication endpoint to the API's handler
// when this process is a writer with a replication secret.
func (m *Main) withReplication(api http.Handler, log *slog.Logger) (http.Handler, error) {
	secret, err := m.Config.Replication.Secret()
	if err != nil || secret == nil || m.Replica {
		return api, err
	}
	mux := http.NewServeMux()
	mux.Handle(replicationPath, replicationHandler(m.DB, secret, log))
	mux.Handle("/", api)
	return mux, nil
}

// replicationHandler streams every replicated key changed at or after
// ?since=N (store.ChangedSince, in store.WireWriter's frames) to a
// caller presenting the secret as a bearer token. Keys hold resident
// data, so the log says only how many.
func replicationHandler(db *store.DB, secret []byte, log *slog.Logger) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet {
			w.Header().Set("Allow", http.MethodGet)
			http.Error(w, "replication: GET only", http.StatusMethodNotAllowed)
			return
		}
		tok, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
		if !ok || subtle.ConstantTimeCompare([]byte(tok), secret) != 1 {
			log.Warn("replication: refused a pull without the replication secret", "remote", r.RemoteAddr)
			http.Error(w, "replication: the replication secret is missing or wrong", http.StatusUnauthorized)
			return
		}
		since, err := parseSince(r.URL.Query().Get("since"))
		if err != nil {
			http.Error(w, "replication: since must be a whole number", http.StatusBadRequest)
			return
		}
		streamChanges(w, db, since, log)
	})
}

func parseSince(s string) (uint64, error) {
	if s == "" {
		return 0, nil
	}
	return strconv.ParseUint(s, 10, 64)
}

// streamChanges writes the stream; a failure part way leaves it without
// its end frame, which the replica takes as cut short.
func streamChanges(w http.ResponseWriter, db *store.DB, since uint64, log *slog.Logger) {
	t0 := time.Now()
	w.Header().Set("Content-Type", "application/vnd.resindex.replication")
	ww, err := store.NewWireWriter(w)
	if err != nil {
		return
	}
	n := 0
	upTo, err := db.ChangedSince(since, func(c store.KeyChange) error {
		n++
		return ww.Write(c)
	})
	if err == nil {
		err = ww.End(upTo)
	}
	if err != nil {
		log.Error("replication: sending changes failed", "since", since, "keys", n, "err", err)
		return
	}
	level := slog.LevelInfo
	if n == 0 {
		level = slog.LevelDebug // a replica's idle poll, every second
	}
	log.Log(context.Background(), level, "replication: changes sent", "since", since, "up_to", upTo, "keys", n, "seconds", time.Since(t0).Seconds())
}
