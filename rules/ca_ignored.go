package rules

import (
	"fmt"

	"github.com/tlsvet/tlsvet/internal/facts"
	"github.com/tlsvet/tlsvet/internal/lint"
	"github.com/tlsvet/tlsvet/internal/model"
)

// CAIgnored reports a CA that the client's mode does not use.
var CAIgnored = &lint.Rule{
	ID:               "TV305",
	Name:             "ca-ignored",
	Severity:         lint.Warning,
	SecuritySeverity: "5.9",
	Tags:             []string{"security", "tls"},
	Doc: lint.Doc{
		Title: "ssl-ca is given but the ssl-mode does not verify",
		Why: "An explicit `ssl-mode` other than VERIFY_CA or VERIFY_IDENTITY wins over `ssl-ca`/`ssl-capath`: the " +
			"MySQL client does not even load the CA, prints a warning that no verification of the server " +
			"certificate is performed, and connects to whoever answers (with PREFERRED it also falls back to " +
			"plaintext). Without the explicit mode, `ssl-ca` alone would have meant VERIFY_CA (MySQL 5.7.11 and " +
			"later). " +
			"Connection strings do the same: Connector/J `sslMode=REQUIRED` with `trustCertificateKeyStoreUrl`, MySqlConnector `SslMode=Required` with `SslCa`, Rails `ssl_mode: required` with `sslca`.",
		Fix:  "Set `ssl-mode=VERIFY_IDENTITY` (or `VERIFY_CA` when the certificate does not name the host).",
		Bad:  "[client]\nssl-mode=REQUIRED\nssl-ca=/etc/mysql/ca.pem\n",
		Good: "[client]\nssl-mode=VERIFY_IDENTITY\nssl-ca=/etc/mysql/ca.pem\n",
		Sources: []string{
			facts.SrcMY80CO,
			facts.SrcMY57CO,
			facts.SrcSSLOpt57,
		},
	},
	Requires: []*lint.Analysis{clientReadingsAnalysis},
	Run:      runCAIgnored,
}

func runCAIgnored(pass *lint.Pass) {
	ignored := func(r clientReading) (place, bool) { return place{Opt: r.CA}, caIgnored(r) }
	eachClientFinding(pass, ignored, func(_ *model.Client, j clientFinding) {
		r := j.Data
		effect := "does not verify the server certificate"
		if r.PlaintextFallback {
			effect = "neither verifies the server certificate nor insists on TLS"
		}
		pass.Report(lint.Diagnostic{
			Span: j.Key.Opt.KeySpan,
			Message: fmt.Sprintf("%s is ignored: with %s the client %s and only warns that no verification is "+
				"performed%s; set ssl-mode=VERIFY_IDENTITY (or VERIFY_CA when the certificate does not name the host)",
				j.Key.Opt.Key, optText(r.By), effect, qualify(j.Where)),
			Related: []lint.Related{{Span: r.By.ValueOrKey(), Message: "the mode that makes the client ignore the CA"}},
		})
	})
	connectionCAIgnored(pass)
}
