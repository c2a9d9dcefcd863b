// Package config is resindex's configuration: what a council sets once
// for its deployment in one YAML file, as plain values, checked when it
// is read, and how it becomes each component's options. It knows no
// flags: the command line fills the same values over the file's.
// Every option is documented in docs/configuration.md.
package config
