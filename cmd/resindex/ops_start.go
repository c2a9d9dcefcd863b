package main

import (
	"context"
	"flag"
	"log/slog"

	"github.com/prometheus/client_golang/prometheus"
)

// addAdminFlag adds serve's --admin-socket.
func addAdminFlag(fs *flag.FlagSet) *string {
	return fs.String("admin-socket", "", "the admin socket store commands are run through while serve holds the store (default: the configuration's admin_socket, else DIR/admin.sock; \"off\": none)")
}

// startOps starts what administers a running server: the admin socket
// and scheduled backups (reg may be nil: no metrics). stop stops both.
func startAdminOps(ctx context.Context, m *Main, reg prometheus.Registerer, log *slog.Logger) (stop func(), err error) {
	stopBackups, err := startBackups(ctx, m, reg, log)
	if err != nil {
		return nil, err
	}
	stopAdmin, err := startAdmin(ctx, m, log)
	if err != nil {
		stopBackups()
		return nil, err
	}
	return func() { stopAdmin(); stopBackups() }, nil
}
