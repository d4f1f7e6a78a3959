package rules

import (
	"fmt"

	"github.com/tlsvet/tlsvet/internal/facts"
	"github.com/tlsvet/tlsvet/internal/lint"
	"github.com/tlsvet/tlsvet/internal/model"
)

// ClientOpportunisticTLS reports a client that sets up TLS but falls back
// to plaintext when the server offers none.
var ClientOpportunisticTLS = &lint.Rule{
	ID:               "TV303",
	Name:             "client-opportunistic-tls",
	Severity:         lint.Warning,
	SecuritySeverity: "5.9",
	Tags:             []string{"security", "tls"},
	Doc: lint.Doc{
		Title: "The client falls back to plaintext silently",
		Why: "With `ssl-mode=PREFERRED` — also MySQL's default when a group sets TLS options such as `ssl-cert` " +
			"but no mode — the client uses TLS only if the server offers it and connects in plaintext " +
			"otherwise, without a word; it never verifies the server. Anyone who can answer in the server's " +
			"place simply offers no TLS. MariaDB clients before 11.4 do the same unless " +
			"`ssl-verify-server-cert` is set, even with `ssl-ca` (observed on 10.11: the CA is checked when TLS " +
			"is used, the host name never). A group with no TLS options at all is not reported. With " +
			"`require_verification = true` in `.tlsvet.toml` this is an error. " +
			"In connection strings: go-sql-driver/mysql `tls=preferred`, Connector/J `sslMode=PREFERRED` or the legacy `useSSL=true` (PREFERRED in 8.x), Connector/ODBC `SSLMODE=PREFERRED`; a driver default is reported only where the string sets TLS up otherwise.",
		Fix:  "Set `ssl-mode=VERIFY_IDENTITY` and `ssl-ca` on MySQL, `ssl-verify-server-cert` on MariaDB.",
		Bad:  "[client]\nssl-mode=PREFERRED\n",
		Good: "[client]\nssl-mode=VERIFY_IDENTITY\nssl-ca=/etc/mysql/ca.pem\n",
		Sources: []string{
			facts.SrcMY80CO,
			"https://dev.mysql.com/worklog/task/?id=7712",
			facts.SrcMDBCLI,
			facts.SrcMDBZero,
		},
	},
	Requires: []*lint.Analysis{clientReadingsAnalysis},
	Run:      runClientOpportunisticTLS,
}

// opportunistic is where TV303 reports a reading: an explicit
// ssl-mode=PREFERRED or MariaDB ssl, or the group whose TLS options leave
// the mode at its opportunistic default.
func opportunistic(r clientReading) (place, bool) {
	if _, ok := unverified(r); ok || !r.PlaintextFallback || caIgnored(r) {
		return place{}, false
	}
	switch {
	case r.By != nil && (r.Explicit() || r.By.Name == "ssl"):
		return place{Opt: r.By}, true
	case r.Configured != nil:
		return place{Group: r.Configured.Group}, true
	}
	return place{}, false
}

func runClientOpportunisticTLS(pass *lint.Pass) {
	eachClientFinding(pass, opportunistic, func(_ *model.Client, j clientFinding) {
		r := j.Data
		var what string
		if o := j.Key.Opt; o != nil {
			what = optText(o)
		} else {
			mysql, mariadb := flavoursOf(j.Flavors)
			lacks := "no ssl-mode, so the mode is PREFERRED"
			switch {
			case mysql && mariadb:
				lacks = "sets neither ssl-mode nor ssl-verify-server-cert"
			case mariadb:
				lacks = "no ssl-verify-server-cert"
			}
			what = fmt.Sprintf("[%s] sets up TLS (%s) but %s", j.Key.Group.Written, r.Configured.Key, lacks)
		}
		pass.Report(lint.Diagnostic{Span: j.Key.Span(), Severity: verifySeverity(pass.Policy), Message: fmt.Sprintf(
			"%s%s: the client falls back to plaintext silently when the server offers no TLS and %s; %s",
			what, qualify(j.Where), checks(r), clientAdvice(j.Flavors))})
	})
	connectionOpportunistic(pass)
}
