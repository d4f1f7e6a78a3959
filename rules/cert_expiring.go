package rules

import (
	"fmt"
	"time"

	"github.com/tlsvet/tlsvet/internal/facts"
	"github.com/tlsvet/tlsvet/internal/lint"
	"github.com/tlsvet/tlsvet/internal/model"
)

// CertExpiring reports a certificate that expires within the policy's
// window (policy.cert_expiry_days, default 30).
var CertExpiring = &lint.Rule{
	ID:       "TV502",
	Name:     "cert-expiring",
	Severity: lint.Warning,
	Tags:     []string{"tls", "certificates"},
	Doc: lint.Doc{
		Title: "A certificate expires soon",
		Why: "Once a certificate expires, clients that verify the server (VERIFY_CA, VERIFY_IDENTITY, " +
			"tls=true, sslMode=verify-full) refuse it and fail with ERROR 2026 (\"certificate has expired\"), " +
			"every client at once; an expired CA breaks every chain it anchors. With " +
			"tls_certificates_enforced_validation=ON (MySQL 8.1 and later) the server then exits at its next " +
			"startup. The window is `[policy] cert_expiry_days` in .tlsvet.toml (default 30).",
		Fix: "Renew the certificate and replace the file before it expires.",
		Bad: "-- my.cnf --\n[mysqld]\nssl_cert=server-cert.pem\n" +
			"-- server-cert.pem --\n!pki cert cn=db.example.com from=-1y until=+10d\n",
		Good: "-- my.cnf --\n[mysqld]\nssl_cert=server-cert.pem\n" +
			"-- server-cert.pem --\n!pki cert cn=db.example.com from=-1y until=+1y\n",
		Sources: []string{
			"https://docs.openssl.org/3.0/man1/openssl-verify/",
			facts.SrcEnforcedValidationData,
		},
	},
	Requires: []*lint.Analysis{fileReadersAnalysis},
	Run:      runCertExpiring,
}

func runCertExpiring(pass *lint.Pass) {
	now := pass.Policy.Clock()
	window := time.Duration(pass.Policy.CertExpiryDays) * 24 * time.Hour
	eachCert(pass, func(r model.FileRef, c *model.CertInfo) {
		left := c.NotAfter.Sub(now)
		if now.Before(c.NotBefore) || left < 0 || left > window {
			return // TV501 reports certificates out of their validity
		}
		in := "less than a day"
		if days := int(left.Hours() / 24); days == 1 {
			in = "1 day"
		} else if days > 1 {
			in = fmt.Sprintf("%d days", days)
		}
		then := "clients that verify it will then fail with ERROR 2026 (\"certificate has expired\")"
		if readersOf(pass, r.Setting).enforced {
			then += " and MySQL, with tls_certificates_enforced_validation=ON, will exit at its next startup"
		}
		pass.Report(lint.Diagnostic{Span: r.Setting.ValueOrKey(), Message: fmt.Sprintf(
			"the %s %s (%s) expires on %s, in %s (policy.cert_expiry_days is %d): %s; renew it",
			r.Role, r.Path, certName(c), c.NotAfter.UTC().Format("2006-01-02"), in, pass.Policy.CertExpiryDays, then),
			Related: []lint.Related{{Span: c.Span, Message: "the certificate"}}})
	})
}
