package config

import (
	"errors"
	"fmt"
	"reflect"
	"regexp"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/resindex/resindex/internal/yamltree"
)

// The YAML library's messages name Go types ("cannot unmarshal !!str
// `x` into config.Engine"): these read them, so that an operator is told
// the key, the line and what was wanted in the file's own words.
var (
	unmarshalRE = regexp.MustCompile("^line (\\d+): cannot unmarshal (!!\\w+)(?: `(.*)`)? into (.+)$")
	unknownRE   = regexp.MustCompile(`^line (\d+): field (.+) not found in type .+$`)
	repeatedRE  = regexp.MustCompile(`^line (\d+): mapping key "(.+)" already defined at line (\d+)$`)
	syntaxRE    = regexp.MustCompile(`^yaml: (?:line (\d+): )?(.+)$`)
	keyPathRE   = regexp.MustCompile(`^[a-z_]+(?:\.[a-z_]+|\[\d+\])*`)
)

// wants says what some keys hold in words better than their type's
// (a list's elements as KEY[]).
var wants = map[string]string{
	"engine.trust":        "a list of source names",
	"engine.trust[]":      "a source name",
	"api.trusted_proxies": "a list of IP addresses or CIDR ranges",
	"audit.verify_every":  "a duration (30m, 2h), or 0 for off",
	"kafka.brokers":       "a list of HOST:PORT addresses",
	"kafka.topics":        "a list of topics ({topic: T, source: S})",
	"retention.sources":   "a mapping of source names to periods (housing: 6y)",
}

var indexRE = regexp.MustCompile(`\[\d+\]`)

// decodeError turns the YAML library's error for a file into the
// file's words: one message per problem, each naming line and key.
func decodeError(file string, root *yaml.Node, err error) error {
	var te *yaml.TypeError
	if !errors.As(err, &te) {
		m := syntaxRE.FindStringSubmatch(err.Error())
		if m == nil {
			return &yamltree.Error{Kind: "config", File: file, Line: 1, Key: "(file)", Msg: "not valid YAML"}
		}
		line, _ := strconv.Atoi(m[1])
		return &yamltree.Error{Kind: "config", File: file, Line: max(line, 1), Key: "(file)", Msg: "not valid YAML: " + m[2]}
	}
	errs := make([]error, 0, len(te.Errors))
	for _, msg := range te.Errors {
		errs = append(errs, typeProblem(file, root, msg))
	}
	return errors.Join(errs...)
}

// typeProblem words one of the library's type errors.
func typeProblem(file string, root *yaml.Node, msg string) error {
	e := &yamltree.Error{Kind: "config", File: file, Key: "(file)", Msg: "a value of the wrong kind"}
	if m := unmarshalRE.FindStringSubmatch(msg); m != nil {
		e.Line, _ = strconv.Atoi(m[1])
		e.Key = pathAtLine(root, e.Line, m[2], m[3])
		e.Msg = fmt.Sprintf("want %s, got %s", want(e.Key, m[4]), got(m[2], m[3]))
	} else if m := unknownRE.FindStringSubmatch(msg); m != nil {
		e.Line, _ = strconv.Atoi(m[1])
		e.Key = pathAtLine(root, e.Line, "", m[2])
		e.Msg = "unknown key" + knownKeys(e.Key)
	} else if m := repeatedRE.FindStringSubmatch(msg); m != nil {
		e.Line, _ = strconv.Atoi(m[1])
		e.Key = pathAtLine(root, e.Line, "", m[2])
		e.Msg = "given twice (first at line " + m[3] + ")"
	}
	return e
}

// want is what a key holds, from its Go type when no words are kept.
func want(key, goType string) string {
	if w, ok := wants[indexRE.ReplaceAllString(key, "[]")]; ok {
		return w
	}
	switch {
	case goType == "time.Duration":
		return "a duration (30m, 2h)"
	case strings.HasPrefix(goType, "[]"):
		return "a list"
	case strings.HasPrefix(goType, "map["):
		return "a mapping"
	case strings.HasPrefix(goType, "int") || strings.HasPrefix(goType, "uint"):
		return "a whole number"
	case strings.HasPrefix(goType, "float"):
		return "a number"
	case goType == "bool":
		return "true or false"
	case goType == "string":
		return "text"
	}
	return "a mapping of options"
}

// got says what the file gave, by its YAML tag.
func got(tag, value string) string {
	words := map[string]string{"!!str": "text", "!!int": "a whole number", "!!float": "a number", "!!bool": "true or false",
		"!!seq": "a list", "!!map": "a mapping", "!!null": "nothing", "!!timestamp": "a date"}
	w, ok := words[tag]
	if !ok {
		w = "a value"
	}
	if value != "" && len(value) <= 40 {
		w += " " + strconv.Quote(value)
	}
	return w
}

// pathAtLine finds the dotted key path of the node on a line that has
// the tag and text given ("" for any), else the deepest node on the line
// (a line can hold several: `trust: [a, b]`).
func pathAtLine(root *yaml.Node, line int, tag, text string) string {
	best, exact := "", ""
	var walk func(n *yaml.Node, at string, depth int)
	walk = func(n *yaml.Node, at string, depth int) {
		if n == nil || depth > 64 {
			return
		}
		if n.Line == line && at != "" {
			if len(at) > len(best) {
				best = at
			}
			if (tag == "" || n.ShortTag() == tag) && (text == "" || n.Value == text) && len(at) > len(exact) {
				exact = at // the deepest: an enclosing mapping starts on the same line
			}
		}
		switch n.Kind {
		case yaml.DocumentNode:
			for _, c := range n.Content {
				walk(c, at, depth+1)
			}
		case yaml.MappingNode:
			for i := 0; i+1 < len(n.Content); i += 2 {
				p := yamltree.Join(at, n.Content[i].Value)
				if k := n.Content[i]; k.Line == line && tag == "" && k.Value == text {
					exact = p // an unknown or repeated key: the key itself
				}
				walk(n.Content[i+1], p, depth+1)
			}
		case yaml.SequenceNode:
			for i, c := range n.Content {
				walk(c, fmt.Sprintf("%s[%d]", at, i), depth+1)
			}
		}
	}
	walk(root, "", 0)
	switch {
	case exact != "":
		return exact
	case best != "":
		return best
	}
	return "(file)"
}

// lineOf is the line of a dotted key path's value (0: not in the file).
func lineOf(root *yaml.Node, path string) int {
	n := root
	if n != nil && n.Kind == yaml.DocumentNode && len(n.Content) > 0 {
		n = n.Content[0]
	}
	for _, seg := range splitPath(path) {
		n = child(yamltree.Deref(n), seg)
		if n == nil {
			return 0
		}
	}
	return n.Line
}

// splitPath splits "a.b[2].c" into a, b, [2], c.
func splitPath(path string) []string {
	var out []string
	for _, part := range strings.Split(path, ".") {
		name, idx, _ := strings.Cut(part, "[")
		out = append(out, name)
		for idx != "" {
			var i string
			i, idx, _ = strings.Cut(idx, "[")
			out = append(out, "["+strings.TrimSuffix(i, "]"))
		}
	}
	return out
}

func child(n *yaml.Node, seg string) *yaml.Node {
	if n == nil {
		return nil
	}
	if strings.HasPrefix(seg, "[") {
		i, err := strconv.Atoi(seg[1:])
		if n.Kind != yaml.SequenceNode || err != nil || i < 0 || i >= len(n.Content) {
			return nil
		}
		return n.Content[i]
	}
	if n.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == seg {
			return n.Content[i+1]
		}
	}
	return nil
}

// knownKeys lists the keys allowed beside an unknown one, from the
// configuration's own layout.
func knownKeys(key string) string {
	segs := splitPath(key)
	t := reflect.TypeOf(Config{})
	for _, seg := range segs[:len(segs)-1] {
		for t.Kind() == reflect.Slice || t.Kind() == reflect.Pointer {
			t = t.Elem()
		}
		if strings.HasPrefix(seg, "[") {
			continue
		}
		if t.Kind() != reflect.Struct {
			return ""
		}
		f, ok := fieldByTag(t, seg)
		if !ok {
			return ""
		}
		t = f.Type
	}
	for t.Kind() == reflect.Slice || t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t.Kind() != reflect.Struct {
		return ""
	}
	var names []string
	for i := range t.NumField() {
		if tag, _, _ := strings.Cut(t.Field(i).Tag.Get("yaml"), ","); tag != "" && tag != "-" {
			names = append(names, tag)
		}
	}
	return " (known here: " + strings.Join(names, ", ") + ")"
}

func fieldByTag(t reflect.Type, name string) (reflect.StructField, bool) {
	for i := range t.NumField() {
		if tag, _, _ := strings.Cut(t.Field(i).Tag.Get("yaml"), ","); tag == name {
			return t.Field(i), true
		}
	}
	return reflect.StructField{}, false
}

// checkError places a check's error (which starts with the key path it
// is about, "engine.window is -1: …") on that key's line.
func checkError(file string, root *yaml.Node, err error) error {
	if key := keyPathRE.FindString(err.Error()); key != "" {
		if line := lineOf(root, key); line > 0 {
			return fmt.Errorf("config %s:%d: %w", file, line, err)
		}
	}
	return fmt.Errorf("config %s: %w", file, err)
}
