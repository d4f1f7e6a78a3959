// Package certs registers the TLS config the db package names, two imports
// away: facts must cross more than one package.
package certs

import (
	"crypto/tls"

	"github.com/go-sql-driver/mysql"
)

func init() {
	mysql.RegisterTLSConfig("custom", &tls.Config{MinVersion: tls.VersionTLS11})
}
