package rules

import (
	"github.com/tlsvet/tlsvet/internal/facts"
	"github.com/tlsvet/tlsvet/internal/lint"
)

// srcOpenSSLInstall documents enable-weak-ssl-ciphers, off by default.
const srcOpenSSLInstall = "https://github.com/openssl/openssl/blob/openssl-3.0.0/INSTALL.md"

// RestrictedCipher is TV201: a cipher from the permanently restricted set
// (RC4, DES, 3DES, MD5, NULL, EXPORT, PSK, anonymous…). MySQL prepends its
// blocked list to every cipher string, so the cipher is removed silently
// (MY80-PC "permanently restricted"; SRC-TLSC blocked_tls12_ciphers);
// MariaDB has no such list and leaves it to OpenSSL: a default OpenSSL 3
// build offers no RC4, DES or 3DES suite (observed on MariaDB 10.11 with
// Debian's OpenSSL 3, which refused to start with ssl_cipher=RC4-SHA or
// DES-CBC3-SHA), but a build configured with enable-weak-ssl-ciphers
// (srcOpenSSLInstall) or a lowered security level may still offer some.
var RestrictedCipher = &lint.Rule{
	ID:               "TV201",
	Name:             "restricted-cipher",
	Severity:         lint.Warning,
	SecuritySeverity: "5.3",
	Tags:             []string{"security", "tls", "cipher"},
	Doc: lint.Doc{
		Title: "A cipher list names a cipher from the permanently restricted set",
		Why: "RC4, DES, 3DES, MD5 MACs, NULL encryption, EXPORT grades, pre-shared keys and anonymous key " +
			"exchange are broken or unauthenticated. MySQL (5.7.10 and later) prepends a blocked list to every " +
			"`ssl_cipher` value and silently removes these ciphers, so the setting does not do what it says; " +
			"when nothing else is left the TLS context fails (see TV202). MariaDB has no blocked list: it uses " +
			"such a cipher only if its OpenSSL still offers it: default OpenSSL 3 builds offer no RC4, DES or " +
			"3DES suite, but a build with `enable-weak-ssl-ciphers` or a lowered security level may.",
		Fix:  "Remove the restricted cipher and list ECDHE ciphers with AES-GCM or CHACHA20-POLY1305.",
		Bad:  "[mysqld]\nssl_cipher=ECDHE-RSA-AES128-GCM-SHA256:DES-CBC3-SHA\n",
		Good: "[mysqld]\nssl_cipher=ECDHE-RSA-AES128-GCM-SHA256:ECDHE-RSA-AES256-GCM-SHA384\n",
		Sources: []string{
			facts.SrcMY80PC,
			"https://github.com/mysql/mysql-server/blob/trunk/include/tls_ciphers.h",
			facts.SrcVIO,
			srcOpenSSLInstall,
		},
	},
	Requires: []*lint.Analysis{cipherListsAnalysis},
	Run:      runRestrictedCipher,
}

func runRestrictedCipher(pass *lint.Pass) {
	cipherLists(pass, func(l *cipherList) {
		owned := func(t *cipherToken) bool { return l.owner(t.Index) == pass.Rule.ID }
		first := true
		l.tokensOwnedBy(pass.Rule.ID, func(t *cipherToken) {
			d := lint.Diagnostic{Span: t.WordSpan, Message: t.Word + " is a restricted cipher (" + t.Cipher.Why + "): " +
				l.byFlavour("MySQL removes it silently (permanent blocked list)",
					"MariaDB uses it if its OpenSSL offers it (default OpenSSL 3 builds offer no RC4, DES or 3DES suite; builds with weak ciphers enabled may)") +
				"; remove it"}
			// One fix removes every restricted cipher of the list, so that the
			// edits of several findings never overlap.
			if edits, ok := l.dropFix(owned); ok && first {
				d.Fix = &lint.Fix{Message: "remove the restricted ciphers", Edits: edits}
			}
			first = false
			pass.Report(d)
		})
	})
}
