package resolver_test

import (
	"strings"
	"testing"

	"github.com/resindex/resindex"
	"github.com/resindex/resindex/layout"
	"github.com/resindex/resindex/matcher"
	"github.com/resindex/resindex/resolver"
)

// A store keeps the model and population it was built with: an engine
// with others is refused, one that names none takes the store's.
func TestEngineSettingsKept(t *testing.T) {
	db := MustStore(t)
	eng := MustEngine(t, db, resolver.EngineOptions{InitialPopulation: 5000})
	r := resindex.Record{Source: "s", ID: "1", Version: "1", Name: resindex.Name{Given: "Ann", Family: "Lee"}}
	if _, err := eng.Apply(r, resindex.Position{Stream: "t", Offset: 1}); err != nil {
		t.Fatal(err)
	}
	// Reopened with no population, or the same one: accepted.
	MustEngine(t, db, resolver.EngineOptions{InitialPopulation: 99})
	MustEngine(t, db, resolver.EngineOptions{Population: 5000})

	if _, err := resolver.NewEngine(db, resolver.EngineOptions{Population: 6000}); err == nil || !strings.Contains(err.Error(), "population of 5000") {
		t.Errorf("another population: err = %v", err)
	}
	other := matcher.DefaultModel()
	other.LinkThreshold++
	if _, err := resolver.NewEngine(db, resolver.EngineOptions{Model: other}); err == nil || !strings.Contains(err.Error(), "built with model") {
		t.Errorf("another model: err = %v", err)
	}
	if _, err := resolver.NewEngine(db, resolver.EngineOptions{Population: -1}); err == nil {
		t.Error("a negative population was accepted")
	}
}

// Nothing is stored by an engine that applies nothing: a search on an
// empty store does not fix its settings.
func TestEngineSettingsNotFixedByReaders(t *testing.T) {
	db := MustStore(t)
	MustEngine(t, db, resolver.EngineOptions{Population: 10})
	MustEngine(t, db, resolver.EngineOptions{Population: 20})
}

// A store in another layout is refused, not misread.
func TestEngineRefusesOtherLayouts(t *testing.T) {
	db := MustStore(t)
	err := db.Update(func(tx resindex.Txn) error {
		return tx.Set([]byte("s/settings"), []byte(`{"model":"x","population":1,"format":1}`))
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := resolver.NewEngine(db, resolver.EngineOptions{}); err == nil || !strings.Contains(err.Error(), "layout 1") {
		t.Errorf("old layout: err = %v", err)
	}
	old := MustStore(t) // persons but no settings: before settings were kept
	if err := old.Update(func(tx resindex.Txn) error { return tx.Set([]byte("p/P0000000001"), []byte("{}")) }); err != nil {
		t.Fatal(err)
	}
	if _, err := resolver.NewEngine(old, resolver.EngineOptions{}); err == nil || !strings.Contains(err.Error(), "older version") {
		t.Errorf("unversioned store: err = %v", err)
	}
}

// TestOlderLayoutRefused: a store of layout 3 (before the UPRN index and
// the alerts) is refused with a message to rebuild it, not misread.
func TestOlderLayoutRefused(t *testing.T) {
	db := MustStore(t)
	eng := MustEngine(t, db, resolver.EngineOptions{InitialPopulation: 100})
	if _, err := eng.Apply(resindex.Record{Source: "s", ID: "1", Version: "1", Name: resindex.Name{Given: "Ann"}}, resindex.Position{Stream: "t", Offset: 1}); err != nil {
		t.Fatal(err)
	}
	err := db.Update(func(t resindex.Txn) error {
		v, err := t.Get(layout.Settings)
		if err != nil {
			return err
		}
		return t.Set(layout.Settings, []byte(strings.Replace(string(v), `"format":4`, `"format":3`, 1)))
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := resolver.NewEngine(db, resolver.EngineOptions{}); err == nil || !strings.Contains(err.Error(), "layout 3") || !strings.Contains(err.Error(), "rebuild") {
		t.Fatalf("a layout-3 store: err = %v", err)
	}
}
