package rules

import (
	"fmt"
	"strings"

	"github.com/tlsvet/tlsvet/internal/facts"
	"github.com/tlsvet/tlsvet/internal/lint"
	"github.com/tlsvet/tlsvet/internal/model"
)

// ClientNoVerify reports a client that encrypts but does not authenticate
// the server.
var ClientNoVerify = &lint.Rule{
	ID:               "TV302",
	Name:             "client-no-verify",
	Severity:         lint.Warning,
	SecuritySeverity: "5.9",
	Tags:             []string{"security", "tls"},
	Doc: lint.Doc{
		Title: "The client encrypts but does not verify the server",
		Why: "`ssl-mode=REQUIRED` encrypts the connection but checks nothing of the server certificate, so " +
			"anyone on the network path can present their own certificate, read and change the traffic, and " +
			"collect the login exchange. MariaDB clients behave the same with `ssl` alone before 11.4 (from " +
			"11.4 they verify by default) and with `disable-ssl-verify-server-cert` on every version; those " +
			"also fall back to plaintext silently when the server offers no TLS. MySQL 5.7's `ssl` means " +
			"REQUIRED. Prometheus' mysqld_exporter reads a `.my.cnf` of its own, whose `tls=skip-verify` and " +
			"`tls=preferred` (go-sql-driver/mysql; `preferred` also falls back to plaintext) and " +
			"`ssl-skip-verfication` likewise encrypt without verifying. With `require_verification = true` " +
			"in `.tlsvet.toml` this is an error. " +
			"In connection strings: go-sql-driver/mysql `tls=skip-verify`, MariaDB Connector/J `sslMode=trust` (and its alias REQUIRED) or `useSsl` with `trustServerCertificate`, MySqlConnector `SslMode=Required` even with `SslCa`, Prisma without `sslaccept=strict`, Grafana `ssl_mode=skip-verify`, Rails `ssl_mode: required`.",
		Fix: "Set `ssl-mode=VERIFY_IDENTITY` and `ssl-ca` on MySQL, `ssl-verify-server-cert` (and `ssl-ca` for a " +
			"private CA) on MariaDB, `ssl-ca` or `tls=true` for mysqld_exporter.",
		Bad:  "[client]\nssl-mode=REQUIRED\n",
		Good: "[client]\nssl-mode=VERIFY_IDENTITY\nssl-ca=/etc/mysql/ca.pem\n",
		Sources: []string{
			facts.SrcMY80CO,
			"https://dev.mysql.com/worklog/task/?id=7712",
			facts.SrcMDBCLI,
			facts.SrcMDBZero,
			"https://mariadb.org/state-ssl-mariadb/",
			"https://github.com/go-sql-driver/mysql#tls",
			"https://github.com/prometheus/mysqld_exporter/blob/main/config/config.go",
		},
	},
	Requires: []*lint.Analysis{clientReadingsAnalysis},
	Run:      runClientNoVerify,
}

func runClientNoVerify(pass *lint.Pass) {
	eachClientFinding(pass, unverified, func(_ *model.Client, j clientFinding) {
		r, o := j.Data, j.Key.Opt
		what := optText(o) + " encrypts but " + checks(r)
		if o == r.VerifyOff {
			what = optText(o) + " turns server verification off: the client " + checks(r)
		}
		if r.PlaintextFallback {
			what += ", and falls back to plaintext silently when the server offers no TLS"
		}
		pass.Report(lint.Diagnostic{Span: j.Key.Span(), Severity: verifySeverity(pass.Policy), Message: fmt.Sprintf(
			"%s%s: anyone on the network path can impersonate the server; %s",
			what, qualify(j.Where), clientAdvice(j.Flavors))})
	})
	seen := map[*model.Setting]bool{} // a key [client.a] inherits from [client] is reported once
	for _, c := range pass.Project.Connectors {
		if o, msg := connectorNoVerify(c); o != nil && !seen[o] {
			seen[o] = true
			pass.Report(lint.Diagnostic{Span: o.ValueOrKey(), Severity: verifySeverity(pass.Policy), Message: msg})
		}
	}
	connectionUnverified(pass)
}

// connectorNoVerify is TV302 for a mysqld_exporter section. The exporter
// turns it into a go-sql-driver/mysql DSN (FormDSN,
// https://github.com/prometheus/mysqld_exporter/blob/main/config/config.go):
// ssl-skip-verfication (sic) sets InsecureSkipVerify; otherwise an ssl-ca
// makes it register a TLS configuration of its own that verifies the
// server and replaces tls=; otherwise tls= goes to the driver, where
// skip-verify and preferred (compared case-insensitively) encrypt without
// verifying, and preferred falls back to plaintext
// (https://github.com/go-sql-driver/mysql#tls: "Neither skip-verify nor
// preferred add any reliable security").
func connectorNoVerify(c *model.Connector) (*model.Setting, string) {
	const tail = ": anyone on the network path can impersonate the server; set ssl-ca (the exporter then verifies the server against it) or tls=true"
	if s := c.Settings.Get("ssl-skip-verfication"); s != nil && iniTrue(s.Setting) {
		return s.Setting, fmt.Sprintf("%s makes mysqld_exporter's connection of [%s] skip verifying the server certificate%s",
			optText(s.Setting), c.Group.Written, tail)
	}
	if ca := c.Settings.Get("ssl-ca"); ca != nil && (ca.Unknown || hasValue(ca.Setting)) {
		return nil, ""
	}
	t := c.Settings.Get("tls")
	if t == nil || t.Unknown {
		return nil, ""
	}
	what := "encrypts but does not verify the server certificate"
	switch strings.ToLower(strings.TrimSpace(t.Value)) {
	case "skip-verify":
	case "preferred":
		what += ", and falls back to plaintext silently when the server offers no TLS"
	default:
		return nil, ""
	}
	return t.Setting, fmt.Sprintf("%s: mysqld_exporter's connection of [%s] (go-sql-driver/mysql) %s%s",
		optText(t.Setting), c.Group.Written, what, tail)
}

// iniTrue reads a boolean the way gopkg.in/ini.v1 does (parseBool in
// https://github.com/go-ini/ini/blob/main/key.go); a bare key is true (the
// exporter loads with AllowBooleanKeys). A templated value is unknown, so
// not true.
func iniTrue(o *model.Setting) bool {
	if !o.HasValue {
		return true
	}
	switch o.Value {
	case "1", "t", "T", "true", "TRUE", "True", "YES", "yes", "Yes", "ON", "on", "On":
		return !o.Unknown
	}
	return false
}
