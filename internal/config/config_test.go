package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tlsvet/tlsvet/internal/facts"
	"github.com/tlsvet/tlsvet/internal/lint"
	"github.com/tlsvet/tlsvet/rules"
)

func TestParseFullConfig(t *testing.T) {
	c, err := Parse("x.toml", []byte(`target = ["mysql-8.0.36"]
[policy]
min_protocol = "TLSv1.3"
require_verification = true
cert_expiry_days = 14
openssl_security_level = 0
[rules]
disable = ["TV602", "TV2"]
[rules.severity]
TV303 = "error"
[[exclude]]
paths = ["testdata/**", "vendor"]
`), rules.All)
	if err != nil {
		t.Fatal(err)
	}
	r, err := c.Resolve(rules.All)
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Targets) != 1 || r.Targets[0].Flavor != facts.MySQL || !r.Targets[0].Exact() {
		t.Errorf("targets = %v", r.Targets)
	}
	if r.Policy.MinProtocol != facts.TLSv13 || !r.Policy.RequireVerification || r.Policy.CertExpiryDays != 14 ||
		r.Policy.OpenSSLSecurityLevel != 0 {
		t.Errorf("policy = %+v", r.Policy)
	}
	for _, rule := range r.Rules {
		if rule.ID == "TV602" || strings.HasPrefix(rule.ID, "TV2") {
			t.Errorf("%s should be disabled", rule.ID)
		}
	}
	if len(r.Rules) == 0 || r.Severity["TV303"] != lint.Error {
		t.Errorf("rules %d, severity %v", len(r.Rules), r.Severity)
	}
	for name, want := range map[string]bool{
		"testdata/demo/my.cnf": true, "vendor/x.cnf": true, "vendor": true, "etc/my.cnf": false, "vendored/x.cnf": false,
	} {
		if got := r.Exclude(name); got != want {
			t.Errorf("Exclude(%q) = %v, want %v", name, got, want)
		}
	}
}

func TestParseErrors(t *testing.T) {
	for _, tc := range []struct{ text, want string }{
		{"[polciy]\nmin_protocol = \"TLSv1.2\"\n", `x.toml:1:2: unknown key "polciy" (did you mean "policy"?)`},
		{"[rules]\ndisabel = []\n", `x.toml:2:1: unknown key "rules.disabel" (did you mean "disable"?)`},
		{"target = \"mysql-8.0\n", "x.toml:1:"},
		{"target = [\"oracle-19\"]\n", `target "oracle-19"`},
		{"[policy]\nmin_protocol = \"TLSv2\"\n", "policy.min_protocol"},
		{"[rules]\ndisable = [\"TV999\"]\n", `unknown rule "TV999"`},
		{"[rules.severity]\nTV101 = \"fatal\"\n", "rules.severity.TV101"},
		{"[[exclude]]\npaths = [\"[\"]\n", "exclude path"},
		{"[policy]\nmin_protocol = \"TLSv2\"\n", "x.toml:2:16: policy.min_protocol"},
		{"[policy]\nrequire_verification = true\ncert_expiry_days = -1\n", "x.toml:3:20: policy.cert_expiry_days must not be negative"},
		{"[policy]\nopenssl_security_level = 6\n", "x.toml:2:26: policy.openssl_security_level = 6 is not an OpenSSL security level (0 to 5)"},
		{"policy.openssl_security_level = -1\n", "x.toml:1:33: policy.openssl_security_level = -1"},
		{"[policy]\nopenssl_security_level = \"2\"\n", "x.toml:2:"},
		{"[policy]\nopenssl_securitylevel = 2\n", `unknown key "policy.openssl_securitylevel" (did you mean "openssl_security_level"?)`},
	} {
		_, err := Parse("x.toml", []byte(tc.text), rules.All)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("Parse(%q) = %v, want an error containing %q", tc.text, err, tc.want)
		}
	}
}

func TestSelectByNamePrefixAndID(t *testing.T) {
	rs, err := Select(rules.All, []string{"TV1", "client-tls-disabled"}, []string{"tv103"})
	if err != nil {
		t.Fatal(err)
	}
	ids := map[string]bool{}
	for _, r := range rs {
		ids[r.ID] = true
	}
	if !ids["TV101"] || ids["TV103"] || !ids["TV301"] || ids["TV201"] {
		t.Errorf("selected %v", ids)
	}
}

// TestFindStopsAtTheRepository: a .tlsvet.toml above the repository (in
// a CI runner's work directory, say) must not pick the scanned root or
// switch rules off; outside any repository only the first directory
// counts.
func TestFindStopsAtTheRepository(t *testing.T) {
	dir := t.TempDir()
	mk := func(name, data string) string {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	mk(".tlsvet.toml", "[rules]\ndisable = [\"TV1\"]\n")
	mk("repo/.git", "gitdir: ../elsewhere\n") // a worktree's .git is a file
	mk("repo/sub/deep/my.cnf", "")
	want := mk("repo/sub/.tlsvet.toml", "")
	mk("plain/sub/my.cnf", "")
	for _, tc := range []struct{ from, want string }{
		{"repo/sub/deep", want},
		{"repo/sub", want},
		{"repo", ""},      // not the parent's
		{"plain/sub", ""}, // no repository: only this directory
		{".", filepath.Join(dir, FileName)},
	} {
		if got := Find(filepath.Join(dir, tc.from)); got != tc.want {
			t.Errorf("Find(%s) = %q, want %q", tc.from, got, tc.want)
		}
	}
	if got := Repository(filepath.Join(dir, "repo/sub/deep")); got != filepath.Join(dir, "repo") {
		t.Errorf("Repository = %q", got)
	}
}

// TestSecurityLevelDefault: a config without the key keeps level 2, the
// Debian and Ubuntu default; an explicit 0 is kept, not taken for "unset".
func TestSecurityLevelDefault(t *testing.T) {
	for text, want := range map[string]int{
		"":                                       2,
		"[policy]\nopenssl_security_level = 0\n": 0,
		"[policy]\nopenssl_security_level = 5\n": 5,
	} {
		c, err := Parse("x.toml", []byte(text), rules.All)
		if err != nil {
			t.Fatal(err)
		}
		r, err := c.Resolve(rules.All)
		if err != nil {
			t.Fatal(err)
		}
		if r.Policy.OpenSSLSecurityLevel != want {
			t.Errorf("%q: level %d, want %d", text, r.Policy.OpenSSLSecurityLevel, want)
		}
	}
}
