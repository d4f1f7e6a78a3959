package gitdiff

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tlsvet/tlsvet/internal/lint"
	"github.com/tlsvet/tlsvet/internal/source"
)

// repo is a scratch git repository.
type repo struct {
	t   *testing.T
	dir string
}

// newRepo makes a repository isolated from the user's and the system's git
// configuration. git is required: missing, the test skips, or fails in CI.
func newRepo(t *testing.T) *repo {
	t.Helper()
	if _, err := exec.LookPath("git"); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("git is required in CI: %v", err)
		}
		t.Skipf("git not found (%v); install git to run the --new-from-rev tests", err)
	}
	for k, v := range map[string]string{
		"GIT_CONFIG_GLOBAL": "/dev/null", "GIT_CONFIG_NOSYSTEM": "1",
		"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.com",
		"GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.com",
		"GIT_CEILING_DIRECTORIES": filepath.Dir(t.TempDir()),
	} {
		t.Setenv(k, v)
	}
	r := &repo{t: t, dir: t.TempDir()}
	r.git("init", "-q", "-b", "main")
	return r
}

func (r *repo) git(args ...string) string {
	r.t.Helper()
	cmd := exec.Command("git", args...)
	cmd.Dir = r.dir
	out, err := cmd.CombinedOutput()
	if err != nil {
		r.t.Fatalf("git %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return strings.TrimSpace(string(out))
}

func (r *repo) write(name, content string) {
	r.t.Helper()
	p := filepath.Join(r.dir, name)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		r.t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		r.t.Fatal(err)
	}
}

// commit commits everything and returns the commit's hash.
func (r *repo) commit(msg string) string {
	r.t.Helper()
	r.git("add", "-A")
	r.git("commit", "-q", "--allow-empty", "-m", msg)
	return r.git("rev-parse", "HEAD")
}

func (r *repo) changed(sub, rev string) *Changes {
	r.t.Helper()
	c, err := Changed(filepath.Join(r.dir, sub), rev)
	if err != nil {
		r.t.Fatal(err)
	}
	return c
}

const five = "[mysqld]\nport=3306\ntls_version=TLSv1.2\nssl_cipher=AES128-SHA\nssl_ca=ca.pem\n"

// wantLines checks which of lines 1..n of path count as changed.
func wantLines(t *testing.T, c *Changes, path string, n int, changed ...int) {
	t.Helper()
	want := map[int]bool{}
	for _, l := range changed {
		want[l] = true
	}
	for l := 1; l <= n; l++ {
		if got := c.Touches(path, l, l); got != want[l] {
			t.Errorf("Touches(%q, %d) = %v; want %v", path, l, got, want[l])
		}
	}
}

func TestCommittedStagedUnstaged(t *testing.T) {
	r := newRepo(t)
	r.write("a.cnf", five)
	r.write("b.cnf", five)
	r.write("c.cnf", five)
	r.write("same.cnf", five)
	base := r.commit("base")
	r.write("a.cnf", strings.Replace(five, "port=3306", "port=3307", 1))
	r.commit("committed since base")
	r.write("b.cnf", strings.Replace(five, "TLSv1.2", "TLSv1,TLSv1.2", 1))
	r.git("add", "b.cnf")                                           // staged only
	r.write("c.cnf", strings.Replace(five, "ca.pem", "ca2.pem", 1)) // unstaged only
	c := r.changed("", base)
	wantLines(t, c, "a.cnf", 5, 2)
	wantLines(t, c, "b.cnf", 5, 3)
	wantLines(t, c, "c.cnf", 5, 5)
	wantLines(t, c, "same.cnf", 5)
	if !c.Touches("./a.cnf", 1, 9) || c.Touches("a.cnf", 3, 9) {
		t.Error("Touches does not take a line range or a ./ path")
	}
	// HEAD as the revision: only what is not committed yet.
	c = r.changed("", "HEAD")
	wantLines(t, c, "a.cnf", 5)
	wantLines(t, c, "b.cnf", 5, 3)
}

func TestUntrackedNewAndDeletedFiles(t *testing.T) {
	r := newRepo(t)
	r.write(".gitignore", "ignored.cnf\n")
	r.write("gone.cnf", five)
	base := r.commit("base")
	r.write("added.cnf", "[client]\nssl-mode=REQUIRED\n") // unlike gone.cnf, or it is a rename
	r.commit("added since base")
	r.git("rm", "-q", "gone.cnf")
	r.write("untracked dir/u.cnf", five)
	r.write("ignored.cnf", five)
	c := r.changed("", base)
	for _, p := range []string{"added.cnf", "untracked dir/u.cnf"} {
		// Wholly new: even a position past the last line (a finding at the
		// end of the file) counts.
		if !c.Touches(p, 1, 1) || !c.Touches(p, 7, 7) {
			t.Errorf("%s is not wholly changed", p)
		}
	}
	for _, p := range []string{"gone.cnf", "ignored.cnf"} {
		if c.Touches(p, 1, 5) {
			t.Errorf("%s counts as changed", p)
		}
	}
}

func TestRename(t *testing.T) {
	r := newRepo(t)
	r.write("old name.cnf", five)
	base := r.commit("base")
	if err := os.Mkdir(filepath.Join(r.dir, "conf"), 0o755); err != nil {
		t.Fatal(err)
	}
	r.git("mv", "old name.cnf", "conf/new name.cnf")
	r.write("conf/new name.cnf", strings.Replace(five, "AES128-SHA", "RC4-SHA", 1))
	c := r.changed("", base)
	wantLines(t, c, "conf/new name.cnf", 5, 4)
	wantLines(t, c, "old name.cnf", 5)
}

func TestUnusualPaths(t *testing.T) {
	r := newRepo(t)
	names := []string{"with space.cnf", "é ü.cnf", "quote\"and\\back.cnf", "tab\there.cnf", "latin1-\xe9.cnf"}
	for _, n := range names {
		r.write(n, five)
	}
	base := r.commit("base")
	for _, n := range names {
		r.write(n, strings.Replace(five, "port=3306", "port=1", 1))
	}
	c := r.changed("", base)
	for _, n := range names {
		wantLines(t, c, n, 5, 2)
	}
}

func TestPureDeletion(t *testing.T) {
	r := newRepo(t)
	r.write("mid.cnf", five)
	r.write("top.cnf", five)
	r.write("end.cnf", five)
	base := r.commit("base")
	r.write("mid.cnf", strings.Replace(five, "tls_version=TLSv1.2\n", "", 1))
	r.write("top.cnf", strings.TrimPrefix(five, "[mysqld]\n"))
	r.write("end.cnf", strings.TrimSuffix(five, "ssl_ca=ca.pem\n"))
	c := r.changed("", base)
	// Line 3 went: the lines now on either side of the gap count.
	wantLines(t, c, "mid.cnf", 4, 2, 3)
	wantLines(t, c, "top.cnf", 4, 1)
	wantLines(t, c, "end.cnf", 4, 4)
}

func TestSubdirectoryRoot(t *testing.T) {
	r := newRepo(t)
	r.write("top.cnf", five)
	r.write("deploy/my.cnf", five)
	base := r.commit("base")
	r.write("top.cnf", "changed\n"+five)
	r.write("deploy/my.cnf", strings.Replace(five, "port=3306", "port=1", 1))
	r.write("deploy/new.cnf", five)
	r.write("other.cnf", five)
	c := r.changed("deploy", base)
	wantLines(t, c, "my.cnf", 5, 2)
	if !c.Touches("new.cnf", 1, 1) {
		t.Error("untracked file under the root is not new")
	}
	for _, p := range []string{"deploy/my.cnf", "top.cnf", "../top.cnf", "other.cnf", "../other.cnf"} {
		if c.Touches(p, 1, 9) {
			t.Errorf("%s, outside the root or not relative to it, counts as changed", p)
		}
	}
}

func TestAttributesCannotHideChanges(t *testing.T) {
	r := newRepo(t)
	r.write(".gitattributes", "*.cnf -diff\n")
	r.write("my.cnf", five)
	r.write("nul.cnf", "[mysqld]\x00\nport=1\n")
	base := r.commit("base")
	r.write("my.cnf", strings.Replace(five, "port=3306", "port=1", 1))
	r.write("nul.cnf", "[mysqld]\x00\nport=2\n")
	c := r.changed("", base)
	wantLines(t, c, "my.cnf", 5, 2)
	wantLines(t, c, "nul.cnf", 2, 2)
}

func TestErrors(t *testing.T) {
	r := newRepo(t)
	r.write("my.cnf", five)
	r.commit("base")
	for _, tc := range []struct{ rev, want string }{
		{"nope", `gitdiff: unknown revision "nope" in ` + r.dir + `: fatal: Needed a single revision`},
		{"HEAD~5", `unknown revision "HEAD~5"`},
		{"", `gitdiff: invalid revision ""`},
		{"--output=" + filepath.Join(r.dir, "written"), "gitdiff: invalid revision"},
	} {
		_, err := Changed(r.dir, tc.rev)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("Changed(%q) error = %v; want %q", tc.rev, err, tc.want)
		}
	}
	if _, err := os.Stat(filepath.Join(r.dir, "written")); err == nil {
		t.Error("a revision starting with a dash reached git as an option")
	}
	if _, err := Changed(filepath.Join(r.dir, ".git"), "HEAD"); err == nil || !strings.Contains(err.Error(), "is not inside a git work tree") {
		t.Errorf("Changed(.git) error = %v; want not inside a work tree", err)
	}
	dir := t.TempDir() // not a repository (GIT_CEILING_DIRECTORIES stops the search)
	_, err := Changed(dir, "HEAD")
	if want := "gitdiff: git rev-parse in " + dir + ": fatal: not a git repository"; err == nil || !strings.HasPrefix(err.Error(), want) {
		t.Errorf("Changed(not a repo) error = %v; want it to start with %q", err, want)
	}
}

// TestRunsNothingFromTheRepository sets up every way a repository's config
// can make diff or ls-files start a program, checks that plain git does
// start it (so the test can fail), and that Changed does not.
func TestRunsNothingFromTheRepository(t *testing.T) {
	r := newRepo(t)
	marker := filepath.Join(t.TempDir(), "marker")
	evil := filepath.Join(t.TempDir(), "evil.sh")
	if err := os.WriteFile(evil, []byte("#!/bin/sh\necho \"$*\" >> '"+marker+"'\ncat\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	r.write(".gitattributes", "*.cnf filter=evil diff=evil\n")
	r.write("my.cnf", five)
	base := r.commit("base")
	for k, v := range map[string]string{
		"core.fsmonitor":        evil + " fsmonitor",
		"diff.external":         evil + " external",
		"diff.evil.command":     evil + " command",
		"diff.evil.textconv":    evil + " textconv",
		"filter.evil.clean":     evil + " clean",
		"filter.evil.smudge":    evil + " smudge",
		"filter.evil.process":   evil + " process",
		"filter.Evil.Sub.clean": evil + " dotted-name-clean",
		"core.pager":            evil + " pager",
	} {
		r.git("config", k, v)
	}
	for _, hook := range []string{"post-index-change", "pre-commit", "post-checkout"} {
		p := filepath.Join(r.dir, ".git", "hooks", hook)
		if err := os.WriteFile(p, []byte("#!/bin/sh\n"+evil+" hook-"+hook+"\n"), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	r.write("my.cnf", strings.Replace(five, "port=3306", "port=1", 1))
	r.write("untracked.cnf", five)

	c := r.changed("", base)
	if b, err := os.ReadFile(marker); err == nil {
		t.Fatalf("Changed ran programs named by the repository:\n%s", b)
	}
	wantLines(t, c, "my.cnf", 5, 2)

	// Control: the same repository does run them under plain git.
	cmd := exec.Command("git", "diff", base)
	cmd.Dir = r.dir
	_ = cmd.Run() // the process filter does not speak the protocol; only the marker matters
	b, _ := os.ReadFile(marker)
	for _, want := range []string{"fsmonitor", "process"} {
		if !strings.Contains(string(b), want) {
			t.Errorf("control: plain git diff did not run the %s program (marker: %q); the test proves nothing", want, b)
		}
	}

	// A driver name that -c cannot express is refused, not half-disabled.
	r.git("config", "filter.x.clean=./evil.clean", evil+" crafted")
	if _, err := Changed(r.dir, base); err == nil || !strings.Contains(err.Error(), "cannot be overridden") {
		t.Errorf("crafted filter name: error = %v; want a refusal", err)
	}
}

func TestParseDiff(t *testing.T) {
	diff := `diff --git a/f.cnf b/f.cnf
index 1..2 100644
--- a/f.cnf
+++ b/f.cnf
@@ -1,0 +2,2 @@ [mysqld]
+++ b/evil.cnf
+@@ -1 +1 @@
@@ -9 +10 @@
-x
\ No newline at end of file
+y
\ No newline at end of file
diff --git a/gone.cnf b/gone.cnf
deleted file mode 100644
--- a/gone.cnf
+++ /dev/null
@@ -1,2 +0,0 @@
-a
-b
`
	c := &Changes{files: map[string]*fileChanges{}}
	if err := c.parseDiff([]byte(diff)); err != nil {
		t.Fatal(err)
	}
	wantLines(t, c, "f.cnf", 11, 2, 3, 10)
	if len(c.files) != 1 {
		t.Errorf("files = %v; want only f.cnf (an added line that looks like a header is not a file)", c.files)
	}
	for _, bad := range []string{
		"+++ b/f\n@@ -1 +1 @@\n+x\n",              // cut short
		"+++ b/f\n@@ -1 +x @@\n",                  // bad header
		"+++ b/f\n@@ -1 +1 @@\n-a\nstray\n",       // not a hunk line
		"@@ -1 +1 @@\n-a\n+b\n",                   // no file
		"+++ \"b/unterminated\n@@ -1 +1 @@\n+a\n", // bad quoting
	} {
		c := &Changes{files: map[string]*fileChanges{}}
		if err := c.parseDiff([]byte(bad)); err == nil {
			t.Errorf("parseDiff(%q) = nil error", bad)
		}
	}
}

func TestIsNew(t *testing.T) {
	c := &Changes{files: map[string]*fileChanges{
		"a.cnf": {ranges: [][2]int{{3, 3}}},
		"b.cnf": {whole: true},
	}}
	a := source.NewFile("a.cnf", []byte("l1\nl2\nl3\nl4\n"))
	old := source.NewFile("old.cnf", []byte("x\n"))
	span := func(f *source.File, line int) source.Span {
		s := f.LineStart(line)
		return f.Span(s, s+2)
	}
	for _, tc := range []struct {
		name string
		d    lint.Diagnostic
		want bool
	}{
		{"on a changed line", lint.Diagnostic{Span: span(a, 3)}, true},
		{"on an unchanged line", lint.Diagnostic{Span: span(a, 2)}, false},
		{"span ending with the newline before a changed line", lint.Diagnostic{Span: a.Span(a.LineStart(2), a.LineStart(3))}, false},
		{"span over a changed line", lint.Diagnostic{Span: a.Span(a.LineStart(2), a.LineStart(4))}, true},
		{"unchanged file, related place changed", lint.Diagnostic{Span: span(old, 1), Related: []lint.Related{{Span: span(a, 3)}}}, true},
		{"unchanged file, related place unchanged", lint.Diagnostic{Span: span(old, 1), Related: []lint.Related{{Span: span(a, 1)}}}, false},
		{"no position at all", lint.Diagnostic{}, true},
	} {
		if got := c.IsNew(tc.d); got != tc.want {
			t.Errorf("%s: IsNew = %v; want %v", tc.name, got, tc.want)
		}
	}
	ds := []lint.Diagnostic{{RuleID: "1", Span: span(a, 1)}, {RuleID: "2", Span: span(a, 3)}, {RuleID: "3"}}
	if got := c.Filter(ds); len(got) != 2 || got[0].RuleID != "2" || got[1].RuleID != "3" {
		t.Errorf("Filter kept %v; want rules 2 and 3 in order", got)
	}
}

// TestPartialCloneFetchesNothing makes a partial clone whose config names
// a program for the lazy fetch of a missing blob, through the file
// transport's uploadpack and through an ext:: remote, each allowed by
// protocol.<name>.allow. Changed needs that blob: it must fail with the
// partial clone error and start nothing, with each of GIT_ALLOW_PROTOCOL
// and GIT_NO_LAZY_FETCH alone too; plain git, the control, starts it.
func TestPartialCloneFetchesNothing(t *testing.T) {
	src := newRepo(t)
	src.write("my.cnf", five)
	base := src.commit("base")
	src.write("my.cnf", strings.Replace(five, "port=3306", "port=1", 1))
	src.commit("edit")
	bare := filepath.Join(t.TempDir(), "src.git")
	src.git("clone", "-q", "--bare", src.dir, bare)
	src.git("-C", bare, "config", "uploadpack.allowFilter", "true")
	missing := src.git("rev-parse", base+":my.cnf")

	marker := filepath.Join(t.TempDir(), "marker")
	evil := filepath.Join(t.TempDir(), "evil.sh")
	if err := os.WriteFile(evil, []byte("#!/bin/sh\necho \"$*\" >> '"+marker+"'\nexit 1\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name   string
		config [][2]string
	}{
		{"uploadpack", [][2]string{{"protocol.file.allow", "always"}, {"remote.origin.uploadpack", evil + " uploadpack"}}},
		{"ext", [][2]string{{"protocol.ext.allow", "always"}, {"remote.origin.url", "ext::" + evil + " ext"}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			clone := &repo{t: t, dir: filepath.Join(t.TempDir(), "clone")}
			src.git("clone", "-q", "--filter=blob:none", "file://"+bare, clone.dir)
			for _, kv := range tc.config {
				clone.git("config", kv[0], kv[1])
			}
			// Control: plain git starts the program, even with the
			// -c protocol.allow=never that the repository overrides.
			cmd := exec.Command("git", "-c", "protocol.allow=never", "diff", base)
			cmd.Dir = clone.dir
			cmd.Env = append(without(os.Environ(), "GIT_ALLOW_PROTOCOL"), "GIT_NO_LAZY_FETCH=0")
			if out, err := cmd.CombinedOutput(); !fileExists(marker) {
				t.Fatalf("control: plain git diff did not start the program (%v); the test proves nothing:\n%s", err, out)
			}
			if err := os.Remove(marker); err != nil {
				t.Fatal(err)
			}

			all := safeEnv
			t.Cleanup(func() { safeEnv = all })
			for _, drop := range []string{"", "GIT_NO_LAZY_FETCH", "GIT_ALLOW_PROTOCOL"} {
				if drop == "GIT_ALLOW_PROTOCOL" && !honoursNoLazyFetch(clone.dir, missing) {
					t.Log("this git ignores GIT_NO_LAZY_FETCH: not checked alone")
					continue
				}
				safeEnv = without(all, drop)
				_, err := Changed(clone.dir, base)
				if want := "partial clone: fetch the objects for --new-from-rev first"; err == nil || !strings.Contains(err.Error(), want) {
					t.Errorf("without %q: error = %v; want %q", drop, err, want)
				}
				if b, err := os.ReadFile(marker); err == nil {
					t.Fatalf("without %q: Changed started the program named by the repository:\n%s", drop, b)
				}
			}
		})
	}
}

// honoursNoLazyFetch reports whether git obeys GIT_NO_LAZY_FETCH: asked
// for a missing object, it then says so instead of fetching (which
// GIT_ALLOW_PROTOCOL keeps from starting anything).
func honoursNoLazyFetch(dir, missing string) bool {
	cmd := exec.Command("git", "-C", dir, "cat-file", "-e", missing)
	cmd.Env = append(os.Environ(), "GIT_ALLOW_PROTOCOL=none", "GIT_NO_LAZY_FETCH=1", "LC_ALL=C")
	out, _ := cmd.CombinedOutput()
	return strings.Contains(string(out), "lazy fetching disabled")
}

// without returns env less the variable name (all of it for "").
func without(env []string, name string) []string {
	var out []string
	for _, kv := range env {
		if name == "" || !strings.HasPrefix(kv, name+"=") {
			out = append(out, kv)
		}
	}
	return out
}

func fileExists(name string) bool {
	_, err := os.Stat(name)
	return err == nil
}

// TestUserExcludesKept: the user's global core.excludesFile still hides
// files from the untracked list; the repository's own is not read.
func TestUserExcludesKept(t *testing.T) {
	r := newRepo(t)
	r.write("my.cnf", five)
	base := r.commit("base")
	home := t.TempDir()
	global := filepath.Join(home, "ignore")
	os.WriteFile(global, []byte("global.cnf\n"), 0o644)
	local := filepath.Join(home, "local-ignore")
	os.WriteFile(local, []byte("local.cnf\n"), 0o644)
	os.WriteFile(filepath.Join(home, ".gitconfig"), []byte("[core]\n\texcludesFile = "+global+"\n"), 0o644)
	t.Setenv("GIT_CONFIG_GLOBAL", filepath.Join(home, ".gitconfig"))
	r.git("config", "core.excludesFile", local)
	r.write("global.cnf", five)
	r.write("local.cnf", five)
	ch, err := Changed(r.dir, base)
	if err != nil {
		t.Fatal(err)
	}
	whole := func(name string) bool { return ch.files[name] != nil && ch.files[name].whole }
	if whole("global.cnf") || !whole("local.cnf") {
		t.Errorf("untracked global.cnf %v, local.cnf %v; want only local.cnf (the repository's excludes are not read)", whole("global.cnf"), whole("local.cnf"))
	}
}
