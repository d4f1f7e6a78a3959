package cli

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestBaseline adopts tlsvet on a repository with old findings: baseline
// write records them, and check --baseline reports only new ones, even
// after unrelated lines moved them.
func TestBaseline(t *testing.T) {
	dir := writeFiles(t, map[string]string{
		".git/HEAD": "ref: refs/heads/main\n",
		"my.cnf":    "[mysqld]\ntls_version=TLSv1,TLSv1.2\n\n[client]\nssl-mode=DISABLED\n",
	})
	args := []string{"--target", "mysql-5.7.44", "--enable", "TV101,TV301,TV303"}
	code, out, stderr := run(t, dir, append([]string{"baseline", "write", "tlsvet-baseline.json"}, args...)...)
	if code != ExitClean || out != "" || !strings.Contains(stderr, "recorded 2 findings in tlsvet-baseline.json") {
		t.Fatalf("baseline write: exit %d, stdout %q, stderr %q", code, out, stderr)
	}
	data, err := os.ReadFile(filepath.Join(dir, "tlsvet-baseline.json"))
	if err != nil || !strings.Contains(string(data), `"rule": "TV101"`) || !strings.Contains(string(data), `"rule": "TV301"`) {
		t.Fatalf("baseline file: %v\n%s", err, data)
	}
	withBaseline := append([]string{"--baseline", "tlsvet-baseline.json"}, args...)
	if code, out, stderr := run(t, dir, withBaseline...); code != ExitClean || out != "" {
		t.Fatalf("check --baseline right after writing it: exit %d\n%s%s", code, out, stderr)
	}

	// Lines inserted above and another line edited: still known.
	write(t, dir, "my.cnf", "# TLS for the primary\n[mysqld]\nport=3306\ntls_version=TLSv1,TLSv1.2\n\n[client]\nuser=app\nssl-mode=DISABLED\n")
	if code, out, _ := run(t, dir, withBaseline...); code != ExitClean || out != "" {
		t.Fatalf("after unrelated edits: exit %d\n%s", code, out)
	}
	// A new problem is reported, and only it; the old ones stay hidden.
	write(t, dir, "my.cnf", "# TLS for the primary\n[mysqld]\nport=3306\ntls_version=TLSv1,TLSv1.2\n\n[client]\nuser=app\nssl-mode=DISABLED\n[mysql]\nssl-mode=PREFERRED\n")
	code, out, _ = run(t, dir, withBaseline...)
	if code != ExitFindings || strings.Count(out, " [TV") != 1 || !strings.Contains(out, "my.cnf:10:10:") {
		t.Fatalf("a new finding: exit %d\n%s", code, out)
	}
	// Without the baseline everything shows.
	if _, out, _ := run(t, dir, args...); strings.Count(out, " [TV") != 3 {
		t.Fatalf("without --baseline want 3 findings:\n%s", out)
	}

	for _, tc := range []struct {
		args []string
		msg  string
	}{
		{[]string{"--baseline", "missing.json"}, "tlsvet baseline write FILE"},
		{[]string{"baseline", "write"}, "usage: tlsvet baseline write FILE"},
		{[]string{"baseline", "read", "x.json"}, "usage: tlsvet baseline write FILE"},
	} {
		if code, out, stderr := run(t, dir, tc.args...); code != ExitUsage || out != "" || !strings.Contains(stderr, tc.msg) {
			t.Errorf("%v: exit %d, stdout %q, stderr %q; want 2 and %q", tc.args, code, out, stderr, tc.msg)
		}
	}
	write(t, dir, "bad.json", `{"tool":"tlsvet","version":9,"findings":[]}`)
	if code, out, stderr := run(t, dir, "--baseline", "bad.json", "--format", "sarif"); code != ExitUsage || out != "" || !strings.Contains(stderr, "bad.json: baseline: unsupported version 9") {
		t.Errorf("a baseline of another version: exit %d, stdout %q, stderr %q", code, out, stderr)
	}
}

// TestNewFromRev reports only findings on lines changed since a revision,
// or caused by them, with real git.
func TestNewFromRev(t *testing.T) {
	git := gitOrSkip(t)
	dir := writeFiles(t, map[string]string{
		"my.cnf":       "[mysqld]\ntls_version=TLSv1,TLSv1.2\n",
		"other/my.cnf": "[client]\nssl-mode=DISABLED\n",
	})
	git(dir, "init", "-q")
	git(dir, "add", ".")
	git(dir, "commit", "-qm", "old findings")
	args := []string{"--target", "mysql-5.7.44", "--enable", "TV101,TV301,TV303", "--new-from-rev", "HEAD"}
	if code, out, stderr := run(t, dir, args...); code != ExitClean || out != "" || stderr != "" {
		t.Fatalf("nothing changed since HEAD: exit %d\n%s%s", code, out, stderr)
	}
	// An unstaged edit above the old finding and a new problem below it.
	write(t, dir, "my.cnf", "[mysqld]\nport=3306\ntls_version=TLSv1,TLSv1.2\n[client]\nssl-mode=PREFERRED\n")
	code, out, _ := run(t, dir, args...)
	if code != ExitFindings || strings.Count(out, " [TV") != 1 || !strings.Contains(out, "my.cnf:5:10:") || strings.Contains(out, "other/") {
		t.Fatalf("--new-from-rev HEAD: exit %d\n%s", code, out)
	}
	// An untracked file counts as changed throughout.
	write(t, dir, "new/my.cnf", "[client]\nssl-mode=DISABLED\n")
	if _, out, _ := run(t, dir, args...); !strings.Contains(out, "new/my.cnf:2:10:") {
		t.Fatalf("untracked file not reported:\n%s", out)
	}
	// Errors are usage errors on stderr, never in the report.
	for _, rev := range []string{"no-such-rev", "--output=x"} {
		code, out, stderr := run(t, dir, "--format", "json", "--new-from-rev="+rev)
		if code != ExitUsage || out != "" || !strings.Contains(stderr, "--new-from-rev:") {
			t.Errorf("--new-from-rev %s: exit %d, stdout %q, stderr %q", rev, code, out, stderr)
		}
	}
	// A partial clone lacks the revision's blobs and fetches nothing.
	git(dir, "commit", "-qam", "edit")
	git(dir, "config", "uploadpack.allowFilter", "true")
	clone := filepath.Join(t.TempDir(), "clone")
	git(dir, "clone", "-q", "--filter=blob:none", "file://"+dir, clone)
	code, out, stderr := run(t, clone, "--new-from-rev", "HEAD~1")
	if want := "--new-from-rev: gitdiff: partial clone: fetch the objects for --new-from-rev first"; code != ExitUsage || out != "" || !strings.Contains(stderr, want) {
		t.Errorf("partial clone: exit %d, stdout %q, stderr %q; want 2 and %q", code, out, stderr, want)
	}
}

// gitOrSkip returns a runner for real git, isolated from the user's git
// configuration; it skips without git, except under CI.
func gitOrSkip(t *testing.T) func(dir string, args ...string) {
	t.Helper()
	if _, err := exec.LookPath("git"); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("git is not installed; CI must install it")
		}
		t.Skip("git is not installed")
	}
	home := t.TempDir()
	return func(dir string, args ...string) {
		t.Helper()
		cmd := exec.Command("git", args...)
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), "HOME="+home, "GIT_CONFIG_NOSYSTEM=1", "GIT_AUTHOR_NAME=t", "GIT_AUTHOR_EMAIL=t@example.com",
			"GIT_COMMITTER_NAME=t", "GIT_COMMITTER_EMAIL=t@example.com")
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("git %v: %v\n%s", args, err, out)
		}
	}
}
