package keyfile

import (
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"strings"
)

// Read reads an AES key: 16, 24 or 32 raw bytes, or the same as hex
// (surrounding space ignored). Anything else is refused, naming its size,
// never its content.
func Read(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("key file: %w", err)
	}
	defer f.Close()
	raw, err := io.ReadAll(io.LimitReader(f, 1024))
	if err != nil {
		return nil, fmt.Errorf("key file: %w", err)
	}
	if text := strings.TrimSpace(string(raw)); len(text) == 32 || len(text) == 48 || len(text) == 64 {
		if key, err := hex.DecodeString(text); err == nil {
			return key, nil
		}
	}
	switch len(raw) {
	case 16, 24, 32:
		return raw, nil
	}
	return nil, fmt.Errorf("key file %s: want 16, 24 or 32 bytes (or their hex), got %d bytes", path, len(raw))
}
