package rules

import (
	"fmt"
	"strings"

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
	Requires: []*lint.Analysis{fileReadersAnalysis},
	Run:      runCertExpired,
}

func runCertExpired(pass *lint.Pass) {
	now := pass.Policy.Clock()
	for _, r := range pass.Project.FileRefs {
		f := pass.Project.PKI[r.Path]
		if f == nil {
			continue
		}
		for _, c := range f.Certs {
			// OpenSSL's words for X509_V_ERR_CERT_HAS_EXPIRED and
			// X509_V_ERR_CERT_NOT_YET_VALID, which the mariadb client
			// prints after "TLS/SSL error:" (docs/mariadb-observations.md,
			// Appendix E).
			var what, says string
			switch {
			case now.After(c.NotAfter):
				what, says = fmt.Sprintf("expired on %s", c.NotAfter.UTC().Format("2006-01-02")), "certificate has expired"
			case now.Before(c.NotBefore):
				what, says = fmt.Sprintf("is not valid before %s", c.NotBefore.UTC().Format("2006-01-02")), "certificate is not yet valid"
			default:
				continue
			}
			// The server does not check its own certificate's dates
			// (MariaDB starts without a warning, docs/mariadb-observations.md
			// Appendix E) unless MySQL's enforced validation is on.
			rd := readersOf(pass, r.Setting)
			then := fmt.Sprintf("clients that verify it fail with ERROR 2026 (%q)", says)
			if strings.HasPrefix(r.Role, "client") {
				then = "a server that verifies client certificates rejects it, and the connection fails with ERROR 2026"
			}
			switch {
			case validatedAtStartup(r.Role) && rd.enforced:
				then += ", and MySQL, with tls_certificates_enforced_validation=ON, exits at startup " +
					"(ER_FAILED_TO_VALIDATE_CERTIFICATES_SERVER_EXIT)"
			case r.Role == "server certificate" && rd.server():
				then = "the server still starts, but " + then
			}
			pass.Report(lint.Diagnostic{Span: r.Setting.ValueOrKey(),
				Message: fmt.Sprintf("the %s %s (%s) %s: %s; issue a new certificate", r.Role, r.Path, certName(c), what, then),
				Related: []lint.Related{{Span: c.Span, Message: "the certificate"}}})
		}
	}
}

// validatedAtStartup reports whether MySQL verifies a file of this role
// when it builds a channel's TLS context: each channel's certificate
// against its CA (Ssl_acceptor_context_data, facts.SrcEnforcedValidationData).
func validatedAtStartup(role string) bool {
	return role == "server certificate" || role == "admin certificate" || role == "CA"
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
	if cs := fileCerts(p, s); len(cs) > 0 {
		return cs[0]
	}
	return nil
}

// refPath is the repository file setting s names, or "".
func refPath(p *model.Project, s *model.Setting) string {
	if r := p.RefOf[s]; r != nil {
		return r.Path
	}
	return ""
}

// fileCerts are the certificates of the repository file setting s names,
// with its path.
func fileCerts(p *model.Project, s *model.Setting) []*model.CertInfo {
	if f := p.PKI[refPath(p, s)]; f != nil {
		return f.Certs
	}
	return nil
}
