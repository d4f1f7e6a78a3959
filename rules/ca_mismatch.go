package rules

import (
	"fmt"

	"github.com/tlsvet/tlsvet/internal/facts"
	"github.com/tlsvet/tlsvet/internal/lint"
	"github.com/tlsvet/tlsvet/internal/model"
	"github.com/tlsvet/tlsvet/internal/source"
)

// CAMismatch reports a CA that does not sign the certificate it should:
// a server's own ssl_ca and ssl_cert, and a verifying client's CA and the
// certificate of the server it reaches.
var CAMismatch = &lint.Rule{
	ID:               "TV406",
	Name:             "ca-mismatch",
	Severity:         lint.Error,
	SecuritySeverity: "5.3",
	Tags:             []string{"tls", "certificates"},
	Doc: lint.Doc{
		Title: "The CA does not sign the server certificate",
		Why: "Clients verify the server certificate against their CA: a client whose ssl-ca (sslrootcert, " +
			"serverSslCert, ...) did not sign the certificate of the server it reaches fails every connection with " +
			"ERROR 2026, in OpenSSL's words: \"self-signed certificate in certificate chain\" when the server sends " +
			"its CA along (it does when its own ssl_ca completes the chain), else \"unable to get local issuer " +
			"certificate\". The negotiation model predicts this for every client it pairs with a server, in the " +
			"order the client's library checks (the chain before the dates and the name for OpenSSL). When a server's own ssl_ca did not sign " +
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
	Requires: []*lint.Analysis{handshakesAnalysis},
	Run:      runCAMismatch,
}

func runCAMismatch(pass *lint.Pass) {
	p := pass.Project
	if p.Untrusted == nil {
		return
	}
	seen := map[*model.Setting]bool{}
	for _, s := range p.Servers {
		ca, cert := s.Settings.Get("ssl_ca"), s.Settings.Get("ssl_cert")
		if ca == nil || cert == nil || seen[ca.Setting] {
			continue
		}
		cf, kf := p.PKI[refPath(p, ca.Setting)], p.PKI[refPath(p, cert.Setting)]
		if cf == nil || kf == nil || len(cf.Certs) == 0 || len(kf.Certs) == 0 {
			continue
		}
		seen[ca.Setting] = true
		if why := p.Untrusted(kf.Certs[0], cf.Certs); why != "" {
			// MariaDB starts without a word, and why is in OpenSSL's words,
			// which the mariadb client given this CA prints
			// (docs/mariadb-observations.md, Appendix E).
			server := "the server starts, but"
			if enforcesValidation(s) {
				server = "with tls_certificates_enforced_validation=ON the server exits at startup, and"
			}
			pass.Report(lint.Diagnostic{Span: ca.ValueOrKey(), Message: fmt.Sprintf(
				"ssl_ca %s does not sign ssl_cert %s (%s): %s clients given this CA fail with ERROR 2026: %s; "+
					"point ssl_ca at the CA that signed the certificate", refPath(p, ca.Setting), refPath(p, cert.Setting),
				certName(kf.Certs[0]), server, why),
				Related: []lint.Related{{Span: cert.ValueOrKey(), Message: "the certificate"},
					{Span: kf.Certs[0].Span, Message: "the certificate"}, {Span: cf.Certs[0].Span, Message: "the CA"}}})
		}
	}
	certFindings(pass, facts.CertUntrusted, func(h handshake) source.Span {
		if h.CA != nil {
			return h.CA.ValueOrKey()
		}
		return h.At
	}, func(h handshake, sc serverCert) (string, []lint.Related) {
		rel := []lint.Related{{Span: sc.Setting.ValueOrKey(), Message: "the server certificate (" + sc.Reason + ")"},
			{Span: sc.Cert.Span, Message: "the certificate"}}
		if cas := fileCerts(p, h.CA); len(cas) > 0 {
			rel = append(rel, lint.Related{Span: cas[0].Span, Message: "the CA"})
		}
		if h.Dialect == "" {
			return fmt.Sprintf("%s does not sign %s (%s: %s), the certificate of the server this option file configures: "+
				"the client verifies the server against it and fails with %s; point ssl-ca at the CA that signed the server certificate",
				optText(h.CA), sc.Path, certName(sc.Cert), h.Outcome.CertWhy, rejectedWith(h)), rel
		}
		return fmt.Sprintf("%s verifies the server against %s, which does not sign %s (%s: %s): every connection "+
			"fails with %s; give the client the CA that signed the server certificate",
			h.Client, refPath(p, h.CA), sc.Path, certName(sc.Cert), h.Outcome.CertWhy, rejectedWith(h)), rel
	})
}
