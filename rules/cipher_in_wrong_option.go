package rules

import (
	"strings"

	"github.com/tlsvet/tlsvet/internal/facts"
	"github.com/tlsvet/tlsvet/internal/lint"
)

// CipherInWrongOption is TV206: a TLSv1.3 suite in MySQL's ssl_cipher, or a
// TLSv1.2 cipher (or cipher-string keyword) in tls_ciphersuites. MySQL's
// ssl_cipher sets only TLSv1.2-and-older ciphers and its TLSv1.3 suites come
// from tls_ciphersuites (MY80-PC
// https://dev.mysql.com/doc/refman/8.0/en/encrypted-connection-protocols-ciphers.html);
// OpenSSL skips a suite name in a cipher string and a cipher name in a
// suite list (checked with OpenSSL 3.0.19). MariaDB has no
// tls_ciphersuites: its ssl_cipher takes TLSv1.3 suites too (MDB-TLS13
// https://mariadb.com/docs/server/security/encryption/data-in-transit-encryption/using-tlsv13;
// observed, docs/mariadb-observations.md §4b), so a suite there is not reported for
// MariaDB, and worded for both when either may read the group.
var CipherInWrongOption = &lint.Rule{
	ID:       "TV206",
	Name:     "cipher-in-wrong-option",
	Severity: lint.Error,
	Tags:     []string{"tls", "cipher", "correctness"},
	Doc: lint.Doc{
		Title: "A TLSv1.3 suite is in ssl_cipher, or a TLSv1.2 cipher is in tls_ciphersuites",
		Why: "On MySQL, `ssl_cipher` configures TLSv1.2 and older ciphers only; TLSv1.3 suites go in " +
			"`tls_ciphersuites` (8.0.16 and later). A suite name in `ssl_cipher` is skipped, so the restriction " +
			"the line seems to make does not happen, and when nothing else is listed MySQL starts without TLS " +
			"(TV202). A TLSv1.2 cipher or a keyword such as HIGH in `tls_ciphersuites` is skipped the same way. " +
			"MariaDB has no `tls_ciphersuites` and takes TLSv1.3 suites in `ssl_cipher`, so this is flagged for " +
			"MariaDB only as a warning when the group may be read by either server.",
		Fix:  "Move TLSv1.3 suites to tls_ciphersuites and TLSv1.2 ciphers to ssl_cipher.",
		Bad:  "[mysqld]\nssl_cipher=TLS_AES_256_GCM_SHA384\n",
		Good: "[mysqld]\nssl_cipher=ECDHE-RSA-AES256-GCM-SHA384\ntls_ciphersuites=TLS_AES_256_GCM_SHA384\n",
		Sources: []string{
			facts.SrcMY80PC,
			facts.SrcMDBTLS13,
		},
	},
	Requires: []*lint.Analysis{cipherListsAnalysis},
	Run:      runCipherInWrongOption,
}

func runCipherInWrongOption(pass *lint.Pass) {
	cipherLists(pass, func(l *cipherList) {
		other := counterpart(l)
		l.tokensOwnedBy(pass.Rule.ID, func(t *cipherToken) {
			d := lint.Diagnostic{Span: t.WordSpan}
			switch {
			case !l.Suites:
				d.Message = t.Word + " is a TLSv1.3 suite: MySQL ignores it in " + l.Opt.Name +
					", which sets only TLSv1.2 and older ciphers; put it in " + other + " (MySQL " + addedIn(other) + " and later)"
				if l.reads(facts.MariaDB) {
					d.Severity = lint.Warning
					d.Message = t.Word + " is a TLSv1.3 suite: MySQL ignores it in " + l.Opt.Name + " (TLSv1.3 suites go in " +
						other + ", " + addedIn(other) + " and later), while MariaDB, which has no " + other + ", takes it here"
				}
			case t.Named && t.IANA:
				d.Message = t.Word + " names the TLSv1.2 cipher " + t.Cipher.Name + ": " + l.Opt.Name +
					" takes only TLSv1.3 suites, so it cannot be used there; list " + t.Cipher.Name + " in " + other
			case t.Named:
				d.Message = t.Word + " is a TLSv1.2 cipher: " + l.Opt.Name +
					" takes only TLSv1.3 suites, so OpenSSL skips it; list it in " + other
			default:
				d.Message = t.Word + " is cipher-string syntax for " + other + ": " + l.Opt.Name +
					" takes only TLSv1.3 suite names, so OpenSSL skips it"
			}
			pass.Report(d)
		})
	})
}

// counterpart is the option the misplaced names belong in:
// tls_ciphersuites for ssl_cipher, admin_ssl_cipher for
// admin_tls_ciphersuites, and so on.
func counterpart(l *cipherList) string {
	if l.Suites {
		return strings.Replace(l.Opt.Name, "tls_ciphersuites", "ssl_cipher", 1)
	}
	return strings.Replace(l.Opt.Name, "ssl_cipher", "tls_ciphersuites", 1)
}

// addedIn is the MySQL release that added option name: "8.0.16" for
// tls_ciphersuites, "8.0.21" for admin_tls_ciphersuites (facts catalogue).
func addedIn(name string) string {
	spec, _ := facts.LookupOption(name)
	lc, _ := spec.Lifecycle(facts.MySQLServer)
	return lc.Added.String()
}
