package rules

import (
	"github.com/tlsvet/tlsvet/internal/facts"
	"github.com/tlsvet/tlsvet/internal/lint"
	"github.com/tlsvet/tlsvet/internal/model"
)

// PlaintextFallback reports an opportunistic client whose server has no
// TLS: it connects in plaintext, silently.
var PlaintextFallback = &lint.Rule{
	ID:               "TV407",
	Name:             "plaintext-fallback",
	Severity:         lint.Warning,
	SecuritySeverity: "5.3",
	Tags:             []string{"tls", "handshake"},
	Doc: lint.Doc{
		Title: "A PREFERRED client meets a server without TLS: plaintext",
		Why: "A client in PREFERRED mode (the default of the mysql client, Connector/J's sslMode=PREFERRED, " +
			"tls=preferred) uses TLS only when the server offers it. Against a server that serves none it " +
			"connects in plaintext without a word: passwords and data cross the network in clear. A MySQL Router " +
			"route with client_ssl_mode=DISABLED is such a server to the applications that connect to it, and Router's " +
			"own leg to a server is such a client when server_ssl_mode is PREFERRED, or AS_CLIENT behind a PREFERRED " +
			"client_ssl_mode.",
		Fix: "Give the server a certificate, and make the client require and verify TLS.",
		Bad: "-- compose.yaml --\nservices:\n  db:\n    image: mysql:8.0.36\n    command: [\"--skip-ssl\"]\n  app:\n" +
			"    image: shop:1\n    environment:\n      DB_DSN: \"app@tcp(db:3306)/shop?tls=preferred\"\n",
		Good: "-- compose.yaml --\nservices:\n  db:\n    image: mysql:8.0.36\n  app:\n" +
			"    image: shop:1\n    environment:\n      DB_DSN: \"app@tcp(db:3306)/shop?tls=preferred\"\n",
		Sources: []string{
			"https://dev.mysql.com/doc/refman/8.4/en/connection-options.html#option_general_ssl-mode",
			"https://github.com/go-sql-driver/mysql#tls",
			"https://github.com/mysql/mysql-server/blob/e3b12d2d6c49d1fab3f51f52b128dcf12df38b84/router/src/routing/src/classic_greeting_forwarder.cc",
			"https://dev.mysql.com/doc/mysql-router/8.4/en/mysql-router-conf-options.html#option_mysqlrouter_server_ssl_mode",
		},
	},
	Requires: []*lint.Analysis{handshakesAnalysis},
	Run: func(pass *lint.Pass) {
		handshakeFindings(pass, facts.PlaintextFallback, func(h handshake) *model.Setting { return h.Mode },
			[]string{"skip_ssl", "ssl", "ssl_cert"}, func(h handshake) string {
				return h.Client + " falls back to plaintext silently: " + h.peer() + " has no TLS (" +
					h.Outcome.ServerWhy + "); give the server a certificate and make the client require TLS"
			})
	},
}
