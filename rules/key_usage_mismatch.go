package rules

import (
	"fmt"
	"strings"

	"github.com/tlsvet/tlsvet/internal/lint"
)

// KeyUsageMismatch reports a server certificate whose extended key usage
// leaves out serverAuth, or a client certificate's that leaves out
// clientAuth.
var KeyUsageMismatch = &lint.Rule{
	ID:               "TV510",
	Name:             "key-usage-mismatch",
	Severity:         lint.Error,
	SecuritySeverity: "5.3",
	Tags:             []string{"tls", "certificates"},
	Doc: lint.Doc{
		Title: "A certificate's extended key usage does not allow its role",
		Why: "A certificate without an extended key usage (EKU) extension may be used for anything, but one " +
			"with the extension is good only for the usages it lists. OpenSSL checks the server certificate for " +
			"the sslserver purpose (EKU serverAuth) and a client certificate for sslclient (clientAuth); " +
			"anyExtendedKeyUsage alone satisfies neither. A server certificate issued for clientAuth only, or a " +
			"client certificate issued for serverAuth only, fails verification with ERROR 2026 (OpenSSL 3: \"unsuitable " +
			"certificate purpose\"; 1.1.1: \"unsupported certificate purpose\"; Go: \"certificate specifies an " +
			"incompatible key usage\"); a server refusing a client certificate makes the client print \"sslv3 alert " +
			"unsupported certificate\". MySQL's manual says " +
			"client certificates with the extension must include clientAuth.",
		Fix:  "Reissue the certificate with extendedKeyUsage = serverAuth (server) or clientAuth (client), or without the extension.",
		Bad:  "-- my.cnf --\n[mysqld]\nssl_cert=server-cert.pem\n-- server-cert.pem --\n!pki cert cn=db eku=client\n",
		Good: "-- my.cnf --\n[mysqld]\nssl_cert=server-cert.pem\n-- server-cert.pem --\n!pki cert cn=db eku=server\n",
		Sources: []string{
			"https://docs.openssl.org/3.0/man1/openssl-verification-options/",
			"https://docs.openssl.org/3.0/man5/x509v3_config/",
			"https://github.com/openssl/openssl/blob/openssl-3.0.0/ssl/ssl_cert.c",
			"https://dev.mysql.com/doc/refman/8.0/en/creating-ssl-rsa-files-using-mysql.html",
			"https://pkg.go.dev/crypto/x509#VerifyOptions",
		},
	},
	Run: runKeyUsageMismatch,
}

func runKeyUsageMismatch(pass *lint.Pass) {
	for _, r := range pass.Project.FileRefs {
		side := certSide(r.Role)
		f := pass.Project.PKI[r.Path]
		if side == "" || f == nil || len(f.Certs) == 0 {
			continue
		}
		c := f.Certs[0]
		want, ok := "serverAuth", c.ServerAuth
		if side == "client" {
			want, ok = "clientAuth", c.ClientAuth
		}
		if !c.HasEKU || ok {
			continue
		}
		pass.Report(lint.Diagnostic{Span: r.Setting.ValueOrKey(), Message: fmt.Sprintf(
			"the %s %s (%s) has extended key usage %s without %s: %s; reissue it with extendedKeyUsage = %s",
			r.Role, r.Path, certName(c), strings.Join(c.ExtKeyUsage, ", "), want,
			rejectedBy(side, "unsuitable certificate purpose", "sslv3 alert unsupported certificate"), want),
			Related: []lint.Related{{Span: c.Span, Message: "the certificate"}}})
	}
}

// certSide says which end of a connection presents a certificate of a
// file reference's role: "server", "client", or "" for keys, CAs and CRLs.
// Group Replication's recovery channel connects as a client.
func certSide(role string) string {
	switch role {
	case "server certificate", "admin certificate":
		return "server"
	case "client certificate", "replication client certificate":
		return "client"
	}
	return ""
}
