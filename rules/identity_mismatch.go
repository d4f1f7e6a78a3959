package rules

import (
	"fmt"
	"strings"

	"github.com/tlsvet/tlsvet/internal/lint"
	"github.com/tlsvet/tlsvet/internal/model"
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
	Run: runIdentityMismatch,
}

func runIdentityMismatch(pass *lint.Pass) {
	p := pass.Project
	if p.NameMismatch == nil {
		return
	}
	refs := map[*model.Setting]model.FileRef{}
	for _, r := range p.FileRefs {
		refs[r.Setting] = r
	}
	for _, l := range p.Links {
		c := l.Client
		if !c.VerifiesHost || c.Host == "" {
			continue
		}
		set := l.Server.Settings.Get("ssl_cert")
		if set == nil {
			continue
		}
		f := p.PKI[refs[set.Setting].Path]
		if f == nil || len(f.Certs) == 0 {
			continue
		}
		host := c.Host
		if h, _, ok := strings.Cut(host, ":"); ok && !strings.Contains(h, "]") {
			host = h
		}
		// go-sql-driver/mysql uses Go's crypto/tls; the other drivers
		// OpenSSL's or the JVM's rules, judged here as OpenSSL's.
		why := p.NameMismatch(f.Certs[0], host, c.Dialect != "go-sql-driver/mysql")
		if why == "" {
			continue
		}
		at := c.Span
		if c.By != nil {
			at = c.By.Span()
		}
		pass.Report(lint.Diagnostic{Span: at, Message: fmt.Sprintf(
			"%s verifies that the server certificate names %s, but %s (%s) does not (%s): every connection fails "+
				"with ERROR 2026; connect by a name the certificate carries or add %s to its SANs",
			c.Driver, host, refs[set.Setting].Path, certName(f.Certs[0]), why, host),
			Related: []lint.Related{{Span: set.ValueOrKey(), Message: "the server certificate (" + l.Reason + ")"}}})
	}
}
