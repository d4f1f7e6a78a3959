package rules

import (
	"github.com/tlsvet/tlsvet/internal/facts"
	"github.com/tlsvet/tlsvet/internal/lint"
	"github.com/tlsvet/tlsvet/internal/model"
)

// NoCommonCipher reports a client and the server it reaches that agree on
// a protocol but on no cipher for it.
var NoCommonCipher = &lint.Rule{
	ID:               "TV402",
	Name:             "no-common-cipher",
	Severity:         lint.Error,
	SecuritySeverity: "5.3",
	Tags:             []string{"tls", "handshake"},
	Doc: lint.Doc{
		Title: "A client and its server share no cipher",
		Why: "After the protocol, the server picks a cipher both sides allow that its certificate can " +
			"authenticate. When the client's cipher list and the server's ssl_cipher (or tls_ciphersuites for " +
			"TLSv1.3) have none in common, the handshake fails with ERROR 2026 (\"sslv3 alert handshake failure\").",
		Fix: "Allow at least one common ECDHE AES-GCM cipher on both sides.",
		Bad: "-- my.cnf --\n[mysqld]\ntls_version=TLSv1.2\nssl_cipher=ECDHE-RSA-AES256-GCM-SHA384\n\n[client]\n" +
			"host=127.0.0.1\nssl-cipher=ECDHE-RSA-AES128-GCM-SHA256\n-- .tlsvet.toml --\ntarget = [\"mysql-8.0.36\"]\n",
		Good: "-- my.cnf --\n[mysqld]\ntls_version=TLSv1.2\nssl_cipher=ECDHE-RSA-AES256-GCM-SHA384:ECDHE-RSA-AES128-GCM-SHA256\n\n" +
			"[client]\nhost=127.0.0.1\nssl-cipher=ECDHE-RSA-AES128-GCM-SHA256\n-- .tlsvet.toml --\ntarget = [\"mysql-8.0.36\"]\n",
		Sources: []string{
			"https://dev.mysql.com/doc/refman/8.4/en/encrypted-connection-protocols-ciphers.html",
			"https://docs.openssl.org/3.0/man1/openssl-ciphers/",
		},
	},
	Requires: []*lint.Analysis{handshakesAnalysis},
	Run: func(pass *lint.Pass) {
		handshakeFindings(pass, facts.NoCommonCipher, func(h handshake) *model.Setting { return h.Ciphers },
			[]string{"ssl_cipher", "tls_ciphersuites"}, func(h handshake) string {
				return h.Client + " and " + h.peer() + " share no cipher (" + h.Outcome.Why + "): " +
					clientFails(h.Outcome) + "; allow a common ECDHE AES-GCM cipher on both sides"
			})
	},
}
