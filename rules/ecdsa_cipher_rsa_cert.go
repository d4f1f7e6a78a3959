package rules

import (
	"fmt"

	"github.com/tlsvet/tlsvet/internal/facts"
	"github.com/tlsvet/tlsvet/internal/lint"
)

// EcdsaCipherRSACert is TV204: ssl_cipher leaves only ECDSA ciphers for
// TLSv1.2 while the server's certificate is RSA. ECDSA ciphers "do not work
// with certificates that use RSA" and the certificates MySQL generates are
// RSA (MY80-PC https://dev.mysql.com/doc/refman/8.0/en/encrypted-connection-protocols-ciphers.html;
// MY80-SV auto_generate_certs https://dev.mysql.com/doc/refman/8.0/en/server-system-variables.html).
// Observed on MariaDB 10.11 with an RSA certificate: the server starts,
// every TLSv1.2 handshake fails with alert 40 and TLSv1.3 still works
// (docs/mariadb-observations.md §4a config 09).
//
// A configured ssl_cert is judged by the key of the file the repository
// holds, on MySQL and MariaDB; without one, the certificate is known to be
// RSA on MySQL, which then uses the one it generates in its data
// directory. A certificate provisioned elsewhere is of unknown type (its
// file name proves nothing), and what MariaDB 11.4+ generates is not in
// the facts: the rule stays silent for both.
var EcdsaCipherRSACert = &lint.Rule{
	ID:       "TV204",
	Name:     "ecdsa-cipher-rsa-cert",
	Severity: lint.Error,
	Tags:     []string{"tls", "cipher", "certificate", "correctness"},
	Doc: lint.Doc{
		Title: "Only ECDSA ciphers are allowed but the server certificate is RSA",
		Why: "An ECDHE-ECDSA cipher needs a certificate with an EC key. When `ssl_cipher` leaves only such " +
			"ciphers and the server has an RSA certificate (MySQL's auto-generated certificate, used when no " +
			"`ssl_cert` is set, is RSA), the server starts but **every TLSv1.2 handshake fails** (handshake " +
			"failure alert, ERROR 2026 on the client). Only TLSv1.3, whose suites do not depend on the " +
			"certificate type, still works (MySQL 8.0.16 and later); with TLSv1.3 not allowed no client can connect over TLS. " +
			"When `ssl_cert` names a certificate the repository holds, its real key type decides; a certificate " +
			"provisioned at deploy time is not guessed at.",
		Fix:  "Add ECDHE-RSA ciphers to ssl_cipher, or configure an ECDSA certificate with ssl_cert and ssl_key.",
		Bad:  "[mysqld-8.0]\nssl_cipher=ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384\n",
		Good: "[mysqld-8.0]\nssl_cipher=ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256\n",
		Sources: []string{
			facts.SrcMY80PC,
			facts.SrcMY80SV,
		},
	},
	Requires: []*lint.Analysis{serverReadingsAnalysis},
	Run:      runEcdsaCipherRSACert,
}

func runEcdsaCipherRSACert(pass *lint.Pass) {
	for _, s := range pass.Project.Servers {
		l := serverCipherList(s, "ssl_cipher")
		if l == nil || l.noneUsable() {
			continue
		}
		allowed := allowedProtocols(s)
		if _, mismatch := protocolMismatch(l, allowed); mismatch {
			continue // TV205 reports the list
		}
		// MySQL's own certificate is in use: no ssl_cert or ssl_key, TLS on,
		// and certificate generation not turned off, on every version that
		// starts with these settings (TV002/TV004 report the others).
		own, runs := true, false
		for _, r := range readingsOf(pass, s) {
			if r.Runs {
				runs = true
				own = own && r.Off == nil && r.Cert == nil && r.Key == nil && r.AutoCertsOff == nil && !r.NoProtocols
			}
		}
		if !runs || !onlyECDSA(l, allowed) {
			continue
		}
		after := "no client can connect over TLS"
		if allows(allowed, facts.TLSv13) {
			switch facts.Supports(s.Target, facts.TLSv13) {
			case facts.Yes:
				after = "only TLSv1.3 clients can connect"
			case facts.Maybe:
				after = "only TLSv1.3 clients can connect (MySQL 8.0.16 and later)"
			}
		}
		if !own {
			// The configured certificate: judged by its real key when the
			// repository holds it. MariaDB starts without a warning; the
			// mariadb client with TLSv1.2 prints OpenSSL's words for the
			// server's alert 40 (docs/mariadb-observations.md, Appendix E).
			if set := s.Settings.Get("ssl_cert"); set != nil {
				if c := fileCert(pass.Project, set.Setting); c != nil && c.KeyType == "RSA" {
					pass.Report(lint.Diagnostic{Span: l.Opt.ValueOrKey(), Message: fmt.Sprintf("ssl_cipher leaves only "+
						"ECDSA ciphers for TLSv1.2, but ssl_cert %s holds an RSA-%d key: the server starts, but every "+
						"TLSv1.2 handshake fails (ERROR 2026: %q) and %s; add ECDHE-RSA ciphers or use an ECDSA certificate",
						set.Value, c.Bits, "sslv3 alert handshake failure", after),
						Related: []lint.Related{{Span: set.ValueOrKey(), Message: "ssl_cert"}, {Span: c.Span, Message: "the RSA certificate"}}})
				}
			}
			continue
		}
		if !mysqlTarget(s.Target) {
			continue // MariaDB's own certificate (11.4 and later) is not in the facts
		}
		pass.Reportf(l.Opt.ValueOrKey(), "ssl_cipher leaves only ECDSA ciphers for TLSv1.2, but with no ssl_cert MySQL uses "+
			"the certificate it generates, which is RSA: every TLSv1.2 handshake fails (ERROR 2026) and %s; "+
			"add ECDHE-RSA ciphers or configure an ECDSA certificate", after)
	}
}

// onlyECDSA reports whether every cipher the MySQL reader of l can use
// with an allowed protocol below TLSv1.3 needs a certificate with an EC key,
// and there is at least one such protocol and cipher.
func onlyECDSA(l *cipherList, allowed []facts.Protocol) bool {
	o := l.offerFor(l.Readers[0])
	if o.open {
		return false
	}
	n := 0
	for _, c := range o.tls12 {
		usable := false
		for _, p := range allowed {
			usable = usable || works(c, p)
		}
		if !usable {
			continue
		}
		if c.CertKey() != "EC" {
			return false
		}
		n++
	}
	return n > 0
}
