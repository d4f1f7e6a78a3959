package rules

import (
	"fmt"

	"github.com/tlsvet/tlsvet/internal/facts"
	"github.com/tlsvet/tlsvet/internal/lint"
	"github.com/tlsvet/tlsvet/internal/model"
)

// ServerTLSDisabled reports a server option that turns TLS off.
var ServerTLSDisabled = &lint.Rule{
	ID:               "TV601",
	Name:             "server-tls-disabled",
	Severity:         lint.Warning,
	SecuritySeverity: "7.5",
	Tags:             []string{"security", "tls"},
	Doc: lint.Doc{
		Title: "A server option turns TLS off",
		Why: "`skip-ssl`, `ssl=0`, `ssl=OFF` or `disable-ssl` in a server group start the server without TLS " +
			"(have_ssl=DISABLED): every client connects in plaintext, and clients that require TLS fail with " +
			"ERROR 2026. On MariaDB a later `ssl_*` option or `tls_version` turns TLS back on, so only a setting " +
			"still in effect is reported. MySQL deprecated the server option in 8.0.26 and removed it in 8.4: " +
			"there mysqld refuses to start with it, which TV004 reports when the version is known. " +
			"`tls_version=''` is TV102's.",
		Fix:  "Remove the option and configure `ssl_cert` and `ssl_key`.",
		Bad:  "[mysqld]\nskip-ssl\n",
		Good: "[mysqld]\nssl_cert=/etc/mysql/server-cert.pem\nssl_key=/etc/mysql/server-key.pem\n",
		Sources: []string{
			facts.SrcMY80SO,
			"https://dev.mysql.com/worklog/task/?id=14481",
			"https://github.com/docker-library/mysql/issues/1053",
			"https://mariadb.com/docs/server/server-management/starting-and-stopping-mariadb/mariadbd-options",
			"https://github.com/MariaDB/server/blob/main/include/sslopt-case.h",
		},
	},
	Requires: []*lint.Analysis{serverReadingsAnalysis},
	Run:      runServerTLSDisabled,
}

func runServerTLSDisabled(pass *lint.Pass) {
	off := func(r serverReading) (place, bool) { return place{Opt: r.Off}, r.Off != nil }
	eachServerFinding(pass, off, func(rs []serverReading, j serverFinding) {
		o := j.Key.Opt
		pass.Reportf(j.Key.Span(), "%s turns TLS off%s: the server accepts only unencrypted connections and "+
			"clients that require TLS fail with ERROR 2026%s; remove it and configure ssl_cert and ssl_key",
			optText(o), qualify(j.Where), removedNote(o, rs))
	})
}

// removedNote says where a server no longer knows o and refuses to start
// (MySQL 8.4 for ssl), when some of the readings are such versions.
func removedNote(o *model.Setting, rs []serverReading) string {
	if o.Loose {
		return ""
	}
	for _, r := range rs {
		if family(r.Piece.Flavor) == facts.MySQL && !knownTo(o, facts.MySQLServer, r.Piece.Min) {
			return fmt.Sprintf(" (%s %s and later no longer know the option and refuse to start)",
				r.Piece.Flavor.Title(), shortVersion(r.Piece.Min))
		}
	}
	return ""
}
