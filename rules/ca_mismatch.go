package rules

import (
	"fmt"

	"github.com/tlsvet/tlsvet/internal/lint"
	"github.com/tlsvet/tlsvet/internal/model"
)

// CAMismatch reports a CA that does not sign the certificate it should:
// a server's own ssl_ca and ssl_cert.
var CAMismatch = &lint.Rule{
	ID:               "TV406",
	Name:             "ca-mismatch",
	Severity:         lint.Error,
	SecuritySeverity: "5.3",
	Tags:             []string{"tls", "certificates"},
	Doc: lint.Doc{
		Title: "The CA does not sign the server certificate",
		Why: "Clients verify the server certificate against their CA. When a server's own ssl_ca did not sign " +
			"its ssl_cert, the CA it hands out is the wrong one: clients given that CA fail with ERROR 2026 " +
			"(\"unable to get local issuer certificate\"), MySQL logs the mismatch at startup, and with " +
			"tls_certificates_enforced_validation=ON (MySQL 8.1 and later) it exits.",
		Fix:  "Point ssl_ca at the CA that signed ssl_cert (with its intermediates), or reissue the certificate.",
		Bad:  "-- my.cnf --\n[mysqld]\nssl_ca=ca.pem\nssl_cert=server-cert.pem\n-- ca.pem --\n!pki cert cn=Other-Root-CA ca=yes key=other-ca\n-- server-cert.pem --\n!pki cert cn=db.example.com dns=db.example.com\n",
		Good: "[mysqld]\nssl_ca=/etc/mysql/certs/ca.pem\nssl_cert=/etc/mysql/certs/server-cert.pem\n",
		Sources: []string{
			"https://docs.openssl.org/3.0/man1/openssl-verify/",
			"https://dev.mysql.com/doc/refman/8.4/en/server-system-variables.html#sysvar_tls_certificates_enforced_validation",
		},
	},
	Run: runCAMismatch,
}

func runCAMismatch(pass *lint.Pass) {
	p := pass.Project
	if p.Untrusted == nil {
		return
	}
	refs := map[*model.Setting]model.FileRef{}
	for _, r := range p.FileRefs {
		refs[r.Setting] = r
	}
	seen := map[*model.Setting]bool{}
	for _, s := range p.Servers {
		ca, cert := s.Settings.Get("ssl_ca"), s.Settings.Get("ssl_cert")
		if ca == nil || cert == nil || seen[ca.Setting] {
			continue
		}
		cf, kf := p.PKI[refs[ca.Setting].Path], p.PKI[refs[cert.Setting].Path]
		if cf == nil || kf == nil || len(cf.Certs) == 0 || len(kf.Certs) == 0 {
			continue
		}
		seen[ca.Setting] = true
		if why := p.Untrusted(kf.Certs[0], cf.Certs); why != "" {
			pass.Report(lint.Diagnostic{Span: ca.ValueOrKey(), Message: fmt.Sprintf(
				"ssl_ca %s does not sign ssl_cert %s (%s: %s): clients given this CA fail with ERROR 2026; point "+
					"ssl_ca at the CA that signed the certificate", refs[ca.Setting].Path, refs[cert.Setting].Path,
				certName(kf.Certs[0]), why),
				Related: []lint.Related{{Span: cert.ValueOrKey(), Message: "the certificate"}}})
		}
	}
}
