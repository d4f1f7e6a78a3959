package rules_test

import (
	"fmt"
	"testing"

	"github.com/tlsvet/tlsvet/internal/lint"
	"github.com/tlsvet/tlsvet/internal/linttest"
	"github.com/tlsvet/tlsvet/rules"
)

// TestSecurityLevelBoundaries checks TV504 and TV508 at each side of the
// OpenSSL security level that first refuses a key or signature: an error
// where the configured level refuses it, a warning below it, nothing
// where no level up to the configured one has a reason to complain.
func TestSecurityLevelBoundaries(t *testing.T) {
	const (
		weakKey = "-- server-cert.pem --\n!pki cert cn=db.example.com keytype=%s\n"
		sha1    = "-- ca.pem --\n!pki cert cn=CA ca=yes key=ca\n-- server-cert.pem --\n!pki cert cn=db.example.com issuer=ca.pem sig=sha1\n"
	)
	for _, tc := range []struct {
		rule  *lint.Rule
		level int
		certs string
		want  lint.Severity // 0: no finding
	}{
		{rules.WeakKey, 0, fmt.Sprintf(weakKey, "rsa-1024"), lint.Warning},
		{rules.WeakKey, 1, fmt.Sprintf(weakKey, "rsa-1024"), lint.Warning},
		{rules.WeakKey, 2, fmt.Sprintf(weakKey, "rsa-1024"), lint.Error},
		{rules.WeakKey, 2, fmt.Sprintf(weakKey, "rsa-2048"), 0},
		{rules.WeakKey, 3, fmt.Sprintf(weakKey, "rsa-2048"), lint.Error},
		{rules.WeakKey, 3, fmt.Sprintf(weakKey, "rsa-4096"), 0},
		{rules.WeakKey, 3, fmt.Sprintf(weakKey, "p256"), 0},
		{rules.WeakKey, 4, fmt.Sprintf(weakKey, "p256"), lint.Error},
		{rules.WeakKey, 4, fmt.Sprintf(weakKey, "p384"), 0},
		{rules.WeakKey, 5, fmt.Sprintf(weakKey, "p384"), lint.Error},
		{rules.WeakKey, 4, fmt.Sprintf(weakKey, "ed25519"), lint.Error},
		{rules.WeakSignature, 0, sha1, lint.Warning},
		{rules.WeakSignature, 1, sha1, lint.Error},
		{rules.WeakSignature, 2, sha1, lint.Error},
	} {
		archive := fmt.Sprintf("-- .tlsvet.toml --\n[policy]\nopenssl_security_level = %d\n"+
			"-- my.cnf --\n[mysqld]\nssl_cert=server-cert.pem\n%s", tc.level, tc.certs)
		res := linttest.Check(t, []byte(archive), []*lint.Rule{tc.rule})
		switch {
		case tc.want == 0 && len(res.Diagnostics) != 0:
			t.Errorf("%s at level %d:\n%s\ngot %v, want none", tc.rule.ID, tc.level, tc.certs, res.Diagnostics)
		case tc.want != 0 && len(res.Diagnostics) != 1:
			t.Errorf("%s at level %d:\n%s\ngot %v, want one finding", tc.rule.ID, tc.level, tc.certs, res.Diagnostics)
		case tc.want != 0 && res.Diagnostics[0].Severity != tc.want:
			t.Errorf("%s at level %d:\n%s\nseverity %v, want %v", tc.rule.ID, tc.level, tc.certs, res.Diagnostics[0].Severity, tc.want)
		}
	}
}
