package synth

import "testing"

func TestDebugWrite(t *testing.T) {
	b, err := Generate(Config{Persons: 10000, Seed: 1}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := b.Write("/tmp/synthout"); err != nil {
		t.Fatal(err)
	}
}
