package rules

import (
	"fmt"
	"strings"

	"github.com/tlsvet/tlsvet/internal/facts"
	"github.com/tlsvet/tlsvet/internal/lint"
	"github.com/tlsvet/tlsvet/internal/model"
)

// BadPEM reports a certificate or key file the server cannot load as it
// stands: DER instead of PEM, truncated or malformed PEM, a certificate
// signing request where a certificate belongs, an encrypted key.
var BadPEM = &lint.Rule{
	ID:               "TV505",
	Name:             "bad-pem",
	Severity:         lint.Error,
	SecuritySeverity: "5.3",
	Tags:             []string{"tls", "certificates"},
	Doc: lint.Doc{
		Title: "A certificate or key file cannot be loaded",
		Why: "MySQL and MariaDB load ssl_cert, ssl_key, ssl_ca and ssl_crl with OpenSSL's PEM readers: a DER file, a " +
			"PEM block cut short or with a broken body, or a certificate signing request (CSR) where a " +
			"certificate belongs cannot be loaded, so the server starts without TLS (MySQL) or refuses to " +
			"start (MariaDB), and a client given such a CA fails with ERROR 2026. An encrypted private key " +
			"needs a passphrase, which OpenSSL asks for on a terminal a server started as a service does not " +
			"have: MySQL cannot read it unattended, nor can MariaDB before 12.0; MariaDB 12.0 and later read it " +
			"from ssl_passphrase (pass:, env: or file:), and then the key is not reported. A key file that holds " +
			"no private key cannot be loaded either. MySQL then logs the error and starts without TLS, or exits " +
			"at startup with tls_certificates_enforced_validation=ON (MySQL 8.1 and later).",
		Fix: "Convert DER to PEM (openssl x509 -inform der -in cert.der -out cert.pem), restore the file, point " +
			"the option at the signed certificate rather than the request, or store the key unencrypted with " +
			"restricted permissions.",
		Bad:  "-- my.cnf --\n[mysqld]\nssl_cert=server-cert.pem\n-- server-cert.pem --\n!pki cert cn=db.example.com format=truncated\n",
		Good: "[mysqld]\nssl_cert=/etc/mysql/certs/server-cert.pem\n",
		Sources: []string{
			"https://docs.openssl.org/3.0/man3/PEM_read_bio_PrivateKey/",
			"https://dev.mysql.com/doc/refman/8.4/en/using-encrypted-connections.html",
			// A CRL that X509_STORE_load_locations cannot load fails the TLS setup.
			"https://github.com/MariaDB/server/blob/11.4/vio/viosslfactories.c",
			"https://mariadb.com/docs/server/security/encryption/data-in-transit-encryption/ssltls-system-variables",
			srcSSLKey,
			facts.SrcVIO,
			facts.SrcEnforcedValidation,
		},
	},
	Requires: []*lint.Analysis{serverReadingsAnalysis, fileReadersAnalysis},
	Run:      runBadPEM,
}

func runBadPEM(pass *lint.Pass) {
	for _, r := range pass.Project.FileRefs {
		f := pass.Project.PKI[r.Path]
		if f == nil {
			continue
		}
		isKey := strings.HasSuffix(r.Role, "key")
		wantCert := !isKey && r.Role != "CRL"
		var what string
		switch {
		case f.DER:
			what = "is DER, not PEM: OpenSSL's PEM reader, which the server and clients use, cannot load it"
		case len(f.Problems) > 0:
			what = "cannot be loaded: " + f.Problems[0].Message
		case wantCert && f.CSR && len(f.Certs) == 0:
			what = "is a certificate signing request, not a certificate: it cannot be loaded as one"
		case isKey && len(f.Keys) == 0:
			// SSL_CTX_use_PrivateKey_file reads the first private key of
			// the file and skips other PEM blocks; a file without one
			// fails (https://docs.openssl.org/3.0/man3/SSL_CTX_use_certificate/).
			what = "holds no private key, so OpenSSL finds none to load"
		case isKey && f.Keys[0].Encrypted:
			reportEncryptedKey(pass, r)
			continue
		default:
			continue
		}
		pass.Report(lint.Diagnostic{Span: r.Setting.ValueOrKey(), Message: fmt.Sprintf(
			"the %s %s %s: %s", r.Role, r.Path, what, loadFailure(pass, r)),
			Related: []lint.Related{{Span: f.At, Message: "the file"}}})
	}
}

// loadFailure says what happens when the file r names cannot be loaded:
// the servers that read it log what OpenSSL could not get (the texts of
// ssl_error_string in facts.SrcVIO; MariaDB's observed on 10.11,
// docs/mariadb-observations.md §4a), and a client fails.
func loadFailure(pass *lint.Pass, r model.FileRef) string {
	f := readersOf(pass, r.Setting)
	if !f.server() {
		return "a client given it cannot set up TLS and fails with ERROR 2026"
	}
	mariadbLog, mysqlLog := "Unable to get certificate", "Unable to get certificate"
	switch {
	case strings.HasSuffix(r.Role, "key"):
		mariadbLog, mysqlLog = "Unable to get private key", "Unable to get private key"
	case r.Role == "CA" || r.Role == "CRL":
		mariadbLog, mysqlLog = "Failed to setup SSL", "SSL_CTX_set_default_verify_paths failed"
	}
	return f.refuse(mariadbLog, mysqlLog)
}

// reportEncryptedKey reports an encrypted key file r names. Without a
// passphrase OpenSSL asks for one on the terminal, which a service does
// not have, and the key cannot be read: MySQL "prompts the user for the
// passphrase … it cannot be stored in a file" (srcSSLKey). MariaDB 12.0 and
// later read it from ssl_passphrase (facts, option ssl_passphrase).
func reportEncryptedKey(pass *lint.Pass, r model.FileRef) {
	spec, _ := facts.LookupOption("ssl_passphrase")
	life, _ := spec.Lifecycle(facts.MariaDBServer)
	servers := readersOf(pass, r.Setting).servers
	for _, s := range servers {
		var phrase *model.Setting
		if f := s.Settings.Get("ssl_passphrase"); f != nil && hasValue(f.Setting) {
			phrase = f.Setting
		}
		rs := readingsOf(pass, s)
		for _, j := range judgeReadings(s.Target, rs, func(rd serverReading) (place, serverReading, bool) {
			decrypts := phrase != nil && r.Setting.Name == "ssl_key" && family(rd.Piece.Flavor) == facts.MariaDB &&
				!rd.Piece.Min.Less(life.Added)
			return place{Opt: r.Setting}, rd, !decrypts
		}) {
			mysql, mariadb := flavoursOf(j.Flavors)
			effect := fileReaders{mysql: mysql, mariadb: mariadb, enforced: mysql && enforcedIn(rs)}.refuse(
				"Unable to get private key", "Unable to get private key")
			why, fix := "nothing gives the server its passphrase", ""
			switch {
			case phrase != nil:
				why = "ssl_passphrase is read only by MariaDB 12.0 and later"
			case mariadb && r.Setting.Name == "ssl_key":
				fix = ", or on MariaDB 12.0 and later give the passphrase in ssl_passphrase"
			}
			pass.Report(lint.Diagnostic{Span: r.Setting.ValueOrKey(), Message: fmt.Sprintf(
				"the %s %s is encrypted and %s%s: OpenSSL asks for the passphrase on a terminal, which a server "+
					"started as a service does not have, so %s; store the key unencrypted with restricted permissions%s",
				r.Role, r.Path, why, qualify(j.Where), effect, fix),
				Related: []lint.Related{{Span: pass.Project.PKI[r.Path].At, Message: "the file"}}})
		}
	}
	if len(servers) == 0 {
		pass.Report(lint.Diagnostic{Span: r.Setting.ValueOrKey(), Message: fmt.Sprintf(
			"the %s %s is encrypted: the client asks for the passphrase on a terminal and, run unattended, fails "+
				"with ERROR 2026; store the key unencrypted with restricted permissions", r.Role, r.Path),
			Related: []lint.Related{{Span: pass.Project.PKI[r.Path].At, Message: "the file"}}})
	}
}

// srcSSLKey is the MySQL manual on ssl_key and its passphrase.
const srcSSLKey = "https://dev.mysql.com/doc/refman/8.4/en/server-system-variables.html#sysvar_ssl_key"
