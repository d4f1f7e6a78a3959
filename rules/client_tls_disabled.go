package rules

import (
	"fmt"

	"github.com/tlsvet/tlsvet/internal/facts"
	"github.com/tlsvet/tlsvet/internal/lint"
	"github.com/tlsvet/tlsvet/internal/model"
)

// ClientTLSDisabled reports a client option that turns TLS off.
var ClientTLSDisabled = &lint.Rule{
	ID:               "TV301",
	Name:             "client-tls-disabled",
	Severity:         lint.Warning,
	SecuritySeverity: "7.5",
	Tags:             []string{"security", "tls"},
	Doc: lint.Doc{
		Title: "A client option turns TLS off",
		Why: "`ssl-mode=DISABLED` (MySQL 5.7.11 and later), `skip-ssl`, `ssl=0` or `disable-ssl` (MySQL 5.7 " +
			"clients and every MariaDB client) make the client connect without TLS: queries, results and the " +
			"authentication exchange cross the network in plaintext, and a server with " +
			"`require_secure_transport=ON` refuses the connection with ERROR 3159. On MariaDB a later TLS option " +
			"(`ssl-ca`, `ssl-cert`…) turns `--ssl` back on, so only a setting still in effect is reported. " +
			"MySQL 8.0 and later clients no longer know `ssl`/`skip-ssl` and exit instead (TV004). " +
			"Connection strings are judged the same way, in each driver's own terms: go-sql-driver/mysql `tls=false`, Connector/J `useSSL=false` or `sslMode=DISABLED`, MariaDB Connector/J `sslMode=disable`, SQLAlchemy with mysql-connector-python `ssl_disabled=false` (the string \"false\" is true to the connector), MySQL Router `server_ssl_mode=DISABLED`, Gitea `SSL_MODE=disable` (see docs/clients.md).",
		Fix: "Remove the setting and make the client verify the server: `ssl-mode=VERIFY_IDENTITY` with `ssl-ca` " +
			"on MySQL, `ssl-verify-server-cert` on MariaDB.",
		Bad:  "[client]\nssl-mode=DISABLED\n",
		Good: "[client]\nssl-mode=VERIFY_IDENTITY\nssl-ca=/etc/mysql/ca.pem\n",
		Sources: []string{
			facts.SrcMY80CO,
			facts.SrcMY57CO,
			facts.SrcSSLOpt57,
			"https://github.com/MariaDB/server/blob/main/include/sslopt-case.h",
			facts.SrcMDBCLI,
		},
	},
	Requires: []*lint.Analysis{clientReadingsAnalysis},
	Run:      runClientTLSDisabled,
}

func runClientTLSDisabled(pass *lint.Pass) {
	disabled := func(r clientReading) (place, bool) {
		return place{Opt: r.By}, r.Mode == model.ModeDisabled && r.By != nil
	}
	eachClientFinding(pass, disabled, func(c *model.Client, j clientFinding) {
		o := j.Key.Opt
		advice := "remove it and " + clientAdvice(j.Flavors)
		if mysql, mariadb := flavoursOf(j.Flavors); mysql && !mariadb {
			advice = "use ssl-mode=VERIFY_IDENTITY with ssl-ca instead"
		}
		d := lint.Diagnostic{Span: j.Key.Span(), Message: fmt.Sprintf(
			"%s turns TLS off%s: queries, results and the login exchange cross the network in plaintext; %s",
			optText(o), qualify(j.Where), advice)}
		// Switching DISABLED to VERIFY_IDENTITY is exact only for a MySQL
		// client that already has the CA to verify with.
		if j.Data.Explicit() && j.Data.CA != nil && c.Target.MySQLFamily() && j.Where == "" && o.ValueExact() {
			d.Fix = setValueFix(o, "VERIFY_IDENTITY", "set ssl-mode=VERIFY_IDENTITY")
		}
		pass.Report(d)
	})
	connectionDisabled(pass)
	connectionDisabledIfUnset(pass)
}
