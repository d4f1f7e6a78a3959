//go:build linux

package hostile

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// gitRepo turns e.repo into a real repository with one commit of my.cnf
// and a change to it in the working tree; it returns a git runner that
// ignores the user's and the system's configuration.
func gitRepo(t *testing.T, e *env) func(args ...string) string {
	git := gitOrSkip(t)
	os.RemoveAll(e.path(".git"))
	run := func(args ...string) string {
		cmd := exec.Command(git, args...)
		cmd.Dir = e.repo
		cmd.Env = []string{"HOME=" + e.tmp, "GIT_CONFIG_NOSYSTEM=1", "PATH=" + os.Getenv("PATH"),
			"GIT_AUTHOR_NAME=t", "GIT_AUTHOR_EMAIL=t@example.com", "GIT_COMMITTER_NAME=t", "GIT_COMMITTER_EMAIL=t@example.com"}
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("git %q: %v\n%s", args, err, out)
		}
		return strings.TrimSpace(string(out))
	}
	run("init", "-q")
	e.write("my.cnf", "[client]\nssl-mode=REQUIRED\n")
	run("add", "my.cnf")
	run("commit", "-qm", "one")
	e.write("my.cnf", "[client]\nssl-mode=DISABLED\n")
	return run
}

// TestGitExcludesFileFIFO: core.excludesFile naming a FIFO must not hang
// --new-from-rev (e.run kills the run after 10 s and fails).
func TestGitExcludesFileFIFO(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	git := gitRepo(t, e)
	fifo := filepath.Join(e.tmp, "out", "excludes")
	os.MkdirAll(filepath.Dir(fifo), 0o755)
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Fatal(err)
	}
	git("config", "core.excludesFile", fifo)
	git("config", "protocol.file.allow", "always")
	r := e.run("--new-from-rev", "HEAD")
	wantCode(t, r, 1, 2)
}

// TestGitPartialCloneNoLazyFetch: in a partial clone whose configuration
// allows the file protocol and names an upload-pack program, a missing
// object must not start a fetch (GIT_ALLOW_PROTOCOL=none): the program
// never runs, and tlsvet exits 2 saying what to do.
func TestGitPartialCloneNoLazyFetch(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	git := gitRepo(t, e)
	out := filepath.Join(e.tmp, "out")
	os.MkdirAll(out, 0o755)
	ran := filepath.Join(out, "upload-pack-ran")
	script := filepath.Join(out, "upload-pack")
	if err := os.WriteFile(script, []byte("#!/bin/sh\ntouch '"+ran+"'\nexit 1\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	// Drop the committed blob of my.cnf: only the promisor remote has it.
	blob := git("rev-parse", "HEAD:my.cnf")
	if err := os.Remove(e.path(".git/objects/" + blob[:2] + "/" + blob[2:])); err != nil {
		t.Fatal(err)
	}
	git("config", "core.repositoryformatversion", "1")
	git("config", "extensions.partialClone", "origin")
	git("config", "remote.origin.url", "file://"+filepath.Join(out, "upstream"))
	git("config", "remote.origin.promisor", "true")
	git("config", "remote.origin.uploadpack", script)
	git("config", "protocol.file.allow", "always")
	// Plain git does fetch: the fixture is hostile.
	plain := exec.Command("git", "diff", "HEAD")
	plain.Dir, plain.Env = e.repo, []string{"HOME=" + e.tmp, "GIT_CONFIG_NOSYSTEM=1", "PATH=" + os.Getenv("PATH")}
	plain.Run()
	if err := os.Remove(ran); err != nil {
		t.Logf("plain git diff did not run upload-pack on this git (%v); the check below still holds", err)
	}
	r := e.run("--new-from-rev", "HEAD")
	if _, err := os.Stat(ran); err == nil {
		t.Errorf("tlsvet --new-from-rev ran the repository's remote.origin.uploadpack")
	}
	wantCode(t, r, 2)
	wantIn(t, r, r.stderr, "partial clone")
}
