package yamltree_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/resindex/resindex/internal/yamltree"
)

func TestReaders(t *testing.T) {
	p := &yamltree.Parser{Kind: "test", File: "t.yaml"}
	root, err := p.Root([]byte("codes: &c {a: x, b: ~}\nagain: *c\nflag: yes\nlist: [p, q]\none: r\n"))
	if err != nil {
		t.Fatal(err)
	}
	pairs, err := p.Object(root, "", "codes", "again", "flag", "list", "one")
	if err != nil || len(pairs) != 5 {
		t.Fatalf("%d pairs, %v", len(pairs), err)
	}
	for _, kv := range pairs[:2] { // the alias reads as its anchor
		tab, err := p.Table(kv.V, kv.Key)
		if err != nil || tab["a"] != "x" || tab["b"] != "" || len(tab) != 2 {
			t.Fatalf("%s: %v, %v", kv.Key, tab, err)
		}
	}
	if b, err := p.Bool(pairs[2].V, "flag"); err != nil || !b {
		t.Fatalf("flag: %v, %v", b, err)
	}
	for _, kv := range pairs[3:] {
		if xs, err := p.Texts(kv.V, kv.Key); err != nil || len(xs) == 0 {
			t.Fatalf("%s: %v, %v", kv.Key, xs, err)
		}
	}
	_, err = p.Object(root, "", "codes")
	var ye *yamltree.Error
	if !errors.As(err, &ye) || ye.Line != 2 || ye.Key != "again" || !strings.HasPrefix(err.Error(), "test t.yaml:2: again: unknown key") {
		t.Fatalf("unknown key: %v", err)
	}
	if _, err := p.Text(pairs[0].V, "codes"); err == nil || !strings.Contains(err.Error(), "want text, got a mapping") {
		t.Fatalf("text of a mapping: %v", err)
	}
	if _, err := p.Bool(pairs[4].V, "one"); err == nil {
		t.Fatal("r read as a boolean")
	}
}
