package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestFocusOnPassedFiles is what pre-commit does (--report=changed): it
// passes the changed files only. An included file is still read in the
// context of the file that includes it, and only findings in or caused by
// the passed files are reported.
func TestFocusOnPassedFiles(t *testing.T) {
	dir := writeFiles(t, map[string]string{
		".git/HEAD":      "ref: refs/heads/main\n",
		"my.cnf":         "[mysqld]\ntls_version=TLSv1.2,TLSv1.3\n!includedir conf.d\n",
		"conf.d/tls.cnf": "[mysqld]\ntls_version=TLSv1,TLSv1.2\n",
		"other/my.cnf":   "[client]\nssl-mode=DISABLED\n",
		"README.md":      "[mysqld]\nssl=0\n",
		"app/my.cnf":     "[client]\n!include ssl.conf\n",
		"app/ssl.conf":   "[client]\nssl-mode=DISABLED\n",
	})
	for _, tc := range []struct {
		paths     []string
		want, not []string
		wantExit  int
	}{
		// The included file alone: its own findings, and TV009 knows the
		// earlier value in my.cnf, which only the whole root can tell.
		{[]string{"conf.d/tls.cnf"}, []string{"conf.d/tls.cnf:2:13: warning: tls_version has a hole", "this last one wins over my.cnf:2 [TV009"}, []string{"other/"}, ExitFindings},
		// my.cnf alone: the override in conf.d is caused by my.cnf's line (a
		// related place), so it is reported; the hole is not.
		{[]string{"my.cnf"}, []string{"conf.d/tls.cnf:2:1: note: tls_version is set 2 times"}, []string{"TV101", "other/"}, ExitClean},
		{[]string{"other/my.cnf", "README.md"}, []string{"other/my.cnf:2:10: warning: ssl-mode=DISABLED"}, []string{"conf.d/"}, ExitFindings},
		{[]string{"conf.d"}, []string{"conf.d/tls.cnf:2:13"}, []string{"other/"}, ExitFindings},
		{[]string{"README.md"}, nil, []string{"TV"}, ExitClean},
		// pre-commit never passes ssl.conf (not an option file by name), so
		// it is checked with the my.cnf that includes it.
		{[]string{"app/my.cnf"}, []string{"app/ssl.conf:2:10: warning: ssl-mode=DISABLED"}, []string{"other/", "conf.d/"}, ExitFindings},
		{[]string{"."}, []string{"conf.d/tls.cnf:2:13", "other/my.cnf:2:10"}, nil, ExitFindings},
	} {
		args := append([]string{"--report=changed", "--target", "mysql-8.0.36", "--enable", "TV009,TV101,TV301"}, tc.paths...)
		code, out, stderr := run(t, dir, args...)
		if code != tc.wantExit || stderr != "" {
			t.Errorf("%v: exit %d, want %d; stderr %s", tc.paths, code, tc.wantExit, stderr)
		}
		for _, w := range tc.want {
			if !strings.Contains(out, w) {
				t.Errorf("%v: output lacks %q:\n%s", tc.paths, w, out)
			}
		}
		for _, n := range tc.not {
			if strings.Contains(out, n) {
				t.Errorf("%v: output has %q:\n%s", tc.paths, n, out)
			}
		}
	}
}

// TestFocusOnNamedFiles is the default scope: a named file brings every
// file read because of it, transitively, so naming my.cnf does not hide a
// broken conf.d/x.cnf; findings elsewhere that they cause come too.
func TestFocusOnNamedFiles(t *testing.T) {
	dir := writeFiles(t, map[string]string{
		".git/HEAD":          "ref: refs/heads/main\n",
		"my.cnf":             "[mysqld]\ntls_version=TLSv1.2,TLSv1.3\n!include mysql/base.cnf\n",
		"mysql/base.cnf":     "[mysqld]\n!includedir conf.d\n",
		"mysql/conf.d/x.cnf": "[mysqld]\ntls_version=TLSv1,TLSv1.2\n",
		"mysql/other.cnf":    "[client]\nssl-mode=DISABLED\n",
		"client/my.cnf":      "[client]\nssl-mode=DISABLED\n",
	})
	hole := "mysql/conf.d/x.cnf:2:13: warning: tls_version has a hole"
	for _, tc := range []struct {
		args      []string
		want, not []string
		wantExit  int
	}{
		// Two levels down: my.cnf -> mysql/base.cnf -> mysql/conf.d/x.cnf.
		{[]string{"my.cnf"}, []string{hole, "this last one wins over my.cnf:2 [TV009"}, []string{"other", "client/"}, ExitFindings},
		{[]string{"--report", "named", "mysql/base.cnf"}, []string{hole}, []string{"other", "client/"}, ExitFindings},
		// The same names, as pre-commit passes them: the include is not
		// reported unless it is passed too.
		{[]string{"--report=changed", "my.cnf"}, []string{"mysql/conf.d/x.cnf:2:1: note: tls_version is set 2 times"}, []string{"TV101", "other", "client/"}, ExitClean},
		{[]string{"--report=changed", "mysql/base.cnf"}, nil, []string{"TV"}, ExitClean},
		// Naming the include reports it, not the unrelated files.
		{[]string{"mysql/conf.d/x.cnf"}, []string{hole}, []string{"other", "client/"}, ExitFindings},
	} {
		args := append([]string{"--target", "mysql-8.0.36", "--enable", "TV009,TV101,TV301"}, tc.args...)
		code, out, stderr := run(t, dir, args...)
		if code != tc.wantExit || stderr != "" {
			t.Errorf("%v: exit %d, want %d; stderr %s", tc.args, code, tc.wantExit, stderr)
		}
		for _, w := range tc.want {
			if !strings.Contains(out, w) {
				t.Errorf("%v: output lacks %q:\n%s", tc.args, w, out)
			}
		}
		for _, n := range tc.not {
			if strings.Contains(out, n) {
				t.Errorf("%v: output has %q:\n%s", tc.args, n, out)
			}
		}
	}
	if code, _, stderr := run(t, dir, "--report=all", "my.cnf"); code != ExitUsage || !strings.Contains(stderr, "want named or changed") {
		t.Errorf("--report=all: exit %d, stderr %s", code, stderr)
	}
}

// TestFocusKeepsConfigExcludes: pre-commit passes every changed file, and
// the config's excludes still hold for files named on the command line.
func TestFocusKeepsConfigExcludes(t *testing.T) {
	dir := writeFiles(t, map[string]string{
		".git/HEAD":           "ref: refs/heads/main\n", // the config is looked for up to the repository root
		".tlsvet.toml":        "[[exclude]]\npaths = [\"testdata/**\"]\n",
		"testdata/bad/my.cnf": "[client]\nssl-mode=DISABLED\n",
		"vendor/x/my.cnf":     "[client]\nssl-mode=DISABLED\n",
	})
	if code, out, _ := run(t, dir, "testdata/bad/my.cnf"); code != ExitClean || out != "" {
		t.Errorf("an excluded file named on the command line: exit %d\n%s", code, out)
	}
	// vendor/ is skipped by the walk, but a file named explicitly is read.
	if code, out, _ := run(t, dir, "vendor/x/my.cnf"); code != ExitFindings || !strings.Contains(out, "vendor/x/my.cnf:2:10") {
		t.Errorf("a vendored file named on the command line: exit %d\n%s", code, out)
	}
	if code, out, _ := run(t, dir, "."); code != ExitClean || out != "" {
		t.Errorf("walk of the root: exit %d\n%s", code, out)
	}
}

// TestFocusFollowsLinks: pre-commit passes a symlinked my.cnf by its
// name; its findings are reported in the file it resolves to.
func TestFocusFollowsLinks(t *testing.T) {
	dir := writeFiles(t, map[string]string{
		".git/HEAD":    "ref: refs/heads/main\n",
		"mysql/my.cnf": "[client]\nssl-mode=DISABLED\n",
	})
	if err := os.Symlink("mysql/my.cnf", filepath.Join(dir, "my.cnf")); err != nil {
		t.Fatal(err)
	}
	if code, out, _ := run(t, dir, "my.cnf"); code != ExitFindings || !strings.Contains(out, "mysql/my.cnf:2:10") {
		t.Errorf("a linked file named on the command line: exit %d\n%s", code, out)
	}
}
