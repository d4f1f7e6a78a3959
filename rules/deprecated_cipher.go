package rules

import (
	"github.com/tlsvet/tlsvet/internal/facts"
	"github.com/tlsvet/tlsvet/internal/lint"
)

// DeprecatedCipher is TV203: a cipher outside MySQL's approved list: CBC
// modes with SHA-1 or SHA-2 MACs, static RSA/DH/ECDH key exchange (no
// forward secrecy), DSA, CCM_8. MySQL 8.0.35 deprecates them with a startup
// warning for ssl_cipher/admin_ssl_cipher and TLS_AES_128_CCM_8_SHA256 in
// tls_ciphersuites (MY80-PC https://dev.mysql.com/doc/refman/8.0/en/encrypted-connection-protocols-ciphers.html);
// the 9.x manual allows only the 13 approved ciphers and the four other
// TLSv1.3 suites (ER_BLOCKED_CIPHER, MY95-SV
// https://docs.oracle.com/cd/E17952_01/mysql-9.5-en/server-system-variables.html).
var DeprecatedCipher = &lint.Rule{
	ID:               "TV203",
	Name:             "deprecated-cipher",
	Severity:         lint.Warning,
	SecuritySeverity: "4.3",
	Tags:             []string{"security", "tls", "cipher", "deprecated"},
	Doc: lint.Doc{
		Title: "A cipher list names a weak or deprecated cipher",
		Why: "CBC-mode ciphers with SHA-1 or SHA-2 MACs, static RSA, DH and ECDH key exchange (no forward " +
			"secrecy), DSA authentication and the truncated CCM_8 modes are weak. MySQL 8.0.35 deprecated every " +
			"TLSv1.2 cipher outside its 13 approved ones (a startup warning for `ssl_cipher` and " +
			"`admin_ssl_cipher`) and `TLS_AES_128_CCM_8_SHA256` in `tls_ciphersuites`; the 9.x manual accepts " +
			"only the approved ones (ER_BLOCKED_CIPHER). The message says only what the target's MySQL versions " +
			"do: nothing more than \"weak\" for 5.7 or 8.0 before 8.0.35. Restricted ciphers (RC4, 3DES…) are " +
			"TV201, not this rule.",
		Fix:  "Replace it with an ECDHE cipher using AES-GCM or CHACHA20-POLY1305, such as ECDHE-RSA-AES128-GCM-SHA256.",
		Bad:  "[mysqld]\nssl_cipher=ECDHE-RSA-AES128-GCM-SHA256:AES128-SHA\n",
		Good: "[mysqld]\nssl_cipher=ECDHE-RSA-AES128-GCM-SHA256:ECDHE-RSA-AES256-GCM-SHA384\n",
		Sources: []string{
			facts.SrcMY80PC,
			"https://docs.oracle.com/cd/E17952_01/mysql-9.5-en/server-system-variables.html",
		},
	},
	Requires: []*lint.Analysis{cipherListsAnalysis},
	Run:      runDeprecatedCipher,
}

// Where MySQL's treatment of the ciphers outside its approved list changes.
var (
	cipherDeprecatedAt = facts.V(8, 0, 35)
	cipherApprovedOnly = facts.V(9, 0, 0) // "9.x": the 9.5 manual's rule, boundary not pinned further
)

func runDeprecatedCipher(pass *lint.Pass) {
	cipherLists(pass, func(l *cipherList) {
		l.tokensOwnedBy(pass.Rule.ID, func(t *cipherToken) {
			why := t.Cipher.Why
			approved := "its 13 approved ciphers"
			instead := "an ECDHE cipher with AES-GCM or CHACHA20-POLY1305"
			if t.Cipher.TLS13 {
				why = "truncated 8-byte tag"
				approved = "the other four TLSv1.3 suites"
				instead = "TLS_AES_128_GCM_SHA256 or TLS_AES_256_GCM_SHA384"
			}
			msg := t.Word + " is a weak cipher (" + why + ")"
			if m := mysqlCipherStatus(l, approved); m != "" {
				msg += ", " + m
			}
			pass.Reportf(t.WordSpan, "%s; use %s instead", msg, instead)
		})
	})
}

// mysqlCipherStatus says what the MySQL versions reading the list do with
// a cipher outside the approved list, only for versions the target
// includes: nothing before 8.0.35, a startup warning from 8.0.35, only the
// approved ones in 9.x. "" when no MySQL version in range changes anything.
func mysqlCipherStatus(l *cipherList, approved string) string {
	for _, r := range l.Readers {
		if family(r.Flavor) != facts.MySQL {
			continue
		}
		deprecated := "deprecated by MySQL 8.0.35 (startup warning)"
		if l.Client {
			deprecated = "MySQL deprecates it since 8.0.35"
		}
		only := "MySQL 9.x allows only " + approved
		switch {
		case r.AllBelow(cipherDeprecatedAt):
			return ""
		case l.Client:
			return deprecated
		case r.AllBelow(cipherApprovedOnly):
			return deprecated
		case r.AllAtLeast(cipherApprovedOnly):
			return only
		}
		return deprecated + "; " + only
	}
	return ""
}
