package rules

import (
	"fmt"

	"github.com/tlsvet/tlsvet/internal/facts"
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
		Bad:  "-- my.cnf --\n[mysqld]\nssl_cert=server-cert.pem\n-- server-cert.pem --\n" + weakKeyExample,
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
		// OpenSSL's X509_V_ERR_EE_KEY_TOO_SMALL and _CA_KEY_TOO_SMALL.
		tooWeak := "EE certificate key too weak"
		if r.Role == "CA" {
			tooWeak = "CA certificate key too weak"
		}
		pass.Report(lint.Diagnostic{Span: r.Setting.ValueOrKey(), Severity: lint.Error, Message: fmt.Sprintf(
			"the %s %s (%s) has a %s-%d key, which %s refuses: %s clients that verify it refuse it (%q); issue a "+
				"certificate with an RSA-2048 or P-256 key",
			r.Role, r.Path, certName(c), c.KeyType, c.Bits, assumedLevel, refusedBy(pass.Project, r), tooWeak),
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
		Bad:  "-- my.cnf --\n[mysqld]\nssl_cert=server-cert.pem\n-- server-cert.pem --\n" + sha1Example,
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
			"the %s %s (%s) is signed with %s, which %s refuses: %s clients that verify it fail with ERROR 2026 "+
				"(%q); reissue it with SHA-256", r.Role, r.Path, certName(c), c.WeakSignature, assumedLevel,
			refusedBy(pass.Project, r), "CA signature digest algorithm too weak"),
			Related: []lint.Related{{Span: c.Span, Message: "the certificate"}}})
	})
}

// refusedBy is what the server does with a certificate OpenSSL refuses
// to load (SSL_CTX_use_certificate fails on a weak key or signature),
// ending in "and" or ";" before the clients' part. Observed on MariaDB
// 10.11 with OpenSSL 3.0 at level 2: it logs "Unable to get certificate"
// and refuses to start (docs/mariadb-observations.md, Appendix E); MySQL
// starts without TLS unless enforced validation makes it exit.
func refusedBy(p *model.Project, r model.FileRef) string {
	if r.Role != "server certificate" {
		return ""
	}
	s := serverOf(p, r.Setting)
	switch {
	case s == nil || s.Target.Flavor == facts.FlavorUnknown:
		return "a server does not get TLS up (MariaDB refuses to start, MySQL starts without it), and"
	case s.Target.Flavor == facts.MariaDB:
		return "MariaDB refuses to start (\"Unable to get certificate\"), and"
	case enforcesValidation(s):
		return "with tls_certificates_enforced_validation=ON MySQL exits at startup, and"
	}
	return "MySQL starts without TLS, and"
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

// weakKeyExample is a self-signed RSA-1024 certificate (no key).
const weakKeyExample = "-----BEGIN CERTIFICATE-----\nMIIBxzCCATCgAwIBAgIBAzANBgkqhkiG9w0BAQsFADAZMRcwFQYDVQQDEw5kYi5l\neGFtcGxlLmNvbTAgFw0yMDAxMDEwMDAwMDBaGA8yMTIwMDEwMTAwMDAwMFowGTEX\nMBUGA1UEAxMOZGIuZXhhbXBsZS5jb20wgZ8wDQYJKoZIhvcNAQEBBQADgY0AMIGJ\nAoGBAKj8q5tC1ODExJ9k/w8wyR9u5xWABflANby5m096IdrtTZI2HI79YuQRdd3L\nfMBRsWPrWWuvfZLu3uJrvqXlk7PigqZMyiIaVqD0oUy1fb699eVUHERFKzcWgjx8\ncHznFRO3Vw47mBBF0Z/ULYDDpHqMy2u6bWyBDFih4/G/7A8vAgMBAAGjHTAbMBkG\nA1UdEQQSMBCCDmRiLmV4YW1wbGUuY29tMA0GCSqGSIb3DQEBCwUAA4GBAAfGfFM4\nq/aznSILi6Ls2kfWMXM+IWXQY84O5cWxO9C1RsciWk/Oj1Ajd+IlMxyQQ+2QDDWl\niuiswn668INaSTDtkGaFlJ0KqYK/nJfKUMHHuC2BoQxmrlE0mwBg7n/8xvVfNLEY\ndHlOnP2gxP64GZrYADvUipJF5XnTeBE2VIxW\n-----END CERTIFICATE-----\n"

// sha1Example is a self-signed RSA-2048 certificate signed with SHA-1 (no key).
const sha1Example = "-----BEGIN CERTIFICATE-----\nMIICzDCCAbSgAwIBAgIBAzANBgkqhkiG9w0BAQUFADAZMRcwFQYDVQQDEw5kYi5l\neGFtcGxlLmNvbTAgFw0yMDAxMDEwMDAwMDBaGA8yMTIwMDEwMTAwMDAwMFowGTEX\nMBUGA1UEAxMOZGIuZXhhbXBsZS5jb20wggEiMA0GCSqGSIb3DQEBAQUAA4IBDwAw\nggEKAoIBAQC/lH6cfFEIpdxa6ra0uUSOwOs/NKRbpq+14+cmENl5/pGyq+Zsvk8U\nuEE1oaSeTIWRjgL5Qc1g+0o+saIctA/YBa8RzHihrXH5wCbPRDRhC9LSPH71xyRh\n6/HhBbocTJjG7IS4aCcmKbw0f72Gu/NPED3n9PYPy+OFCjlnzyiMbjHRhsp4OFM+\nwfLa0nRKrq4YeWi+kAtxIQbcmCDI4qrunFL7CBbgNfvg1eHcJMpRF/c6voB5d0Ou\nYUJua5nSy/KvKovGCAJtLMNAECORl2Xl/2NzYZM61ZevpyzozzIMqKvV8KfO/LzG\n50VdF7oPVqhDBt+94q4Wm/x3mhYt56CFAgMBAAGjHTAbMBkGA1UdEQQSMBCCDmRi\nLmV4YW1wbGUuY29tMA0GCSqGSIb3DQEBBQUAA4IBAQC+RpQdec7ye3PW2JihboJP\nNHLUoGeH0d5ZU4f+nJ0MiJSQ3E8aCkJlKwKgw7kNz8AXsz8Mycfkh07QeH2XCPPt\nMaTicuUos6SqARAYqco0Rr996L2sU1JYLH28GQB6o3881rse+nizkt2RoLAXucSK\n4sQOWyNgNCxUjM0HKFijpRKitfFI7Gst9TI0ALMK+MLAlHvtzlHjuNEWZLrCuInB\nOcXen4NfAVowZ4N7AE+R0cpywvj4ST8TzFWkV2S3JmibSMHkzNGHx6CLKOhw78KF\nRL3Y8rmNoKWM+Xlm1tK+nUkugi55opcm3wCmvswQsZLS5JWCf+iGaCzHiGWO6dk0\n-----END CERTIFICATE-----\n"
