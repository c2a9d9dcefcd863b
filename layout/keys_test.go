package layout_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/resindex/resindex"
	"github.com/resindex/resindex/layout"
)

var (
	recA = resindex.RecordKey{Source: "council_tax", ID: "CT-1"}
	recB = resindex.RecordKey{Source: "housing", ID: "H-9"}
)

func TestCheckKnowsEveryBuiltKey(t *testing.T) {
	keys := map[string][]byte{
		"record":        layout.Record(recA),
		"member":        layout.Member(recA),
		"person":        layout.Person("P0000000001"),
		"golden":        layout.Golden("P0000000001"),
		"redirect":      layout.Redirect("P0000000002"),
		"household":     layout.Household("uprn:100023336956"),
		"freq":          layout.Freq('f', "smith"),
		"block":         layout.Block(42, "smith\x00john", recA),
		"postcode":      layout.Postcode("NW1 4AB", recA),
		"uprn":          layout.UPRN("2|10||high street", "NW14AB", "100023336956", recA),
		"uprn no place": layout.UPRN("2|10||high street", "", "100023336956", recA),
		"review":        layout.Review(recB, recA),
		"override":      layout.Override(recA, recB),
		"position":      layout.Position("kafka:council_tax/0"),
		"dead letter":   layout.DeadLetter("kafka:council_tax/0", 17),
		"outbox":        layout.Outbox(3),
		"audit":         layout.Audit(3),
		"journal":       layout.Journal(0),
		"token":         layout.Token("ab12"),
		"secret":        layout.Secret("person-refs"),
		"cursor":        layout.Cursor("changes"),
		"records":       layout.RecordsCount,
		"person seq":    layout.PersonSeq,
		"settings":      layout.Settings,
		"bulk load":     layout.BulkLoad,
		"outbox seq":    layout.OutboxSeq,
		"store id":      layout.StoreID,
		"audit head":    layout.AuditHead,
		"journal done":  layout.JournalDone,
		"replica since": layout.ReplicaSince,
		"keep deleted":  layout.KeepDeleted,
		"horizon":       layout.Horizon,
		"generation":    layout.Generation,
		"deleted mark":  layout.Deleted(layout.Record(recA)),
	}
	for name, k := range keys {
		if err := layout.Check(k); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
}

func TestCheckRefusesStrangers(t *testing.T) {
	cases := map[string]string{
		"unknown kind":          "n/anything",
		"mark of a mark":        "z/z/r/a\x00b",
		"mark of nothing":       "z/",
		"no slash":              "records",
		"empty":                 "",
		"record without id":     "r/council_tax",
		"record empty source":   "r/\x00CT-1",
		"unknown singleton":     "s/something-new",
		"secret without name":   "s/secret/",
		"short outbox":          "x/\x00\x01",
		"long audit":            "a/123456789",
		"pair without second":   "w/council_tax\x00CT-1",
		"block without entry":   "b/12345678smith",
		"postcode without rec":  "i/c/NW1 4AB",
		"uprn without rec":      "i/u/2|10||high street\x00NW14AB\x00100023336956",
		"uprn without uprn":     "i/u/2|10||high street\x00NW14AB\x00\x00council_tax\x00CT-1",
		"other index":           "i/x/NW1 4AB\x00council_tax\x00CT-1",
		"dead letter no offset": "q/kafka:x/0",
		"empty person":          "p/",
		"episode no person":     "e/uprn:1\x00",
		"delivery no endpoint":  "y/A0000000001",
	}
	for name, k := range cases {
		err := layout.Check([]byte(k))
		if err == nil {
			t.Errorf("%s: %q accepted", name, k)
			continue
		}
		// The error never quotes a key's content: it may be a resident's.
		if len(k) > 4 && strings.Contains(err.Error(), k[2:]) {
			t.Errorf("%s: error %q quotes the key", name, err)
		}
	}
}

func TestParseRoundTrips(t *testing.T) {
	if a, b, ok := layout.ParsePair(layout.Review(recB, recA)); !ok || a != recA || b != recB {
		t.Errorf("review pair: %v %v %v", a, b, ok)
	}
	if s, off, ok := layout.ParseDeadLetter(layout.DeadLetter("file:x", 9)); !ok || s != "file:x" || off != 9 {
		t.Errorf("dead letter: %q %d %v", s, off, ok)
	}
	if h, entry, ok := layout.ParseBlock(layout.Block(7, "k", recA)); !ok || h != 7 || entry != "k\x01"+layout.RecID(recA) {
		t.Errorf("block: %d %q %v", h, entry, ok)
	}
	if kind, v, ok := layout.ParseFreq(layout.Freq('p', "NW1")); !ok || kind != 'p' || v != "NW1" {
		t.Errorf("freq: %c %q %v", kind, v, ok)
	}
	if got := layout.RecordOf(layout.Member(recA)); got != recA {
		t.Errorf("member: %v", got)
	}
	if got := layout.PostcodeRecord(layout.Postcode("NW1 4AB", recA)); got != recA {
		t.Errorf("postcode entry: %v", got)
	}
	if got := layout.TokenHash(layout.Token("ab12")); got != "ab12" {
		t.Errorf("token: %q", got)
	}
	if got := layout.Seq(layout.Outbox(1 << 40)); got != 1<<40 {
		t.Errorf("seq: %d", got)
	}
}

func FuzzCheck(f *testing.F) {
	for _, k := range [][]byte{layout.Record(recA), layout.DeadLetter("s", 1), layout.Block(1, "a", recA), []byte("q/"), []byte("b/")} {
		f.Add(k)
	}
	f.Fuzz(func(t *testing.T, key []byte) {
		err := layout.Check(key) // must not panic
		if _, known := layout.KindOf(key); !known && err == nil {
			t.Fatalf("%q: no kind, yet accepted", key)
		}
	})
}

// TestNoKeyLiteralsElsewhere: no package but this one writes a string
// literal that starts like a stored key, so every key is built here.
func TestNoKeyLiteralsElsewhere(t *testing.T) {
	var prefixes []string
	for _, k := range layout.Kinds {
		prefixes = append(prefixes, k.Prefix)
	}
	root := filepath.Join("..")
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == "layout" || d.Name() == "testdata" || strings.HasPrefix(d.Name(), ".")) && path != root {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		for _, lit := range keyLiterals(t, path, prefixes) {
			t.Errorf("%s: the key literal %s: build it with package layout", lit.pos, lit.text)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

type literal struct{ pos, text string }

// keyLiterals lists a file's string literals that start with a key prefix.
func keyLiterals(t *testing.T, path string, prefixes []string) []literal {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, path, nil, 0)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	var out []literal
	ast.Inspect(f, func(n ast.Node) bool {
		bl, ok := n.(*ast.BasicLit)
		if !ok || bl.Kind != token.STRING {
			return true
		}
		s, err := strconv.Unquote(bl.Value)
		if err != nil {
			return true
		}
		for _, p := range prefixes {
			if strings.HasPrefix(s, p) {
				out = append(out, literal{fset.Position(bl.Pos()).String(), bl.Value})
				break
			}
		}
		return true
	})
	return out
}

// TestReplicated: a replica copies the index and never a process's own
// keys.
func TestReplicated(t *testing.T) {
	for k, want := range map[string]bool{
		string(layout.Record(recA)): true, string(layout.Token("ab")): true, string(layout.Secret("person-refs")): true,
		string(layout.Outbox(1)): true, string(layout.RecordsCount): true,
		string(layout.Audit(1)): false, string(layout.AuditHead): false, string(layout.Journal(1)): false,
		string(layout.Cursor("changes")): false, string(layout.ReplicaSince): false, string(layout.StoreID): false,
		string(layout.Deleted(layout.Record(recA))): false, string(layout.Horizon): false,
		string(layout.Generation): false,
	} {
		if got := layout.Replicated([]byte(k)); got != want {
			t.Errorf("Replicated(%q) = %v, want %v", k, got, want)
		}
	}
}
