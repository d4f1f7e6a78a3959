package rules

import (
	"fmt"
	"strings"

	"github.com/tlsvet/tlsvet/internal/lint"
)

// BadPEM reports a certificate or key file the server cannot load as it
// stands: DER instead of PEM, truncated or malformed PEM, a certificate
// signing request where a certificate belongs, an encrypted key.
var BadPEM = &lint.Rule{
	ID:               "TV505",
	Name:             "bad-pem",
	Severity:         lint.Error,
	SecuritySeverity: "5.3",
	Tags:             []string{"tls", "certificates"},
	Doc: lint.Doc{
		Title: "A certificate or key file cannot be loaded",
		Why: "MySQL and MariaDB load ssl_cert, ssl_key and ssl_ca with OpenSSL's PEM readers: a DER file, a " +
			"PEM block cut short or with a broken body, or a certificate signing request (CSR) where a " +
			"certificate belongs cannot be loaded, so the server starts without TLS (MySQL) or refuses to " +
			"start (MariaDB), and a client given such a CA fails with ERROR 2026. An encrypted private key " +
			"needs a passphrase nobody types at startup (MariaDB 12.0 and later read it from ssl_passphrase).",
		Fix: "Convert DER to PEM (openssl x509 -inform der -in cert.der -out cert.pem), restore the file, point " +
			"the option at the signed certificate rather than the request, or store the key unencrypted with " +
			"restricted permissions.",
		Bad:  "-- my.cnf --\n[mysqld]\nssl_cert=server-cert.pem\n-- server-cert.pem --\n!pki cert cn=db.example.com format=truncated\n",
		Good: "[mysqld]\nssl_cert=/etc/mysql/certs/server-cert.pem\n",
		Sources: []string{
			"https://docs.openssl.org/3.0/man3/PEM_read_bio_PrivateKey/",
			"https://dev.mysql.com/doc/refman/8.4/en/using-encrypted-connections.html",
			"https://mariadb.com/docs/server/security/encryption/data-in-transit-encryption/ssltls-system-variables",
		},
	},
	Run: runBadPEM,
}

func runBadPEM(pass *lint.Pass) {
	for _, r := range pass.Project.FileRefs {
		f := pass.Project.PKI[r.Path]
		if f == nil {
			continue
		}
		wantCert := !strings.HasSuffix(r.Role, "key") && r.Role != "CRL"
		var what string
		switch {
		case f.DER:
			what = "is DER, not PEM: OpenSSL's PEM reader, which the server and clients use, cannot load it"
		case len(f.Problems) > 0:
			what = "cannot be loaded: " + f.Problems[0].Message
		case wantCert && f.CSR && len(f.Certs) == 0:
			what = "is a certificate signing request, not a certificate: it cannot be loaded as one"
		case !wantCert && len(f.Keys) > 0 && f.Keys[0].Encrypted:
			what = "is encrypted: the server needs its passphrase at startup and cannot start unattended " +
				"(MariaDB 12.0 and later read it from ssl_passphrase)"
		default:
			continue
		}
		pass.Report(lint.Diagnostic{Span: r.Setting.ValueOrKey(), Message: fmt.Sprintf(
			"the %s %s %s; the server starts without TLS (MySQL) or refuses to start (MariaDB)", r.Role, r.Path, what)})
	}
}
