package rules

import (
	"github.com/tlsvet/tlsvet/internal/facts"
	"github.com/tlsvet/tlsvet/internal/lint"
	"github.com/tlsvet/tlsvet/internal/model"
)

// VerifyWithoutCA reports a MySQL client told to verify the server without
// a CA to verify with.
var VerifyWithoutCA = &lint.Rule{
	ID:       "TV304",
	Name:     "verify-without-ca",
	Severity: lint.Error,
	Tags:     []string{"tls", "correctness"},
	Doc: lint.Doc{
		Title: "A verifying ssl-mode without ssl-ca or ssl-capath",
		Why: "For `ssl-mode=VERIFY_CA` or `VERIFY_IDENTITY` the MySQL client needs `ssl-ca` or `ssl-capath`; it " +
			"does not fall back to a system store, so every connection fails with ERROR 2026 \"SSL connection " +
			"error: CA certificate is required if ssl-mode is VERIFY_CA or VERIFY_IDENTITY\". MySQL 5.7's " +
			"`ssl-verify-server-cert` means VERIFY_IDENTITY and needs a CA too. MariaDB clients verify against " +
			"the system store and are not reported. " +
			"Connection strings of drivers that link libmysqlclient (MySQL Shell, Connector/ODBC) fail the same way; drivers with a platform trust store (Go, Java, .NET, Node, Python) verify against it instead.",
		Fix:  "Add `ssl-ca` with the CA certificate that signed the server certificate (or `ssl-capath`).",
		Bad:  "[client]\nssl-mode=VERIFY_IDENTITY\n",
		Good: "[client]\nssl-mode=VERIFY_IDENTITY\nssl-ca=/etc/mysql/ca.pem\n",
		Sources: []string{
			facts.SrcMY80CO,
			facts.SrcMY57CO,
			facts.SrcSSLOpt57,
		},
	},
	Requires: []*lint.Analysis{clientReadingsAnalysis},
	Run:      runVerifyWithoutCA,
}

func runVerifyWithoutCA(pass *lint.Pass) {
	noCA := func(r clientReading) (place, bool) {
		return place{Opt: r.By}, family(r.Piece.Flavor) != facts.MariaDB && r.Mode >= model.ModeVerifyCA && r.CA == nil && r.By != nil
	}
	eachClientFinding(pass, noCA, func(_ *model.Client, j clientFinding) {
		pass.Reportf(j.Key.Span(), "%s verifies the server but no ssl-ca or ssl-capath is set%s: the client "+
			"refuses every connection with ERROR 2026 (CA certificate is required if ssl-mode is VERIFY_CA or "+
			"VERIFY_IDENTITY); add ssl-ca with the CA that signed the server certificate",
			optText(j.Key.Opt), qualify(j.Where))
	})
	connectionNoCA(pass)
}
