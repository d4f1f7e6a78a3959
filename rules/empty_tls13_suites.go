package rules

import (
	"github.com/tlsvet/tlsvet/internal/facts"
	"github.com/tlsvet/tlsvet/internal/lint"
)

// EmptyTLS13Suites is TV208: tls_ciphersuites is empty while the server
// allows TLSv1.3. MySQL passes the empty list to OpenSSL ("an empty list is
// permissible", SRC-VIO https://github.com/mysql/mysql-server/blob/trunk/vio/viosslfactories.cc),
// and OpenSSL then refuses every handshake, TLSv1.2 included, because the
// highest enabled protocol has no cipher ("No ciphers enabled for max
// supported SSL/TLS version": seen with OpenSSL 3.0.19's s_server and a
// TLSv1.2 client). WL#12361 says the same: with an empty list and TLSv1.3
// not disabled "the connection will fail ... The same behaviour for the
// server: connection will be refused" (https://dev.mysql.com/worklog/task/?id=12361).
// Only the main channel is judged: the allowed protocols of the admin and
// Group Replication channels are not modelled yet.
var EmptyTLS13Suites = &lint.Rule{
	ID:       "TV208",
	Name:     "empty-tls13-suites",
	Severity: lint.Warning,
	Tags:     []string{"tls", "cipher", "correctness"},
	Doc: lint.Doc{
		Title: "tls_ciphersuites is empty while TLSv1.3 is allowed",
		Why: "An empty `tls_ciphersuites` enables no TLSv1.3 suite. As long as `tls_version` still allows " +
			"TLSv1.3 (the default from MySQL 8.0.16), OpenSSL refuses **every** handshake, TLSv1.2 clients " +
			"included, because the highest enabled protocol has no cipher: the server runs but no client can " +
			"connect over TLS (ERROR 2026). To turn TLSv1.3 off, remove it from `tls_version` instead.",
		Fix:  "Remove the empty tls_ciphersuites line to use the default suites, or drop TLSv1.3 from tls_version.",
		Bad:  "[mysqld-8.0]\ntls_ciphersuites=\n",
		Good: "[mysqld-8.0]\ntls_version=TLSv1.2\ntls_ciphersuites=\n",
		Sources: []string{
			"https://dev.mysql.com/worklog/task/?id=12361",
			facts.SrcVIO,
			facts.SrcMY80SV,
		},
	},
	Run: runEmptyTLS13Suites,
}

func runEmptyTLS13Suites(pass *lint.Pass) {
	for _, s := range pass.Project.Servers {
		l := serverCipherList(s, "tls_ciphersuites")
		if l == nil || l.Opt.Value != "" || !allows(allowedProtocols(s), facts.TLSv13) {
			continue
		}
		// Judge only the versions that have the option (TV004 reports the
		// others); tls_ciphersuites has no MariaDB reader.
		r := l.Readers[0]
		if spec, ok := facts.LookupOption(l.Opt.Name); ok {
			if lc, ok := spec.Lifecycle(facts.MySQLServer); ok && r.Min.Less(lc.Added) {
				r.Min = lc.Added
			}
		}
		if r.Max.Less(r.Min) {
			continue
		}
		d := lint.Diagnostic{Span: l.Opt.Span(), Severity: lint.Error}
		switch facts.Supports(r, facts.TLSv13) {
		case facts.No:
			continue
		case facts.Maybe:
			d.Severity = lint.Warning
			d.Message = "tls_ciphersuites is empty: on the versions that support TLSv1.3 OpenSSL refuses every handshake, TLSv1.2 included, so no client can connect over TLS (ERROR 2026); remove the line or drop TLSv1.3 from tls_version"
		default:
			d.Message = "tls_ciphersuites is empty while TLSv1.3 is allowed: OpenSSL refuses every handshake, TLSv1.2 included, so no client can connect over TLS (ERROR 2026); remove the line or drop TLSv1.3 from tls_version"
		}
		pass.Report(d)
	}
}

// allows reports whether p is among ps.
func allows(ps []facts.Protocol, p facts.Protocol) bool {
	for _, q := range ps {
		if q == p {
			return true
		}
	}
	return false
}
