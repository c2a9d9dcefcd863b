package main

import (
	"flag"
	"fmt"
	"runtime"

	"github.com/resindex/resindex/matcher"
	"github.com/resindex/resindex/resolver"
	"github.com/resindex/resindex/store"
)

// storeFlags are the flags of every command that opens the store: where
// it is, its key, and the configuration file that may give both.
type storeFlags struct {
	data, keyFile, config *string
	cfg                   *fileConfig // loaded by resolve
}

func addStoreFlags(fs *flag.FlagSet) *storeFlags {
	return &storeFlags{
		data:    fs.String("data", "", "store directory"),
		keyFile: fs.String("key-file", "", "encryption key of the store (16, 24 or 32 bytes, raw or hex)"),
		config:  fs.String("config", "", "configuration file (YAML); flags override it"),
		cfg:     &fileConfig{},
	}
}

// resolve loads the configuration file, if one was given, and takes from
// it what the flags left unset. Call it after parsing.
func (f *storeFlags) resolve() error {
	if *f.config == "" {
		return nil
	}
	cfg, err := loadConfig(*f.config)
	if err != nil {
		return err
	}
	f.cfg = cfg
	if *f.data == "" {
		*f.data = cfg.Data
	}
	if *f.keyFile == "" {
		*f.keyFile = cfg.KeyFile
	}
	return nil
}

// parseWithData parses a command's flags, loads the configuration and
// requires a store directory.
func (f *storeFlags) parseWithData(fs *flag.FlagSet, args []string) error {
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if err := f.resolve(); err != nil {
		return err
	}
	if *f.data == "" {
		fs.Usage()
		return fmt.Errorf("--data is required: %w", errUsage)
	}
	return nil
}

// open opens the store.
func (f *storeFlags) open() (*store.DB, error) { return openStore(*f.data, *f.keyFile) }

// engineFlags add the match model to the store's flags, for commands that
// work on the store through the engine.
type engineFlags struct {
	*storeFlags
	model *string
}

func addEngineFlags(fs *flag.FlagSet) engineFlags {
	return engineFlags{
		storeFlags: addStoreFlags(fs),
		model:      fs.String("model", "", "pin a match model JSON, or \"shipped\" (default: the model the store was built with; a new store's bulk load fits one to its records, other new stores use the shipped model)"),
	}
}

func (f engineFlags) resolve() error {
	if err := f.storeFlags.resolve(); err != nil {
		return err
	}
	if *f.model == "" {
		*f.model = f.cfg.Model
	}
	return nil
}

// loadModel reads the model flag's file; nil when none is pinned, for the
// store's own model.
func (f engineFlags) loadModel() (*matcher.Model, error) {
	if *f.model == "" {
		return nil, nil
	}
	return loadModel(*f.model)
}

// engineSetup is what a command adds to the configuration's engine
// settings.
type engineSetup struct {
	population int  // overrides the configuration's, if not 0
	initial    int  // population of a new store when nothing else gives one
	preload    bool // warm the profile cache: for long runs of changes
}

// open opens the store and an engine over it with the model and the
// configuration's engine settings. The caller closes the store.
func (f engineFlags) open(model *matcher.Model, setup engineSetup) (*store.DB, *resolver.Engine, error) {
	db, err := f.storeFlags.open()
	if err != nil {
		return nil, nil, err
	}
	eng, err := resolver.NewEngine(db, f.engineOptions(model, setup))
	if err != nil {
		db.Close()
		return nil, nil, err
	}
	return db, eng, nil
}

// engineOptions are the configuration's engine settings with the model
// and what the command adds.
func (f engineFlags) engineOptions(model *matcher.Model, setup engineSetup) resolver.EngineOptions {
	opts := f.cfg.engineOptions()
	opts.Model, opts.InitialPopulation = model, setup.initial
	if setup.population != 0 {
		opts.Population = setup.population
	}
	if setup.preload {
		opts.Preload = runtime.GOMAXPROCS(0)
	}
	return opts
}

// openServing opens the store and an engine with its profile cache
// filled, as a server starts: searches from the first are as fast as
// they will be.
func (f engineFlags) openServing() (*store.DB, *resolver.Engine, error) {
	model, err := f.loadModel()
	if err != nil {
		return nil, nil, err
	}
	return f.open(model, engineSetup{preload: true})
}

// openWithModel loads the model and opens the store and engine.
func (f engineFlags) openWithModel() (*store.DB, *resolver.Engine, error) {
	model, err := f.loadModel()
	if err != nil {
		return nil, nil, err
	}
	return f.open(model, engineSetup{})
}
