package config

// Rights configures what the index does for residents' data-protection
// rights (issue 16; docs/configuration.md).
type Rights struct {
	// PseudonymKeyFile holds the key of the pseudonymised export's
	// pseudonyms (at least 32 bytes, raw or hex). The key never leaves
	// the file: it is not written to the export or the logs, and the
	// export refuses to run without it.
	PseudonymKeyFile string `yaml:"pseudonym_key_file"`
}
