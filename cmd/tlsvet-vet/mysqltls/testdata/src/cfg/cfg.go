package cfg // want package:"registers both,first,insecure,ok,old,pinned"

import (
	"crypto/tls"
	"crypto/x509"

	"github.com/go-sql-driver/mysql"
)

func verify([][]byte, [][]*x509.Certificate) error { return nil }

func init() {
	mysql.RegisterTLSConfig("insecure", &tls.Config{InsecureSkipVerify: true}) // want `^warning: InsecureSkipVerify: true encrypts but does not verify the server certificate: .* \[TV302 client-no-verify\]$`
	mysql.RegisterTLSConfig("old", &tls.Config{
		ServerName: "db",
		MinVersion: tls.VersionTLS10, // want `^warning: MinVersion tls.VersionTLS10 lets the connection use TLSv1.0, .* \[TV307 client-legacy-protocols\]$`
	})
	mysql.RegisterTLSConfig("both", &tls.Config{
		InsecureSkipVerify: true,             // want `InsecureSkipVerify: true encrypts`
		MinVersion:         tls.VersionTLS11, // want `lets the connection use TLSv1.1`
	})
	mysql.RegisterTLSConfig("pinned", &tls.Config{InsecureSkipVerify: true, VerifyPeerCertificate: verify})
	mysql.RegisterTLSConfig("ok", &tls.Config{MinVersion: tls.VersionTLS12})
	mysql.RegisterTLSConfig("first", &tls.Config{InsecureSkipVerify: true, ServerName: "db"}) // want `InsecureSkipVerify: true encrypts`
}

func connectors() {
	mysql.NewConnector(&mysql.Config{Net: "tcp", Addr: "db:3306", TLSConfig: "skip-verify"}) // want `^warning: TLSConfig "skip-verify" encrypts but does not verify .* \[TV302 client-no-verify\]$`
	mysql.NewConnector(&mysql.Config{TLSConfig: "false"})                                    // want `^warning: TLSConfig "false" turns TLS off: .* \[TV301 client-tls-disabled\]$`
	mysql.NewConnector(&mysql.Config{TLSConfig: "preferred"})                                // want `TLSConfig "preferred": the client falls back`
	mysql.NewConnector(&mysql.Config{TLSConfig: "true", AllowFallbackToPlaintext: true})     // want `^warning: AllowFallbackToPlaintext: true: the client falls back .* \[TV303 client-opportunistic-tls\]$`
	mysql.NewConnector(&mysql.Config{TLS: &tls.Config{InsecureSkipVerify: true}})            // want `InsecureSkipVerify: true encrypts`
	mysql.NewConnector(&mysql.Config{TLSConfig: "TRUE"})                                     // want `TLSConfig "TRUE" names a TLS config that neither`

	// TLS takes priority over TLSConfig (Config.normalize); a registered name.
	mysql.NewConnector(&mysql.Config{TLSConfig: "skip-verify", TLS: &tls.Config{}})
	mysql.NewConnector(&mysql.Config{TLSConfig: "insecure"})

	c := mysql.NewConfig()
	c.TLSConfig = "skip-verify"       // want `TLSConfig "skip-verify" encrypts but does not verify`
	c.AllowFallbackToPlaintext = true // want `AllowFallbackToPlaintext = true: the client falls back`
	c.TLS = &tls.Config{
		MinVersion: 0x0301, // want `MinVersion 0x0301 lets the connection use TLSv1.0`
	}
}
