// Package mysql is a stub of github.com/go-sql-driver/mysql v1.9.3
// holding the declarations tlsvet-vet reads (dsn.go, utils.go,
// connector.go), so that tests download nothing.
package mysql

import (
	"crypto/tls"
	"database/sql/driver"
)

type Config struct {
	User, Passwd, Net, Addr, DBName string

	TLSConfig                string
	TLS                      *tls.Config
	AllowFallbackToPlaintext bool
}

func NewConfig() *Config { return &Config{} }

func ParseDSN(dsn string) (*Config, error) { return NewConfig(), nil }

func NewConnector(cfg *Config) (driver.Connector, error) { return nil, nil }

func RegisterTLSConfig(key string, config *tls.Config) error { return nil }
