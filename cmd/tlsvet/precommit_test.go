package main

import (
	"bytes"
	"encoding/json"
	"errors"
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
	"github.com/tlsvet/tlsvet/parsers"
)

// Names the hooks' files pattern must select, and must not.
var (
	hookFiles = []string{
		"my.cnf", "conf.d/50-server.cnf", "my.ini", "deploy/MariaDB.ini", "my.cnf.d/server.ini",
		"docker-compose.yml", "compose.prod.yaml", "charts/db/values.yaml", "charts/db/templates/sts.yaml",
		"k8s/statefulset.yml", ".env", "config/app.env", ".env.production", "svc/.env.local",
		"application.properties", "config.toml", "main.go",
	}
	otherFiles = []string{
		"README.md", "Makefile", "x.json", "x.py", "setup.ini", "my.cnf.bak", "docs/my.cnf.md", "ssl.conf",
	}
)

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
	for id, want := range map[string][2]string{
		"tlsvet":        {"golang", bin + " check"},
		"tlsvet-system": {"system", bin + " check"},
		"tlsvet-docker": {"docker_image", "ghcr.io/tlsvet/tlsvet:v" + cli.Version + " check"},
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
	if !slices.Equal(first.Types, []string{"text"}) || !first.RequireSerial || !first.PassFilenames ||
		first.MinimumPreCommitVersion == "" {
		t.Errorf("want types [text], require_serial and pass_filenames true, a minimum version: %+v", first)
	}
	re, err := regexp.Compile(first.Files)
	if err != nil {
		t.Fatalf("files: %v", err)
	}
	for _, name := range hookFiles {
		if !re.MatchString(name) {
			t.Errorf("files %s does not select %s", first.Files, name)
		}
	}
	for _, name := range otherFiles {
		if re.MatchString(name) {
			t.Errorf("files %s selects %s", first.Files, name)
		}
		if parsers.Detect(name) != parsers.Unknown {
			t.Errorf("tlsvet parses %s, but the hooks never pass it", name)
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

// TestHookFilesWithoutTLSSettings: the pattern selects kinds tlsvet has no
// parser for yet; named explicitly, they must pass, or every commit
// touching a YAML file would fail, with one notification naming them.
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
	}
	dir := writeTree(t, t.TempDir(), files)
	args := []string{"check"}
	for name := range files {
		args = append(args, name)
	}
	var stdout, stderr bytes.Buffer
	code := (&cli.Command{Stdout: &stdout, Stderr: &stderr, Dir: dir}).Main(args)
	if code != cli.ExitClean || !regexp.MustCompile(`^warning: 8 files named on the command line were not read: [^\n]*\n$`).Match(stdout.Bytes()) || stderr.Len() > 0 {
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

// TestPreCommit runs the hooks with the real pre-commit (Debian's package):
// the golang hook builds this checkout with `go install ./...`, the system
// hook runs a tlsvet built here from PATH.
func TestPreCommit(t *testing.T) {
	preCommit := needTool(t, "pre-commit")
	needTool(t, "git")
	env := hookEnv(t)
	hookRepo := snapshot(t, env, moduleRoot(t))

	t.Run("golang", func(t *testing.T) {
		for _, c := range []preCommitCase{badRun, goodRun, {
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
		for _, c := range []preCommitCase{badRun, goodRun, {
			// The files pattern, read by pre-commit itself, leaves these out.
			name: "unselected", files: map[string]string{"README.md": "# db\n", "my.cnf.j2": hookBadCnf},
			args: []string{"--all-files"}, code: 0, status: `\(no files to check\)Skipped`,
		}} {
			t.Run(c.name, func(t *testing.T) {
				runPreCommit(t, preCommit, env, hookRepo, "tlsvet-system", "tlsvet (installed binary)", c)
			})
		}
	})
}

// runPreCommit runs `pre-commit try-repo HOOKREPO ID ARGS` in a new git
// repository holding c.files and checks the outcome.
func runPreCommit(t *testing.T, preCommit string, env []string, hookRepo, id, name string, c preCommitCase) {
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
