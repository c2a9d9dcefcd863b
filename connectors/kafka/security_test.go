package kafka_test

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	kafkago "github.com/segmentio/kafka-go"
	"github.com/twmb/franz-go/pkg/kfake"

	"github.com/resindex/resindex/connectors/kafka"
)

// TestSecureConnections: the consumer reads through SASL (PLAIN and
// SCRAM) and TLS checked against a CA file.
func TestSecureConnections(t *testing.T) {
	caFile, serverTLS := selfSigned(t)
	for _, tc := range []struct {
		name    string
		cluster []kfake.Opt
		conn    kafka.Connection
	}{
		{"sasl plain", []kfake.Opt{kfake.EnableSASL(), kfake.Superuser("PLAIN", "resindex", "s3cret")},
			kafka.Connection{SASL: kafka.SASLOptions{Mechanism: "plain", Username: "resindex", Password: "s3cret"}}},
		{"sasl scram-sha-256", []kfake.Opt{kfake.EnableSASL(), kfake.Superuser("SCRAM-SHA-256", "resindex", "s3cret")},
			kafka.Connection{SASL: kafka.SASLOptions{Mechanism: "scram-sha-256", Username: "resindex", Password: "s3cret"}}},
		{"sasl scram-sha-512, password from a file", []kfake.Opt{kfake.EnableSASL(), kfake.Superuser("SCRAM-SHA-512", "resindex", "s3cret")},
			kafka.Connection{SASL: kafka.SASLOptions{Mechanism: "scram-sha-512", Username: "resindex", Password: "wrong", PasswordFile: passwordFile(t, "s3cret\n")}}},
		{"tls", []kfake.Opt{kfake.TLS(serverTLS)},
			kafka.Connection{TLS: kafka.TLSOptions{Enabled: true, CAFile: caFile}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cluster := mustCluster(t, append(tc.cluster, kfake.SeedTopics(1, "parking"))...)
			tc.conn.Brokers = cluster.ListenAddrs()
			x := mustIndex(t)
			r := start(t, kafka.ConsumerOptions{Connection: tc.conn,
				Decoders: map[string]kafka.Decoder{"parking": parkingDecoder(t)}}, x)
			// Produce through the publisher's kind of connection: the same
			// options, so both directions are checked.
			w := kafkaWriter(t, tc.conn)
			if err := w.WriteMessages(t.Context(), event("S1", "c", "Lee", "2024-01-01T00:00:00Z")); err != nil {
				t.Fatal(err)
			}
			w.Close()
			r.waitHandled(t, 1)
			r.stop(t)
			if ids := liveIDs(t, x); !ids["S1"] {
				t.Fatalf("record not applied: %v", ids)
			}
		})
	}
}

// passwordFile writes a password file as an operator would.
func passwordFile(t *testing.T, text string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "password")
	if err := os.WriteFile(p, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestConnectionValidate(t *testing.T) {
	for _, tc := range []struct {
		name string
		c    kafka.Connection
		want string
	}{
		{"no brokers", kafka.Connection{}, "no brokers"},
		{"no port", kafka.Connection{Brokers: []string{"kafka1"}}, "host:port"},
		{"bad mechanism", kafka.Connection{Brokers: []string{"k:9092"}, SASL: kafka.SASLOptions{Mechanism: "gssapi"}}, "SASL mechanism"},
		{"missing password file", kafka.Connection{Brokers: []string{"k:9092"}, SASL: kafka.SASLOptions{Mechanism: "plain", PasswordFile: "/nonexistent"}}, "kafka.sasl.password_file"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if err := tc.c.Validate(); err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("got %v, want %q", err, tc.want)
			}
		})
	}
	_, err := kafka.NewConsumer(kafka.ConsumerOptions{Connection: kafka.Connection{Brokers: []string{"k:1"}, TLS: kafka.TLSOptions{Enabled: true, CAFile: "/nonexistent"}},
		Decoders: map[string]kafka.Decoder{"t": nil}}, nil)
	if err == nil || !strings.Contains(err.Error(), "TLS CA") {
		t.Fatalf("missing CA file: %v", err)
	}
}

// kafkaWriter is a test producer with a connection's security settings.
func kafkaWriter(t *testing.T, c kafka.Connection) *kafkago.Writer {
	t.Helper()
	w, err := kafka.NewTestWriter(c)
	if err != nil {
		t.Fatal(err)
	}
	return w
}

// selfSigned writes a CA-signed-by-itself certificate for 127.0.0.1 and
// returns the CA file and the server's TLS configuration.
func selfSigned(t *testing.T) (string, *tls.Config) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "kfake"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		IPAddresses: []net.IP{net.ParseIP("127.0.0.1")}, DNSNames: []string{"localhost"},
		IsCA: true, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign | x509.KeyUsageDigitalSignature,
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	certPEM := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})
	keyDER, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	cert, err := tls.X509KeyPair(certPEM, pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: keyDER}))
	if err != nil {
		t.Fatal(err)
	}
	ca := filepath.Join(t.TempDir(), "ca.pem")
	if err := os.WriteFile(ca, certPEM, 0o600); err != nil {
		t.Fatal(err)
	}
	return ca, &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12}
}
