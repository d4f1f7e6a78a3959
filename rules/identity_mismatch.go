package rules

import (
	"fmt"
	"strings"

	"github.com/tlsvet/tlsvet/internal/lint"
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
			"`db.example.com` fails every connection with ERROR 2026.",
		Fix:  "Connect by a name the certificate carries, or issue the certificate with the host as a SAN.",
		Bad:  "-- compose.yaml --\nservices:\n  db:\n    image: mysql:8.4.3\n    command: [\"--ssl-cert=/certs/server-cert.pem\"]\n    volumes:\n      - ./certs:/certs:ro\n  app:\n    image: shop:1\n    environment:\n      DB_DSN: \"app@tcp(db:3306)/shop?tls=true\"\n-- certs/server-cert.pem --\n!pki cert cn=db.example.com dns=db.example.com\n",
		Good: "[mysqld]\nssl_cert=/etc/mysql/certs/server-cert.pem\n",
		Sources: []string{
			"https://go.dev/doc/go1.15#commonname",
			"https://docs.openssl.org/3.0/man3/X509_check_host/",
		},
	},
	Requires: []*lint.Analysis{clientReadingsAnalysis, clientPairsAnalysis},
	Run:      runIdentityMismatch,
}

func runIdentityMismatch(pass *lint.Pass) {
	p := pass.Project
	if p.NameMismatch == nil {
		return
	}
	for _, l := range p.Links {
		c := l.Client
		if !c.VerifiesHost || c.Host == "" {
			continue
		}
		sc, ok := certOf(p, l.Server, l.Reason)
		if !ok {
			continue
		}
		host := c.Host
		if h, _, ok := strings.Cut(host, ":"); ok && !strings.Contains(h, "]") {
			host = h
		}
		// go-sql-driver/mysql uses Go's crypto/tls; the other drivers
		// OpenSSL's or the JVM's rules, judged here as OpenSSL's.
		why := p.NameMismatch(sc.Cert, host, c.Dialect != "go-sql-driver/mysql")
		if why == "" {
			continue
		}
		at := c.Span
		if c.By != nil {
			at = c.By.Span()
		}
		says := ""
		if linksCClient[c.Dialect] {
			says = ` (with MariaDB Connector/C: "Validation of SSL server certificate failed")`
		}
		pass.Report(lint.Diagnostic{Span: at, Message: fmt.Sprintf(
			"%s verifies that the server certificate names %s, but %s (%s) does not (%s): the server starts, but "+
				"every connection fails with ERROR 2026%s; connect by a name the certificate carries or add %s to its SANs",
			c.Driver, host, sc.Path, certName(sc.Cert), why, says, host),
			Related: []lint.Related{{Span: sc.Setting.ValueOrKey(), Message: "the server certificate (" + sc.Reason + ")"},
				{Span: sc.Cert.Span, Message: "the certificate"}}})
	}
	for _, cp := range clientPairs(pass) {
		c, host := cp.Client, cp.Host
		sc, ok := certOf(p, cp.Server, cp.Reason)
		if !ok {
			continue
		}
		// The mysql and mariadb clients check names with OpenSSL's
		// X509_check_host.
		why := p.NameMismatch(sc.Cert, host.Value, true)
		if why == "" {
			continue
		}
		clientFindings(pass, c, func(r clientReading) (place, bool) {
			if !r.VerifiesHost {
				return place{}, false
			}
			if r.By != nil {
				return place{Opt: r.By}, true
			}
			return place{Opt: host.Setting}, true
		}, func(j clientFinding) {
			verifies := "the client verifies by default"
			if by := j.Data.By; by != nil {
				verifies = optText(by) + " makes the client verify"
			}
			says := ""
			if _, mariadb := flavoursOf(j.Flavors); mariadb {
				says = ` (the mariadb client: "Validation of SSL server certificate failed")`
			}
			pass.Report(lint.Diagnostic{Span: j.Key.Span(), Message: fmt.Sprintf(
				"%s that the server certificate names %s, but %s (%s) does not (%s)%s: every connection fails "+
					"with ERROR 2026%s; connect by a name the certificate carries or add %s to its SANs",
				verifies, host.Value, sc.Path, certName(sc.Cert), why, qualify(j.Where), says, host.Value),
				Related: []lint.Related{{Span: sc.Setting.ValueOrKey(), Message: "the server certificate (" + sc.Reason + ")"},
					{Span: sc.Cert.Span, Message: "the certificate"},
					{Span: host.ValueOrKey(), Message: "the host the client connects to"}}})
		})
	}
}

// linksCClient are the dialects whose drivers link the C client library,
// libmysqlclient or MariaDB Connector/C (mysql2's ext/mysql2/client.c,
// mysqlclient's _mysql.c, Diesel's mysqlclient-sys). Connector/C words a
// host name mismatch as "Validation of SSL server certificate failed"
// (the mariadb client, docs/mariadb-observations.md, Appendix E).
var linksCClient = map[string]bool{
	"rails+mysql2": true, "dj-database-url": true, "sqlalchemy+mysqldb": true, "diesel": true,
}
