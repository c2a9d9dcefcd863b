package main

import (
	"fmt"

	"github.com/resindex/resindex/internal/config"
)

// checkSourceFlag refuses a flag naming a source no mapping has (the
// shipped ones and the council's own, mappings in the configuration): a
// misspelt --source would otherwise find nothing and look like success.
// "" is left to the command's own required-flag check.
func checkSourceFlag(m *Main, flag, name string) error {
	if name == "" {
		return nil
	}
	known, err := config.KnownSources(m.Config.Mappings)
	if err != nil {
		return err
	}
	for _, k := range known {
		if k == name {
			return nil
		}
	}
	return fmt.Errorf("--%s: %s: %w", flag, config.UnknownSource(name, known), errUsage)
}
