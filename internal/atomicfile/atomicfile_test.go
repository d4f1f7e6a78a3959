//go:build unix

package atomicfile

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"
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

// openRoot is a root over a fresh directory with dir/out beside it.
func openRoot(t *testing.T) (*os.Root, string) {
	t.Helper()
	dir := t.TempDir()
	for _, d := range []string{"repo/conf.d", "out"} {
		if err := os.MkdirAll(filepath.Join(dir, d), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	root, err := os.OpenRoot(filepath.Join(dir, "repo"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { root.Close() })
	return root, dir
}

func TestWriteInRefusesLinksAndSpecialFiles(t *testing.T) {
	root, dir := openRoot(t)
	repo, out := filepath.Join(dir, "repo"), filepath.Join(dir, "out")
	sentinel := filepath.Join(out, "sentinel")
	os.WriteFile(sentinel, []byte("keep\n"), 0o644)
	os.Symlink(sentinel, filepath.Join(repo, "abs.cnf"))
	os.Symlink("../out/sentinel", filepath.Join(repo, "rel.cnf"))
	os.WriteFile(filepath.Join(repo, "conf.d", "real.cnf"), []byte("old\n"), 0o644)
	os.Symlink("conf.d/real.cnf", filepath.Join(repo, "inside.cnf"))
	os.Symlink(out, filepath.Join(repo, "outdir"))
	os.Symlink("conf.d", filepath.Join(repo, "indir"))
	syscall.Mkfifo(filepath.Join(repo, "fifo.cnf"), 0o644)
	for _, tc := range []struct {
		name string
		want error
	}{
		{"abs.cnf", ErrSymlink},
		{"rel.cnf", ErrSymlink},
		{"inside.cnf", ErrSymlink}, // callers pass resolved paths; a link now means the tree changed
		{"outdir/sentinel", ErrSymlink},
		{"outdir/new", ErrSymlink},
		{"indir/real.cnf", ErrSymlink},
		{"fifo.cnf", ErrNotRegular},
	} {
		if err := WriteIn(root, tc.name, []byte("pwned\n"), nil); !errors.Is(err, tc.want) {
			t.Errorf("WriteIn(%s) = %v, want %v", tc.name, err, tc.want)
		}
	}
	if err := WriteIn(root, "../out/sentinel", []byte("pwned\n"), nil); err == nil {
		t.Error("WriteIn(../out/sentinel) wrote")
	}
	if b, _ := os.ReadFile(sentinel); string(b) != "keep\n" {
		t.Errorf("the file outside the root now holds %q", b)
	}
	if es := entries(t, out); len(es) != 1 {
		t.Errorf("files left outside: %v", es)
	}
	if err := WriteIn(root, "conf.d/real.cnf", []byte("new\n"), []byte("old\n")); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(filepath.Join(repo, "conf.d", "real.cnf")); string(b) != "new\n" {
		t.Errorf("real.cnf holds %q", b)
	}
	if es := entries(t, filepath.Join(repo, "conf.d")); len(es) != 1 {
		t.Errorf("temporary files left: %v", es)
	}
}

// TestWriteInKeepsConcurrentEdits: a file edited after tlsvet read it is
// not overwritten with fixes computed from the old content.
func TestWriteInKeepsConcurrentEdits(t *testing.T) {
	root, dir := openRoot(t)
	name := filepath.Join(dir, "repo", "my.cnf")
	os.WriteFile(name, []byte("edited by the user\n"), 0o644)
	err := WriteIn(root, "my.cnf", []byte("fixed\n"), []byte("as read\n"))
	if !errors.Is(err, ErrChanged) {
		t.Fatalf("WriteIn = %v, want ErrChanged", err)
	}
	if b, _ := os.ReadFile(name); string(b) != "edited by the user\n" {
		t.Errorf("my.cnf holds %q", b)
	}
	if err := WriteIn(root, "gone.cnf", []byte("fixed\n"), []byte("as read\n")); !errors.Is(err, ErrChanged) {
		t.Errorf("a file deleted since it was read: %v, want ErrChanged", err)
	}
	if es := entries(t, filepath.Join(dir, "repo")); len(es) != 2 {
		t.Errorf("files: %v", es)
	}
}

// TestWriteKeepsDevices: --format sarif=/dev/null must not replace the
// device node with a regular file (as root, rename would).
func TestWriteKeepsDevices(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "fifo")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Fatal(err)
	}
	done := make(chan error)
	go func() { done <- Write(fifo, []byte("x")) }()
	select {
	case err := <-done:
		if err == nil {
			t.Error("writing a FIFO without a reader succeeded")
		}
	case <-time.After(5 * time.Second):
		t.Fatal("writing a FIFO without a reader hangs")
	}
	if st, err := os.Lstat(fifo); err != nil || st.Mode()&fs.ModeNamedPipe == 0 {
		t.Errorf("the FIFO was replaced: %v", st.Mode())
	}
	null := filepath.Join(dir, "null")
	if err := syscall.Mknod(null, syscall.S_IFCHR|0o666, 1<<8|3); err != nil {
		t.Skipf("mknod needs root (%v): the device case is not tested", err)
	}
	link := filepath.Join(dir, "link")
	os.Symlink(null, link)
	for _, name := range []string{null, link} {
		if err := Write(name, []byte("report\n")); err != nil {
			t.Errorf("Write(%s): %v", name, err)
		}
		st, err := os.Stat(name)
		if err != nil || st.Mode()&fs.ModeCharDevice == 0 {
			t.Errorf("%s is no longer a character device: %v", name, st.Mode())
		}
	}
}
