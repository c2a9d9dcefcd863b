package evaluate_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/resindex/resindex"
	"github.com/resindex/resindex/evaluate"
)

func TestReadTruthFile(t *testing.T) {
	dir := t.TempDir()
	tests := []struct {
		name, content string // content "": no file
		want          map[resindex.RecordKey]string
		wantErr       string
	}{
		{"two records", "source,id,person_id\na,1,P1\nb,2,P1\n", map[resindex.RecordKey]string{{Source: "a", ID: "1"}: "P1", {Source: "b", ID: "2"}: "P1"}, ""},
		{"header only", "source,id,person_id\n", map[resindex.RecordKey]string{}, ""},
		{"malformed names the file", "source,id\n", nil, "malformed.csv: "},
		{"missing", "", nil, "no such file"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(dir, strings.Fields(tt.name)[0]+".csv")
			if tt.content != "" {
				if err := os.WriteFile(path, []byte(tt.content), 0o600); err != nil {
					t.Fatal(err)
				}
			}
			got, err := evaluate.ReadTruthFile(path)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil || len(got) != len(tt.want) {
				t.Fatalf("got %v, %v; want %v", got, err, tt.want)
			}
			for k, p := range tt.want {
				if got[k] != p {
					t.Errorf("%s: %s, want %s", k, got[k], p)
				}
			}
		})
	}
}
