package evaluate

import (
	"bytes"
	"errors"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/resindex/resindex"
)

func TestReadAssignments(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		want    []resindex.Assignment
		wantErr string // substring; "" means success
	}{
		{"simple", "source,id,person_id\ns,1,p1\ns,2,p1\nt,1,p2\n",
			[]resindex.Assignment{{Key: key("1"), PersonID: "p1"}, {Key: key("2"), PersonID: "p1"},
				{Key: resindex.RecordKey{Source: "t", ID: "1"}, PersonID: "p2"}}, ""},
		{"header only", "source,id,person_id\n", nil, ""},
		{"no final newline", "source,id,person_id\ns,1,p1", []resindex.Assignment{{Key: key("1"), PersonID: "p1"}}, ""},
		{"BOM and CRLF", "\ufeffsource,id,person_id\r\ns,1,p1\r\n", []resindex.Assignment{{Key: key("1"), PersonID: "p1"}}, ""},
		{"quoted fields with commas", "source,id,person_id\n\"s\",\"1,2\",\"p \"\"x\"\", y\"\n",
			[]resindex.Assignment{{Key: key("1,2"), PersonID: `p "x", y`}}, ""},
		{"blank lines skipped", "source,id,person_id\n\ns,1,p1\n\n", []resindex.Assignment{{Key: key("1"), PersonID: "p1"}}, ""},
		{"empty input", "", nil, "missing header"},
		{"missing header", "s,1,p1\n", nil, "line 1: header column 1"},
		{"wrong header order", "id,source,person_id\n", nil, `line 1: header column 1: want "source"`},
		{"wrong header name", "source,id,person\n", nil, `header column 3: want "person_id"`},
		{"header extra column", "source,id,person_id,score\n", nil, "line 1: header has 4 columns, want 3"},
		{"header too short", "source,id\n", nil, "header has 2 columns"},
		{"extra trailing column", "source,id,person_id\ns,1,p1\ns,2,p1,x\n", nil, "line 3: 4 columns, want 3"},
		{"trailing comma", "source,id,person_id\ns,1,p1,\n", nil, "line 2: 4 columns, want 3"},
		{"too few columns", "source,id,person_id\ns,1\n", nil, "line 2: column person_id: missing"},
		{"one column", "source,id,person_id\ns\n", nil, "line 2: column id: missing"},
		{"empty source", "source,id,person_id\n,1,p1\n", nil, "line 2: column source: empty"},
		{"empty id", "source,id,person_id\ns,,p1\n", nil, "line 2: column id: empty"},
		{"empty person_id", "source,id,person_id\ns,1,\n", nil, "line 2: column person_id: empty"},
		{"blank person_id", "source,id,person_id\ns,1,\" \"\n", nil, "line 2: column person_id: empty"},
		{"duplicate key", "source,id,person_id\ns,1,p1\ns,2,p1\ns,1,p2\n", nil, "line 4: duplicate record s/1 (first on line 2)"},
		{"line numbers count blank lines", "source,id,person_id\n\n\ns,1,\n", nil, "line 4: column person_id: empty"},
		{"bare quote", "source,id,person_id\ns,1\"x,p1\n", nil, "line 2: byte column"},
		{"unterminated quote", "source,id,person_id\ns,\"1,p1\n", nil, "line 2"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ReadAssignments(strings.NewReader(tt.in))
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want containing %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("unexpected error: %v", err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got %v, want %v", got, tt.want)
			}
		})
	}
}

func TestReadAssignmentsErrorsHoldNoData(t *testing.T) {
	// A person id or a stray column might hold a name; errors must not echo it.
	inputs := []string{
		"source,id,person_id\ns,1,Jane Smith,1970-01-01\n",
		"source,id,person_id\ns,\"Jane Smith\n",
		"source,Jane Smith,person_id\n",
	}
	for _, in := range inputs {
		_, err := ReadAssignments(strings.NewReader(in))
		if err == nil {
			t.Fatalf("ReadAssignments(%q): no error", in)
		}
		if strings.Contains(err.Error(), "Jane") || strings.Contains(err.Error(), "1970") {
			t.Errorf("error %q leaks field content", err)
		}
	}
}

type failWriter struct{}

func (failWriter) Write([]byte) (int, error) { return 0, errors.New("disk full") }

func TestWriteAssignments(t *testing.T) {
	in := []resindex.Assignment{
		{Key: resindex.RecordKey{Source: "t", ID: "1"}, PersonID: "p2"},
		{Key: key("2"), PersonID: "p1"},
		{Key: key("1,x"), PersonID: `p"1`},
		{Key: key("10"), PersonID: "p1"},
	}
	orig := slices.Clone(in)
	var buf bytes.Buffer
	if err := WriteAssignments(&buf, in); err != nil {
		t.Fatal(err)
	}
	// Sorted by source, then id as strings: "1,x" < "10" < "2".
	want := "source,id,person_id\ns,\"1,x\",\"p\"\"1\"\ns,10,p1\ns,2,p1\nt,1,p2\n"
	if buf.String() != want {
		t.Errorf("got\n%s\nwant\n%s", buf.String(), want)
	}
	if !reflect.DeepEqual(in, orig) {
		t.Error("WriteAssignments modified its input")
	}
	back, err := ReadAssignments(&buf)
	if err != nil {
		t.Fatal(err)
	}
	slices.SortFunc(orig, compareAssignments)
	if !reflect.DeepEqual(back, orig) {
		t.Errorf("round trip: got %v, want %v", back, orig)
	}
}

func TestWriteAssignmentsRefuses(t *testing.T) {
	tests := []struct {
		name    string
		in      []resindex.Assignment
		wantErr string
	}{
		{"empty source", []resindex.Assignment{{Key: resindex.RecordKey{ID: "1"}, PersonID: "p"}}, "empty source"},
		{"empty id", []resindex.Assignment{{Key: key(""), PersonID: "p"}}, "empty id"},
		{"empty person", []resindex.Assignment{{Key: key("1")}}, "record s/1: empty person_id"},
		{"duplicate", []resindex.Assignment{{Key: key("1"), PersonID: "p"}, {Key: key("2"), PersonID: "p"}, {Key: key("1"), PersonID: "q"}}, "record s/1: duplicate"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var buf bytes.Buffer
			err := WriteAssignments(&buf, tt.in)
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("err = %v, want containing %q", err, tt.wantErr)
			}
			if buf.Len() != 0 {
				t.Errorf("wrote %q before refusing", buf.String())
			}
		})
	}
	if err := WriteAssignments(failWriter{}, clusters("1 2")); err == nil {
		t.Error("write to a failing writer: no error")
	}
}
