package rules

import (
	"github.com/tlsvet/tlsvet/internal/facts"
	"github.com/tlsvet/tlsvet/internal/lint"
	"github.com/tlsvet/tlsvet/internal/model"
)

// TLSRequiredServerOff reports a client that requires TLS from a server
// that serves none.
var TLSRequiredServerOff = &lint.Rule{
	ID:               "TV403",
	Name:             "tls-required-server-off",
	Severity:         lint.Error,
	SecuritySeverity: "5.3",
	Tags:             []string{"tls", "handshake"},
	Doc: lint.Doc{
		Title: "A client requires TLS from a server that has none",
		Why: "A client in REQUIRED or a VERIFY mode (sslMode=REQUIRED, tls=true, ssl-mode=VERIFY_IDENTITY) " +
			"refuses to continue in plaintext. When the server serves no TLS (skip-ssl, ssl=0, no certificate on " +
			"MariaDB before 11.4), every connection fails with ERROR 2026 (\"SSL connection error: SSL is required " +
			"but the server doesn't support it\"). A MySQL Router route with client_ssl_mode=DISABLED hides TLS from " +
			"the applications that connect to it the same way; through a PASSTHROUGH route the server behind it decides.",
		Fix: "Give the server a certificate and remove what turns TLS off, or (for a test setup only) stop requiring TLS.",
		Bad: "-- compose.yaml --\nservices:\n  db:\n    image: mysql:8.0.36\n    command: [\"--skip-ssl\"]\n  app:\n" +
			"    image: shop:1\n    environment:\n      JDBC_URL: \"jdbc:mysql://db:3306/shop?sslMode=REQUIRED\"\n",
		Good: "-- compose.yaml --\nservices:\n  db:\n    image: mysql:8.0.36\n  app:\n" +
			"    image: shop:1\n    environment:\n      JDBC_URL: \"jdbc:mysql://db:3306/shop?sslMode=REQUIRED\"\n",
		Sources: []string{
			"https://dev.mysql.com/doc/refman/8.4/en/connection-options.html#option_general_ssl-mode",
			"https://dev.mysql.com/doc/refman/8.4/en/server-system-variables.html#sysvar_have_ssl",
			"https://github.com/mysql/mysql-server/blob/e3b12d2d6c49d1fab3f51f52b128dcf12df38b84/router/src/routing/src/classic_greeting_forwarder.cc",
		},
	},
	Requires: []*lint.Analysis{handshakesAnalysis},
	Run: func(pass *lint.Pass) {
		handshakeFindings(pass, facts.ServerNoTLS, func(h handshake) *model.Setting { return h.Mode },
			[]string{"skip_ssl", "ssl", "ssl_cert"}, func(h handshake) string {
				return h.Client + " requires TLS, but " + h.peer() + " has none (" + h.Outcome.ServerWhy + "): " +
					clientFails(h.Outcome) + "; give the server a certificate and let TLS come up"
			})
	},
}
