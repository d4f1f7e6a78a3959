package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tlsvet/tlsvet/internal/report"
)

// secretFiles holds each way a secret reached an output before it was
// marked: secret-named lines in snippets, a password before any group
// (TV001), the TV008 fix of a MariaDB passphrase cut at '#', keys the
// baseline's regexp missed, and a password just below a fixable finding
// (SARIF line hash window, --diff context).
func secretFiles(pw string) map[string]string {
	return map[string]string{
		"a.cnf": "password=" + pw + "\n[client]\n",
		"b.cnf": "[client]\nssl-password=" + pw + "\nssl-key-pass=" + pw + "\nssl-pass=" + pw + "\n" +
			"[mariadbd]\nssl_passphrase=" + pw + "#x\n",
		"c.cnf": "[mysqld]\ntls_version=TLSv1,TLSv1.2\nport=3306\npassword=" + pw + "\n",
	}
}

func TestSecretsInNoOutput(t *testing.T) {
	dir := writeFiles(t, secretFiles("hunter2"))
	outputs := map[string]string{}
	for _, format := range []string{"text", "json", "sarif", "github"} {
		_, out, stderr := run(t, dir, "--format", format, ".")
		outputs[format], outputs[format+" stderr"] = out, stderr
	}
	_, outputs["--diff"], outputs["--diff stderr"] = run(t, dir, "--diff", ".")
	_, _, outputs["baseline stderr"] = run(t, dir, "baseline", "write", "base.json", ".")
	b, err := os.ReadFile(filepath.Join(dir, "base.json"))
	if err != nil {
		t.Fatal(err)
	}
	outputs["baseline"] = string(b)
	for name, out := range outputs {
		if strings.Contains(out, "hunter2") {
			t.Errorf("%s shows the secret:\n%s", name, out)
		}
	}
	// The outputs still report the findings on those lines.
	for _, s := range []string{"a.cnf:1:1:", "b.cnf:2:1:", "b.cnf:3:1:", "b.cnf:4:1:", "b.cnf:6:", "c.cnf:2:13:"} {
		if !strings.Contains(outputs["text"], s) {
			t.Errorf("text output lacks a finding at %s:\n%s", s, outputs["text"])
		}
	}
	if !strings.Contains(outputs["--diff"], "+tls_version=TLSv1.2") {
		t.Errorf("--diff lacks the fix next to the secret's line:\n%s", outputs["--diff"])
	}
	if !strings.Contains(outputs["--diff stderr"], "b.cnf:6: the diff leaves out a change to a line holding a secret") {
		t.Errorf("--diff does not say it left out the passphrase's fix:\n%s", outputs["--diff stderr"])
	}
	// --fix still applies the withheld fix, and prints nothing of it.
	if _, out, stderr := run(t, dir, "--fix", "."); strings.Contains(out+stderr, "hunter2") {
		t.Errorf("--fix shows the secret:\n%s\n%s", out, stderr)
	}
	if b, _ := os.ReadFile(filepath.Join(dir, "b.cnf")); !strings.Contains(string(b), `ssl_passphrase="hunter2#x"`) {
		t.Errorf("--fix did not quote the passphrase:\n%s", b)
	}
}

// appSecretFiles holds a distinct password in each application file kind
// tlsvet reads (issue 9), in a DSN and under a secret-named key, each
// next to a finding; a fix next to the JSON, TOML and Go passwords puts
// them in --diff's context lines and SARIF's line hash window. It returns
// the files and where the findings next to the passwords are.
func appSecretFiles(pw []string) (files map[string]string, findings []string) {
	files = map[string]string{
		".env":                   "DB=\"app:" + pw[0] + "@tcp(db:3306)/app?tls=skip-verify\"\nDB_PASSWORD=" + pw[1] + "\n",
		"deploy/.env.production": "DATABASE_URL=\"jdbc:mariadb://db/app?user=app&password=" + pw[2] + "&useSsl=true&trustServerCertificate=true\"\n",
		"application.properties": "spring.datasource.url=jdbc:mysql://app:" + pw[3] + "@db/app?useSSL=false\n" +
			"spring.datasource.password=" + pw[4] + "\n",
		"config/application-prod.yml": "spring:\n  datasource:\n    url: \"jdbc:mysql://db/app?user=app&password=" + pw[5] + "&useSSL=false\"\n" +
			"    password: " + pw[6] + "\n",
		"charts/app/values.yaml": "db:\n  dsn: 'app:" + pw[7] + "@tcp(db:3306)/app?tls=skip-verify'\n",
		"config/database.yml":    "production:\n  adapter: mysql2\n  host: db\n  password: " + pw[8] + "\n  ssl_mode: disabled\n",
		"settings.json": "{\n  \"db\": \"Server=db;Uid=app;SslMode=Required;SslCa=ca.pem\",\n  \"password\": \"" + pw[9] + "\",\n" +
			"  \"url\": \"Server=db;Uid=app;Pwd=" + pw[10] + ";SslMode=None\"\n}\n",
		"config.toml": "[db]\ndsn = \"Server=db;Uid=app;SslMode=Required;SslCa=ca.pem\"\npassword = \"" + pw[11] + "\"\n" +
			"url = \"app:" + pw[12] + "@tcp(db:3306)/app?tls=skip-verify\"\n",
		"db.go": "package db\n\nconst dsn = \"Server=db;Uid=app;SslMode=Required;SslCa=ca.pem\"\n\nconst dbPassword = \"" + pw[13] + "\"\n\n" +
			"const url = \"app:" + pw[14] + "@tcp(db:3306)/app?tls=skip-verify\"\n",
		// Lines a parser gave up on: the TV001 snippet shows them.
		"broken/.env":            "DB=\"app:" + pw[15] + "@tcp(db:3306)/app?tls=skip-verify\nX=1\n",
		"broken/application.yml": "spring:\n  datasource:\n    url: jdbc:mysql://db/app\n    password: \"" + pw[16] + "\n    x: 1\n",
		// INI application configs.
		"etc/odbc.ini": "[shop]\nDriver=MySQL ODBC 8.0 Unicode Driver\nSERVER=db\nPWD=" + pw[17] + "\nSSLMODE=PREFERRED\n" +
			"PASSWORD={" + pw[18] + "}\n",
		"conf/grafana.ini":    "[database]\ntype = mysql\nhost = db:3306\npassword = \"\"\"#" + pw[19] + ";\"\"\"\nssl_mode = skip-verify\n",
		"custom/conf/app.ini": "[database]\nDB_TYPE = mysql\nHOST = db:3306\nPASSWD = `" + pw[20] + "`\nSSL_MODE = disable\n",
		"broken/app.ini":      "[database]\nDB_TYPE = mysql\nPASSWD = `" + pw[21] + "\nSSL_MODE = disable\n",
	}
	findings = []string{".env:1:", "deploy/.env.production:1:", "application.properties:1:", "config/application-prod.yml:3:",
		"charts/app/values.yaml:2:", "settings.json:2:", "settings.json:4:", "config.toml:2:", "config.toml:4:", "db.go:3:", "db.go:7:",
		"broken/.env:1:", "broken/application.yml:", "etc/odbc.ini:5:", "conf/grafana.ini:5:", "custom/conf/app.ini:5:",
		"broken/app.ini:3:"}
	return files, findings
}

// appPasswords are appSecretFiles' passwords, one per place.
var appPasswords = []string{
	"pw-env-dsn-1", "pw-env-key-2", "pw-env-url-3", "pw-prop-dsn-4", "pw-prop-key-5", "pw-yaml-dsn-6",
	"pw-yaml-key-7", "pw-values-dsn-8", "pw-rails-key-9", "pw-json-key-10", "pw-json-dsn-11",
	"pw-toml-key-12", "pw-toml-dsn-13", "pw-go-key-14", "pw-go-dsn-15", "pw-broken-env-16",
	"pw-broken-yaml-17", "pw-odbc-18", "pw-odbc-braced-19", "pw-grafana-20", "pw-gitea-21",
	"pw-broken-gitea-22",
}

// TestAppSecretsInNoOutput: no password of an application file appears
// in any format, --diff (stdout and stderr), the baseline command's
// output or the baseline file, or --fix's output.
func TestAppSecretsInNoOutput(t *testing.T) {
	passwords := appPasswords
	files, findings := appSecretFiles(passwords)
	dir := writeFiles(t, files)
	outputs := map[string]string{}
	for _, format := range []string{"text", "json", "sarif", "github"} {
		code, out, stderr := run(t, dir, "--format", format, ".")
		if code != ExitFindings {
			t.Errorf("--format %s: exit %d\n%s", format, code, stderr)
		}
		outputs[format], outputs[format+" stderr"] = out, stderr
	}
	_, outputs["--diff"], outputs["--diff stderr"] = run(t, dir, "--diff", ".")
	_, outputs["baseline stdout"], outputs["baseline stderr"] = run(t, dir, "baseline", "write", "base.json", ".")
	b, err := os.ReadFile(filepath.Join(dir, "base.json"))
	if err != nil {
		t.Fatal(err)
	}
	outputs["baseline"] = string(b)
	_, outputs["--baseline"], outputs["--baseline stderr"] = run(t, dir, "--baseline", "base.json", ".")
	for name, out := range outputs {
		for _, pw := range passwords {
			if i := strings.Index(out, pw); i >= 0 {
				t.Errorf("%s shows %s: …%s…", name, pw, out[max(0, i-200):min(len(out), i+len(pw)+40)])
			}
		}
	}
	// Each password is next to a finding, or the test proves nothing.
	for _, s := range findings {
		if !strings.Contains(outputs["text"], s) {
			t.Errorf("text output lacks a finding at %s:\n%s", s, outputs["text"])
		}
	}
	// The fixes next to the secrets are withheld from --diff, and said so,
	// or shown with less context.
	if !strings.Contains(outputs["--diff"], "+const dsn = \"Server=db;Uid=app;SslMode=VerifyFull;SslCa=ca.pem\"") {
		t.Errorf("--diff lacks the fix two lines above the Go password:\n%s", outputs["--diff"])
	}
	for _, s := range []string{"settings.json:2:", "config.toml:2:", "etc/odbc.ini:5:"} {
		if !strings.Contains(outputs["--diff stderr"], s+" the diff leaves out a change") {
			t.Errorf("--diff does not say it left out the fix at %s:\n%s", s, outputs["--diff stderr"])
		}
	}
	if _, out, stderr := run(t, dir, "--fix", "."); strings.Contains(out+stderr, "pw-") {
		t.Errorf("--fix shows a password:\n%s\n%s", out, stderr)
	}
}

// The primaryLocationLineHash of c.cnf:2 covers the password on line 3:
// it is the hash of the masked text, so it does not depend on the
// password and no guess reproduces it.
func TestSARIFLineHashHidesSecret(t *testing.T) {
	hash := func(pw string) string {
		_, out, _ := run(t, writeFiles(t, secretFiles(pw)), "--format", "sarif", ".")
		var log struct {
			Runs []struct {
				Results []struct {
					Locations []struct {
						PhysicalLocation struct {
							ArtifactLocation struct{ URI string }
							Region           struct{ StartLine int }
						}
					}
					PartialFingerprints map[string]string
				}
			}
		}
		if err := json.Unmarshal([]byte(out), &log); err != nil {
			t.Fatal(err)
		}
		for _, r := range log.Runs[0].Results {
			if l := r.Locations[0].PhysicalLocation; l.ArtifactLocation.URI == "c.cnf" && l.Region.StartLine == 2 {
				return r.PartialFingerprints["primaryLocationLineHash"]
			}
		}
		t.Fatalf("no result at c.cnf:2:\n%s", out)
		return ""
	}
	got := hash("hunter2")
	if other := hash("letmein"); other != got {
		t.Errorf("the line hash depends on the password: %s with hunter2, %s with letmein", got, other)
	}
	for _, guess := range []string{"123456", "hunter2", "letmein", "password"} {
		content := secretFiles(guess)["c.cnf"]
		if h := report.LineHashes([]byte(content))[1]; h == got {
			t.Errorf("guess %q reproduces the uploaded line hash %s", guess, got)
		}
	}
	if want := report.LineHashes([]byte("[mysqld]\ntls_version=TLSv1,TLSv1.2\nport=3306\npassword=***\n"))[1]; got != want {
		t.Errorf("line hash %s, want %s, the hash of the masked text", got, want)
	}
}

// A file name or a value can hold a newline followed by a workflow
// command, ESC sequences or bidi overrides: text output and stderr escape
// them, and the github format escapes them its own way.
func TestHostileNamesAndValues(t *testing.T) {
	inject := "x\n::error file=README.md,line=1::pwned\x1b]0;title\x07\u202e.cnf"
	dir := writeFiles(t, map[string]string{
		inject:  "[client]\nssl-mode=DISABLED\n",
		"v.cnf": "[mysqld]\ntls_version=TLSv1.2,\x1b[31mTLSv9\u202e\n",
		"g.cnf": "ssl=1\n",
	})
	check := func(name, out string, github bool) {
		t.Helper()
		for _, line := range strings.Split(out, "\n") {
			if strings.HasPrefix(strings.TrimSpace(line), "::") != github && line != "" {
				t.Errorf("%s: line %q", name, line)
			}
		}
		// The github format is read by the runner, not a terminal: it
		// escapes what ends a line or a property, and leaves the rest.
		if !github && strings.ContainsAny(out, "\x1b\x07\u202e") {
			t.Errorf("%s sends control characters or bidi overrides raw:\n%q", name, out)
		}
	}
	_, out, stderr := run(t, dir, "--format", "text", ".")
	if !strings.Contains(out, `x\n::error file=README.md,line=1::pwned\x1b]0;title\x07\u202e.cnf:2:10:`) {
		t.Errorf("the file name is not shown escaped:\n%s", out)
	}
	if !strings.Contains(out, "v.cnf") || !strings.Contains(out, "g.cnf") {
		t.Errorf("findings missing:\n%s", out)
	}
	check("text", out, false)
	check("stderr", stderr, false)
	_, out, stderr = run(t, dir, "--format", "github", ".")
	check("github", out, true)
	check("stderr", stderr, false)
	if strings.Contains(out, "\n::error file=README.md") {
		t.Errorf("github output starts a command from the file name:\n%s", out)
	}
	_, out, stderr = run(t, dir, "--diff", ".")
	check("--diff stderr", stderr, false)
	_, out, stderr = run(t, dir, inject+"/missing.cnf")
	check("error", out+stderr, false)
	// A newline in an error starts a line of its own, after "tlsvet: ".
	if !strings.Contains(stderr, "\ntlsvet: ::error file=README.md,line=1::pwned\\x1b]0;title\\x07\\u202e.cnf/missing.cnf") {
		t.Errorf("the error does not name the path escaped:\n%s", stderr)
	}
}

// TestNoWorkflowCommandInAnyOutput: the Actions runner runs a line as a
// workflow command when, trimmed, it starts with "::", and wherever it
// holds "##[" followed by a registered command (the old syntax). A file
// named "::error …" or "##[stop-commands]…", or a value holding one, must
// forge nothing in any format printed to a CI log.
func TestNoWorkflowCommandInAnyOutput(t *testing.T) {
	dir := writeFiles(t, map[string]string{
		".git/HEAD":                     "ref: refs/heads/main\n",
		"::error file=README.md::x.cnf": "[mysqld]\ntls_version=TLSv1\n",
		"  ::warning::y.cnf":            "[mysqld]\ntls_version=TLSv1\n",
		"##[stop-commands]tok.cnf":      "[mysqld]\ntls_version=TLSv1\n",
		"conf/a ##[add-mask]secret.cnf": "[mysqld]\ntls_version=TLSv1\n",
		"v.cnf":                         "[mysqld]\ntls_version=TLSv1,##[error]pwned#x\n",
	})
	for _, format := range []string{"text", "json", "sarif", "github"} {
		code, out, stderr := run(t, dir, "--format", format)
		if code != ExitFindings {
			t.Fatalf("%s: exit %d\n%s", format, code, stderr)
		}
		for _, line := range strings.Split(out+stderr, "\n") {
			trimmed := strings.TrimSpace(line)
			if format != "github" && strings.HasPrefix(trimmed, "::") {
				t.Errorf("%s: line starts a workflow command: %q", format, line)
			}
			if strings.Contains(line, "##[") && !(format == "github" && strings.HasPrefix(line, "::")) {
				// A line the "::" syntax parses is never read the old way.
				t.Errorf("%s: line holds the old command syntax: %q", format, line)
			}
		}
		if format == "text" && !strings.Contains(out, "./::error file=README.md::x.cnf:2:13:") {
			t.Errorf("text: the path is not made safe the expected way:\n%s", out)
		}
	}
	// JSON still decodes to the real path.
	_, out, _ := run(t, dir, "--format", "json")
	if !strings.Contains(out, `"path": "#\u0023[stop-commands]tok.cnf"`) {
		t.Errorf("json: path not escaped as expected:\n%s", out)
	}
	var doc struct {
		Findings []struct{ Path string } `json:"findings"`
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatal(err)
	}
	found := false
	for _, f := range doc.Findings {
		found = found || f.Path == "##[stop-commands]tok.cnf"
	}
	if !found {
		t.Errorf("json: no finding decodes to the path ##[stop-commands]tok.cnf")
	}
}
