package rules

import (
	"fmt"
	"path"

	"github.com/tlsvet/tlsvet/internal/lint"
	"github.com/tlsvet/tlsvet/internal/model"
)

// CRLUnusable reports a CRL file or directory that makes every
// certificate check fail: an expired or not yet valid CRL, or a file
// without one.
var CRLUnusable = &lint.Rule{
	ID:               "TV511",
	Name:             "crl-unusable",
	Severity:         lint.Error,
	SecuritySeverity: "5.3",
	Tags:             []string{"tls", "certificates"},
	Doc: lint.Doc{
		Title: "A CRL makes every certificate check fail",
		Why: "Setting ssl_crl or ssl_crlpath turns on OpenSSL's CRL checking for the whole chain " +
			"(X509_V_FLAG_CRL_CHECK | X509_V_FLAG_CRL_CHECK_ALL). From then on, every certificate verified " +
			"needs a current CRL from its issuer: a CRL past its nextUpdate fails every verification with " +
			"\"CRL has expired\", one whose thisUpdate is still ahead with \"CRL is not yet valid\", and a file " +
			"that holds no CRL (a certificate named by mistake) with \"unable to get certificate CRL\". On a " +
			"client that is ERROR 2026 on every connection; on a server every client certificate is refused. " +
			"CRLs expire by design, usually within days or weeks: a CRL committed to a repository needs a job " +
			"that renews it. A CRL file that cannot be loaded at all is TV505.",
		Fix:  "Publish a fresh CRL from the CA (openssl ca -gencrl) and automate its renewal, or stop naming a CRL.",
		Bad:  "-- my.cnf --\n[mysqld]\nssl_crl=crl.pem\n-- ca.pem --\n!pki cert cn=Example_CA ca=yes key=ca\n-- crl.pem --\n!pki crl issuer=ca.pem from=-30d until=-1d\n",
		Good: "-- my.cnf --\n[mysqld]\nssl_crl=crl.pem\n-- ca.pem --\n!pki cert cn=Example_CA ca=yes key=ca\n-- crl.pem --\n!pki crl issuer=ca.pem from=-1d until=+30d\n",
		Sources: []string{
			"https://github.com/mysql/mysql-server/blob/trunk/vio/viosslfactories.cc",
			"https://docs.openssl.org/3.0/man1/openssl-verification-options/",
			"https://docs.openssl.org/3.0/man3/X509_STORE_CTX_get_error/",
		},
	},
	Requires: []*lint.Analysis{fileReadersAnalysis},
	Run:      runCRLUnusable,
}

func runCRLUnusable(pass *lint.Pass) {
	p := pass.Project
	now := pass.Policy.Clock()
	for _, r := range p.FileRefs {
		server := readersOf(pass, r.Setting).server()
		// openssl is X509_verify_cert_error_string's text for the failure;
		// alert is the TLS alert a server sends a client whose certificate
		// fails so (ssl_verify_alarm_type in ssl/statem/statem_lib.c), as
		// the mariadb client prints it; "" when not observed.
		report := func(related lint.Related, why, openssl, alert, fix string) {
			effect := "the client fails every connection that verifies the server with ERROR 2026"
			if server {
				effect = "the server refuses every client certificate"
				if alert != "" {
					effect += ": " + clientSees(alert)
				}
			}
			pass.Report(lint.Diagnostic{Span: r.Setting.ValueOrKey(), Message: fmt.Sprintf(
				"the %s %s %s: with CRL checking on, OpenSSL fails every verification (%q), so %s; %s",
				r.Role, r.Path, why, openssl, effect, fix), Related: []lint.Related{related}})
		}
		var lists []*model.CRLInfo
		switch r.Role {
		case "CRL":
			f := p.PKI[r.Path]
			if f == nil || f.DER || len(f.Problems) > 0 {
				continue // TV505
			}
			if len(f.CRLs) == 0 {
				report(lint.Related{Span: f.File.Span(0, len(f.File.Content)), Message: "the file"},
					"holds no CRL", "unable to get certificate CRL", "tlsv1 alert unknown ca", "name the CA's CRL file")
				continue
			}
			lists = f.CRLs
		case "CRL directory":
			d := p.PKIDirs[r.Path]
			if d == nil {
				continue
			}
			// OpenSSL reads only the hash-named files (TV513 reports the others).
			for _, n := range sortedFiles(d) {
				if hashedName.MatchString(n) {
					lists = append(lists, d.Files[n].CRLs...)
				}
			}
		}
		for _, l := range lists {
			of := cnOr(l.IssuerCN)
			if l.Span.File.Path != r.Path {
				of += " (" + path.Base(l.Span.File.Path) + ")" // a directory's file
			}
			switch {
			case !l.NextUpdate.IsZero() && now.After(l.NextUpdate):
				report(lint.Related{Span: l.Span, Message: "the CRL"}, fmt.Sprintf("holds a CRL of %s that expired on %s", of, l.NextUpdate.UTC().Format("2006-01-02")),
					"CRL has expired", "sslv3 alert certificate expired", "publish a fresh CRL and renew it before its nextUpdate")
			case now.Before(l.ThisUpdate):
				report(lint.Related{Span: l.Span, Message: "the CRL"}, fmt.Sprintf("holds a CRL of %s that is not valid before %s", of, l.ThisUpdate.UTC().Format("2006-01-02")),
					"CRL is not yet valid", "", "check the CA's clock and reissue the CRL")
			}
		}
	}
}

func cnOr(cn string) string {
	if cn == "" {
		return "an issuer without a CN"
	}
	return "CN=" + cn
}
