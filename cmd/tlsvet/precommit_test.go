package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"go.yaml.in/yaml/v4"

	"github.com/tlsvet/tlsvet/internal/cli"
	"github.com/tlsvet/tlsvet/internal/load"
	"github.com/tlsvet/tlsvet/parsers"
	"github.com/tlsvet/tlsvet/parsers/appini"
	"github.com/tlsvet/tlsvet/parsers/connstr"
	"github.com/tlsvet/tlsvet/parsers/dockerfile"
	"github.com/tlsvet/tlsvet/parsers/sqlrepl"
)

// Names the hooks' files pattern must select, and must not.
var (
	hookFiles = []string{
		"my.cnf", "conf.d/50-server.cnf", "my.ini", "deploy/MariaDB.ini", "my.cnf.d/server.ini",
		"docker-compose.yml", "compose.prod.yaml", "charts/db/values.yaml", "charts/db/templates/sts.yaml",
		"k8s/statefulset.yml", ".env", "config/app.env", ".env.production", "svc/.env.local",
		"application.properties", "config.toml", "main.go",
		// Templates of option files (Ansible, Helm, Chef, Puppet, sed).
		"templates/my.cnf.j2", "50-server.cnf.erb", "mysqld.cnf.template", "my.ini.tpl", "conf.d/tls.cnf.tmpl",
		"manifests/my.cnf.epp", "MY.CNF.J2", "my.cnf.d/server.ini.j2",
		// Files read for connection strings (parsers/connstr).
		"src/main/resources/application-prod.yml", "bootstrap.properties", "config/database.yml", "config/settings.json",
		"appsettings.Production.json", "deploy/app.env", ".ENV.TEST", "internal/db/db.go", "Cargo.toml",
		// INI files of applications (parsers/appini).
		"odbc.ini", "etc/odbcinst.ini", ".odbc.ini", "ODBC.INI", "etc/mysqlrouter/mysqlrouter.conf",
		"conf/grafana.ini", "custom/conf/app.ini", "App.ini",
		// Deployment files (issue 10): Dockerfiles; compose files, manifests and values are YAML.
		"Dockerfile", "docker/Containerfile", "api.Dockerfile", "Dockerfile.prod", "build/db.containerfile",
		// Certificate and key files (issue 11).
		"certs/server-key.pem", "server.key", "ca.crt", "client.cer", "ca.der", "client.p12", "Client.PFX",
		// SQL and shell scripts that may set up replication (issue 12).
		"docker-entrypoint-initdb.d/10-replica.sql", "init.SQL", "scripts/setup-replica.sh", "docker-entrypoint-initdb.d/20-repl.sh", "x.bash",
	}
	otherFiles = []string{
		"README.md", "Makefile", "x.py", "setup.ini", "my.cnf.bak", "docs/my.cnf.md", "ssl.conf",
		"x.j2", "README.md.tpl", "setup.ini.erb", "my.cnf.j2.bak", "my.cnf.orig.template.md",
		"php.ini", "custom.ini", "odbc.ini.sample", "mysqlrouter.conf.bak", "router.conf", "myapp.ini",
		"x.jsonl", "x.json5", "main.go.orig", "x.envrc", "environment",
		"dump.sql.gz", "x.sqlite", "x.shtml", ".sql",
	}
)

// appINICandidates are names near those parsers/appini reads: each that
// appini.KindOf accepts must be selected by the hooks.
var appINICandidates = []string{
	"odbc.ini", ".odbc.ini", "odbcinst.ini", ".odbcinst.ini", "odbc_dsn.ini", "mysqlrouter.conf", "mysqlrouter.ini",
	".mysqlrouter.conf", "router.conf", "router.ini", "mysqlrouter.conf.d", "grafana.ini", "defaults.ini", "custom.ini",
	"sample.ini", "app.ini", "app.example.ini", "gitea.ini", "forgejo.ini", "conf.ini", "config.ini", "settings.ini",
	"database.ini", "db.ini", "my.ini", "php.ini", "setup.cfg", "tox.ini",
}

// readBy reports whether any of tlsvet's readers takes a file of this name.
func readBy(name string) bool {
	return parsers.Detect(name) != parsers.Unknown || connstr.Detect(name) != connstr.Unknown ||
		appini.KindOf(name) != appini.Unknown || dockerfile.Detect(name) || load.KeyName(name) ||
		sqlrepl.Detect(name) != sqlrepl.NotRead
}

// connstrSamples are names made from connstr.Patterns: each glob with its
// '*' filled in, at the root and below, as written and in upper case.
func connstrSamples() []string {
	var out []string
	for _, p := range connstr.Patterns {
		for _, fill := range []string{"x", "application", "application-prod", "database"} {
			base := strings.ReplaceAll(p, "*", fill)
			for _, name := range []string{base, "a/b/" + base, strings.ToUpper(base)} {
				out = append(out, name)
			}
		}
	}
	return out
}

// hookDef is one hook of .pre-commit-hooks.yaml.
type hookDef struct {
	ID                      string
	Name                    string
	Description             string
	Entry                   string
	Language                string
	LanguageVersion         string `yaml:"language_version"`
	Files                   string
	Types                   []string
	PassFilenames           bool   `yaml:"pass_filenames"`
	RequireSerial           bool   `yaml:"require_serial"`
	MinimumPreCommitVersion string `yaml:"minimum_pre_commit_version"`
}

// readHooks reads the checkout's .pre-commit-hooks.yaml, rejecting keys
// hookDef does not know.
func readHooks(t *testing.T) []hookDef {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(moduleRoot(t), ".pre-commit-hooks.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	var hooks []hookDef
	if err := yaml.Load(data, &hooks, yaml.WithKnownFields(), yaml.WithUniqueKeys()); err != nil {
		t.Fatalf(".pre-commit-hooks.yaml: %v", err)
	}
	return hooks
}

// hookByID returns the hook with the id.
func hookByID(t *testing.T, hooks []hookDef, id string) hookDef {
	t.Helper()
	for _, h := range hooks {
		if h.ID == id {
			return h
		}
	}
	t.Fatalf(".pre-commit-hooks.yaml has no hook %q", id)
	return hookDef{}
}

// TestHooksManifest checks the three hooks: languages, entries, and one
// files pattern that selects the files tlsvet reads or will read.
func TestHooksManifest(t *testing.T) {
	hooks := readHooks(t)
	if len(hooks) != 3 {
		t.Fatalf("want 3 hooks, got %d", len(hooks))
	}
	wd, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	// language golang runs `go install ./...`, which names the binary
	// after this directory.
	bin := filepath.Base(wd)
	// pre-commit names every changed file itself (docs/pre-commit.md).
	const args = " check --report=changed"
	for id, want := range map[string][2]string{
		"tlsvet":        {"golang", bin + args},
		"tlsvet-system": {"system", bin + args},
		// Built from the Dockerfile; the entry's first word is run as the
		// image's --entrypoint.
		"tlsvet-docker": {"docker", dockerEntrypoint(t) + args},
	} {
		h := hookByID(t, hooks, id)
		if h.Language != want[0] || h.Entry != want[1] {
			t.Errorf("%s: language %s entry %q, want %s %q", id, h.Language, h.Entry, want[0], want[1])
		}
		if h.LanguageVersion != "" {
			t.Errorf("%s: language_version makes pre-commit download a toolchain; leave it unset", id)
		}
	}
	first := hooks[0]
	for _, h := range hooks[1:] {
		if h.Files != first.Files || !slices.Equal(h.Types, first.Types) || h.PassFilenames != first.PassFilenames ||
			h.RequireSerial != first.RequireSerial || h.MinimumPreCommitVersion != first.MinimumPreCommitVersion {
			t.Errorf("%s selects or runs differently from %s:\n%+v\n%+v", h.ID, first.ID, h, first)
		}
	}
	// types [file]: key files may be binary (DER, PKCS#12), and a key being
	// committed must reach tlsvet (TV507).
	if !slices.Equal(first.Types, []string{"file"}) || !first.RequireSerial || !first.PassFilenames ||
		first.MinimumPreCommitVersion == "" {
		t.Errorf("want types [file], require_serial and pass_filenames true, a minimum version: %+v", first)
	}
	re, err := regexp.Compile(first.Files)
	if err != nil {
		t.Fatalf("files: %v", err)
	}
	for _, name := range hookFiles {
		if !re.MatchString(name) {
			t.Errorf("files %s does not select %s", first.Files, name)
		}
		if !readBy(name) {
			t.Errorf("the hooks pass %s, but no reader of tlsvet takes it: move it to otherFiles", name)
		}
	}
	for _, name := range otherFiles {
		if re.MatchString(name) {
			t.Errorf("files %s selects %s", first.Files, name)
		}
		if readBy(name) {
			t.Errorf("tlsvet reads %s, but the hooks never pass it", name)
		}
	}
	// A name a reader learns must be selected too: the connection-string
	// reader's globs and regexp, and the application INI reader's names.
	connRe := regexp.MustCompile(connstr.FilesRegexp)
	for _, name := range connstrSamples() {
		if connstr.Detect(name) == connstr.Unknown {
			continue // a name the globs match that Detect leaves out (_test.go, lock files)
		}
		if !re.MatchString(name) {
			t.Errorf("parsers/connstr reads %s (as %s), but files %s does not select it", name, connstr.Detect(name), first.Files)
		}
		if !connRe.MatchString(name) {
			t.Errorf("connstr.FilesRegexp does not select %s, which connstr.Detect reads", name)
		}
	}
	for _, name := range append(appINICandidates, hookFiles...) {
		for _, n := range []string{name, "etc/" + name, strings.ToUpper(name)} {
			if appini.KindOf(n) != appini.Unknown && !re.MatchString(n) {
				t.Errorf("parsers/appini reads %s (as %s), but files %s does not select it", n, appini.KindOf(n), first.Files)
			}
		}
	}
}

// TestHooksFilesPython matches the names with Python's re.search, as
// pre-commit does, for the Go regexp's verdicts to hold there too.
func TestHooksFilesPython(t *testing.T) {
	python := needTool(t, "python3")
	const script = `import json, re, sys
print(json.dumps([bool(re.search(sys.argv[1], n)) for n in sys.argv[2:]]))`
	files := readHooks(t)[0].Files
	names := append(append([]string{}, hookFiles...), otherFiles...)
	out, err := exec.Command(python, append([]string{"-c", script, files}, names...)...).Output()
	if err != nil {
		t.Fatalf("python3: %v", err)
	}
	var got []bool
	if err := json.Unmarshal(out, &got); err != nil || len(got) != len(names) {
		t.Fatalf("python3 printed %s (%v)", out, err)
	}
	for i, name := range names {
		if want := i < len(hookFiles); got[i] != want {
			t.Errorf("Python re.search(%s, %s) = %v, want %v", files, name, got[i], want)
		}
	}
}

// TestHookFilesWithoutTLSSettings: files the pattern selects that hold no
// TLS settings (a compose file without MySQL, a Go file without a DSN)
// must pass, or every commit touching one would fail; only the file
// tlsvet does not read by name gets one notification.
func TestHookFilesWithoutTLSSettings(t *testing.T) {
	files := map[string]string{
		"README.md":              "# service\n",
		"compose.yaml":           "services:\n  app:\n    image: nginx:1.27\n",
		"charts/app/values.yaml": "replicaCount: 2\n",
		"k8s/deploy.yml":         "apiVersion: apps/v1\nkind: Deployment\n",
		".env":                   "LOG_LEVEL=debug\n",
		"application.properties": "server.port=8080\n",
		"config.toml":            "title = \"app\"\n",
		"main.go":                "package main\n\nfunc main() {}\n",
		"package.json":           "{\"name\": \"app\", \"scripts\": {\"test\": \"jest\"}}\n",
		"appsettings.json":       "{\"Logging\": {\"LogLevel\": {\"Default\": \"Information\"}}}\n",
		"config/database.yml":    "development:\n  adapter: sqlite3\n  database: db/dev.sqlite3\n",
		"conf/grafana.ini":       "[database]\ntype = sqlite3\npath = grafana.db\n",
		"custom/conf/app.ini":    "[database]\nDB_TYPE = sqlite3\nPATH = data/gitea.db\n",
		"odbc.ini":               "[pg]\nDriver=PostgreSQL Unicode\nServername=db\nSSLmode=disable\n",
		"mysqlrouter.conf": "[routing:rw]\nbind_address=0.0.0.0:6446\ndestinations=db:3306\nclient_ssl_cert=/etc/r/cert.pem\n" +
			"client_ssl_key=/etc/r/key.pem\nserver_ssl_verify=VERIFY_IDENTITY\nserver_ssl_ca=/etc/r/ca.pem\n",
	}
	dir := writeTree(t, t.TempDir(), files)
	args := []string{"check"}
	for name := range files {
		args = append(args, name)
	}
	var stdout, stderr bytes.Buffer
	code := (&cli.Command{Stdout: &stdout, Stderr: &stderr, Dir: dir}).Main(args)
	if code != cli.ExitClean || !regexp.MustCompile(`^note: 1 file named on the command line was not read: README\.md \(not a name tlsvet reads\)\n$`).Match(stdout.Bytes()) || stderr.Len() > 0 {
		t.Errorf("tlsvet %v: exit %d, stdout %q, stderr %q; want 0 and one notification", args, code, &stdout, &stderr)
	}
}

// preCommitCase is one pre-commit try-repo run in a fresh git repository.
type preCommitCase struct {
	name    string
	files   map[string]string // the repository to check
	args    []string          // after the hook id
	code    int
	status  string   // the hook's result on its pre-commit line
	want    []string // regular expressions the output must match
	wantNot []string // substrings it must not contain
}

const (
	hookBadCnf  = "[mysqld]\ntls_version=TLSv1,TLSv1.2\n"
	hookGoodCnf = "[mysqld]\ntls_version=TLSv1.2,TLSv1.3\nrequire_secure_transport=ON\n" +
		"ssl_cert=/etc/mysql/server-cert.pem\nssl_key=/etc/mysql/server-key.pem\n"
)

var (
	twoDirs = map[string]string{"bad/my.cnf": hookBadCnf, "good/my.cnf": hookGoodCnf, "README.md": "# db\n"}
	badRun  = preCommitCase{
		name: "bad", files: twoDirs, args: []string{"--all-files"}, code: 1, status: "Failed",
		want:    []string{`(?m)^- exit code: 1$`, `(?m)^bad/my\.cnf:2:13: warning: .+ \[TV101 tls-version-hole\]$`},
		wantNot: []string{"good/my.cnf"},
	}
	goodRun = preCommitCase{
		// --verbose shows a passing hook's output: none, though bad/my.cnf is read too.
		name: "good", files: twoDirs, args: []string{"--files", "good/my.cnf", "--verbose"}, code: 0, status: "Passed",
		want: []string{`(?m)^- hook id: `}, wantNot: []string{"my.cnf:"},
	}
)

// templateRun: pre-commit selects an option file's template of each
// extension, and tlsvet reads it as an option file.
var templateRun = func() preCommitCase {
	c := preCommitCase{name: "templates", files: map[string]string{}, args: []string{"--all-files"}, code: 1, status: "Failed"}
	for _, name := range []string{"a/my.cnf.j2", "b/50-server.cnf.erb", "c/mysqld.cnf.template", "d/my.ini.tpl", "e/conf.d/tls.cnf.tmpl", "f/my.cnf.epp"} {
		c.files[name] = hookBadCnf
		c.want = append(c.want, `(?m)^`+regexp.QuoteMeta(name)+`:2:13: warning: .+ \[TV101 tls-version-hole\]$`)
	}
	return c
}()

// appsRun: pre-commit selects a file of each kind read for connection
// strings or as an application INI file, and tlsvet reports a finding in
// each. One run over one tree keeps CI time down.
var appsRun = func() preCommitCase {
	c := preCommitCase{name: "apps", files: map[string]string{}, args: []string{"--all-files"}, code: 1, status: "Failed"}
	for _, f := range []struct{ name, text, at, rule string }{
		{".env", "DB=\"app:pw@tcp(db:3306)/app?tls=skip-verify\"\n", "1:29", "TV302 client-no-verify"},
		{"src/main/resources/application.properties", "spring.datasource.url=jdbc:mysql://db:3306/app?useSSL=false\n",
			"1:48", "TV301 client-tls-disabled"},
		{"src/main/resources/application.yml", "spring:\n  datasource:\n    url: jdbc:mysql://db:3306/app?useSSL=false\n",
			"3:35", "TV301 client-tls-disabled"},
		{"appsettings.json", "{\n  \"ConnectionStrings\": {\n    \"Default\": \"Server=db;SslMode=Required;SslCa=ca.pem\"\n  }\n}\n",
			"3:44", "TV305 ca-ignored"},
		{"config.toml", "[database]\ndsn = \"app:pw@tcp(db:3306)/app?tls=skip-verify\"\n", "2:32", "TV302 client-no-verify"},
		{"internal/db/db.go", "package db\n\nconst dsn = \"app:pw@tcp(db:3306)/app?tls=skip-verify\"\n", "3:38", "TV302 client-no-verify"},
		{"etc/odbc.ini", "[shop]\nDriver=MySQL ODBC 8.0 Unicode Driver\nSERVER=db\nSSLMODE=PREFERRED\n", "4:1", "TV303 client-opportunistic-tls"},
		{"etc/mysqlrouter/mysqlrouter.conf", "[routing:rw]\nbind_address=0.0.0.0:6446\ndestinations=db:3306\nserver_ssl_mode=DISABLED\n",
			"4:1", "TV301 client-tls-disabled"},
		{"conf/grafana.ini", "[database]\ntype = mysql\nhost = db:3306\nssl_mode = skip-verify\nca_cert_path = /etc/grafana/ca.pem\n",
			"4:1", "TV302 client-no-verify"},
		{"custom/conf/app.ini", "[database]\nDB_TYPE = mysql\nHOST = db:3306\nSSL_MODE = disable\n", "4:1", "TV301 client-tls-disabled"},
		// Deployment files: a compose service's command line, a Dockerfile's
		// copied option file, a StatefulSet's args.
		{"deploy/compose.yaml", "services:\n  db:\n    image: mysql:8.0.36\n    command: [\"--log-error-verbosity\", \"--require_secure_transport=ON\"]\n",
			"4:18", "TV010 flag-swallowed"},
		{"db/Dockerfile", "FROM mysql:8.0.36\nCMD [\"mysqld\", \"--tls-version=TLSv1.1\"]\n", "2:31", "TV105 no-usable-protocol"},
		{"k8s/db.yaml", "apiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: db\nspec:\n  template:\n    spec:\n      containers:\n" +
			"        - name: mysql\n          image: mysql:8.0.36\n          args: [\"--ssl-cipher=ECDHE-ECDSA-AES128-GCM-SHA256\"]\n",
			"11:32", "TV204 ecdsa-cipher-rsa-cert"},
		{"db2/Containerfile", "FROM mariadb:11.4.3\nCMD [\"mariadbd\", \"--tls-version=TLSv1\"]\n", "2:33", "TV106 unknown-protocol-name"},
		// Kustomize: the ConfigMap generated from base/my.cnf is mounted by
		// the StatefulSet, so the file is judged with mysql:8.0.36 (an
		// unknown version would not report TLSv1.1).
		{"base/kustomization.yaml", "configMapGenerator:\n  - name: mysql-conf\n    files:\n      - my.cnf\n", "", ""},
		{"base/sts.yaml", "apiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: db\nspec:\n  template:\n    spec:\n" +
			"      containers:\n        - name: mysql\n          image: mysql:8.0.36\n          volumeMounts:\n" +
			"            - name: conf\n              mountPath: /etc/mysql/conf.d\n      volumes:\n        - name: conf\n" +
			"          configMap:\n            name: mysql-conf\n", "", ""},
		{"base/my.cnf", "[mysqld]\ntls_version=TLSv1.1,TLSv1.2\n", "2:13", "TV104 unsupported-protocol"},
		// A private key being committed: staged, so in .git/index.
		{"certs/server.key", "-----BEGIN PRIVATE KEY-----\nTk9UIEEgS0VZ\n-----END PRIVATE KEY-----\n", "1:1", "TV507 private-key-committed"},
		// A replica's init script: encrypted replication that checks no certificate.
		{"docker-entrypoint-initdb.d/10-replica.sql", "CHANGE REPLICATION SOURCE TO SOURCE_HOST='db1', SOURCE_USER='repl',\n  SOURCE_SSL=1;\n",
			"2:3", "TV408 replication-tls"},
	} {
		c.files[f.name] = f.text
		if f.rule != "" {
			c.want = append(c.want, `(?m)^`+regexp.QuoteMeta(f.name+":"+f.at+":")+` (warning|error): .+ \[`+f.rule+`\]$`)
		}
	}
	return c
}()

// TestPreCommit runs the hooks with the real pre-commit (Debian's package):
// the golang hook builds this checkout with `go install ./...`, the system
// hook runs a tlsvet built here from PATH.
func TestPreCommit(t *testing.T) {
	preCommit := needTool(t, "pre-commit")
	needTool(t, "git")
	env := hookEnv(t)
	hookRepo := snapshot(t, env, moduleRoot(t))

	t.Run("golang", func(t *testing.T) {
		for _, c := range []preCommitCase{badRun, goodRun, appsRun, {
			// The changed file is included by my.cnf; it is checked as part of it.
			name: "included",
			files: map[string]string{
				"my.cnf":         "[mysqld]\n!includedir conf.d\n",
				"conf.d/tls.cnf": hookBadCnf,
			},
			args: []string{"--files", "conf.d/tls.cnf"}, code: 1, status: "Failed",
			want: []string{`(?m)^conf\.d/tls\.cnf:2:13: warning: .+ \[TV101 tls-version-hole\]$`},
		}, {
			// The whole root is read: the changed file breaks my.cnf's
			// require_secure_transport, so the finding in my.cnf is
			// reported; the unrelated other/my.cnf is not.
			name: "context",
			files: map[string]string{
				"my.cnf": "[mysqld]\nrequire_secure_transport=ON\nssl_cert=/etc/mysql/server-cert.pem\n" +
					"ssl_key=/etc/mysql/server-key.pem\n!includedir conf.d\n",
				"conf.d/off.cnf": "[mysqld]\nskip-ssl\n",
				"other/my.cnf":   hookBadCnf,
			},
			args: []string{"--files", "conf.d/off.cnf"}, code: 1, status: "Failed",
			want: []string{
				`(?m)^my\.cnf:2:26: error: .+ \[TV603 secure-transport-without-tls\]$`,
				`(?m)^conf\.d/off\.cnf:2:1: warning: .+ \[TV601 server-tls-disabled\]$`,
			},
			wantNot: []string{"other/my.cnf"},
		}} {
			t.Run(c.name, func(t *testing.T) { runPreCommit(t, preCommit, env, hookRepo, "tlsvet", "tlsvet", c) })
		}
	})

	t.Run("system", func(t *testing.T) {
		bin := t.TempDir()
		if out, err := exec.Command("go", "build", "-o", filepath.Join(bin, "tlsvet"), ".").CombinedOutput(); err != nil {
			t.Fatalf("go build: %v\n%s", err, out)
		}
		env := append(env[:len(env):len(env)], "PATH="+bin+string(os.PathListSeparator)+os.Getenv("PATH"))
		for _, c := range []preCommitCase{badRun, goodRun, templateRun, {
			// The files pattern, read by pre-commit itself, leaves these out.
			name: "unselected", files: map[string]string{"README.md": "# db\n", "my.cnf.bak": hookBadCnf},
			args: []string{"--all-files"}, code: 0, status: `\(no files to check\)Skipped`,
		}} {
			t.Run(c.name, func(t *testing.T) {
				runPreCommit(t, preCommit, env, hookRepo, "tlsvet-system", "tlsvet (installed binary)", c)
			})
		}
	})
}

// TestPreCommitDocker runs the tlsvet-docker hook with the real
// pre-commit and a fake docker (the test binary, see fakeDocker): there is
// no Docker engine in CI. The fake records how pre-commit builds and runs
// the image, and runs the binary the Dockerfile's build command makes in
// the image's place, as the image would: only its ENTRYPOINT exists, with
// the repository mounted at /src.
func TestPreCommitDocker(t *testing.T) {
	preCommit := needTool(t, "pre-commit")
	needTool(t, "git")
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	bin := t.TempDir()
	if err := os.Symlink(self, filepath.Join(bin, "docker")); err != nil {
		t.Fatal(err)
	}
	entry := dockerEntrypoint(t)
	log := filepath.Join(t.TempDir(), "docker.log")
	env := append(hookEnv(t),
		"PATH="+bin+string(os.PathListSeparator)+os.Getenv("PATH"),
		fakeDockerLog+"="+log, fakeDockerEntry+"="+entry, fakeDockerBin+"="+buildAsImage(t))
	hookRepo := snapshot(t, env, moduleRoot(t))

	for _, c := range []preCommitCase{badRun, goodRun} {
		t.Run(c.name, func(t *testing.T) {
			os.Remove(log)
			repo := runPreCommit(t, preCommit, env, hookRepo, "tlsvet-docker", "tlsvet (Docker image)", c)
			calls := readDockerCalls(t, log)
			var builds, runs []dockerCall
			for _, call := range calls {
				switch call.Args[0] {
				case "build":
					builds = append(builds, call)
				case "run":
					runs = append(runs, call)
				default:
					t.Errorf("docker %q", call.Args)
				}
			}
			if len(builds) == 0 || len(runs) != 1 {
				t.Fatalf("want builds and one run (require_serial), got %q", calls)
			}
			// docker build --tag TAG --label PRE_COMMIT [--pull] . in a
			// clone of the hook repository (the fake fails without a Dockerfile).
			tag := ""
			for _, b := range builds {
				a := b.Args
				if len(a) < 6 || a[1] != "--tag" || a[3] != "--label" || a[len(a)-1] != "." {
					t.Fatalf("docker %q: not a build of the context directory", a)
				}
				if tag == "" {
					tag = a[2]
				} else if a[2] != tag {
					t.Errorf("builds tag %s and %s", tag, a[2])
				}
			}
			r, err := parseDockerRun(runs[0].Args[1:])
			if err != nil {
				t.Fatal(err)
			}
			wantRepo, _ := filepath.EvalSymlinks(repo)
			if gotRepo, _ := filepath.EvalSymlinks(r.src); gotRepo != wantRepo || r.dst != "/src" || r.workdir != "/src" {
				t.Errorf("docker run -v %s:%s --workdir %s: want the repository %s at /src, the working directory", r.src, r.dst, r.workdir, repo)
			}
			if r.entrypoint != entry || r.image != tag || !r.rm {
				t.Errorf("docker run --rm=%v --entrypoint %s %s: want --rm, the Dockerfile's ENTRYPOINT %s and the built image %s", r.rm, r.entrypoint, r.image, entry, tag)
			}
			if want := []string{"check", "--report=changed"}; len(r.args) <= len(want) || !slices.Equal(r.args[:len(want)], want) {
				t.Errorf("docker run … %s %q: want %q, then the files", r.image, r.args, want)
			}
		})
	}
}

// The fake docker's environment: where it logs its calls, the image's
// only program and the binary that stands in for it.
const (
	fakeDockerLog   = "TLSVET_FAKE_DOCKER_LOG"
	fakeDockerEntry = "TLSVET_FAKE_DOCKER_ENTRYPOINT"
	fakeDockerBin   = "TLSVET_FAKE_DOCKER_BIN"
)

// TestMain makes the test binary the fake docker when it runs as one.
func TestMain(m *testing.M) {
	if log := os.Getenv(fakeDockerLog); log != "" {
		os.Exit(fakeDocker(log, os.Args[1:]))
	}
	os.Exit(m.Run())
}

// dockerCall is one call of the fake docker.
type dockerCall struct {
	Dir  string
	Args []string
}

// fakeDocker logs the call, accepts builds, and runs the stand-in binary
// for `docker run` with the image's ENTRYPOINT; any other program is
// missing from the image (docker's exit status 127).
func fakeDocker(log string, args []string) int {
	dir, _ := os.Getwd()
	line, _ := json.Marshal(dockerCall{dir, args})
	f, err := os.OpenFile(log, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
	if err == nil {
		_, err = f.Write(append(line, '\n'))
		if cerr := f.Close(); err == nil {
			err = cerr
		}
	}
	if err != nil || len(args) == 0 {
		os.Stderr.WriteString("fake docker: " + fmt.Sprint(err) + "\n")
		return 125
	}
	switch args[0] {
	case "build":
		// pre-commit has removed its clone when the test looks.
		if _, err := os.Stat("Dockerfile"); err != nil {
			os.Stderr.WriteString("fake docker: no Dockerfile in the build context: " + err.Error() + "\n")
			return 1
		}
		return 0
	case "run":
	default:
		return 1
	}
	r, err := parseDockerRun(args[1:])
	if err != nil {
		os.Stderr.WriteString("fake docker: " + err.Error() + "\n")
		return 125
	}
	if r.entrypoint != os.Getenv(fakeDockerEntry) {
		os.Stderr.WriteString("fake docker: exec: " + r.entrypoint + ": no such file or directory in the image\n")
		return 127
	}
	if r.dst != "/src" || r.workdir != r.dst {
		os.Stderr.WriteString("fake docker: the working directory is not the mounted repository\n")
		return 125
	}
	cmd := exec.Command(os.Getenv(fakeDockerBin), r.args...)
	cmd.Dir, cmd.Stdout, cmd.Stderr = r.src, os.Stdout, os.Stderr
	if err := cmd.Run(); err != nil {
		if ee, ok := err.(*exec.ExitError); ok {
			return ee.ExitCode()
		}
		os.Stderr.WriteString("fake docker: " + err.Error() + "\n")
		return 125
	}
	return 0
}

// dockerRun is a `docker run` command line, in the options pre-commit uses.
type dockerRun struct {
	rm                         bool
	user, src, dst, volumeOpts string
	workdir, entrypoint, image string
	args                       []string
}

func parseDockerRun(args []string) (dockerRun, error) {
	var r dockerRun
	for len(args) > 0 && strings.HasPrefix(args[0], "-") {
		opt := args[0]
		switch opt {
		case "--rm":
			r.rm, args = true, args[1:]
			continue
		case "-t", "--tty": // newer pre-commit releases, with colour
			args = args[1:]
			continue
		}
		if len(args) < 2 {
			return r, fmt.Errorf("docker run: %s needs a value", opt)
		}
		val := args[1]
		args = args[2:]
		switch opt {
		case "-u", "--user":
			r.user = val
		case "-v", "--volume":
			parts := strings.SplitN(val, ":", 3)
			if len(parts) < 2 {
				return r, fmt.Errorf("docker run -v %s: want SRC:DST[:OPTS]", val)
			}
			r.src, r.dst = parts[0], parts[1]
			if len(parts) == 3 {
				r.volumeOpts = parts[2]
			}
		case "-w", "--workdir":
			r.workdir = val
		case "--entrypoint":
			r.entrypoint = val
		default:
			return r, fmt.Errorf("docker run: unknown option %s", opt)
		}
	}
	if len(args) == 0 {
		return r, errors.New("docker run: no image")
	}
	r.image, r.args = args[0], args[1:]
	return r, nil
}

// readDockerCalls reads the fake docker's log.
func readDockerCalls(t *testing.T, log string) []dockerCall {
	t.Helper()
	data, err := os.ReadFile(log)
	if err != nil {
		t.Fatalf("docker was never called: %v", err)
	}
	var calls []dockerCall
	for _, line := range strings.Split(strings.TrimSpace(string(data)), "\n") {
		var c dockerCall
		if err := json.Unmarshal([]byte(line), &c); err != nil || len(c.Args) == 0 {
			t.Fatalf("docker log %q: %v", line, err)
		}
		calls = append(calls, c)
	}
	return calls
}

// runPreCommit runs `pre-commit try-repo HOOKREPO ID ARGS` in a new git
// repository holding c.files, checks the outcome and returns the
// repository.
func runPreCommit(t *testing.T, preCommit string, env []string, hookRepo, id, name string, c preCommitCase) string {
	dir := gitRepo(t, env, c.files)
	cmd := exec.Command(preCommit, append([]string{"try-repo", hookRepo, id, "--color=never"}, c.args...)...)
	cmd.Dir, cmd.Env = dir, env
	start := time.Now()
	outb, err := cmd.CombinedOutput()
	out := string(outb)
	t.Logf("pre-commit try-repo %s %s: %v\n%s", id, strings.Join(c.args, " "), time.Since(start).Round(time.Millisecond), out)
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	if code != c.code {
		t.Errorf("exit code %d, want %d", code, c.code)
	}
	want := append([]string{`(?m)^` + regexp.QuoteMeta(name) + `\.+` + c.status + `$`}, c.want...)
	for _, w := range want {
		if !regexp.MustCompile(w).MatchString(out) {
			t.Errorf("output does not match %s", w)
		}
	}
	for _, w := range c.wantNot {
		if strings.Contains(out, w) {
			t.Errorf("output mentions %s", w)
		}
	}
	return dir
}

// needTool returns the path of a program the test needs; without it the
// test skips, or fails when CI=true.
func needTool(t *testing.T, name string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("%s is not on PATH, and CI=true", name)
		}
		t.Skipf("%s is not on PATH; install it (apt-get install %s) to run this test", name, name)
	}
	return p
}

// hookEnv is the environment of git and pre-commit: no user or system git
// configuration, a private pre-commit store, and the test's Go module and
// build caches, so the golang hook's `go install` (GOPATH=its env dir)
// needs no network and builds warm.
func hookEnv(t *testing.T) []string {
	t.Helper()
	out, err := exec.Command("go", "env", "GOMODCACHE", "GOCACHE").Output()
	if err != nil {
		t.Fatalf("go env: %v", err)
	}
	caches := strings.Fields(string(out))
	if len(caches) != 2 {
		t.Fatalf("go env: %q", out)
	}
	return append(os.Environ(),
		"GOMODCACHE="+caches[0], "GOCACHE="+caches[1],
		"PRE_COMMIT_HOME="+t.TempDir(),
		"GIT_CONFIG_GLOBAL="+os.DevNull, "GIT_CONFIG_NOSYSTEM=1",
		"GIT_AUTHOR_NAME=tlsvet test", "GIT_AUTHOR_EMAIL=test@tlsvet.invalid",
		"GIT_COMMITTER_NAME=tlsvet test", "GIT_COMMITTER_EMAIL=test@tlsvet.invalid",
	)
}

// snapshot commits the checkout's files, new untracked ones included, to a
// fresh repository. try-repo snapshots uncommitted changes itself but
// leaves untracked files out, so a new package would be missing from the
// hook's build.
func snapshot(t *testing.T, env []string, root string) string {
	t.Helper()
	list := runGit(t, env, root, "ls-files", "-z", "--cached", "--others", "--exclude-standard")
	files := map[string]string{}
	for _, name := range strings.Split(strings.TrimSuffix(list, "\x00"), "\x00") {
		data, err := os.ReadFile(filepath.Join(root, filepath.FromSlash(name)))
		if errors.Is(err, fs.ErrNotExist) {
			continue // deleted, not yet committed
		} else if err != nil {
			t.Fatal(err)
		}
		files[name] = string(data)
	}
	return gitRepo(t, env, files)
}

// gitRepo makes a git repository with the files committed.
func gitRepo(t *testing.T, env []string, files map[string]string) string {
	t.Helper()
	dir := writeTree(t, t.TempDir(), files)
	runGit(t, env, dir, "init", "-q")
	runGit(t, env, dir, "add", "-A")
	runGit(t, env, dir, "commit", "-q", "-m", "test")
	return dir
}

func runGit(t *testing.T, env []string, dir string, args ...string) string {
	t.Helper()
	cmd := exec.Command("git", args...)
	cmd.Dir, cmd.Env = dir, env
	out, err := cmd.Output()
	if ee, ok := err.(*exec.ExitError); ok {
		t.Fatalf("git %v: %v\n%s", args, err, ee.Stderr)
	} else if err != nil {
		t.Fatalf("git %v: %v", args, err)
	}
	return string(out)
}

// writeTree writes the files (slash paths) under dir.
func writeTree(t *testing.T, dir string, files map[string]string) string {
	t.Helper()
	for name, text := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// moduleRoot is the checkout's root, two levels up from cmd/tlsvet.
func moduleRoot(t *testing.T) string {
	t.Helper()
	root, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(root, "go.mod")); err != nil {
		t.Fatal(err)
	}
	return root
}
