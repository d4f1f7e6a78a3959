package rules

import (
	"fmt"
	"strings"

	"github.com/tlsvet/tlsvet/internal/facts"
	"github.com/tlsvet/tlsvet/internal/lint"
	"github.com/tlsvet/tlsvet/internal/model"
)

// CertWithoutKey reports ssl_cert without ssl_key, or the reverse.
var CertWithoutKey = &lint.Rule{
	ID:       "TV604",
	Name:     "cert-without-key",
	Severity: lint.Warning,
	Tags:     []string{"tls", "correctness"},
	Doc: lint.Doc{
		Title: "ssl_cert without ssl_key, or ssl_key without ssl_cert",
		Why: "Given only one of the two, the server reads the other from the same file (OpenSSL takes the first " +
			"certificate and the first private key of a PEM file), so a file that holds both is sound and is not " +
			"reported when the repository has it. Unless that file holds " +
			"both the certificate and the private key, MariaDB refuses to start (observed on 10.11: \"Unable to " +
			"get private key\" from the certificate's path) and MySQL logs the TLS error and starts without TLS, " +
			"so clients that require TLS fail with ERROR 2026; with `tls_certificates_enforced_validation=ON` " +
			"(MySQL 8.1.0+) MySQL **exits** at startup instead (`TLS_channel::singleton_init` stops on any TLS " +
			"setup error).",
		Fix:  "Set both `ssl_cert` and `ssl_key`.",
		Bad:  "[mysqld]\nssl_cert=/etc/mysql/server-cert.pem\n",
		Good: "[mysqld]\nssl_cert=/etc/mysql/server-cert.pem\nssl_key=/etc/mysql/server-key.pem\n",
		Sources: []string{
			facts.SrcVIO,
			"https://docs.openssl.org/3.0/man3/SSL_CTX_use_certificate/",
			facts.SrcMY80UEC,
			facts.SrcMDBSysV,
			facts.SrcEnforcedValidation, facts.SrcEnforcedValidationData,
		},
	},
	Requires: []*lint.Analysis{serverReadingsAnalysis},
	Run:      runCertWithoutKey,
}

func runCertWithoutKey(pass *lint.Pass) {
	alone := func(r serverReading) (place, bool) {
		switch {
		case r.Off != nil || r.NoProtocols || (r.Cert == nil) == (r.Key == nil): // tls_version='' is TLS off too
			return place{}, false
		case holdsBoth(pass.Project, r.Cert) || holdsBoth(pass.Project, r.Key):
			return place{}, false
		case r.Cert != nil:
			return place{Opt: r.Cert}, true
		}
		return place{Opt: r.Key}, true
	}
	eachServerFinding(pass, alone, func(rs []serverReading, j serverFinding) {
		o := j.Key.Opt
		missing, reads, failure := "ssl_key", "private key", "Unable to get private key"
		if o.Name == "ssl_key" {
			missing, reads, failure = "ssl_cert", "certificate", "Unable to get certificate"
		}
		if strings.Contains(o.Key, "-") {
			missing = strings.ReplaceAll(missing, "_", "-")
		}
		mysql, mariadb := flavoursOf(j.Flavors)
		var effects []string
		if mariadb {
			effects = append(effects, fmt.Sprintf("MariaDB refuses to start (%q)", failure))
		}
		switch {
		case mysql && enforcedIn(rs):
			effects = append(effects, "MySQL cannot set up TLS, and "+enforcedExit)
		case mysql:
			effects = append(effects, "MySQL starts without TLS and clients that require it fail with ERROR 2026")
		}
		unless := "so unless that file holds both,"
		if path := pkiPath(pass.Project, o); path != "" {
			unless = "and " + path + " holds none:"
		}
		d := lint.Diagnostic{Span: o.KeySpan, Message: fmt.Sprintf("%s without %s%s: the server reads the %s from the same file, %s "+
			"%s; set %s", o.Key, missing, qualify(j.Where), reads, unless, strings.Join(effects, " and "), missing)}
		if mysql && enforcedIn(rs) {
			d.Severity = lint.Error // the server does not start
		}
		pass.Report(d)
	})
}

// enforcedIn reports whether a MySQL reading of the server sets
// tls_certificates_enforced_validation=ON.
func enforcedIn(rs []serverReading) bool {
	for _, r := range rs {
		if r.Enforced {
			return true
		}
	}
	return false
}

// holdsBoth reports whether the repository file o names holds a
// certificate and a private key, which the server then loads both from:
// given only one of ssl_cert and ssl_key it names the file for the other
// (vio_set_cert_stuff, facts.SrcVIO), and SSL_CTX_use_certificate_file and
// SSL_CTX_use_PrivateKey_file take the first certificate and the first
// private key of a PEM file
// (https://docs.openssl.org/3.0/man3/SSL_CTX_use_certificate/).
func holdsBoth(p *model.Project, o *model.Setting) bool {
	f := p.PKI[pkiPath(p, o)]
	return o != nil && f != nil && len(f.Certs) > 0 && len(f.Keys) > 0
}

// pkiPath is the repository file setting o names, when it was read as a
// certificate or key file; "" otherwise.
func pkiPath(p *model.Project, o *model.Setting) string {
	if r := p.RefOf[o]; r != nil && p.PKI[r.Path] != nil {
		return r.Path
	}
	return ""
}
