package web

import (
	"fmt"
	"os"
	"strings"
)

// WithSecretFile returns the configuration with its client secret read
// from file, when one is named (the file's surrounding space trimmed). A
// secret is kept in a file of its own, never beside the settings.
func (c OIDCConfig) WithSecretFile(file string) (OIDCConfig, error) {
	if file == "" {
		return c, nil
	}
	b, err := os.ReadFile(file)
	if err != nil {
		return c, fmt.Errorf("oidc.client_secret_file: %w", err)
	}
	c.ClientSecret = strings.TrimSpace(string(b))
	return c, nil
}
