package resolver

import (
	"fmt"
	"os"

	"github.com/resindex/resindex/matcher"
)

// ShippedModel is the --model value that names the model resindex ships.
const ShippedModel = "shipped"

// LoadModel reads a model file, or returns the shipped model for "" or
// "shipped".
func LoadModel(path string) (*matcher.Model, error) {
	if path == "" || path == ShippedModel {
		return matcher.DefaultModel(), nil
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	m, err := matcher.ParseModel(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return m, nil
}
