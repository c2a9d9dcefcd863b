package evaluate

import (
	"bytes"
	"strings"
	"testing"
)

func TestFormat(t *testing.T) {
	m := Compare(clusters("1 1 1 2 2"), clusters("a a b b b"))
	var buf bytes.Buffer
	if err := m.Format(&buf); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	for _, want := range []string{
		"Records compared                      5\n",
		"Correct pairs                         2\n",
		"Pairwise F1                    50.0000%\n",
		"B-cubed precision              73.3333%\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("report lacks %q:\n%s", want, out)
		}
	}
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	if len(lines) != 14 {
		t.Errorf("got %d lines, want 14", len(lines))
	}
	for _, l := range lines {
		if len(l) != len(lines[0]) {
			t.Errorf("line %q not aligned with %q", l, lines[0])
		}
	}
	if err := m.Format(failWriter{}); err == nil {
		t.Error("Format to a failing writer: no error")
	}
}
