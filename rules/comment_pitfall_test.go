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

// TestSemicolonProtocolSeverity: a " ;" comment after a protocol list is
// an error where a MariaDB server reads it (it refuses to start, observed
// on 10.11.19) and a warning where only MySQL does (it drops a protocol).
func TestSemicolonProtocolSeverity(t *testing.T) {
	for _, tc := range []struct {
		target string
		want   lint.Severity
	}{
		{"", lint.Error},
		{"mariadb-10.11.19", lint.Error},
		{"mysql-8.0.36", lint.Warning},
	} {
		archive := "-- my.cnf --\n[mysqld]\ntls_version=TLSv1.2,TLSv1.3 ; no old ones\n"
		if tc.target != "" {
			archive = "-- .tlsvet.toml --\ntarget = [\"" + tc.target + "\"]\n" + archive
		}
		res := linttest.Check(t, []byte(archive), []*lint.Rule{rules.CommentPitfall})
		if len(res.Diagnostics) != 1 || res.Diagnostics[0].Severity != tc.want {
			t.Errorf("target %q: got %v, want one finding of severity %v", tc.target, res.Diagnostics, tc.want)
		}
	}
}
