package rules

import (
	"fmt"
	"strings"

	"github.com/tlsvet/tlsvet/internal/facts"
	"github.com/tlsvet/tlsvet/internal/lint"
	"github.com/tlsvet/tlsvet/internal/source"
)

// IdentityMismatch reports a client that verifies the server's host name
// against a server certificate that does not name the host it connects to.
var IdentityMismatch = &lint.Rule{
	ID:               "TV405",
	Name:             "identity-mismatch",
	Severity:         lint.Error,
	SecuritySeverity: "5.3",
	Tags:             []string{"tls", "certificates"},
	Doc: lint.Doc{
		Title: "A verifying client connects by a name the server certificate does not carry",
		Why: "VERIFY_IDENTITY (tls=true, sslMode=VERIFY_IDENTITY, verify-full) checks that the server " +
			"certificate names the host the client connects to: its DNS or IP subject alternative names. Go " +
			"ignores the subject CN since Go 1.15; OpenSSL-based clients fall back to the CN only when the " +
			"certificate has no DNS SAN. A compose service reached as `db` whose certificate names only " +
			"`db.example.com` fails every connection: ERROR 2026 for the C client libraries (Connector/C: " +
			"\"Validation of SSL server certificate failed\"), \"tls: failed to verify certificate: x509: certificate " +
			"is valid for db.example.com, not db\" for Go. The finding comes from the negotiation model, which " +
			"runs each client's checks in its library's order (Go checks the name before the chain, OpenSSL-based " +
			"clients after it) and reports the failure the client meets first: a handshake that fails earlier, on " +
			"the protocol or the cipher, is TV401 or TV402 instead.",
		Fix:  "Connect by a name the certificate carries, or issue the certificate with the host as a SAN.",
		Bad:  "-- compose.yaml --\nservices:\n  db:\n    image: mysql:8.4.3\n    command: [\"--ssl-cert=/certs/server-cert.pem\"]\n    volumes:\n      - ./certs:/certs:ro\n  app:\n    image: shop:1\n    environment:\n      DB_DSN: \"app@tcp(db:3306)/shop?tls=true\"\n-- certs/server-cert.pem --\n!pki cert cn=db.example.com dns=db.example.com\n",
		Good: "[mysqld]\nssl_cert=/etc/mysql/certs/server-cert.pem\n",
		Sources: []string{
			"https://go.dev/doc/go1.15#commonname",
			"https://docs.openssl.org/3.0/man3/X509_check_host/",
		},
	},
	Requires: []*lint.Analysis{handshakesAnalysis},
	Run:      runIdentityMismatch,
}

func runIdentityMismatch(pass *lint.Pass) {
	certFindings(pass, facts.CertMisnamed, func(h handshake) source.Span {
		if h.Dialect == "" && h.Mode != nil {
			return h.Mode.ValueOrKey()
		}
		return h.At
	}, func(h handshake, sc serverCert) (string, []lint.Related) {
		rel := []lint.Related{{Span: sc.Setting.ValueOrKey(), Message: "the server certificate (" + sc.Reason + ")"},
			{Span: sc.Cert.Span, Message: "the certificate"}}
		if h.HostAt != nil {
			rel = append(rel, lint.Related{Span: h.HostAt.ValueOrKey(), Message: "the host the client connects to"})
		}
		fails := rejectedWith(h)
		if h.Outcome.Error == "" && linksCClient[h.Dialect] {
			fails += ` (with MariaDB Connector/C: "Validation of SSL server certificate failed")`
		}
		return fmt.Sprintf("%s that the server certificate names %s, but %s (%s) does not (%s): the server starts, but "+
			"every connection fails with %s; connect by a name the certificate carries or add %s to its SANs",
			verifies(h), h.Host, sc.Path, certName(sc.Cert), h.Outcome.CertWhy, fails, h.Host), rel
	})
}

// verifies says what makes the client check the certificate.
func verifies(h handshake) string {
	switch {
	case h.Mode == nil:
		return h.Client + " verifies by default"
	case h.Dialect != "":
		return h.Client + " verifies"
	}
	return optText(h.Mode) + " makes the client verify"
}

// rejectedWith is the error a client that rejects the certificate
// reports: the model's words, else ERROR 2026 for the clients that link
// the C client library.
func rejectedWith(h handshake) string {
	o := h.Outcome
	switch {
	case o.Error != "":
		return strings.TrimSuffix(o.Error, ".")
	case o.Code != 0, h.Dialect == "", linksCClient[h.Dialect]:
		return "ERROR 2026"
	}
	return "a TLS handshake error"
}

// linksCClient are the dialects whose drivers link the C client library,
// libmysqlclient or MariaDB Connector/C (mysql2's ext/mysql2/client.c,
// mysqlclient's _mysql.c, Diesel's mysqlclient-sys).
var linksCClient = map[string]bool{
	"rails+mysql2": true, "dj-database-url": true, "sqlalchemy+mysqldb": true, "diesel": true,
}
