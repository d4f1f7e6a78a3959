package vars // want package:"registers fixed,lax,pkglevel,value"

import (
	"crypto/tls"

	"github.com/go-sql-driver/mysql"
)

var pkgLevel = &tls.Config{MinVersion: tls.VersionTLS10} // want `MinVersion: tls.VersionTLS10. allows TLSv1.0`

func init() {
	mysql.RegisterTLSConfig("pkglevel", pkgLevel)

	lax := &tls.Config{
		ServerName:         "db",
		InsecureSkipVerify: true, // want `InsecureSkipVerify: true. encrypts but does not verify`
	}
	mysql.RegisterTLSConfig("lax", lax)
	mysql.NewConnector(&mysql.Config{TLS: lax}) // the same literal: reported once

	// Changed after its definition: the literal alone does not tell.
	fixed := &tls.Config{InsecureSkipVerify: true}
	fixed.InsecureSkipVerify = false
	mysql.RegisterTLSConfig("fixed", fixed)

	value := tls.Config{MinVersion: tls.VersionTLS11} // want `MinVersion: tls.VersionTLS11. allows TLSv1.1`
	mysql.RegisterTLSConfig("value", &value)
}
