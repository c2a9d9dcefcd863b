// Package keyfile reads the store's encryption key from the file an
// operator keeps it in: 16, 24 or 32 raw bytes (AES-128, -192 or -256),
// or the same as hex, as `openssl rand -hex 32` writes it.
package keyfile
