package rules_test

import (
	"fmt"
	"sort"
	"strings"
	"testing"

	"github.com/tlsvet/tlsvet/internal/lint"
	"github.com/tlsvet/tlsvet/internal/linttest"
	"github.com/tlsvet/tlsvet/rules"
)

// TestCipherRulesOwnership runs the TV2xx rules together, as a real run
// does, and checks that each problem gets exactly the findings the
// ownership rules in ciphers.go promise: a token finding and an option
// finding for RC4-MD5, never TV203 for a restricted cipher, TV205 rather
// than TV204 when the protocols already rule everything out.
func TestCipherRulesOwnership(t *testing.T) {
	cipherRules := []*lint.Rule{
		rules.RestrictedCipher, rules.NoUsableCipher, rules.DeprecatedCipher, rules.EcdsaCipherRSACert,
		rules.CipherProtocolMismatch, rules.CipherInWrongOption, rules.UnknownCipher, rules.EmptyTLS13Suites,
	}
	cases := []struct {
		name, cnf string
		want      []string // "ID severity", sorted
	}{
		{"acceptance: RC4-MD5", "[mysqld]\nssl_cipher=RC4-MD5\n",
			[]string{"TV201 warning", "TV202 error"}},
		{"acceptance: TLSv1.3 suite in ssl_cipher, flavour unknown", "[mysqld]\nssl_cipher=TLS_AES_256_GCM_SHA384\n",
			[]string{"TV206 warning"}},
		{"TLSv1.3 suite in ssl_cipher on MySQL", "[mysqld-8.0]\nssl_cipher=TLS_AES_256_GCM_SHA384\n",
			[]string{"TV202 error", "TV206 error"}},
		{"TLSv1.3 suite in ssl_cipher on MariaDB", "[mariadb]\nssl_cipher=TLS_AES_256_GCM_SHA384\n",
			nil},
		{"acceptance: ECDSA only, no certificate, MySQL", "[mysqld-8.0]\nssl_cipher=ECDHE-ECDSA-AES128-GCM-SHA256\n",
			[]string{"TV204 error"}},
		{"acceptance: sound", "[mysqld]\nssl_cipher=ECDHE-RSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES128-GCM-SHA256\n" +
			"tls_ciphersuites=TLS_AES_128_GCM_SHA256:TLS_AES_256_GCM_SHA384\n[client]\nssl-cipher=ECDHE-RSA-AES128-GCM-SHA256\n",
			nil},
		{"restricted is not also deprecated", "[mysqld]\nssl_cipher=DES-CBC3-SHA:ECDHE-RSA-AES128-GCM-SHA256:AES128-SHA\n",
			[]string{"TV201 warning", "TV203 warning"}},
		{"protocols before certificate", "[mysqld-5.7]\ntls_version=TLSv1.1\nssl_cipher=ECDHE-ECDSA-AES128-GCM-SHA256\n",
			[]string{"TV205 error"}},
		{"nothing usable before protocols", "[mysqld-5.7]\ntls_version=TLSv1.1\nssl_cipher=RC4-SHA\n",
			[]string{"TV201 warning", "TV202 error"}},
		{"commas in tls_ciphersuites", "[mysqld-8.0]\ntls_ciphersuites=TLS_AES_128_GCM_SHA256,TLS_AES_256_GCM_SHA384\n",
			[]string{"TV202 error", "TV207 warning"}},
		{"empty tls_ciphersuites", "[mysqld-8.0]\ntls_ciphersuites=\n",
			[]string{"TV208 error"}},
		{"empty tls_ciphersuites, TLSv1.3 off", "[mysqld-8.0]\ntls_version=TLSv1.2\ntls_ciphersuites=\n",
			nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var got []string
			for _, d := range linttest.Check(t, []byte(c.cnf), cipherRules).Diagnostics {
				got = append(got, fmt.Sprintf("%s %s", d.RuleID, d.Severity))
			}
			sort.Strings(got)
			if strings.Join(got, ", ") != strings.Join(c.want, ", ") {
				t.Errorf("got [%s], want [%s]\n%s", strings.Join(got, ", "), strings.Join(c.want, ", "), c.cnf)
			}
		})
	}
}
