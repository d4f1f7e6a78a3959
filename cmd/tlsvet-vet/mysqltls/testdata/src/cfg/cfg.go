package cfg // want package:"registers both,first,insecure,ok,old,pinned"

import (
	"crypto/tls"
	"crypto/x509"

	"github.com/go-sql-driver/mysql"
)

func verify([][]byte, [][]*x509.Certificate) error { return nil }

func init() {
	mysql.RegisterTLSConfig("insecure", &tls.Config{InsecureSkipVerify: true}) // want `^warning: go-sql-driver/mysql with .InsecureSkipVerify: true. encrypts but does not verify the server certificate: .*; remove it, .* \[TV302 client-no-verify\]$`
	mysql.RegisterTLSConfig("old", &tls.Config{
		ServerName: "db",
		MinVersion: tls.VersionTLS10, // want `^warning: go-sql-driver/mysql with .MinVersion: tls.VersionTLS10. allows TLSv1.0, deprecated \(RFC 8996\) .* \[TV307 client-legacy-protocols\]$`
	})
	mysql.RegisterTLSConfig("both", &tls.Config{
		InsecureSkipVerify: true,             // want `InsecureSkipVerify: true. encrypts`
		MinVersion:         tls.VersionTLS11, // want `allows TLSv1.1`
	})
	mysql.RegisterTLSConfig("pinned", &tls.Config{InsecureSkipVerify: true, VerifyPeerCertificate: verify})
	mysql.RegisterTLSConfig("ok", &tls.Config{MinVersion: tls.VersionTLS12})
	mysql.RegisterTLSConfig("first", &tls.Config{InsecureSkipVerify: true, ServerName: "db"}) // want `InsecureSkipVerify: true. encrypts`
}

func connectors() {
	mysql.NewConnector(&mysql.Config{Net: "tcp", Addr: "db:3306", TLSConfig: "skip-verify"}) // want `^warning: go-sql-driver/mysql with .TLSConfig: "skip-verify". encrypts but does not verify .*; set TLSConfig to "true" .* \[TV302 client-no-verify\]$`
	mysql.NewConnector(&mysql.Config{TLSConfig: "false"})                                    // want `^warning: go-sql-driver/mysql with .TLSConfig: "false". turns TLS off: .* \[TV301 client-tls-disabled\]$`
	mysql.NewConnector(&mysql.Config{TLSConfig: "preferred"})                                // want `TLSConfig: "preferred". falls back`
	mysql.NewConnector(&mysql.Config{TLSConfig: "true", AllowFallbackToPlaintext: true})     // want `^warning: go-sql-driver/mysql with .AllowFallbackToPlaintext: true. falls back .* \[TV303 client-opportunistic-tls\]$`
	mysql.NewConnector(&mysql.Config{TLS: &tls.Config{InsecureSkipVerify: true}})            // want `InsecureSkipVerify: true. encrypts`
	mysql.NewConnector(&mysql.Config{TLSConfig: "TRUE"})                                     // want `TLSConfig: "TRUE". names a TLS config that neither`

	// TLS takes priority over TLSConfig (Config.normalize); a registered name.
	mysql.NewConnector(&mysql.Config{TLSConfig: "skip-verify", TLS: &tls.Config{}})
	mysql.NewConnector(&mysql.Config{TLSConfig: "insecure"})

	c := mysql.NewConfig()
	c.TLSConfig = "skip-verify"       // want `with .c.TLSConfig = "skip-verify". encrypts but does not verify`
	c.AllowFallbackToPlaintext = true // want `c.AllowFallbackToPlaintext = true. falls back`
	c.TLS = &tls.Config{
		MinVersion: 0x0301, // want `MinVersion: 0x0301. allows TLSv1.0`
	}
}
