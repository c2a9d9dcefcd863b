// Package atomicfile writes output files whole or not at all: through a
// buffer to a temporary file beside the target, synced and renamed into
// place, so a failed run never leaves a half-written file and never
// clobbers a good one.
package atomicfile
