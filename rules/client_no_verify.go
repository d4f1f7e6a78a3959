package rules

import (
	"fmt"

	"github.com/tlsvet/tlsvet/internal/model"
)

// ClientNoVerify reports a client that encrypts but does not authenticate
// the server.
var ClientNoVerify = &Rule{
	ID:               "TV302",
	Name:             "client-no-verify",
	Severity:         Warning,
	SecuritySeverity: "5.9",
	Tags:             []string{"security", "tls"},
	Doc: Doc{
		Title: "The client encrypts but does not verify the server",
		Why: "`ssl-mode=REQUIRED` encrypts the connection but checks nothing of the server certificate, so " +
			"anyone on the network path can present their own certificate, read and change the traffic, and " +
			"collect the login exchange. MariaDB clients behave the same with `ssl` alone before 11.4 (from " +
			"11.4 they verify by default) and with `disable-ssl-verify-server-cert` on every version; those " +
			"also fall back to plaintext silently when the server offers no TLS. MySQL 5.7's `ssl` means " +
			"REQUIRED. With `require_verification = true` in `.tlsvet.toml` this is an error.",
		Fix: "Set `ssl-mode=VERIFY_IDENTITY` and `ssl-ca` on MySQL, `ssl-verify-server-cert` (and `ssl-ca` for a " +
			"private CA) on MariaDB.",
		Bad:  "[client]\nssl-mode=REQUIRED\n",
		Good: "[client]\nssl-mode=VERIFY_IDENTITY\nssl-ca=/etc/mysql/ca.pem\n",
		Sources: []string{
			"https://dev.mysql.com/doc/refman/8.0/en/connection-options.html",
			"https://dev.mysql.com/worklog/task/?id=7712",
			"https://mariadb.com/docs/server/clients-and-utilities/mariadb-client/mariadb-command-line-client",
			"https://mariadb.com/docs/server/security/encryption/data-in-transit-encryption/zero-configuration-ssl",
			"https://mariadb.org/state-ssl-mariadb/",
		},
	},
	Run: runClientNoVerify,
}

func runClientNoVerify(pass *Pass) {
	eachClientFinding(pass, unverified, func(_ *model.Client, j clientFinding) {
		r, o := j.Data, j.Key.Opt
		what := optText(o) + " encrypts but " + checks(r)
		if o == r.VerifyOff {
			what = optText(o) + " turns server verification off: the client " + checks(r)
		}
		if r.Fallback {
			what += ", and falls back to plaintext silently when the server offers no TLS"
		}
		pass.Report(Diagnostic{Span: j.Key.Span(), Severity: verifySeverity(pass.Policy), Message: fmt.Sprintf(
			"%s%s: anyone on the network path can impersonate the server; %s",
			what, qualify(j.Where), clientAdvice(j.Flavors))})
	})
}
