package rules

import (
	"fmt"

	"github.com/tlsvet/tlsvet/internal/facts"
	"github.com/tlsvet/tlsvet/internal/lint"
	"github.com/tlsvet/tlsvet/internal/model"
)

// SecureTransportWithoutTLS reports require_secure_transport=ON on a server
// whose TLS cannot come up.
var SecureTransportWithoutTLS = &lint.Rule{
	ID:       "TV603",
	Name:     "secure-transport-without-tls",
	Severity: lint.Error,
	Tags:     []string{"tls", "correctness"},
	Doc: lint.Doc{
		Title: "require_secure_transport=ON while the server cannot serve TLS",
		Why: "With `require_secure_transport=ON` the server accepts TCP connections only over TLS. When TLS cannot " +
			"come up, every TCP client is refused — ERROR 3159 on MySQL, ERROR 1045 \"Access denied\" on MariaDB " +
			"10.11 (observed) — and only socket connections work. TLS cannot come up when `skip-ssl`/`ssl=0` is in " +
			"effect; on MariaDB before 11.4 when no `ssl_cert`/`ssl_key` is set (the server starts with " +
			"have_ssl=DISABLED; 11.4 generates a certificate); on MySQL when neither is set and " +
			"`auto_generate_certs=OFF` (unless the data directory already holds the certificate files). An empty " +
			"`tls_version` is reported by TV102.",
		Fix: "Configure `ssl_cert` and `ssl_key` (and remove `skip-ssl`), or turn `require_secure_transport` off " +
			"until the server has a certificate.",
		Bad: "[mysqld]\nrequire_secure_transport=ON\nskip-ssl\n",
		Good: "[mysqld]\nrequire_secure_transport=ON\nssl_cert=/etc/mysql/server-cert.pem\n" +
			"ssl_key=/etc/mysql/server-key.pem\n",
		Sources: []string{
			facts.SrcMY80SV,
			facts.SrcMY80UEC,
			facts.SrcMDBZero,
			"https://github.com/MariaDB/server/commit/742f960eeb",
		},
	},
	Requires: []*lint.Analysis{serverReadingsAnalysis},
	Run:      runSecureTransportWithoutTLS,
}

// noTLS says why TLS cannot come up on a reading, and which option causes it.
type noTLS struct {
	why   string
	cause *model.Setting
}

// tlsCannotComeUp is the reason a reading serves no TLS, if it has one that
// TV603 judges.
func tlsCannotComeUp(r serverReading) (noTLS, bool) {
	noCert := r.Cert == nil && r.Key == nil
	switch {
	case r.Off != nil:
		return noTLS{optText(r.Off) + " turns TLS off", r.Off}, true
	case !noCert:
	case family(r.Piece.Flavor) == facts.MariaDB && r.Piece.Max.Less(facts.MariaDBZeroConfig):
		return noTLS{why: "no ssl_cert and ssl_key are set, so the server starts with have_ssl=DISABLED"}, true
	case family(r.Piece.Flavor) == facts.MySQL && r.AutoCertsOff != nil:
		return noTLS{"no ssl_cert and ssl_key are set and " + optText(r.AutoCertsOff) +
			" (unless the data directory already holds server-cert.pem and server-key.pem)", r.AutoCertsOff}, true
	}
	return noTLS{}, false
}

func runSecureTransportWithoutTLS(pass *lint.Pass) {
	required := func(r serverReading) (place, bool) {
		if r.Secure == nil || !r.SecureValid || !r.SecureOn || r.NoProtocols {
			return place{}, false
		}
		if r.Off == nil && r.Cert == nil && r.Key == nil && r.TLSBy != nil {
			return place{}, false // the MariaDB server refuses to start instead (TV605)
		}
		_, ok := tlsCannotComeUp(r)
		return place{Opt: r.Secure}, ok
	}
	eachServerFinding(pass, required, func(_ []serverReading, j serverFinding) {
		why, _ := tlsCannotComeUp(j.Data)
		fix := "set ssl_cert and ssl_key"
		if why.cause != nil && why.cause.Name == "ssl" {
			fix = "remove " + why.cause.Key + " and set ssl_cert and ssl_key"
		}
		d := lint.Diagnostic{Span: j.Key.Span(), Message: fmt.Sprintf(
			"%s but TLS cannot come up: %s%s; every TCP connection is refused (ERROR 3159; MariaDB 10.11 "+
				"answers ERROR 1045 Access denied) and only socket connections work; %s",
			optText(j.Key.Opt), why.why, qualify(j.Where), fix)}
		if why.cause != nil {
			d.Related = []lint.Related{{Span: why.cause.ValueOrKey(), Message: "why the server has no TLS"}}
		}
		pass.Report(d)
	})
}
