package rules

import (
	"fmt"
	"strings"

	"github.com/tlsvet/tlsvet/internal/facts"
	"github.com/tlsvet/tlsvet/internal/lint"
	"github.com/tlsvet/tlsvet/internal/model"
)

// WeakKey reports a certificate whose key is too small for the assumed
// OpenSSL security level (policy.openssl_security_level, default 2: on
// Debian 12's OpenSSL 3.0.22 `openssl s_server` refuses an RSA-1024
// certificate with "ee key too small" and accepts it with @SECLEVEL=1,
// docs/mariadb-observations.md Appendix D), or below the 2048 bits of the
// keys MySQL generates.
var WeakKey = &lint.Rule{
	ID:               "TV504",
	Name:             "weak-key",
	Severity:         lint.Warning,
	SecuritySeverity: "5.9",
	Tags:             []string{"tls", "certificates"},
	Doc: lint.Doc{
		Title: "A certificate's key is too small",
		Why: "OpenSSL refuses keys below its security level's minimum when a TLS context is built or a chain " +
			"verified: level 1 needs 80 bits of security (RSA 1024, EC 160), level 2 112 (RSA 2048, EC 224), " +
			"levels 3, 4 and 5 128, 192 and 256 (RSA 3072, 7680, 15360). A server whose certificate falls short " +
			"does not get its TLS up: MariaDB refuses to start (\"Unable to get certificate\"), MySQL logs the " +
			"error and starts without TLS, so clients that require TLS fail with ERROR 2026, and with " +
			"tls_certificates_enforced_validation=ON (MySQL 8.1 and later) it exits at startup. A client " +
			"verifying such a chain fails with \"EE certificate key too weak\" or \"CA certificate key too " +
			"weak\". tlsvet assumes level 2, the default Debian and Ubuntu build OpenSSL with; set " +
			"`[policy] openssl_security_level` in .tlsvet.toml to yours. The finding is an error where that " +
			"level refuses the key, and a warning for a key below the 2048 bits of the keys MySQL generates " +
			"that the level accepts.",
		Fix: "Issue a certificate with an RSA-2048 (or larger) or a P-256 key; at level 3, RSA-3072 or P-256.",
		Bad: "-- my.cnf --\n[mysqld]\nssl_cert=server-cert.pem\nssl_key=server-key.pem\n" +
			"-- server-cert.pem --\n!pki cert cn=db.example.com keytype=rsa-1024 key=weak\n" +
			"-- server-key.pem --\n!pki key keytype=rsa-1024 key=weak\n",
		Good: "-- my.cnf --\n[mysqld]\nssl_cert=server-cert.pem\nssl_key=server-key.pem\n" +
			"-- server-cert.pem --\n!pki cert cn=db.example.com keytype=p256 key=good\n" +
			"-- server-key.pem --\n!pki key keytype=p256 key=good\n",
		Sources: []string{
			"https://docs.openssl.org/3.0/man3/SSL_CTX_set_security_level/",
			"https://dev.mysql.com/doc/refman/8.4/en/creating-ssl-rsa-files-using-mysql.html",
			facts.SrcMY80UEC,
			facts.SrcEnforcedValidation,
		},
	},
	Requires: []*lint.Analysis{fileReadersAnalysis},
	Run:      runWeakKey,
}

// strongKey is the key to advise at each security level.
var strongKey = [...]string{"RSA-2048 or P-256", "RSA-2048 or P-256", "RSA-2048 or P-256", "RSA-3072 or P-256",
	"RSA-7680 or P-384", "RSA-15360 or P-521"}

func runWeakKey(pass *lint.Pass) {
	level := pass.Policy.OpenSSLSecurityLevel
	eachCert(pass, func(r model.FileRef, c *model.CertInfo) {
		sec, ok := securityBits(c.KeyType, c.Bits)
		if !ok || sec >= minBits[level] && sec >= minBits[2] {
			return
		}
		d := lint.Diagnostic{Span: r.Setting.ValueOrKey(), Related: []lint.Related{{Span: c.Span, Message: "the certificate"}}}
		key := fmt.Sprintf("the %s %s (%s) has an %s-%d key (%d bits of security)", r.Role, r.Path, certName(c), c.KeyType, c.Bits, sec)
		if sec < minBits[level] {
			what := "EE certificate key too weak"
			if c.IsCA {
				what = "CA certificate key too weak"
			}
			effect := certRefusal(pass, r, what)
			d.Severity = lint.Error
			d.Message = fmt.Sprintf("%s, which %s refuses (it needs %d): %s; issue a certificate with an %s key",
				key, levelName(level), minBits[level], effect, strongKey[level])
		} else {
			d.Message = fmt.Sprintf("%s: %s accepts it, but it is weaker than the RSA-2048 keys MySQL generates, and "+
				"OpenSSL at level 2, the Debian and Ubuntu default, refuses it; issue a certificate with an %s key",
				key, levelName(level), strongKey[level])
		}
		pass.Report(d)
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
		Why: "SHA-1 and MD5 signatures can be forged. OpenSSL 3 refuses them from security level 1 on: it " +
			"counts SHA-1 as 63 bits of security and MD5 as 39, below level 1's 80 (OpenSSL 1.1.1 counted " +
			"SHA-1 as 80 and refused it from level 2). A server whose certificate is signed so does not get " +
			"its TLS up (OpenSSL: \"ca md too weak\"): MariaDB refuses to start (\"Unable to get " +
			"certificate\"; observed at levels 1 and 2), MySQL starts without TLS, or exits with " +
			"tls_certificates_enforced_validation=ON; a client that verifies such a chain fails with ERROR " +
			"2026 (\"CA signature digest algorithm too weak\"). The finding is an error where the assumed " +
			"level (`[policy] openssl_security_level`, default 2) refuses the signature, and a warning at " +
			"level 0. A self-signed certificate's own signature is never checked, so it is not reported.",
		Fix: "Reissue the certificate (and any intermediate CA in its chain signed so) with SHA-256 or better.",
		Bad: "-- my.cnf --\n[mysqld]\nssl_cert=server-cert.pem\n" +
			"-- ca.pem --\n!pki cert cn=ExampleCA ca=yes key=ca\n" +
			"-- server-cert.pem --\n!pki cert cn=db.example.com issuer=ca.pem sig=sha1\n",
		Good: "-- my.cnf --\n[mysqld]\nssl_cert=server-cert.pem\n" +
			"-- ca.pem --\n!pki cert cn=ExampleCA ca=yes key=ca\n" +
			"-- server-cert.pem --\n!pki cert cn=db.example.com issuer=ca.pem\n",
		Sources: []string{
			"https://docs.openssl.org/3.0/man3/SSL_CTX_set_security_level/",
			"https://github.com/openssl/openssl/pull/16828",
			"https://docs.openssl.org/3.0/man1/openssl-verify/",
			facts.SrcEnforcedValidation,
		},
	},
	Requires: []*lint.Analysis{fileReadersAnalysis},
	Run:      runWeakSignature,
}

func runWeakSignature(pass *lint.Pass) {
	level := pass.Policy.OpenSSLSecurityLevel
	eachCert(pass, func(r model.FileRef, c *model.CertInfo) {
		// OpenSSL never checks a self-signed certificate's signature against
		// the level: neither when a server loads it (ssl_security_cert_sig in
		// ssl/t1_lib.c) nor as the trust anchor of a chain (check_chain in
		// crypto/x509/x509_vfy.c); observed with s_server,
		// docs/mariadb-observations.md Appendix D.
		if c.WeakSignature == "" || c.SelfSigned {
			return
		}
		d := lint.Diagnostic{Span: r.Setting.ValueOrKey(), Related: []lint.Related{{Span: c.Span, Message: "the certificate"}}}
		signed := fmt.Sprintf("the %s %s (%s) is signed with %s", r.Role, r.Path, certName(c), c.WeakSignature)
		if level >= 1 { // SHA-1, MD5 and MD2 all count below level 1's 80 bits in OpenSSL 3
			effect := certRefusal(pass, r, "CA signature digest algorithm too weak")
			d.Severity = lint.Error
			d.Message = fmt.Sprintf("%s, which %s refuses: %s; reissue it with SHA-256", signed, levelName(level), effect)
		} else {
			d.Message = fmt.Sprintf("%s, which can be forged: %s accepts it, but OpenSSL 3 refuses it from level 1 on "+
				"(level 2 is the Debian and Ubuntu default); reissue it with SHA-256", signed, levelName(level))
		}
		pass.Report(d)
	})
}

// certRefusal says what happens when OpenSSL refuses a certificate of the
// file r names: the servers that load it as their own certificate do not
// get TLS up; clients that verify a chain with a CA file fail with
// verifyErr; a client cannot load its own certificate.
func certRefusal(pass *lint.Pass, r model.FileRef, verifyErr string) string {
	if f := readersOf(pass, r.Setting); f.server() && strings.HasSuffix(r.Role, "certificate") && !strings.Contains(r.Role, "client") {
		// A server at a lower level loads it; clients at this one then
		// refuse it (docs/mariadb-observations.md, Appendix E).
		return f.refuse("Unable to get certificate", "Unable to get certificate") +
			fmt.Sprintf("; where a server loads it, clients that verify it fail with ERROR 2026 (%q)", verifyErr)
	}
	if r.Role == "CA" {
		return fmt.Sprintf("clients that verify the server with it fail with ERROR 2026 (%q)", verifyErr)
	}
	return "the client cannot load it and fails with ERROR 2026 (\"Unable to get certificate\")"
}

// eachCert calls fn for every certificate of every certificate file a
// setting names (a key file that holds its certificate too is judged
// through the certificate's setting).
func eachCert(pass *lint.Pass, fn func(model.FileRef, *model.CertInfo)) {
	for _, r := range pass.Project.FileRefs {
		if f := pass.Project.PKI[r.Path]; f != nil && !strings.HasSuffix(r.Role, "key") {
			for _, c := range f.Certs {
				fn(r, c)
			}
		}
	}
}
