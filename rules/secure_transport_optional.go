package rules

import (
	"github.com/tlsvet/tlsvet/internal/facts"
	"github.com/tlsvet/tlsvet/internal/lint"
)

import "fmt"

// SecureTransportOptional reports a server with TLS set up that still
// accepts unencrypted connections.
var SecureTransportOptional = &lint.Rule{
	ID:               "TV602",
	Name:             "secure-transport-optional",
	Severity:         lint.Note,
	SecuritySeverity: "4.3",
	Tags:             []string{"security", "tls"},
	Doc: lint.Doc{
		Title: "TLS is configured but require_secure_transport is off",
		Why: "A server with `ssl_cert`, `ssl_key`, `ssl_ca` or `tls_version` set still accepts unencrypted TCP " +
			"connections while `require_secure_transport` is OFF (the default): a client with " +
			"`ssl-mode=DISABLED`, or a PREFERRED client whose TLS was stripped on the way, connects in " +
			"plaintext. `require_secure_transport=ON` (MySQL 5.7.8, MariaDB 10.5.2 and later) refuses them " +
			"(ERROR 3159) while socket connections keep working.",
		Fix:  "Set `require_secure_transport=ON` once every client uses TLS.",
		Bad:  "[mysqld]\nssl_cert=/etc/mysql/server-cert.pem\nssl_key=/etc/mysql/server-key.pem\n",
		Good: "[mysqld]\nssl_cert=/etc/mysql/server-cert.pem\nssl_key=/etc/mysql/server-key.pem\nrequire_secure_transport=ON\n",
		Sources: []string{
			facts.SrcMY80SV,
			"https://dev.mysql.com/worklog/task/?id=7709",
			"https://mariadb.com/docs/server/ref/mdb/error-codes/ER_NO_SECURE_TRANSPORTS_CONFIGURED",
		},
	},
	Requires: []*lint.Analysis{serverReadingsAnalysis},
	Run:      runSecureTransportOptional,
}

func runSecureTransportOptional(pass *lint.Pass) {
	optional := func(r serverReading) (place, bool) {
		switch {
		case r.Off != nil || r.NoProtocols || r.Configured == nil || !r.SecureKnown:
		case r.Secure == nil:
			return place{Group: r.Configured.Group}, true
		case r.SecureValid && !r.SecureOn:
			return place{Opt: r.Secure}, true
		}
		return place{}, false
	}
	eachServerFinding(pass, optional, func(_ []serverReading, j serverFinding) {
		var what string
		if o := j.Key.Opt; o != nil {
			what = optText(o) + " lets clients connect without TLS although TLS is set up"
		} else {
			what = fmt.Sprintf("[%s] sets up TLS (%s) but not require_secure_transport", j.Key.Group.Written, j.Data.Configured.Key)
		}
		pass.Reportf(j.Key.Span(), "%s%s: clients may still connect in plaintext, and PREFERRED clients fall "+
			"back to it silently; set require_secure_transport=ON to refuse unencrypted TCP connections",
			what, qualify(j.Where))
	})
}
