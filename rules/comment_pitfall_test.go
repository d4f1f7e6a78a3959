package rules_test

import (
	"testing"

	"github.com/tlsvet/tlsvet/internal/lint"
	"github.com/tlsvet/tlsvet/internal/linttest"
	"github.com/tlsvet/tlsvet/rules"
)

// TestSemicolonCipherSeverity checks that a " ;" comment in a cipher
// string is an error when its words add ciphers, and a warning otherwise.
func TestSemicolonCipherSeverity(t *testing.T) {
	for _, tc := range []struct {
		cnf  string
		want lint.Severity
	}{
		{"ssl_cipher=ECDHE-RSA-AES256-GCM-SHA384 ; no CBC\n", lint.Error},
		{"ssl_cipher=ECDHE-RSA-AES256-GCM-SHA384 ; not AES128-SHA\n", lint.Error},
		{"ssl_cipher=ECDHE-RSA-AES256-GCM-SHA384 ; strong ones\n", lint.Warning},
		{"ssl_cipher=ECDHE-RSA-AES256-GCM-SHA384 ; no RC4\n", lint.Warning},
	} {
		res := linttest.Check(t, []byte("-- my.cnf --\n[mysqld]\n"+tc.cnf), []*lint.Rule{rules.CommentPitfall})
		if len(res.Diagnostics) != 1 {
			t.Errorf("%q: got %v, want one finding", tc.cnf, res.Diagnostics)
			continue
		}
		if got := res.Diagnostics[0].Severity; got != tc.want {
			t.Errorf("%q: severity %v, want %v", tc.cnf, got, tc.want)
		}
	}
}
