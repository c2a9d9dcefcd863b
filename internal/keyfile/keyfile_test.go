package keyfile_test

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/resindex/resindex/internal/keyfile"
)

func TestRead(t *testing.T) {
	raw32 := bytes.Repeat([]byte{0xab}, 32)
	tests := []struct {
		name    string
		content []byte // nil: no file
		want    []byte
		wantErr string
	}{
		{"raw 16", bytes.Repeat([]byte{1}, 16), bytes.Repeat([]byte{1}, 16), ""},
		{"raw 32", raw32, raw32, ""},
		{"hex 64 with a newline", []byte(strings.Repeat("ab", 32) + "\n"), raw32, ""},
		{"hex 32", []byte(strings.Repeat("0f", 16)), bytes.Repeat([]byte{0x0f}, 16), ""},
		{"32 characters, not hex: raw", []byte(strings.Repeat("z", 32)), []byte(strings.Repeat("z", 32)), ""},
		{"wrong size", []byte("short"), nil, "want 16, 24 or 32 bytes (or their hex), got 5 bytes"},
		{"missing", nil, nil, "key file: open"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "key")
			if tt.content != nil {
				if err := os.WriteFile(path, tt.content, 0o600); err != nil {
					t.Fatal(err)
				}
			}
			got, err := keyfile.Read(path)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil || !bytes.Equal(got, tt.want) {
				t.Errorf("Read = %x, %v; want %x", got, err, tt.want)
			}
		})
	}
}
