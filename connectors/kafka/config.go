package kafka

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"os"
	"strings"
	"time"

	kafkago "github.com/segmentio/kafka-go"
	"github.com/segmentio/kafka-go/sasl"
	"github.com/segmentio/kafka-go/sasl/plain"
	"github.com/segmentio/kafka-go/sasl/scram"
)

// Connection is how to reach a cluster.
type Connection struct {
	Brokers  []string // host:port of one or more brokers
	ClientID string   // default "resindex"
	TLS      TLSOptions
	SASL     SASLOptions
}

// TLSOptions turn on TLS to the brokers.
type TLSOptions struct {
	Enabled  bool
	CAFile   string // PEM bundle of the brokers' CA; default the system's
	CertFile string // client certificate (mutual TLS), with KeyFile
	KeyFile  string
	// InsecureSkipVerify is for test clusters only.
	InsecureSkipVerify bool
}

// SASLOptions authenticate to the brokers.
type SASLOptions struct {
	Mechanism string // "", "plain", "scram-sha-256" or "scram-sha-512"
	Username  string
	Password  string
	// PasswordFile, when named, holds the password instead (its final
	// line break dropped): a secret is kept in a file of its own.
	PasswordFile string
}

func (c *Connection) clientID() string {
	if c.ClientID == "" {
		return "resindex"
	}
	return c.ClientID
}

// Validate checks the connection settings without contacting a broker.
func (c *Connection) Validate() error {
	if len(c.Brokers) == 0 {
		return errors.New("kafka: no brokers given")
	}
	for _, b := range c.Brokers {
		if !strings.Contains(b, ":") {
			return fmt.Errorf("kafka: broker %q: want host:port", b)
		}
	}
	_, err := c.mechanism()
	return err
}

func (c *Connection) mechanism() (sasl.Mechanism, error) {
	s := c.SASL
	if s.PasswordFile != "" {
		pw, err := os.ReadFile(s.PasswordFile)
		if err != nil {
			return nil, fmt.Errorf("kafka.sasl.password_file: %w", err)
		}
		s.Password = strings.TrimRight(string(pw), "\r\n")
	}
	switch strings.ToLower(s.Mechanism) {
	case "":
		return nil, nil
	case "plain":
		return plain.Mechanism{Username: s.Username, Password: s.Password}, nil
	case "scram-sha-256":
		return scram.Mechanism(scram.SHA256, s.Username, s.Password)
	case "scram-sha-512":
		return scram.Mechanism(scram.SHA512, s.Username, s.Password)
	}
	return nil, fmt.Errorf("kafka: SASL mechanism %q: want plain, scram-sha-256 or scram-sha-512", s.Mechanism)
}

func (c *Connection) tlsConfig() (*tls.Config, error) {
	t := c.TLS
	if !t.Enabled {
		return nil, nil
	}
	cfg := &tls.Config{MinVersion: tls.VersionTLS12, InsecureSkipVerify: t.InsecureSkipVerify} //nolint:gosec // test clusters only, documented
	if t.CAFile != "" {
		pem, err := os.ReadFile(t.CAFile)
		if err != nil {
			return nil, fmt.Errorf("kafka: TLS CA: %w", err)
		}
		cfg.RootCAs = x509.NewCertPool()
		if !cfg.RootCAs.AppendCertsFromPEM(pem) {
			return nil, fmt.Errorf("kafka: TLS CA %s: no PEM certificates in it", t.CAFile)
		}
	}
	if t.CertFile != "" || t.KeyFile != "" {
		cert, err := tls.LoadX509KeyPair(t.CertFile, t.KeyFile)
		if err != nil {
			return nil, fmt.Errorf("kafka: TLS client certificate: %w", err)
		}
		cfg.Certificates = []tls.Certificate{cert}
	}
	return cfg, nil
}

// security gives the SASL mechanism and TLS configuration, each nil when
// not configured.
func (c *Connection) security() (sasl.Mechanism, *tls.Config, error) {
	mech, err := c.mechanism()
	if err != nil {
		return nil, nil, err
	}
	tc, err := c.tlsConfig()
	return mech, tc, err
}

// dialer is for readers.
func (c *Connection) dialer() (*kafkago.Dialer, error) {
	mech, tc, err := c.security()
	if err != nil {
		return nil, err
	}
	return &kafkago.Dialer{ClientID: c.clientID(), Timeout: 10 * time.Second, DualStack: true, TLS: tc, SASLMechanism: mech}, nil
}

// transport carries the writer's and the admin client's requests.
func (c *Connection) transport() (*kafkago.Transport, error) {
	mech, tc, err := c.security()
	if err != nil {
		return nil, err
	}
	return &kafkago.Transport{ClientID: c.clientID(), TLS: tc, SASL: mech}, nil
}

// writer makes a synchronous writer: WriteMessages returns once every
// in-sync replica has the messages.
func (c *Connection) writer() (*kafkago.Writer, error) {
	t, err := c.transport()
	if err != nil {
		return nil, err
	}
	return &kafkago.Writer{
		Addr:                   kafkago.TCP(c.Brokers...),
		Balancer:               &kafkago.Hash{},
		RequiredAcks:           kafkago.RequireAll,
		BatchTimeout:           5 * time.Millisecond,
		AllowAutoTopicCreation: true,
		Transport:              t,
	}, nil
}

// client makes an admin client, for offsets and metadata.
func (c *Connection) client() (*kafkago.Client, error) {
	t, err := c.transport()
	if err != nil {
		return nil, err
	}
	return &kafkago.Client{Addr: kafkago.TCP(c.Brokers...), Timeout: 10 * time.Second, Transport: t}, nil
}
