package rules

import (
	"fmt"

	"github.com/tlsvet/tlsvet/internal/facts"
	"github.com/tlsvet/tlsvet/internal/lint"
	"github.com/tlsvet/tlsvet/internal/model"
)

// mysqlChainFile is the first MySQL that loads ssl_cert with
// SSL_CTX_use_certificate_chain_file; earlier ones read only the first
// certificate (SSL_CTX_use_certificate_file).
var mysqlChainFile = facts.V(8, 0, 30)

// ChainOrder reports a certificate file whose chain is out of order, or
// whose intermediates a MySQL older than 8.0.30 never sends.
var ChainOrder = &lint.Rule{
	ID:               "TV512",
	Name:             "chain-order",
	Severity:         lint.Error,
	SecuritySeverity: "5.3",
	Tags:             []string{"tls", "certificates"},
	Doc: lint.Doc{
		Title: "A certificate chain file is out of order or its intermediates are not sent",
		Why: "A certificate file with a chain is read with SSL_CTX_use_certificate_chain_file: the first " +
			"certificate is the server's (or client's) own, and the rest are sent after it as the chain. With " +
			"a CA first, the server takes the CA for its certificate, ssl_key does not match it, and TLS does not " +
			"come up (MySQL starts without TLS, MariaDB refuses to start). Intermediates that do not each sign the " +
			"certificate before them break RFC 5246's order, which some TLS 1.2 peers enforce (OpenSSL and Go " +
			"reorder, RFC 8446 allows it). MySQL before 8.0.30 read ssl_cert with SSL_CTX_use_certificate_file, " +
			"which keeps only the first certificate (Bug #54158): its intermediates are never sent, and clients " +
			"that trust only the root fail with ERROR 2026 (\"unable to get local issuer certificate\").",
		Fix: "Order the file leaf first, then each intermediate followed by the one that signed it; on MySQL " +
			"before 8.0.30, give clients the intermediates with the root in their CA file, or upgrade.",
		Bad:  "-- my.cnf --\n[mysqld]\nssl_cert=server-chain.pem\n-- ca.pem --\n!pki cert cn=Example_CA ca=yes key=ca\n-- server-chain.pem --\n!pki cert cn=Example_CA ca=yes key=ca\n!pki cert cn=db issuer=ca.pem\n",
		Good: "-- my.cnf --\n[mysqld]\nssl_cert=server-chain.pem\n-- ca.pem --\n!pki cert cn=Example_CA ca=yes key=ca\n-- server-chain.pem --\n!pki cert cn=db issuer=ca.pem\n!pki cert cn=Example_CA ca=yes key=ca\n",
		Sources: []string{
			"https://docs.openssl.org/3.0/man3/SSL_CTX_use_certificate/",
			"https://www.rfc-editor.org/rfc/rfc8446#section-4.4.2",
			"https://bugs.mysql.com/bug.php?id=54158",
			"https://github.com/smallstep/hello-mtls/pull/114",
			"https://github.com/mysql/mysql-server/blob/trunk/vio/viosslfactories.cc",
		},
	},
	Run: runChainOrder,
}

func runChainOrder(pass *lint.Pass) {
	p := pass.Project
	if p.Signs == nil {
		return
	}
	oldMySQL := map[*model.Setting]facts.Target{}
	for _, s := range p.Servers {
		t := s.Target
		if t.Flavor != facts.MySQL || !t.VersionKnown() || !t.AllBelow(mysqlChainFile) {
			continue
		}
		for _, name := range []string{"ssl_cert", "admin_ssl_cert"} {
			if set := s.Settings.Get(name); set != nil {
				oldMySQL[set.Setting] = t
			}
		}
	}
	for _, r := range p.FileRefs {
		f := p.PKI[r.Path]
		if certSide(r.Role) == "" || f == nil || len(f.Certs) < 2 {
			continue
		}
		cs := f.Certs
		report := func(sev lint.Severity, c *model.CertInfo, format string, args ...any) {
			pass.Report(lint.Diagnostic{Span: r.Setting.ValueOrKey(), Severity: sev,
				Message: fmt.Sprintf("the %s %s ", r.Role, r.Path) + fmt.Sprintf(format, args...),
				Related: []lint.Related{{Span: c.Span, Message: "the certificate out of place"}}})
		}
		if leaf := firstLeaf(cs); cs[0].IsCA && leaf > 0 {
			report(lint.Error, cs[0], "starts with a CA certificate (%s) and has its own certificate (%s) at position %d: "+
				"the first certificate is taken for the %s's own, ssl_key does not match it and TLS does not come up; "+
				"put %s first", certName(cs[0]), certName(cs[leaf]), leaf+1, certSide(r.Role), certName(cs[leaf]))
			continue
		}
		out := false
		for i := 0; i+1 < len(cs); i++ {
			if !p.Signs(cs[i+1], cs[i]) {
				report(lint.Warning, cs[i+1], "has certificate %d (%s) after certificate %d (%s), which it did not sign: "+
					"peers that enforce RFC 5246's order reject the chain; order it leaf first, each certificate followed by its issuer",
					i+2, certName(cs[i+1]), i+1, certName(cs[i]))
				out = true
				break
			}
		}
		if t, ok := oldMySQL[r.Setting]; ok && !out && hasIntermediate(cs) {
			report(lint.Error, cs[1], "holds intermediate certificates, but %s reads only the first certificate of "+
				"ssl_cert (MySQL 8.0.30 reads the chain): the intermediates are never sent and clients that trust only "+
				"the root fail with ERROR 2026 (\"unable to get local issuer certificate\"); give clients the "+
				"intermediates in their CA file, or upgrade", t)
		}
	}
}

// firstLeaf returns the index of the first certificate that is not a CA,
// or -1.
func firstLeaf(cs []*model.CertInfo) int {
	for i, c := range cs {
		if !c.IsCA {
			return i
		}
	}
	return -1
}

// hasIntermediate reports whether a chain file holds, after its first
// certificate, one that is not a self-signed root: a root the client
// has anyway is no loss when it is not sent.
func hasIntermediate(cs []*model.CertInfo) bool {
	for _, c := range cs[1:] {
		if !c.SelfSigned {
			return true
		}
	}
	return false
}
