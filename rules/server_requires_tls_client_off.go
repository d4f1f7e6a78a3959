package rules

import (
	"github.com/tlsvet/tlsvet/internal/facts"
	"github.com/tlsvet/tlsvet/internal/lint"
	"github.com/tlsvet/tlsvet/internal/model"
)

// ServerRequiresTLSClientOff reports a client that connects without TLS
// to a server that requires secure transport.
var ServerRequiresTLSClientOff = &lint.Rule{
	ID:               "TV404",
	Name:             "server-requires-tls-client-off",
	Severity:         lint.Error,
	SecuritySeverity: "5.3",
	Tags:             []string{"tls", "handshake"},
	Doc: lint.Doc{
		Title: "A client turns TLS off against a server that requires it",
		Why: "With require_secure_transport=ON the server refuses a login over an unencrypted TCP connection: " +
			"MySQL with ERROR 3159 (\"Connections using insecure transport are prohibited while " +
			"--require_secure_transport=ON\"), MariaDB before MDEV-30178 with ERROR 1045 (Access denied). A " +
			"client that disables TLS (ssl-mode=DISABLED, useSSL=false, tls=false) never connects. A MySQL Router route " +
			"with client_ssl_mode=REQUIRED refuses such a client itself, with ERROR 2026 (\"SSL connection error: SSL " +
			"is required from client\"). MySQL Router is a client too: a route with server_ssl_mode=DISABLED to such a " +
			"server gets ERROR 3159 on every connection, whatever the applications do.",
		Fix: "Let the client use TLS (and verify the server).",
		Bad: "-- compose.yaml --\nservices:\n  db:\n    image: mysql:8.0.36\n    command: [\"--require-secure-transport=ON\"]\n" +
			"  app:\n    image: shop:1\n    environment:\n      DB_DSN: \"app@tcp(db:3306)/shop?tls=false\"\n",
		Good: "-- compose.yaml --\nservices:\n  db:\n    image: mysql:8.0.36\n    command: [\"--require-secure-transport=ON\"]\n" +
			"  app:\n    image: shop:1\n    environment:\n      DB_DSN: \"app@tcp(db:3306)/shop?tls=true\"\n",
		Sources: []string{
			"https://dev.mysql.com/doc/refman/8.4/en/server-system-variables.html#sysvar_require_secure_transport",
			"https://dev.mysql.com/doc/mysql-errors/8.4/en/server-error-reference.html#error_er_secure_transport_required",
			"https://jira.mariadb.org/browse/MDEV-30178",
			"https://github.com/mysql/mysql-server/blob/279f59321d703e0d5722a415be92cfb60f596351/router/src/routing/src/classic_greeting_receiver.cc",
			"https://dev.mysql.com/doc/mysql-router/8.4/en/mysql-router-conf-options.html#option_mysqlrouter_server_ssl_mode",
		},
	},
	Requires: []*lint.Analysis{handshakesAnalysis},
	Run: func(pass *lint.Pass) {
		handshakeFindings(pass, facts.SecureTransport, func(h handshake) *model.Setting { return h.Mode },
			[]string{"require_secure_transport"}, func(h handshake) string {
				requires := "requires secure transport"
				if h.Route != nil && h.Route.Accept == model.AcceptRequired {
					requires = "requires TLS (client_ssl_mode=REQUIRED)"
				}
				return h.Client + " connects without TLS, but " + h.peer() + " " + requires + ": " +
					clientFails(h.Outcome) + "; let the client use TLS"
			})
	},
}
