package main

import (
	"context"
	"crypto/subtle"
	"encoding/hex"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/resindex/resindex/internal/httpserve"
	"github.com/resindex/resindex/store"
)

// replicationPath is where a writer serves its store's changes to read
// replicas: on the API's listener, outside /api/v1 (it is no staff call,
// and never in the OpenAPI document or the access matrix).
const replicationPath = "/replication/v1/changes"

// horizonHeader carries the newest version whose deletion marks the
// writer has pruned: a replica at or before it copies the store whole.
const horizonHeader = "Resindex-Replication-Horizon"

// generationHeader carries the writer's store generation (store
// generation.go): a replica whose position is of another copies the
// store whole. upToHeader is the version the stream is read at.
const (
	generationHeader = "Resindex-Replication-Generation"
	upToHeader       = "Resindex-Replication-Up-To"
)

// withReplication adds the replication endpoint to the API's handler
// when this process is a writer with a replication secret, and from then
// on keeps the store's deletions marked for replicas, pruning marks
// older than replication.keep_deleted until ctx ends.
func (m *Main) withReplication(ctx context.Context, api http.Handler, log *slog.Logger) (http.Handler, error) {
	secret, err := m.Config.Replication.Secret()
	if err != nil || secret == nil || m.Replica {
		return api, err
	}
	if err := m.DB.KeepDeleted(); err != nil {
		return nil, err
	}
	go pruneDeleted(ctx, m.DB, m.Config.Replication.KeepDeletedFor(), log)
	mux := http.NewServeMux()
	mux.Handle(replicationPath, replicationHandler(m.DB, secret, log))
	mux.Handle("/", api)
	return mux, nil
}

// replicationHandler streams every replicated key changed at or after
// ?since=N (and, resuming a whole copy, after the key ?after=HEX) (store.ChangedSince, in store.WireWriter's frames) to a
// caller presenting the secret as a bearer token. Keys hold resident
// data, so the log says only how many.
func replicationHandler(db *store.DB, secret []byte, log *slog.Logger) http.Handler {
	guard := newReplicationGuard(log)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet {
			w.Header().Set("Allow", http.MethodGet)
			http.Error(w, "replication: GET only", http.StatusMethodNotAllowed)
			return
		}
		if guard.blocked(r.RemoteAddr) {
			guard.refuse(r.RemoteAddr, false)
			w.Header().Set("Retry-After", strconv.Itoa(int(guardWindow.Seconds())))
			http.Error(w, "replication: too many attempts with a wrong secret; try again later", http.StatusTooManyRequests)
			return
		}
		tok, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
		if !ok || subtle.ConstantTimeCompare([]byte(tok), secret) != 1 {
			guard.refuse(r.RemoteAddr, true)
			http.Error(w, "replication: the replication secret is missing or wrong", http.StatusUnauthorized)
			return
		}
		since, err := parseSince(r.URL.Query().Get("since"))
		if err != nil {
			http.Error(w, "replication: since must be a whole number", http.StatusBadRequest)
			return
		}
		after, err := hex.DecodeString(r.URL.Query().Get("after"))
		if err != nil {
			http.Error(w, "replication: after must be a key in hexadecimal", http.StatusBadRequest)
			return
		}
		streamChanges(w, r, db, since, after, log)
	})
}

// pruneDeleted drops deletion marks older than keep, every tenth of it
// (at most every ten minutes).
func pruneDeleted(ctx context.Context, db *store.DB, keep time.Duration, log *slog.Logger) {
	tick := time.NewTicker(min(keep/10, 10*time.Minute))
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
		n, err := db.PruneDeleted(time.Now().Add(-keep))
		switch {
		case err != nil && ctx.Err() == nil:
			log.Warn("replication: pruning deletion marks failed", "err", err)
		case n > 0:
			log.Info("replication: deletion marks pruned", "marks", n)
		}
	}
}

func parseSince(s string) (uint64, error) {
	if s == "" {
		return 0, nil
	}
	return strconv.ParseUint(s, 10, 64)
}

// streamChanges writes the stream; a failure part way leaves it without
// its end frame, which the replica takes as cut short. The headers come
// from the stream's own snapshot, so they describe exactly what it sends.
func streamChanges(w http.ResponseWriter, r *http.Request, db *store.DB, since uint64, after []byte, log *slog.Logger) {
	t0 := time.Now()
	ch, err := db.OpenChanges(since)
	if err != nil {
		log.Error("replication: opening the store's changes failed", "err", err)
		http.Error(w, "replication: the store cannot be read", http.StatusInternalServerError)
		return
	}
	defer ch.Close()
	if len(after) > 0 {
		ch.After = after
	}
	h := w.Header()
	h.Set("Content-Type", "application/vnd.resindex.replication")
	h.Set(horizonHeader, strconv.FormatUint(ch.Horizon, 10))
	h.Set(generationHeader, ch.Generation)
	h.Set(upToHeader, strconv.FormatUint(ch.UpTo, 10))
	dw := newDeadlineWriter(w, httpserve.Stopping(r.Context()))
	done := make(chan struct{})
	defer close(done)
	go dw.watchStopping(done)
	ww, err := store.NewWireWriter(dw)
	if err != nil {
		return
	}
	n := 0
	err = ch.Send(func(c store.KeyChange) error {
		n++
		if err := r.Context().Err(); err != nil {
			return err // the replica went away
		}
		return ww.Write(c)
	})
	if err == nil {
		err = ww.End(ch.UpTo)
	}
	if err != nil {
		log.Error("replication: sending changes failed", "since", since, "keys", n, "err", err)
		return
	}
	level := slog.LevelInfo
	if n == 0 {
		level = slog.LevelDebug // a replica's idle poll, every second
	}
	log.Log(context.Background(), level, "replication: changes sent", "since", since, "up_to", ch.UpTo, "keys", n, "seconds", time.Since(t0).Seconds())
}
