package rules_test

import (
	"testing"

	"github.com/tlsvet/tlsvet/internal/lint"
	"github.com/tlsvet/tlsvet/internal/linttest"
	"github.com/tlsvet/tlsvet/rules"
)

// TestRequireVerificationPolicy checks that require_verification turns the
// TV302 and TV303 findings into errors and leaves them warnings otherwise.
func TestRequireVerificationPolicy(t *testing.T) {
	const cnf = "-- my.cnf --\n[client]\nssl-mode=REQUIRED\n[mysql]\nssl-mode=PREFERRED\n"
	for _, tc := range []struct {
		config string
		want   lint.Severity
	}{
		{"", lint.Warning},
		{"-- .tlsvet.toml --\n[policy]\nrequire_verification = true\n", lint.Error},
		{"-- .tlsvet.toml --\n[policy]\nrequire_verification = false\n", lint.Warning},
	} {
		res := linttest.Check(t, []byte(tc.config+cnf), []*lint.Rule{rules.ClientNoVerify, rules.ClientOpportunisticTLS})
		got := map[string]lint.Severity{}
		for _, d := range res.Diagnostics {
			got[d.RuleID] = d.Severity
		}
		for _, id := range []string{"TV302", "TV303"} {
			if got[id] != tc.want {
				t.Errorf("config %q: %s severity = %v, want %v (findings %v)", tc.config, id, got[id], tc.want, res.Diagnostics)
			}
		}
	}
}
