package main

import (
	"flag"

	"github.com/resindex/resindex/matcher"
	"github.com/resindex/resindex/resolver"
	"github.com/resindex/resindex/store"
)

// engineFlags are the flags of every command that works on the store
// through the engine: where the store is, its key, and the match model.
type engineFlags struct {
	data, keyFile, model *string
}

func addEngineFlags(fs *flag.FlagSet) engineFlags {
	return engineFlags{
		data:    fs.String("data", "", "store directory"),
		keyFile: fs.String("key-file", "", "encryption key of the store (16, 24 or 32 bytes, raw or hex)"),
		model:   fs.String("model", "", "match model JSON (default: the shipped model)"),
	}
}

// loadModel reads the model flag's file, or gives the shipped model.
func (f engineFlags) loadModel() (*matcher.Model, error) { return loadModel(*f.model) }

// open opens the store and an engine over it with the model; population 0
// takes the engine's default. The caller closes the store.
func (f engineFlags) open(model *matcher.Model, population int) (*store.DB, *resolver.Engine, error) {
	db, err := openStore(*f.data, *f.keyFile)
	if err != nil {
		return nil, nil, err
	}
	eng, err := resolver.NewEngine(db, resolver.EngineOptions{Model: model, Population: population})
	if err != nil {
		db.Close()
		return nil, nil, err
	}
	return db, eng, nil
}

// openWithModel loads the model and opens the store and engine.
func (f engineFlags) openWithModel() (*store.DB, *resolver.Engine, error) {
	model, err := f.loadModel()
	if err != nil {
		return nil, nil, err
	}
	return f.open(model, 0)
}
