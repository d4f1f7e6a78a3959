package rules

import (
	"fmt"

	"github.com/tlsvet/tlsvet/internal/lint"
	"github.com/tlsvet/tlsvet/internal/model"
)

// Certificate strength against OpenSSL's security level. tlsvet assumes
// level 2, the default Debian builds OpenSSL with: on Debian 12's OpenSSL
// 3.0.22, `openssl s_server` with an RSA-1024 certificate fails with "ee
// key too small" by default and starts with @SECLEVEL=1
// (docs/mariadb-observations.md, Appendix D). Level 2 refuses RSA keys below 2048
// bits and SHA-1 signatures
// (https://docs.openssl.org/3.0/man3/SSL_CTX_set_security_level/).
const assumedLevel = "OpenSSL security level 2 (the Debian and Ubuntu default)"

// WeakKey reports a certificate whose key is too small.
var WeakKey = &lint.Rule{
	ID:               "TV504",
	Name:             "weak-key",
	Severity:         lint.Warning,
	SecuritySeverity: "5.9",
	Tags:             []string{"tls", "certificates"},
	Doc: lint.Doc{
		Title: "A certificate's key is too small",
		Why: "OpenSSL refuses keys below its security level's minimum when a TLS context is built: at level " +
			"2, the default of Debian and Ubuntu, an RSA key needs 2048 bits and an EC key 224. A server whose " +
			"certificate falls short does not get its TLS up (MariaDB refuses to start; MySQL starts without " +
			"TLS, so clients that require TLS fail with ERROR 2026), and a client refuses such a server " +
			"certificate. Below 1024 bits the key is also breakable. The finding is an error where the assumed " +
			"level refuses the key.",
		Fix:  "Issue a certificate with an RSA-2048 (or larger) or a P-256 key.",
		Bad:  "-- my.cnf --\n[mysqld]\nssl_cert=server-cert.pem\n-- server-cert.pem --\n!pki cert cn=db.example.com key=weak keytype=rsa-1024\n",
		Good: "[mysqld]\nssl_cert=/etc/mysql/certs/server-cert.pem\n",
		Sources: []string{
			"https://docs.openssl.org/3.0/man3/SSL_CTX_set_security_level/",
		},
	},
	Run: runWeakKey,
}

func runWeakKey(pass *lint.Pass) {
	eachCert(pass, func(r model.FileRef, c *model.CertInfo) {
		min := map[string]int{"RSA": 2048, "ECDSA": 224}[c.KeyType]
		if min == 0 || c.Bits == 0 || c.Bits >= min {
			return
		}
		pass.Report(lint.Diagnostic{Span: r.Setting.ValueOrKey(), Severity: lint.Error, Message: fmt.Sprintf(
			"the %s %s (%s) has a %s-%d key, which %s refuses: a server does not get TLS up (MariaDB refuses to "+
				"start, MySQL starts without it) and clients refuse it; issue a certificate with an RSA-2048 or P-256 key",
			r.Role, r.Path, certName(c), c.KeyType, c.Bits, assumedLevel),
			Related: []lint.Related{{Span: c.Span, Message: "the certificate"}}})
	})
}

// WeakSignature reports a certificate signed with SHA-1 or MD5.
var WeakSignature = &lint.Rule{
	ID:               "TV508",
	Name:             "weak-signature",
	Severity:         lint.Warning,
	SecuritySeverity: "5.9",
	Tags:             []string{"tls", "certificates"},
	Doc: lint.Doc{
		Title: "A certificate is signed with SHA-1 or MD5",
		Why: "SHA-1 and MD5 signatures can be forged. OpenSSL 3 refuses them from security level 1 on " +
			"(\"CA signature digest algorithm too weak\"), so at level 2, the Debian and Ubuntu default, a " +
			"client that verifies the chain fails with ERROR 2026 and a server may refuse the certificate; " +
			"the finding is then an error.",
		Fix:  "Reissue the certificate (and any CA in its chain signed so) with SHA-256 or better.",
		Bad:  "-- my.cnf --\n[mysqld]\nssl_cert=server-cert.pem\n-- server-cert.pem --\n!pki cert cn=db.example.com sig=sha1\n",
		Good: "[mysqld]\nssl_cert=/etc/mysql/certs/server-cert.pem\n",
		Sources: []string{
			"https://docs.openssl.org/3.0/man3/SSL_CTX_set_security_level/",
			"https://docs.openssl.org/3.0/man1/openssl-verify/",
		},
	},
	Run: runWeakSignature,
}

func runWeakSignature(pass *lint.Pass) {
	eachCert(pass, func(r model.FileRef, c *model.CertInfo) {
		if c.WeakSignature == "" || c.IsCA && c.SubjectCN == c.IssuerCN && r.Role == "CA" {
			return // a self-signed root's own signature is never checked
		}
		pass.Report(lint.Diagnostic{Span: r.Setting.ValueOrKey(), Severity: lint.Error, Message: fmt.Sprintf(
			"the %s %s (%s) is signed with %s, which %s refuses: clients that verify it fail with ERROR 2026; "+
				"reissue it with SHA-256", r.Role, r.Path, certName(c), c.WeakSignature, assumedLevel),
			Related: []lint.Related{{Span: c.Span, Message: "the certificate"}}})
	})
}

// eachCert calls fn for every certificate of every certificate file a
// setting names.
func eachCert(pass *lint.Pass, fn func(model.FileRef, *model.CertInfo)) {
	for _, r := range pass.Project.FileRefs {
		if f := pass.Project.PKI[r.Path]; f != nil {
			for _, c := range f.Certs {
				fn(r, c)
			}
		}
	}
}
