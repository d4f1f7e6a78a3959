package cli

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/tlsvet/tlsvet/internal/report/sariftest"
	"github.com/tlsvet/tlsvet/rules"
)

// run executes the command in dir and returns exit code, stdout, stderr.
func run(t *testing.T, dir string, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	c := &Command{Stdout: &out, Stderr: &errb, Dir: dir, Getenv: func(string) string { return "" }}
	code := c.Main(args)
	return code, out.String(), errb.String()
}

func repoRoot(t *testing.T) string {
	t.Helper()
	root, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	return root
}

func writeFiles(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, text := range files {
		write(t, dir, name, text)
	}
	return dir
}

// write writes one file, a slash path under dir.
func write(t *testing.T, dir, name, text string) {
	t.Helper()
	p := filepath.Join(dir, filepath.FromSlash(name))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
}

var findingLine = regexp.MustCompile(`(?m)^testdata/demo/[^:]+\.cnf:\d+:\d+: (error|warning|note): .+ \[TV\d{3} [a-z0-9-]+\]$`)

// TestDemo is the README's first command: real findings with positions,
// snippets and rule IDs, exit code 1.
func TestDemo(t *testing.T) {
	code, out, stderr := run(t, repoRoot(t), "testdata/demo")
	if code != ExitFindings {
		t.Fatalf("exit code %d, want 1; stderr: %s", code, stderr)
	}
	if n := len(findingLine.FindAllString(out, -1)); n < 8 {
		t.Errorf("want at least 8 findings with file:line:col and rule ID, got %d:\n%s", n, out)
	}
	for _, want := range []string{
		"testdata/demo/etc/mysql/conf.d/tls.cnf:", // a finding inside an !includedir file
		"[TV107 whitespace-in-list]",
		"[TV006 bad-value]",
		"[TV004 removed-option]",
		"[TV007 ignored-group]",
		"^~",
		// The client side: a Go DSN in .env, a Spring URL, an ODBC data source.
		"testdata/demo/app/.env:2:47: warning: go-sql-driver/mysql `tls=skip-verify`",
		"testdata/demo/app/src/main/resources/application.properties:2:58: warning: MySQL Connector/J `useSSL=false`",
		"testdata/demo/reports/odbc.ini:5:1: warning: MySQL Connector/ODBC ([shop]) `SSLMODE=PREFERRED`",
		"testdata/demo/deploy/compose.yaml:14:43: error: go-sql-driver/mysql connects without TLS, but the server it reaches requires secure transport: the client fails with Error 3159",
		"testdata/demo/deploy/compose.yaml:7:60: error: the server certificate deploy/certs/server-cert.pem (CN=db) expired on 2021-01-01",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("demo output lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "app/my.cnf") {
		t.Errorf("the sound app/my.cnf must have no findings:\n%s", out)
	}
}

// TestNoSecretsInOutput: no password from any file appears in any format.
func TestNoSecretsInOutput(t *testing.T) {
	for _, f := range []string{"text", "json", "sarif", "github"} {
		_, out, _ := run(t, repoRoot(t), "--format", f, "testdata/demo")
		if strings.Contains(out, "s3cr3t") || strings.Contains(out, "Pa55") {
			t.Errorf("--format %s prints the demo's password", f)
		}
	}
	dir := writeFiles(t, map[string]string{"my.cnf": "[client]\npassword=hunter2#x ; y\nssl-mode=DISABLED\npassword\n[mysqld]\npassword = 'p#w;d'\n"})
	for _, f := range []string{"text", "json", "sarif", "github"} {
		_, out, _ := run(t, dir, "--format", f, ".")
		if strings.Contains(out, "hunter2") || strings.Contains(out, "p#w") {
			t.Errorf("--format %s prints a password:\n%s", f, out)
		}
	}
}

func TestSoundConfigIsQuiet(t *testing.T) {
	dir := writeFiles(t, map[string]string{
		"etc/my.cnf": "[mysqld]\nssl_ca=/etc/mysql/ca.pem\nssl_cert=/etc/mysql/server-cert.pem\nssl_key=/etc/mysql/server-key.pem\n" +
			"tls_version=TLSv1.2,TLSv1.3\nrequire_secure_transport=ON\n\n[client]\nssl-mode=VERIFY_IDENTITY\nssl-ca=/etc/mysql/ca.pem\n",
	})
	code, out, stderr := run(t, dir, "--target", "mysql-8.0.36", ".")
	if code != ExitClean || out != "" || stderr != "" {
		t.Fatalf("exit %d, stdout %q, stderr %q; want 0 and silence", code, out, stderr)
	}
	code, out, _ = run(t, dir, "--format", "sarif", ".")
	if code != ExitClean {
		t.Fatalf("sarif of a clean run: exit %d", code)
	}
	sariftest.Validate(t, []byte(out)) // also asserts that results is present when empty
	code, out, _ = run(t, dir, "--format", "json", ".")
	var doc struct {
		Findings []any `json:"findings"`
	}
	if code != ExitClean || json.Unmarshal([]byte(out), &doc) != nil || doc.Findings == nil || len(doc.Findings) != 0 {
		t.Fatalf("json of a clean run = %q (exit %d), want an empty findings array", out, code)
	}
}

func TestFlagsInAnyPosition(t *testing.T) {
	root := repoRoot(t)
	_, a, _ := run(t, root, "--format", "json", "--fail-on=error", "testdata/demo")
	_, b, _ := run(t, root, "testdata/demo", "--fail-on", "error", "--format=json")
	_, c, _ := run(t, root, "check", "testdata/demo", "--format", "json")
	if a == "" || a != b || a != c {
		t.Fatalf("flag position changed the output:\n%s\n---\n%s\n---\n%s", a, b, c)
	}
}

func TestUsageErrors(t *testing.T) {
	root := repoRoot(t)
	for _, tc := range []struct {
		args []string
		msg  string
	}{
		{[]string{"--bogus", "testdata/demo"}, "flag provided but not defined"},
		{[]string{"--format", "xml", "testdata/demo"}, "want text, json, sarif or github"},
		{[]string{"--fail-on", "fatal", "testdata/demo"}, "unknown severity"},
		{[]string{"--target", "oracle-19", "testdata/demo"}, "oracle-19"},
		{[]string{"--disable", "TV999", "testdata/demo"}, "unknown rule"},
		{[]string{"no/such/path"}, "no such file"},
		{[]string{"--format", "json", "--format", "sarif", "testdata/demo"}, "only one format"},
		{[]string{"explain", "TV999"}, "no rule"},
		{[]string{"--format", "sarif", "no/such/path"}, "no such file"},
		{[]string{"--format", "json", "--config", "missing.toml", "testdata/demo"}, "missing.toml"},
		{[]string{"--format", "sarif", "--baseline", "missing.json", "testdata/demo"}, "missing.json"},
	} {
		code, out, stderr := run(t, root, tc.args...)
		if code != ExitUsage || !strings.Contains(stderr, tc.msg) || out != "" {
			t.Errorf("%v: exit %d, stderr %q, stdout %q; want 2 with %q on stderr only", tc.args, code, stderr, out, tc.msg)
		}
	}
}

func TestBadConfigIsExit2WithLine(t *testing.T) {
	dir := writeFiles(t, map[string]string{
		".tlsvet.toml": "target = [\"mysql-8.0\"]\n[rules]\ndisabel = [\"TV602\"]\n",
		"my.cnf":       "[mysqld]\ntls_version=TLSv1.2,TLSv1.3\n",
	})
	code, out, stderr := run(t, dir, ".")
	if code != ExitUsage || out != "" || !strings.Contains(stderr, ".tlsvet.toml:3:1") || !strings.Contains(stderr, `did you mean "disable"`) {
		t.Fatalf("exit %d, stderr %q, stdout %q", code, stderr, out)
	}
}

func TestFailOnAndDisable(t *testing.T) {
	dir := writeFiles(t, map[string]string{"my.cnf": "[mysqld]\ntls_version=TLSv1.2,TLSv1.3\ntls_version=TLSv1.3\n"})
	code, out, _ := run(t, dir, "--enable", "TV009", ".")
	if code != ExitClean || !strings.Contains(out, "TV009") {
		t.Fatalf("a note must be printed but not fail the run at --fail-on warning: exit %d\n%s", code, out)
	}
	if code, _, _ := run(t, dir, "--enable", "TV009", "--fail-on", "note", "."); code != ExitFindings {
		t.Fatalf("--fail-on note: exit %d, want 1", code)
	}
	if code, out, _ := run(t, dir, "--enable", "TV0", "--disable", "duplicate-setting", "."); code != ExitClean || out != "" {
		t.Fatalf("--disable by name: exit %d\n%s", code, out)
	}
}

// TestSARIFOfDemo validates the demo's SARIF against the official schema
// and GitHub's extra rules, and checks several reports from one run.
func TestSARIFOfDemo(t *testing.T) {
	root := repoRoot(t)
	out := filepath.Join(t.TempDir(), "demo.sarif")
	code, stdout, stderr := run(t, root, "testdata/demo", "--format", "sarif="+out, "--format", "json")
	if code != ExitFindings || stderr != "" {
		t.Fatalf("exit %d, stderr %s", code, stderr)
	}
	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	sariftest.Validate(t, data)
	if !json.Valid([]byte(stdout)) {
		t.Fatalf("stdout is not the JSON report: %s", stdout)
	}
	var log struct {
		Runs []struct {
			Results []struct {
				Locations []struct {
					PhysicalLocation struct {
						ArtifactLocation struct{ URI string } `json:"artifactLocation"`
					} `json:"physicalLocation"`
				} `json:"locations"`
			} `json:"results"`
		} `json:"runs"`
	}
	if err := json.Unmarshal(data, &log); err != nil || len(log.Runs) != 1 || len(log.Runs[0].Results) == 0 {
		t.Fatalf("SARIF has no results: %v", err)
	}
	for _, r := range log.Runs[0].Results {
		// The demo's root (its .tlsvet.toml) is a subdirectory of the
		// repository; GitHub resolves URIs against the repository root.
		if u := r.Locations[0].PhysicalLocation.ArtifactLocation.URI; !strings.HasPrefix(u, "testdata/demo/") {
			t.Errorf("URI %q is not relative to the repository", u)
		}
	}
}

func TestExplainRulesVersion(t *testing.T) {
	code, out, _ := run(t, ".", "explain", "tls-version-hole")
	if code != ExitClean || !strings.HasPrefix(out, "# TV101 tls-version-hole") || !strings.Contains(out, "## Fix") {
		t.Fatalf("explain: exit %d\n%s", code, out)
	}
	code, out, _ = run(t, ".", "rules", "--format", "json")
	var list []map[string]any
	if code != ExitClean || json.Unmarshal([]byte(out), &list) != nil || len(list) != len(rules.All) {
		t.Fatalf("rules --format json: exit %d, %d entries", code, len(list))
	}
	if code, out, _ = run(t, ".", "version"); code != ExitClean || out != "tlsvet "+Version+"\n" {
		t.Fatalf("version: %q", out)
	}
}

// TestSARIFCategory: GitHub reads the category up to the last slash of
// automationDetails.id, so a bare name gets one.
func TestSARIFCategory(t *testing.T) {
	for in, want := range map[string]string{"db": `"id": "db/"`, "db/": `"id": "db/"`, "db/config/": `"id": "db/config/"`} {
		_, out, _ := run(t, repoRoot(t), "--format", "sarif", "--sarif-category", in, "testdata/demo")
		if !strings.Contains(out, want) {
			t.Errorf("--sarif-category %s: want %s in the SARIF", in, want)
		}
	}
}
