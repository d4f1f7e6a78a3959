package rules

import (
	"github.com/tlsvet/tlsvet/internal/facts"
	"github.com/tlsvet/tlsvet/internal/lint"
	"github.com/tlsvet/tlsvet/internal/model"
)

// NoCommonProtocol reports a client and the server it reaches that allow
// no TLS protocol in common.
var NoCommonProtocol = &lint.Rule{
	ID:               "TV401",
	Name:             "no-common-protocol",
	Severity:         lint.Error,
	SecuritySeverity: "5.3",
	Tags:             []string{"tls", "handshake"},
	Doc: lint.Doc{
		Title: "A client and its server share no TLS protocol",
		Why: "The server picks the highest protocol both sides allow; when the client's list and the server's " +
			"tls_version (after what each version and the host's OpenSSL policy drop) have nothing in common, the " +
			"handshake fails and every connection ends in ERROR 2026 (\"tlsv1 alert protocol version\" from an " +
			"OpenSSL client). A client pinned to TLSv1.2 against a server that allows only TLSv1.3 is the common case.",
		Fix: "Let both sides allow TLSv1.2 and TLSv1.3, or align the client's list with the server's.",
		Bad: "-- my.cnf --\n[mysqld]\ntls_version=TLSv1.3\n\n[client]\nhost=127.0.0.1\ntls-version=TLSv1.2\n" +
			"-- .tlsvet.toml --\ntarget = [\"mysql-8.0.36\"]\n",
		Good: "-- my.cnf --\n[mysqld]\ntls_version=TLSv1.2,TLSv1.3\n\n[client]\nhost=127.0.0.1\ntls-version=TLSv1.2\n" +
			"-- .tlsvet.toml --\ntarget = [\"mysql-8.0.36\"]\n",
		Sources: []string{
			"https://dev.mysql.com/doc/refman/8.4/en/encrypted-connection-protocols-ciphers.html#encrypted-connection-protocol-negotiation",
			"https://docs.openssl.org/3.0/man3/SSL_CTX_set_min_proto_version/",
		},
	},
	Requires: []*lint.Analysis{handshakesAnalysis},
	Run: func(pass *lint.Pass) {
		handshakeFindings(pass, facts.NoCommonProtocol, func(h handshake) *model.Setting { return h.Protocols },
			[]string{"tls_version"}, func(h handshake) string {
				return h.Client + " and " + h.peer() + " share no TLS protocol (" + h.Outcome.Why + "): " +
					clientFails(h.Outcome) + "; allow TLSv1.2 and TLSv1.3 on both sides"
			})
	},
}
