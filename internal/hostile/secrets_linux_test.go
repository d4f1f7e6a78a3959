//go:build linux

package hostile

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tlsvet/tlsvet/internal/atomicfile"
)

// secretTree writes option files whose secrets are the given values, each
// next to a finding, a fix or a parse error.
func secretTree(e *env, s []string) {
	e.write("first.cnf", "password="+s[0]+"\n[client]\nssl-mode=DISABLED\n")
	e.write("client.cnf", "[client]\nssl-password="+s[1]+"\nssl-key-pass="+s[2]+"\nssl-pass="+s[3]+"\nssl-mode=DISABLED\n")
	e.write("mariadb.cnf", "[mariadb]\nssl_passphrase=ab#"+s[4]+"\n")
	e.write("below.cnf", "[client]\nssl-mode=DISABLED\npassword="+s[5]+"\n")
	e.write("diff.cnf", "[mysqld]\npassword="+s[6]+"\ntls_version=TLSv1.2, TLSv1.3\n")
	// Application files (issue 9): a password in a DSN of each format next
	// to its finding, a secret-named key, and lines a parser gave up on.
	e.write(".env", "DB=\"app:"+s[7]+"@tcp(db:3306)/app?tls=skip-verify\"\nDB_PASSWORD="+s[8]+"\n")
	e.write("application.properties", "spring.datasource.url=jdbc:mysql://app:"+s[9]+"@db/app?useSSL=false\n"+
		"spring.datasource.password="+s[10]+"\n")
	e.write("application.yml", "spring:\n  datasource:\n    url: \"jdbc:mysql://db/app?user=app&password="+s[11]+
		"&useSSL=false\"\n    password: "+s[12]+"\n")
	e.write("config.json", `{"db": "Server=db;Uid=app;Pwd=`+s[13]+`;SslMode=Required;SslCa=ca.pem"}`+"\n")
	e.write("config.toml", "[db]\ndsn = \"app:"+s[14]+"@tcp(db:3306)/app?tls=skip-verify\"\n")
	e.write("main.go", "package main\n\nconst dsn = \"app:"+s[15]+"@tcp(db:3306)/app?tls=skip-verify\"\n")
	e.write("bad/.env", "DB=\"app:"+s[16]+"@tcp(db:3306)/app?tls=skip-verify\nX=1\n")
	e.write("bad/application.yml", "spring:\n  datasource:\n    url: jdbc:mysql://db/app\n    password: \""+s[17]+"\n  x: 1\n")
	// INI application configs: ODBC's PWD and PASSWORD (braced), Grafana's
	// triple-quoted password, Gitea's backquoted PASSWD, each beside a
	// finding or a fix, and quotes that never close.
	e.write("odbc.ini", "[shop]\nDriver=MySQL ODBC 8.0 Unicode Driver\nSERVER=db\nPWD="+s[18]+"\nSSLMODE=PREFERRED\n"+
		"PASSWORD={"+s[19]+";x}\n\n[broken]\nDriver=MySQL ODBC 8.0 Unicode Driver\nSERVER=db\nPWD=\""+s[20]+"\nSSLMODE=DISABLED\n")
	e.write("conf/grafana.ini", "[database]\ntype = mysql\nhost = db:3306\npassword = \"\"\"#"+s[21]+";\"\"\"\nssl_mode = skip-verify\nca_cert_path = /ca.pem\n")
	e.write("custom/conf/app.ini", "[database]\nDB_TYPE = mysql\nHOST = db:3306\nPASSWD = `"+s[22]+"#;`\nSSL_MODE = disable\n")
	e.write("broken/custom/conf/app.ini", "[database]\nDB_TYPE = mysql\nHOST = db:3306\nPASSWD = `"+s[23]+"\nSSL_MODE = disable\n")
	e.write("broken/conf/grafana.ini", "[database]\ntype = mysql\npassword = \"\"\""+s[24]+"\nssl_mode = disable\n")
	e.write("etc/mysqlrouter/mysqlrouter.conf", "[routing:rw]\nbind_address = 0.0.0.0:6446\ndestinations = db:3306\n"+
		"client_ssl_mode = DISABLED\nserver_ssl_mode = DISABLED\n")
	// SQL (issue 12): replication passwords and account passwords on the
	// line of a TV408 finding or fix, in a .sql file, a heredoc and an -e
	// argument, and after a quote that never closes (TV001).
	e.write("replica.sql", "CHANGE MASTER TO MASTER_HOST='db', MASTER_PASSWORD='"+s[25]+"', MASTER_SSL=0;\n"+
		"CHANGE MASTER 'b' TO MASTER_PASSWORD='"+s[26]+"', MASTER_SSL=1, MASTER_SSL_CA='/ca.pem';\n")
	e.write("docker-entrypoint-initdb.d/repl.sh", "mysql -uroot <<'EOF'\nCREATE USER 'r'@'%' IDENTIFIED BY '"+s[27]+
		"' REQUIRE SSL; CHANGE MASTER TO MASTER_PASSWORD='"+s[28]+"', MASTER_SSL=0;\nEOF\n"+
		"mariadb -e \"CHANGE MASTER TO MASTER_PASSWORD='"+s[29]+"', MASTER_SSL=0\"\n")
	e.write("broken.sql", "CHANGE MASTER TO MASTER_SSL=1, MASTER_PASSWORD='"+s[30]+"\n")
}

// secretCount is how many secrets secretTree takes.
const secretCount = 31

// TestSecrets: no secret of the fixtures appears in any output, and no
// output depends on a secret's value (a fingerprint or line hash over a
// secret could be brute-forced offline): the same tree with other
// secrets of the same length gives byte-identical outputs.
func TestSecrets(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	out := filepath.Join(e.tmp, "out")
	if err := os.MkdirAll(out, 0o755); err != nil {
		t.Fatal(err)
	}
	runAll := func(secrets []string) []string {
		secretTree(e, secrets)
		var outputs []string
		note := func(what, text string) {
			e.noLeak([]string{what}, "output", text, secrets...)
			outputs = append(outputs, what+":\n"+text)
		}
		for _, f := range formats {
			r := e.run("--format", f)
			wantCode(t, r, 1)
			note("--format "+f, r.all())
			if f == "text" { // each application file's secret is next to a finding
				wantIn(t, r, r.stdout, ".env:1:", "application.properties:1:", "application.yml:3:", "config.json:1:",
					"config.toml:2:", "main.go:3:", "bad/.env:1:", "bad/application.yml:6:1: error: YAML syntax error",
					"odbc.ini:5:", "odbc.ini:12:", "conf/grafana.ini:5:", "custom/conf/app.ini:5:", "broken/custom/conf/app.ini:4:",
					"broken/conf/grafana.ini:3:", "etc/mysqlrouter/mysqlrouter.conf:5:",
					"replica.sql:1:", "replica.sql:2:", "docker-entrypoint-initdb.d/repl.sh:2:", "docker-entrypoint-initdb.d/repl.sh:4:",
					"broken.sql:1:")
			}
		}
		r := e.run("--diff")
		wantIn(t, r, r.stdout, "+tls_version=TLSv1.2,TLSv1.3") // the diff is not empty
		note("--diff", r.all())
		base := filepath.Join(out, "baseline.json")
		r = e.run("baseline", "write", base)
		wantCode(t, r, 0, 1)
		data, err := os.ReadFile(base)
		if err != nil {
			t.Fatal(err)
		}
		note("baseline write", r.all())
		note("baseline file", string(data))
		r = e.run("--baseline", base)
		note("--baseline", r.all())
		return outputs
	}
	var a, b []string
	for i := range secretCount {
		prefix := fmt.Sprintf("S%02d-", i)
		a, b = append(a, token(t, prefix)), append(b, token(t, prefix))
	}
	outA, outB := runAll(a), runAll(b)
	for i := range outA {
		if outA[i] != outB[i] {
			t.Errorf("output depends on the secrets' values:\n%s\n---- with other secrets ----\n%s", head(outA[i]), head(outB[i]))
		}
	}
	// --fix may apply a fix holding a secret locally but prints none.
	r := e.run("--fix")
	e.noLeak(r.args, "--fix", r.all(), b...)
}

// TestControlCharacters: names and values with a newline followed by a
// workflow command, ESC/OSC sequences and bidi overrides reach neither
// the text report nor stderr raw; the github format escapes them.
func TestControlCharacters(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	const body = "[client]\nssl-mode=DISABLED\nssl-cipher=\x1b]0;title\x07\u202eRC4-MD5\n"
	for _, name := range []string{"x\n::error file=README.md,line=1::pwned.cnf", "esc\x1b]0;title\x07.cnf", "bidi\u202egnp.cnf"} {
		e.write(name, body)
	}
	e.fifo("fifo\n::warning::fifo.cnf")
	e.symlink("link\n::error::link.cnf", "/etc/passwd")
	for _, args := range [][]string{nil, {"--fix"}, {"--diff"}, {"baseline", "write", filepath.Join(e.tmp, "out", "b.json")}} {
		os.MkdirAll(filepath.Join(e.tmp, "out"), 0o755)
		r := e.run(args...)
		streams := []string{r.stderr}
		if len(args) == 0 {
			streams = append(streams, r.stdout)
		}
		for _, s := range streams {
			for _, line := range strings.Split(s, "\n") {
				if strings.HasPrefix(strings.TrimSpace(line), "::") {
					t.Errorf("tlsvet %q: a line starts a workflow command: %q", args, line)
				}
				if i := strings.IndexFunc(line, unsafeRune); i >= 0 {
					t.Errorf("tlsvet %q: raw control or bidi character %U in %q", args, []rune(line[i:])[0], line)
				}
			}
		}
	}
	r := e.run("--format", "github")
	for _, line := range strings.Split(r.stdout, "\n") {
		if strings.HasPrefix(strings.TrimSpace(line), "::error file=README.md") || strings.HasPrefix(strings.TrimSpace(line), "::warning::") {
			t.Errorf("github format: injected workflow command %q", line)
		}
	}
}

// unsafeRune is a C0 or C1 control character other than tab, or a bidi
// override or isolate (U+202A–U+202E, U+2066–U+2069).
func unsafeRune(r rune) bool {
	switch {
	case r == '\t':
		return false
	case r < 0x20, r >= 0x7f && r <= 0x9f:
		return true
	case r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069:
		return true
	}
	return false
}

// TestFixKeepsConcurrentEdit: a file edited after tlsvet read it is not
// overwritten. Timing an edit into a subprocess's run is unreliable, so
// this calls atomicfile.WriteIn as --fix does (cli/check.go).
func TestFixKeepsConcurrentEdit(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	p := filepath.Join(dir, "my.cnf")
	if err := os.WriteFile(p, []byte("edited while tlsvet ran\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	root, err := os.OpenRoot(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer root.Close()
	err = atomicfile.WriteIn(root, "my.cnf", []byte("fixed\n"), []byte("as read\n"))
	if !errors.Is(err, atomicfile.ErrChanged) {
		t.Errorf("WriteIn over a changed file: %v, want ErrChanged", err)
	}
	if got, _ := os.ReadFile(p); string(got) != "edited while tlsvet ran\n" {
		t.Errorf("the concurrent edit was lost: %q", got)
	}
}

// gitOrSkip returns git's path; without it the test skips, except in CI.
func gitOrSkip(t *testing.T) string {
	git, err := exec.LookPath("git")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("git not found (required under CI=true)")
		}
		t.Skip("git not found")
	}
	return git
}
