package main

import (
	"cmp"
	"flag"
	"fmt"
	"runtime"

	"github.com/resindex/resindex/access"
	"github.com/resindex/resindex/fraud"
	"github.com/resindex/resindex/internal/cli"
	"github.com/resindex/resindex/internal/config"
	"github.com/resindex/resindex/internal/keyfile"
	"github.com/resindex/resindex/matcher"
	"github.com/resindex/resindex/resolver"
	"github.com/resindex/resindex/store"
)

// Main is where a command opens the components it works with, from its
// configuration, and closes them: the store, the engine over it and the
// access service (after wtf's cmd/wtfd Main). Each Open opens what it
// needs that is not open yet; Close closes what was opened.
type Main struct {
	Config config.Config
	Model  *matcher.Model // pinned by the configuration; nil: the store's own
	DB     *store.DB
	Engine *resolver.Engine
	Access *access.Service
	// Fraud keeps the latest run of the fraud checks over the store for
	// the access service (OpenAccess); it runs on first use.
	Fraud *fraud.Cache
	// Create: the command makes a store when there is none (ingest,
	// serve, demo). Every other command refuses a directory that holds
	// no store, naming it, and creates nothing: a misspelt --data would
	// otherwise "succeed" on an empty store.
	Create bool
	// shared: a forwarded command's view of the server's Main
	// (admin_shared.go): the server closes what it opened.
	shared bool
	// peer: a forwarded command's operator, "NAME (uid:N)" from the
	// admin socket's peer credentials (operator).
	peer string
	// Replica: serve runs as a read replica (replica.go), which changes
	// nothing and raises no lookup notifications.
	Replica bool
	// ops: a server's metrics, probes and audit watch (ops.go); nil for
	// a command that serves nothing.
	ops *ops
}

// OpenStore opens the store.
func (m *Main) OpenStore() error {
	if m.DB != nil {
		return nil
	}
	if !m.Create {
		ok, err := store.Exists(m.Config.Data)
		if err != nil {
			return err
		}
		if !ok {
			return fmt.Errorf("no store in %s: --data must name a store that ingest, serve, restore or demo made (is it misspelt?)", m.Config.Data)
		}
	}
	opts, err := storeOptions(m.Config.Data, m.Config.KeyFile)
	if err != nil {
		return err
	}
	m.DB, err = store.Open(opts)
	return err
}

// LoadModel loads the configuration's model, if it pins one; commands
// call it early so that a bad model file fails before long work.
func (m *Main) LoadModel() (err error) {
	if m.Model == nil && m.Config.Model != "" {
		m.Model, err = resolver.LoadModel(m.Config.Model)
	}
	return err
}

// storeOptions builds the store's options from the command line.
func storeOptions(dir, keyFile string) (store.Options, error) {
	opts := store.Options{Dir: dir}
	if keyFile == "" {
		return opts, nil
	}
	key, err := keyfile.Read(keyFile)
	if err != nil {
		return opts, err
	}
	opts.EncryptionKey = key
	return opts, nil
}

// engineSetup is what a command adds to the configuration's engine
// settings.
type engineSetup struct {
	population int  // overrides the configuration's, if not 0
	initial    int  // population of a new store when nothing else gives one
	preload    bool // warm the profile cache: for long runs of changes, and servers
}

// OpenEngine opens the store and an engine over it with the model and
// the configuration's engine settings.
func (m *Main) OpenEngine(setup engineSetup) error {
	if m.Engine != nil {
		return nil
	}
	if err := m.LoadModel(); err != nil {
		return err
	}
	if err := m.OpenStore(); err != nil {
		return err
	}
	var err error
	m.Engine, err = resolver.NewEngine(m.DB, m.engineOptions(setup))
	return err
}

// engineOptions are the configuration's engine settings with the model
// and what the command adds.
func (m *Main) engineOptions(setup engineSetup) resolver.EngineOptions {
	opts := m.Config.EngineOptions()
	opts.Model, opts.InitialPopulation = m.Model, setup.initial
	if setup.population != 0 {
		opts.Population = setup.population
	}
	if setup.preload {
		opts.Preload = runtime.GOMAXPROCS(0)
	}
	m.ops.wire(m, &opts)
	return opts
}

// OpenAccess opens the access service over the engine (opened first with
// its profile cache filled, as a server starts), with the configured
// policy, the store's key for person references and the fraud checks'
// findings over the store (run when first asked for, and again when
// fraud.refresh_after old).
func (m *Main) OpenAccess() error {
	if m.Access != nil {
		return nil
	}
	if m.Engine == nil {
		if err := m.OpenEngine(engineSetup{preload: true}); err != nil {
			return err
		}
	}
	pol, err := loadPolicy(m.Config.Policy, m.Config.Mappings)
	if err != nil {
		return err
	}
	key, err := m.DB.Secret("person-refs", access.KeySize)
	if err != nil {
		return err
	}
	m.Fraud = fraud.NewCache(access.LeavingOut(m.DB, storeScan(m)), m.Config.Fraud.RefreshAfter)
	m.Access, err = access.New(pol, m.Engine, m.Engine, m.DB, access.Options{Key: key, Trust: m.Config.Engine.Trust,
		Window: m.Config.ActivityWindow(), Alerts: m.DB, AlertEndpoints: m.Config.AlertOptions().Endpoints,
		Fraud: m.Fraud, FraudReviews: m.DB, Rights: m.DB, Changes: m.DB, Notices: m.DB, Eraser: eraser{m}, ReadReplica: m.Replica,
		AlertRaised: m.ops.alertRaised(m)})
	return err
}

// Close closes what was opened, once a run of the fraud checks has given
// up (a run reads the whole store, and may be at any point in it).
func (m *Main) Close() error {
	if m.DB == nil || m.shared {
		return nil
	}
	if m.Fraud != nil {
		m.Fraud.Close()
	}
	return m.DB.Close()
}

// configFlags are the flags of every command that works on a store: the
// configuration file, and the settings a flag may give over it.
type configFlags struct {
	config, data, keyFile, model string
	server                       *adminStream // set when the server runs a forwarded command
}

// addConfigFlags adds them to a command's flags; withModel adds --model,
// for commands that work through the engine.
func addConfigFlags(fs *flag.FlagSet, withModel bool) *configFlags {
	f := &configFlags{server: serverStream(fs)}
	fs.StringVar(&f.data, "data", "", "store directory")
	fs.StringVar(&f.keyFile, "key-file", "", "encryption key of the store (16, 24 or 32 bytes, raw or hex)")
	fs.StringVar(&f.config, "config", "", "configuration file (YAML); flags override it")
	if withModel {
		fs.StringVar(&f.model, "model", "", "pin a match model JSON, or \"shipped\" (default: the model the store was built with; a new store's bulk load fits one to its records, other new stores use the shipped model)")
	}
	return f
}

// main gives the command its Main, nothing open yet, with the
// configuration: the file's, if one is named, with the flags given over
// it. Call it after parsing.
func (f *configFlags) main() (*Main, error) {
	if f.server != nil {
		return f.sharedMain(f.server)
	}
	var c config.Config
	if f.config != "" {
		loaded, err := config.Load(f.config)
		if err != nil {
			return nil, err
		}
		c = *loaded
	}
	c.Data, c.KeyFile, c.Model = cmp.Or(f.data, c.Data), cmp.Or(f.keyFile, c.KeyFile), cmp.Or(f.model, c.Model)
	return &Main{Config: c}, nil
}

// parseMain parses a command's flags, gives its Main and requires a store
// directory.
func (f *configFlags) parseMain(fs *flag.FlagSet, args []string) (*Main, error) {
	if err := cli.Parse(fs, args); err != nil {
		return nil, err
	}
	m, err := f.main()
	if err != nil {
		return nil, err
	}
	if m.Config.Data == "" {
		fs.Usage()
		return nil, fmt.Errorf("--data is required: %w", errUsage)
	}
	return m, nil
}
