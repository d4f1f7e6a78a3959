package rules

import (
	"fmt"

	"github.com/tlsvet/tlsvet/internal/lint"
	"github.com/tlsvet/tlsvet/internal/model"
)

// SameNameAsCA reports a certificate whose subject is its CA's subject:
// OpenSSL takes it for self-signed and never looks for the CA.
var SameNameAsCA = &lint.Rule{
	ID:               "TV509",
	Name:             "same-name-as-ca",
	Severity:         lint.Error,
	SecuritySeverity: "5.3",
	Tags:             []string{"tls", "certificates"},
	Doc: lint.Doc{
		Title: "A certificate has the same subject as its CA",
		Why: "OpenSSL decides that a certificate is self-signed when its issuer name equals its subject name " +
			"(and its authority key identifier, if any, matches its own subject key identifier), without " +
			"checking the signature. A server or client certificate issued with the CA's own subject, typically " +
			"the same Common Name typed twice when following a tutorial, is then taken for a self-signed " +
			"certificate: OpenSSL never looks for the CA, and every peer that verifies it fails: a client with ERROR " +
			"2026 (\"self-signed certificate\"), a server by refusing the client certificate (the client gets " +
			"ERROR 2026 \"tlsv1 alert unknown ca\" over TLSv1.2). An intermediate in the certificate file with its " +
			"root's subject ends the chain the same way (\"self-signed certificate in certificate chain\"). " +
			"MySQL's manual warns that the server and client certificates' " +
			"Common Names must differ from the CA's. The whole name counts: a different O or OU is enough.",
		Fix:  "Reissue the certificate with a subject (Common Name) other than the CA's.",
		Bad:  "-- my.cnf --\n[mysqld]\nssl_ca=ca.pem\nssl_cert=server-cert.pem\n-- ca.pem --\n!pki cert cn=db ca=yes key=ca\n-- server-cert.pem --\n!pki cert cn=db issuer=ca.pem\n",
		Good: "-- my.cnf --\n[mysqld]\nssl_ca=ca.pem\nssl_cert=server-cert.pem\n-- ca.pem --\n!pki cert cn=Example_CA ca=yes key=ca\n-- server-cert.pem --\n!pki cert cn=db issuer=ca.pem\n",
		Sources: []string{
			"https://dev.mysql.com/doc/refman/8.0/en/creating-ssl-files-using-openssl.html",
			"https://github.com/openssl/openssl/blob/openssl-3.0.0/crypto/x509/v3_purp.c",
			"https://docs.openssl.org/3.0/man3/X509_STORE_CTX_get_error/",
		},
	},
	Run: runSameNameAsCA,
}

func runSameNameAsCA(pass *lint.Pass) {
	p := pass.Project
	for _, r := range p.FileRefs {
		side := certSide(r.Role)
		f := p.PKI[r.Path]
		if side == "" || f == nil {
			continue
		}
		for i, c := range f.Certs {
			if !c.SelfSigned || c.OwnSignature {
				continue
			}
			// The leaf ends the chain before it starts; an intermediate
			// ends it at that intermediate (X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN).
			what, verifyError := "has its CA's subject ("+c.Subject+") as its own", "self-signed certificate"
			if i > 0 {
				what = fmt.Sprintf("holds an intermediate (certificate %d) with its CA's subject (%s) as its own", i+1, c.Subject)
				verifyError = "self-signed certificate in certificate chain"
			}
			d := lint.Diagnostic{Span: r.Setting.ValueOrKey(), Message: fmt.Sprintf(
				"the %s %s %s, so OpenSSL takes it for self-signed and never looks for the CA: %s; reissue it "+
					"with a Common Name other than the CA's", r.Role, r.Path, what,
				// A server refusing the client certificate sends TLS alert
				// unknown_ca for both errors.
				rejectedBy(side, verifyError, "tlsv1 alert unknown ca")),
				Related: []lint.Related{{Span: c.Span, Message: "the certificate"}}}
			if ca := caNamed(p, c.Issuer); ca != nil {
				d.Related = append(d.Related, lint.Related{Span: ca.Span, Message: "the CA with the same subject"})
			}
			pass.Report(d)
		}
	}
}

// caNamed returns a CA certificate with the subject dn among the files CA
// settings name, or nil.
func caNamed(p *model.Project, dn string) *model.CertInfo {
	for _, r := range p.FileRefs {
		if f := p.PKI[r.Path]; r.Role == "CA" && f != nil {
			for _, c := range f.Certs {
				if c.IsCA && c.Subject == dn {
					return c
				}
			}
		}
	}
	return nil
}

// rejectedBy says who rejects a certificate presented by side when it
// fails verification, and what the client then prints: OpenSSL's verify
// error when the client verifies the server, the server's TLS alert when
// the server refuses the client's certificate.
func rejectedBy(side, verifyError, alert string) string {
	if side == "server" {
		return fmt.Sprintf("clients that verify it fail with ERROR 2026 (%q)", verifyError)
	}
	return "a server that verifies client certificates refuses it: " + clientSees(alert)
}

// clientSees is what the mariadb client prints when the server refuses
// its certificate with a TLS alert. Over TLSv1.3 the client finishes its
// handshake before the server has judged the certificate, so the alert
// often arrives after the client sent its login and it reports a lost
// connection instead (observed on MariaDB 10.11).
func clientSees(alert string) string {
	return fmt.Sprintf("the client fails with ERROR 2026 (%q) over TLSv1.2, often with ERROR 2013 (lost connection) over TLSv1.3", alert)
}
