package rules

import (
	"fmt"

	"github.com/tlsvet/tlsvet/internal/facts"
	"github.com/tlsvet/tlsvet/internal/lint"
	"github.com/tlsvet/tlsvet/internal/model"
)

// KeyCertMismatch reports a private key that does not belong to the
// certificate it is paired with. MariaDB 10.11 refuses to start with
// "Unable to get private key" (docs/mariadb-observations.md §4a, config
// 14-key-mismatch); MySQL's vio_set_cert_stuff fails with
// SSL_INITERR_NOMATCH, "Private key does not match the certificate public
// key" (facts.SrcVIO), and the server runs without TLS.
var KeyCertMismatch = &lint.Rule{
	ID:               "TV503",
	Name:             "key-cert-mismatch",
	Severity:         lint.Error,
	SecuritySeverity: "5.3",
	Tags:             []string{"tls", "certificates"},
	Doc: lint.Doc{
		Title: "The private key does not belong to the certificate",
		Why: "When a TLS context is built, OpenSSL checks that the private key is the certificate's " +
			"(SSL_CTX_check_private_key). When it is not, MariaDB refuses to start (observed on 10.11: " +
			"\"Unable to get private key\"), and MySQL logs \"Private key does not match the certificate " +
			"public key\" and starts without TLS, so clients that require TLS fail with ERROR 2026; with " +
			"tls_certificates_enforced_validation=ON (MySQL 8.1 and later) it exits at startup. A client given " +
			"a mismatched pair cannot connect over TLS. A file named by ssl_cert alone is read for the key too, " +
			"so a combined file must hold the certificate's own key.",
		Fix: "Point ssl_key at the key the certificate was issued for, or issue a certificate for this key.",
		Bad: "-- my.cnf --\n[mysqld]\nssl_cert=server-cert.pem\nssl_key=server-key.pem\n" +
			"-- server-cert.pem --\n!pki cert cn=db.example.com key=server\n" +
			"-- server-key.pem --\n!pki key key=other\n",
		Good: "-- my.cnf --\n[mysqld]\nssl_cert=server-cert.pem\nssl_key=server-key.pem\n" +
			"-- server-cert.pem --\n!pki cert cn=db.example.com key=server\n" +
			"-- server-key.pem --\n!pki key key=server\n",
		Sources: []string{
			"https://docs.openssl.org/3.0/man3/SSL_CTX_use_certificate/",
			facts.SrcVIO,
			facts.SrcMY80UEC,
			facts.SrcEnforcedValidation,
		},
	},
	Requires: []*lint.Analysis{fileReadersAnalysis},
	Run:      runKeyCertMismatch,
}

// keyPairs are the options that name a certificate and its key.
var keyPairs = [][2]string{
	{"ssl_cert", "ssl_key"},
	{"admin_ssl_cert", "admin_ssl_key"},
	{"group_replication_recovery_ssl_cert", "group_replication_recovery_ssl_key"},
}

func runKeyCertMismatch(pass *lint.Pass) {
	p := pass.Project
	if p.KeyMatches == nil {
		return
	}
	seen := map[[2]*model.Setting]bool{}
	check := func(cert, key *model.Setting, server bool) {
		if cert == nil && key == nil || seen[[2]*model.Setting{cert, key}] {
			return
		}
		seen[[2]*model.Setting{cert, key}] = true
		certSet, keySet, c, bad := mismatchedKey(p, cert, key)
		if !bad {
			return
		}
		effect := "the client cannot set up TLS and fails with ERROR 2026 (\"Private key does not match the certificate public key\")"
		if server {
			effect = readersOf(pass, keySet).refuse("Unable to get private key", "Private key does not match the certificate public key")
		}
		fix := fmt.Sprintf("point %s at the key the certificate was issued for, or issue a certificate for this key", keySet.Key)
		if certSet == keySet {
			fix = fmt.Sprintf("put the certificate's own key in %s, or name its key file with ssl_key", refPath(p, keySet))
		}
		d := lint.Diagnostic{Span: keySet.ValueOrKey(), Message: fmt.Sprintf(
			"the private key in %s (%s) does not belong to the certificate in %s (%s): %s; %s",
			refPath(p, keySet), keySet.Key, refPath(p, certSet), certName(c), effect, fix)}
		if certSet != keySet {
			d.Related = append(d.Related, lint.Related{Span: certSet.ValueOrKey(), Message: "the certificate's setting"})
		}
		d.Related = append(d.Related, lint.Related{Span: c.Span, Message: "the certificate"})
		pass.Report(d)
	}
	for _, s := range p.Servers {
		for _, pair := range keyPairs {
			check(effective(s.Settings, pair[0]), effective(s.Settings, pair[1]), true)
		}
	}
	for _, c := range p.Clients {
		check(effective(c.Settings, "ssl_cert"), effective(c.Settings, "ssl_key"), false)
	}
	for _, c := range p.Connections {
		check(c.Cert, c.Key, false)
	}
}

// mismatchedKey reports whether the private key a server or client reads
// does not belong to its certificate, when the repository holds both
// files: given one of ssl_cert and ssl_key, the other is read from the
// same file (vio_set_cert_stuff, facts.SrcVIO), and
// SSL_CTX_use_PrivateKey_file reads the first key of the file. certSet
// and keySet are the settings the two come from, c the certificate. A
// file that cannot be loaded is not compared (TV505, TV604 report it).
func mismatchedKey(p *model.Project, cert, key *model.Setting) (certSet, keySet *model.Setting, c *model.CertInfo, bad bool) {
	certSet, keySet = cert, key
	if certSet == nil {
		certSet = key
	}
	if keySet == nil {
		keySet = cert
	}
	if certSet == nil || p.KeyMatches == nil {
		return certSet, keySet, nil, false
	}
	cf, kf := p.PKI[refPath(p, certSet)], p.PKI[refPath(p, keySet)]
	if cf == nil || kf == nil || len(cf.Certs) == 0 || len(kf.Keys) == 0 || kf.Keys[0].Encrypted {
		return certSet, keySet, nil, false
	}
	c = cf.Certs[0]
	return certSet, keySet, c, !p.KeyMatches(kf.Keys[0], c)
}
