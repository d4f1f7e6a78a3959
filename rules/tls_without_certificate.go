package rules

import (
	"fmt"

	"github.com/tlsvet/tlsvet/internal/facts"
	"github.com/tlsvet/tlsvet/internal/lint"
)

// TLSWithoutCertificate reports a MariaDB server that TLS options turn TLS
// on for, with no certificate to serve it.
var TLSWithoutCertificate = &lint.Rule{
	ID:       "TV605",
	Name:     "tls-without-certificate",
	Severity: lint.Error,
	Tags:     []string{"tls", "correctness"},
	Doc: lint.Doc{
		Title: "MariaDB server with TLS options but no ssl_cert and ssl_key",
		Why: "On MariaDB, `ssl-ca`, `ssl-capath`, `ssl-cipher`, `ssl-crl`, `ssl-crlpath` or a bare `ssl` turn the " +
			"server's TLS on. Without `ssl_cert` and `ssl_key` it then has no certificate to set TLS up with, and " +
			"before 11.4 (which generates one) it refuses to start: `[ERROR] SSL error: Private key does not match " +
			"the certificate public key`, `[ERROR] Aborting` (observed on MariaDB 10.11.19 for ssl-ca, ssl-cipher " +
			"and a bare ssl; `tls_version` alone does not do this). A server without any of these options starts " +
			"with have_ssl=DISABLED instead (TV603 judges `require_secure_transport` there).",
		Fix:  "Set `ssl_cert` and `ssl_key`, or remove the TLS options until the server has a certificate.",
		Bad:  "[mariadb]\nssl_ca=/etc/mysql/ca.pem\n",
		Good: "[mariadb]\nssl_ca=/etc/mysql/ca.pem\nssl_cert=/etc/mysql/server-cert.pem\nssl_key=/etc/mysql/server-key.pem\n",
		Sources: []string{
			"https://github.com/MariaDB/server/blob/main/include/sslopt-case.h",
			facts.SrcMDBSysV,
			facts.SrcMDBZero,
		},
	},
	Requires: []*lint.Analysis{serverReadingsAnalysis},
	Run:      runTLSWithoutCertificate,
}

func runTLSWithoutCertificate(pass *lint.Pass) {
	noCert := func(r serverReading) (place, bool) {
		if family(r.Piece.Flavor) != facts.MariaDB || !r.Piece.Max.Less(facts.MariaDBZeroConfig) ||
			r.Off != nil || r.Cert != nil || r.Key != nil || r.TLSBy == nil {
			return place{}, false
		}
		return place{Opt: r.TLSBy}, true
	}
	eachServerFinding(pass, noCert, func(_ []serverReading, j serverFinding) {
		o := j.Key.Opt
		pass.Report(lint.Diagnostic{Span: o.ValueOrKey(), Message: fmt.Sprintf(
			"%s turns the MariaDB server's TLS on, but no ssl_cert and ssl_key are set%s: the server refuses to "+
				"start (\"SSL error: Private key does not match the certificate public key\"); set ssl_cert and "+
				"ssl_key, or remove %s", optText(o), qualify(j.Where), o.Key)})
	})
}
