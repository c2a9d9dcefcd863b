package atomicfile_test

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/resindex/resindex/internal/atomicfile"
)

func TestWrite(t *testing.T) {
	failed := errors.New("disk on fire")
	tests := []struct {
		name    string
		old     string // the file before; "" for none
		write   func(io.Writer) error
		want    string // the file after
		wantErr string
	}{
		{name: "new file", write: text("hello\n"), want: "hello\n"},
		{name: "replaces", old: "old\n", write: text("new\n"), want: "new\n"},
		{name: "failure keeps the old file", old: "good\n", want: "good\n", wantErr: "disk on fire",
			write: func(w io.Writer) error { io.WriteString(w, "half"); return failed }},
		{name: "failure leaves no file", wantErr: "disk on fire",
			write: func(io.Writer) error { return failed }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, "out.csv")
			if tt.old != "" {
				if err := os.WriteFile(path, []byte(tt.old), 0o600); err != nil {
					t.Fatal(err)
				}
			}
			err := atomicfile.Write(path, tt.write)
			if tt.wantErr == "" && err != nil || tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)) {
				t.Fatalf("err = %v, want %q", err, tt.wantErr)
			}
			got, rerr := os.ReadFile(path)
			if tt.want == "" && !os.IsNotExist(rerr) || tt.want != "" && string(got) != tt.want {
				t.Errorf("file holds %q (%v), want %q", got, rerr, tt.want)
			}
			if entries, _ := os.ReadDir(dir); len(entries) > 1 {
				t.Errorf("temporary files left behind: %v", entries)
			}
		})
	}
}

func TestWriteBytes(t *testing.T) {
	path := filepath.Join(t.TempDir(), "model.json")
	if err := atomicfile.WriteBytes(path, []byte("{}")); err != nil {
		t.Fatal(err)
	}
	if got, _ := os.ReadFile(path); string(got) != "{}\n" {
		t.Errorf("file holds %q", got)
	}
	if err := atomicfile.WriteBytes(filepath.Join(t.TempDir(), "absent", "m.json"), nil); err == nil {
		t.Error("a file in a missing directory was written")
	}
}

func text(s string) func(io.Writer) error {
	return func(w io.Writer) error { _, err := io.WriteString(w, s); return err }
}
