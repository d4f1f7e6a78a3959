//go:build unix

package cli

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// hostileRepo is a repository with a finding, and dir/outside/sentinel
// beside it.
func hostileRepo(t *testing.T) (repo, sentinel string) {
	t.Helper()
	dir := writeFiles(t, map[string]string{
		"repo/.git/HEAD":   "ref: refs/heads/main\n",
		"repo/my.cnf":      "[mysqld]\ntls_version=TLSv1,TLSv1.2\n",
		"outside/sentinel": "SENTINEL\n",
	})
	return filepath.Join(dir, "repo"), filepath.Join(dir, "outside", "sentinel")
}

func sentinelKept(t *testing.T, sentinel string) {
	t.Helper()
	if b, err := os.ReadFile(sentinel); err != nil || string(b) != "SENTINEL\n" {
		t.Errorf("the file outside the repository now holds %q (%v)", b, err)
	}
}

// TestOutputsRefuseLinksInTheRepository: a committed tlsvet.sarif (the
// Action's old default name) or baseline file that links outside must not
// redirect the write.
func TestOutputsRefuseLinksInTheRepository(t *testing.T) {
	repo, sentinel := hostileRepo(t)
	os.Symlink(sentinel, filepath.Join(repo, "tlsvet.sarif"))
	os.Mkdir(filepath.Join(repo, "reports"), 0o755)
	os.Symlink(filepath.Dir(sentinel), filepath.Join(repo, "out"))
	for _, args := range [][]string{
		{"--format", "sarif=tlsvet.sarif"},
		{"--format", "json=out/sentinel"},
		{"--format", "json=out/new.json"},
		{"baseline", "write", "tlsvet.sarif"},
	} {
		code, _, stderr := run(t, repo, args...)
		if code != ExitUsage || !strings.Contains(stderr, "is a symbolic link inside the repository") {
			t.Errorf("%v: exit %d, stderr %q", args, code, stderr)
		}
	}
	sentinelKept(t, sentinel)
	if _, err := os.Stat(filepath.Join(filepath.Dir(sentinel), "new.json")); err == nil {
		t.Error("out/new.json was written outside the repository")
	}
	// Outside the repository the user chose the path: links are followed.
	report := filepath.Join(t.TempDir(), "r.json")
	os.WriteFile(report+".real", nil, 0o644)
	os.Symlink(report+".real", report)
	if code, _, stderr := run(t, repo, "--format", "json="+report); code != ExitFindings {
		t.Errorf("a linked report outside the repository: exit %d, %s", code, stderr)
	}
	if b, _ := os.ReadFile(report + ".real"); !strings.Contains(string(b), `"findings"`) {
		t.Errorf("the report was not written through the link: %q", b)
	}
}

// TestInputsAreRegularFilesOfBoundedSize: .tlsvet.toml and --baseline as
// a FIFO, a link to /dev/zero or oversized are usage errors, at once.
func TestInputsAreRegularFilesOfBoundedSize(t *testing.T) {
	repo, _ := hostileRepo(t)
	syscall.Mkfifo(filepath.Join(repo, "fifo"), 0o644)
	os.Symlink("/dev/zero", filepath.Join(repo, "zero"))
	os.Symlink("../outside/sentinel", filepath.Join(repo, "out.json"))
	os.WriteFile(filepath.Join(repo, "big.toml"), []byte(strings.Repeat("#\n", 1<<20)), 0o644)
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--config", "fifo"}, "not a regular file"},
		{[]string{"--config", "zero"}, "is absolute"},
		{[]string{"--config", "big.toml"}, "too large (2 MiB; the limit is 1 MiB)"},
		{[]string{"--baseline", "fifo"}, "not a regular file"},
		{[]string{"--baseline", "zero"}, "is absolute"},
		{[]string{"--baseline", "out.json"}, "leads outside"},
	} {
		code, _, stderr := run(t, repo, tc.args...)
		if code != ExitUsage || !strings.Contains(stderr, tc.want) {
			t.Errorf("%v: exit %d, stderr %q, want %q", tc.args, code, stderr, tc.want)
		}
		if strings.Contains(stderr, "SENTINEL") {
			t.Errorf("%v: stderr shows the file outside: %q", tc.args, stderr)
		}
	}
	// A .tlsvet.toml found by the search is read the same way.
	os.Symlink("/dev/zero", filepath.Join(repo, ".tlsvet.toml"))
	if code, _, stderr := run(t, repo); code != ExitUsage || !strings.Contains(stderr, "is absolute") {
		t.Errorf("a found .tlsvet.toml linking to /dev/zero: exit %d, %q", code, stderr)
	}
}

// TestFixStaysInside: --fix never writes through a link that leaves the
// root (such a file is not even read) and skips, with a message, a file
// that became a link after it was read.
func TestFixStaysInside(t *testing.T) {
	repo, sentinel := hostileRepo(t)
	os.WriteFile(sentinel, []byte("[mysqld]\ntls_version=TLSv1,TLSv1.2\n"), 0o644)
	os.Symlink(sentinel, filepath.Join(repo, "abs.cnf"))
	os.Symlink("../outside/sentinel", filepath.Join(repo, "rel.cnf"))
	code, _, stderr := run(t, repo, "--fix")
	if code == ExitUsage {
		t.Fatalf("--fix: %s", stderr)
	}
	if b, _ := os.ReadFile(sentinel); string(b) != "[mysqld]\ntls_version=TLSv1,TLSv1.2\n" {
		t.Errorf("--fix changed the file outside the root: %q", b)
	}
	if b, _ := os.ReadFile(filepath.Join(repo, "my.cnf")); strings.Contains(string(b), "TLSv1,") {
		t.Errorf("--fix did not fix the file inside: %q", b)
	}
}
