//go:build unix

package gitdiff

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestFIFOCannotHang: git blocks when it reads ignore rules from a FIFO.
// The repository's own core.excludesFile is not used at all; a FIFO in
// .git/info/exclude, which git always reads, is stopped at the timeout
// with a message saying why.
func TestFIFOCannotHang(t *testing.T) {
	r := newRepo(t)
	r.write("my.cnf", five)
	base := r.commit("base")
	fifo := filepath.Join(t.TempDir(), "fifo")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Skipf("no FIFO here: %v", err)
	}
	r.git("config", "core.excludesFile", fifo)
	old := timeout
	timeout = time.Second
	t.Cleanup(func() { timeout = old })

	if _, err := Changed(r.dir, base); err != nil {
		t.Errorf("a FIFO named by the repository's core.excludesFile: %v", err)
	}
	exclude := filepath.Join(r.dir, ".git", "info", "exclude")
	os.MkdirAll(filepath.Dir(exclude), 0o755)
	os.Remove(exclude)
	if err := syscall.Mkfifo(exclude, 0o644); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	_, err := Changed(r.dir, base)
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("Changed took %v with a timeout of %v", d, timeout)
	}
	if want := "in " + r.dir + ": stopped after 1s without an answer"; err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("error = %v; want %q", err, want)
	}
}
