// Package tlsinit registers the TLS config the db package names.
package tlsinit

import (
	"crypto/tls"

	"github.com/go-sql-driver/mysql"
)

func init() {
	mysql.RegisterTLSConfig("custom", &tls.Config{MinVersion: tls.VersionTLS11})
}
