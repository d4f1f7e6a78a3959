//go:build linux

package hostile

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/tlsvet/tlsvet/internal/cli"
	"github.com/tlsvet/tlsvet/internal/txtar"
)

// A fuzz input is a txtar archive describing a repository:
//
//	args: --fix            (comment line: flags, from fuzzArgs only)
//	-- my.cnf --           a regular file with the text below
//	-- conf.d/a.cnf -> @outside --   a symbolic link (targets below)
//	-- x.cnf | --          a FIFO
//
// Link targets are relative paths as written (they may leave the root)
// or one of the absolute targets in fuzzTargets, or @repo/PATH for an
// absolute link back into the repository; other absolute targets
// are dropped so that the fuzzer cannot reach arbitrary files of the
// machine running it.
var fuzzArgs = map[string]bool{
	"--fix": true, "--diff": true, "--format=json": true, "--format=sarif": true,
	"--format=github": true, "--format=text": true, "--fail-on=note": true,
}

func fuzzTargets(outside string) map[string]string {
	return map[string]string{
		"@outside": filepath.Join(outside, "x.cnf"),
		"@outdir":  outside,
		"@environ": "/proc/self/environ",
		"@zero":    "/dev/zero",
		"@stdin":   "/dev/stdin",
	}
}

// FuzzTree builds the archive as a file tree next to an outside directory
// of sentinels and runs the whole command on it: it must not panic, must
// exit 0, 1 or 2 within 10 s, and must neither open nor print nor change
// anything outside the root.
func FuzzTree(f *testing.F) {
	envMarker := "FUZZ-ENV-SENTINEL-a1b2c3"
	os.Setenv("HOSTILE_FUZZ_SECRET", envMarker) // seen through /proc/self/environ
	// The seeds are in testdata/fuzz/FuzzTree, one per hostile tree; a new
	// one is the archive as "go test fuzz v1\n[]byte(%q)\n".
	f.Fuzz(func(t *testing.T, data []byte) {
		tmp := t.TempDir()
		repo, outside := filepath.Join(tmp, "repo"), filepath.Join(tmp, "outside")
		marker := "OUTSIDE-SENTINEL-f00d"
		sentinels := map[string]string{
			filepath.Join(outside, "x.cnf"):   "[client]\nssl-mode=DISABLED\nssl-cipher=" + marker + "\n",
			filepath.Join(outside, "fix.cnf"): "[mysqld]\ntls_version=TLSv1.2, TLSv1.3\n# " + marker + "\n",
		}
		for _, d := range []string{filepath.Join(repo, ".git"), outside} {
			if err := os.MkdirAll(d, 0o755); err != nil {
				t.Fatal(err)
			}
		}
		for p, c := range sentinels {
			if err := os.WriteFile(p, []byte(c), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		args := buildTree(repo, fuzzTargets(outside), txtar.Parse(data))

		w := watch(t, func(dir, name string) bool { return dir == tmp && name == "repo" }, outside, tmp)
		var stdout, stderr bytes.Buffer
		done := make(chan int, 1)
		go func() {
			done <- (&cli.Command{Stdout: &stdout, Stderr: &stderr, Dir: repo, Getenv: func(string) string { return "" }}).Main(args)
		}()
		var code int
		select {
		case code = <-done:
		case <-time.After(runTimeout):
			t.Fatalf("tlsvet %q did not finish in %v", args, runTimeout)
		}
		for _, ev := range w.stop() {
			t.Errorf("tlsvet %q: %s outside the root", args, ev)
		}
		if code < 0 || code > 2 {
			t.Errorf("tlsvet %q: exit %d", args, code)
		}
		out := stdout.String() + stderr.String()
		for _, s := range []string{marker, envMarker} {
			if strings.Contains(out, s) {
				t.Errorf("tlsvet %q printed %q (outside the root):\n%s", args, s, head(out))
			}
		}
		for p, want := range sentinels {
			if got, err := os.ReadFile(p); err != nil || string(got) != want {
				t.Errorf("tlsvet %q changed %s (%v)", args, p, err)
			}
		}
	})
}

// buildTree creates the archive's entries under repo and returns the
// command's arguments. Entries that cannot be built are skipped: the
// fuzzer explores trees, not the archive format. Everything is created
// through an os.Root and never over an existing name, so that an entry
// below an earlier link (out -> ../../etc, then out/passwd) or on an
// earlier FIFO can neither write outside nor block.
func buildTree(repo string, targets map[string]string, a *txtar.Archive) []string {
	var args []string
	for _, line := range strings.Split(a.Comment, "\n") {
		if rest, ok := strings.CutPrefix(line, "args:"); ok {
			for _, f := range strings.Fields(rest) {
				if fuzzArgs[f] && len(args) < 4 {
					args = append(args, f)
				}
			}
		}
	}
	root, err := os.OpenRoot(repo)
	if err != nil {
		return args
	}
	defer root.Close()
	for i, file := range a.Files {
		if i == 16 {
			break
		}
		name, kind, target := file.Name, "file", ""
		if n, tg, ok := strings.Cut(name, " -> "); ok {
			name, kind, target = n, "link", strings.TrimSpace(tg)
		} else if n, ok := strings.CutSuffix(name, " |"); ok {
			name, kind = n, "fifo"
		}
		name = filepath.Clean(strings.TrimSpace(name))
		if !filepath.IsLocal(name) || strings.HasPrefix(name, ".git") || len(name) > 200 {
			continue
		}
		dir, base := filepath.Split(name)
		if dir != "" && root.MkdirAll(dir, 0o755) != nil {
			continue
		}
		switch kind {
		case "file":
			if f, err := root.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644); err == nil {
				f.Write(file.Data)
				f.Close()
			}
		case "fifo":
			if dir == "" {
				dir = "."
			}
			if d, err := root.Open(dir); err == nil {
				syscall.Mknodat(int(d.Fd()), base, syscall.S_IFIFO|0o644, 0)
				d.Close()
			}
		case "link":
			if abs, ok := targets[target]; ok {
				target = abs
			} else if rest, ok := strings.CutPrefix(target, "@repo/"); ok && filepath.IsLocal(rest) {
				target = filepath.Join(repo, rest) // absolute, back inside
			} else if filepath.IsAbs(target) || target == "" {
				continue
			}
			root.Symlink(target, name)
		}
	}
	return args
}

// TestBuildTreeStaysInside: the fuzzer's tree builder itself never writes
// through a link or onto a FIFO.
func TestBuildTreeStaysInside(t *testing.T) {
	tmp := t.TempDir()
	repo, outside := filepath.Join(tmp, "repo"), filepath.Join(tmp, "outside")
	os.MkdirAll(repo, 0o755)
	os.MkdirAll(outside, 0o755)
	x := filepath.Join(outside, "x.cnf")
	os.WriteFile(x, []byte("sentinel"), 0o644)
	buildTree(repo, fuzzTargets(outside), txtar.Parse([]byte(
		"-- out -> @outdir --\n-- out/new.cnf --\nx\n-- up -> ../outside --\n-- up/x.cnf --\nx\n-- up/sub/y.cnf --\ny\n"+
			"-- a.cnf -> @outside --\n-- a.cnf --\nx\n-- f.cnf | --\n-- f.cnf --\nx\n-- l.cnf -> f.cnf --\n-- l.cnf --\nx\n-- d/g | --\n")))
	entries, _ := os.ReadDir(outside)
	if got, _ := os.ReadFile(x); len(entries) != 1 || string(got) != "sentinel" {
		t.Errorf("buildTree wrote outside the repository: %v, x.cnf %q", entries, got)
	}
	if info, err := os.Lstat(filepath.Join(repo, "d", "g")); err != nil || info.Mode()&os.ModeNamedPipe == 0 {
		t.Errorf("d/g is not a FIFO: %v", err)
	}
}
