//go:build unix

package atomicfile

import (
	"io/fs"
	"os"
	"path/filepath"
	"syscall"
	"testing"
)

// entries lists dir, so tests can see that no temporary file is left.
func entries(t *testing.T, dir string) []string {
	t.Helper()
	es, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range es {
		names = append(names, e.Name())
	}
	return names
}

func TestWriteKeepsMode(t *testing.T) {
	dir := t.TempDir()
	for _, mode := range []fs.FileMode{0o600, 0o755, 0o640 | fs.ModeSetgid} {
		name := filepath.Join(dir, "my.cnf")
		if err := os.WriteFile(name, []byte("old\n"), 0o600); err != nil {
			t.Fatal(err)
		}
		if err := os.Chmod(name, mode); err != nil {
			t.Fatal(err)
		}
		if err := Write(name, []byte("new\n")); err != nil {
			t.Fatal(err)
		}
		got, err := os.ReadFile(name)
		if err != nil || string(got) != "new\n" {
			t.Fatalf("content %q, %v", got, err)
		}
		st, err := os.Stat(name)
		if err != nil {
			t.Fatal(err)
		}
		if got := st.Mode() & (fs.ModePerm | fs.ModeSetgid); got != mode {
			t.Errorf("mode %v, want %v", got, mode)
		}
		if es := entries(t, dir); len(es) != 1 {
			t.Errorf("files left: %v", es)
		}
		os.Remove(name)
	}
}

func TestWriteNewFileIgnoresUmask(t *testing.T) {
	old := syscall.Umask(0o077)
	defer syscall.Umask(old)
	name := filepath.Join(t.TempDir(), "new.cnf")
	if err := Write(name, []byte("x")); err != nil {
		t.Fatal(err)
	}
	if st, err := os.Stat(name); err != nil || st.Mode() != 0o644 {
		t.Fatalf("new file: %v, %v; want -rw-r--r--", st.Mode(), err)
	}
}

func TestWriteFollowsSymlink(t *testing.T) {
	dir := t.TempDir()
	target := filepath.Join(dir, "mariadb.cnf")
	link := filepath.Join(dir, "my.cnf")
	if err := os.WriteFile(target, []byte("old\n"), 0o640); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("mariadb.cnf", link); err != nil {
		t.Fatal(err)
	}
	if err := Write(link, []byte("new\n")); err != nil {
		t.Fatal(err)
	}
	if st, err := os.Lstat(link); err != nil || st.Mode()&fs.ModeSymlink == 0 {
		t.Fatalf("the link was replaced: %v, %v", st.Mode(), err)
	}
	got, err := os.ReadFile(target)
	if err != nil || string(got) != "new\n" {
		t.Fatalf("target content %q, %v", got, err)
	}
	if st, _ := os.Stat(target); st.Mode() != 0o640 {
		t.Errorf("target mode %v", st.Mode())
	}
}

// A rename onto a non-empty directory fails after the temporary file was
// written: the directory must be untouched and the temporary file gone.
// (A read-only directory would not do: tests may run as root.)
func TestWriteFailureLeavesNothing(t *testing.T) {
	dir := t.TempDir()
	name := filepath.Join(dir, "conf.d")
	if err := os.Mkdir(name, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(name, "a.cnf"), []byte("a"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := Write(name, []byte("new")); err == nil {
		t.Fatal("renaming over a directory succeeded")
	}
	if es := entries(t, dir); len(es) != 1 || es[0] != "conf.d" {
		t.Errorf("files left: %v", es)
	}
	if got, err := os.ReadFile(filepath.Join(name, "a.cnf")); err != nil || string(got) != "a" {
		t.Errorf("directory content changed: %q, %v", got, err)
	}
	if err := Write(filepath.Join(dir, "missing", "my.cnf"), nil); err == nil {
		t.Error("writing into a missing directory succeeded")
	}
}

func TestWriteKeepsOwner(t *testing.T) {
	if os.Getuid() != 0 {
		t.Skip("only root can give a file to another owner")
	}
	name := filepath.Join(t.TempDir(), "my.cnf")
	if err := os.WriteFile(name, []byte("old"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Chown(name, 12345, 23456); err != nil {
		t.Fatal(err)
	}
	// chown clears set-group-ID on a group-executable file.
	const mode = 0o750 | fs.ModeSetgid
	if err := os.Chmod(name, mode); err != nil {
		t.Fatal(err)
	}
	if err := Write(name, []byte("new")); err != nil {
		t.Fatal(err)
	}
	st, err := os.Stat(name)
	if err != nil {
		t.Fatal(err)
	}
	if s := st.Sys().(*syscall.Stat_t); s.Uid != 12345 || s.Gid != 23456 || st.Mode() != mode {
		t.Errorf("owner %d:%d mode %v, want 12345:23456 %v", s.Uid, s.Gid, st.Mode(), mode)
	}
}
