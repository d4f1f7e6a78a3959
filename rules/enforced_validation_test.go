package rules_test

import (
	"testing"

	"github.com/tlsvet/tlsvet/internal/lint"
	"github.com/tlsvet/tlsvet/internal/linttest"
	"github.com/tlsvet/tlsvet/rules"
)

// TestEnforcedValidationSeverity checks that a TLS setup error is an
// error when tls_certificates_enforced_validation=ON makes the server exit,
// and keeps the rule's usual severity otherwise.
func TestEnforcedValidationSeverity(t *testing.T) {
	const head = "-- .tlsvet.toml --\ntarget = [\"mysql-8.4\"]\n-- my.cnf --\n[mysqld]\n"
	for _, tc := range []struct {
		rule     *lint.Rule
		cnf      string
		enforced bool
		want     lint.Severity
	}{
		{rules.TLSVersionEmpty, "tls_version=\n", true, lint.Error},
		{rules.TLSVersionEmpty, "tls_version=\n", false, lint.Warning},
		{rules.CertWithoutKey, "ssl_cert=/etc/mysql/cert.pem\n", true, lint.Error},
		{rules.CertWithoutKey, "ssl_cert=/etc/mysql/cert.pem\n", false, lint.Warning},
	} {
		cnf := tc.cnf
		if tc.enforced {
			cnf = "tls_certificates_enforced_validation=ON\n" + cnf
		}
		res := linttest.Check(t, []byte(head+cnf), []*lint.Rule{tc.rule})
		if len(res.Diagnostics) != 1 {
			t.Errorf("%s %q: got %v, want one finding", tc.rule.ID, cnf, res.Diagnostics)
			continue
		}
		if got := res.Diagnostics[0].Severity; got != tc.want {
			t.Errorf("%s %q: severity %v, want %v", tc.rule.ID, cnf, got, tc.want)
		}
	}
}
