package rules

import (
	"fmt"

	"github.com/tlsvet/tlsvet/internal/lint"
	"github.com/tlsvet/tlsvet/internal/model"
)

// CertExpired reports a certificate that is expired or not yet valid.
var CertExpired = &lint.Rule{
	ID:               "TV501",
	Name:             "cert-expired",
	Severity:         lint.Error,
	SecuritySeverity: "7.5",
	Tags:             []string{"tls", "certificates"},
	Doc: lint.Doc{
		Title: "A certificate is expired or not yet valid",
		Why: "A client that verifies the server (VERIFY_CA, VERIFY_IDENTITY, tls=true, sslMode=verify-full) " +
			"refuses an expired or not-yet-valid server certificate: the connection fails with ERROR 2026 " +
			"(\"certificate has expired\" or \"certificate is not yet valid\" from OpenSSL). A CA certificate " +
			"out of its validity breaks every chain it anchors. With tls_certificates_enforced_validation=ON " +
			"(MySQL 8.1 and later) the server exits at startup instead.",
		Fix:  "Issue a new certificate and replace the file.",
		Bad:  "-- my.cnf --\n[mysqld]\nssl_cert=server-cert.pem\n-- server-cert.pem --\n!pki cert cn=db.example.com dns=db.example.com from=2020-01-01 until=2021-01-01\n",
		Good: "[mysqld]\nssl_cert=/etc/mysql/certs/server-cert.pem\n",
		Sources: []string{
			"https://docs.openssl.org/3.0/man1/openssl-verify/",
			"https://dev.mysql.com/doc/refman/8.4/en/server-system-variables.html#sysvar_tls_certificates_enforced_validation",
		},
	},
	Run: runCertExpired,
}

func runCertExpired(pass *lint.Pass) {
	now := pass.Policy.Clock()
	for _, r := range pass.Project.FileRefs {
		f := pass.Project.PKI[r.Path]
		if f == nil {
			continue
		}
		for _, c := range f.Certs {
			var what string
			switch {
			case now.After(c.NotAfter):
				what = fmt.Sprintf("expired on %s", c.NotAfter.UTC().Format("2006-01-02"))
			case now.Before(c.NotBefore):
				what = fmt.Sprintf("is not valid before %s", c.NotBefore.UTC().Format("2006-01-02"))
			default:
				continue
			}
			pass.Report(lint.Diagnostic{Span: r.Setting.ValueOrKey(),
				Message: fmt.Sprintf("the %s %s (%s) %s: clients that verify it fail with ERROR 2026; issue a new certificate",
					r.Role, r.Path, certName(c), what),
				Related: []lint.Related{{Span: c.Span, Message: "the certificate"}}})
		}
	}
}

// certName names a certificate for messages by its subject.
func certName(c *model.CertInfo) string {
	if c.SubjectCN == "" {
		return "no subject CN"
	}
	return "CN=" + c.SubjectCN
}

// fileCert is the first certificate of the repository file setting s
// names, or nil when the file is not in the repository or holds none.
func fileCert(p *model.Project, s *model.Setting) *model.CertInfo {
	for _, r := range p.FileRefs {
		if r.Setting == s {
			if f := p.PKI[r.Path]; f != nil && len(f.Certs) > 0 {
				return f.Certs[0]
			}
			return nil
		}
	}
	return nil
}
