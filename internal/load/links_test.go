//go:build unix

package load

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"testing/fstest"

	"github.com/tlsvet/tlsvet/internal/rootfs"
)

// TestWalkLinks: links inside the root are read once under their resolved
// path; links leaving it, directory links and special files become
// notices, never reads.
func TestWalkLinks(t *testing.T) {
	dir := t.TempDir()
	root := filepath.Join(dir, "repo")
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(os.MkdirAll(filepath.Join(root, "conf.d"), 0o755))
	must(os.MkdirAll(filepath.Join(dir, "outside"), 0o755))
	must(os.WriteFile(filepath.Join(dir, "outside", "x.cnf"), []byte("[mysqld]\nssl_ca=OUTSIDE\n"), 0o644))
	must(os.WriteFile(filepath.Join(root, "real.conf"), []byte("[mysqld]\nssl_ca=/ca.pem\n!includedir conf.d\n"), 0o644))
	must(os.Symlink("real.conf", filepath.Join(root, "my.cnf")))   // read, as real.conf
	must(os.Symlink("real.conf", filepath.Join(root, "also.cnf"))) // the same file: read once
	must(os.Symlink("../../outside/x.cnf", filepath.Join(root, "conf.d", "out.cnf")))
	must(os.Symlink(filepath.Join(dir, "outside", "x.cnf"), filepath.Join(root, "abs.cnf")))
	must(os.Symlink(".", filepath.Join(root, "loop")))
	must(syscall.Mkfifo(filepath.Join(root, "fifo.cnf"), 0o644))
	fsys, err := rootfs.Open(root, 0)
	must(err)
	defer fsys.Close()
	p, err := Load(Options{FS: fsys, RootDir: root, Paths: []string{".", "my.cnf", "fifo.cnf"}})
	must(err)
	var files []string
	for _, f := range p.Files {
		files = append(files, f.Path)
		if strings.Contains(string(f.Content), "OUTSIDE") {
			t.Errorf("%s: a file outside the root was read", f.Path)
		}
	}
	if got := strings.Join(files, " "); got != "real.conf" {
		t.Errorf("files read: %s, want real.conf alone", got)
	}
	if len(p.OptionFiles) != 1 || len(p.Servers) == 0 {
		t.Fatalf("option files %d, servers %d: the linked my.cnf was not checked", len(p.OptionFiles), len(p.Servers))
	}
	in := p.OptionFiles[0].Includes
	if len(in) != 1 || len(in[0].Links) != 1 || !strings.Contains(in[0].Links[0], "conf.d/out.cnf -> ../../outside/x.cnf leads outside") {
		t.Errorf("the include does not report its escaping link: %+v", in)
	}
	var notices []string
	for _, n := range p.Notices {
		notices = append(notices, n.Path+": "+n.Message)
	}
	got := strings.Join(notices, "\n")
	for _, want := range []string{
		"abs.cnf: symbolic link abs.cnf -> " + filepath.Join(dir, "outside", "x.cnf") + " is absolute",
		"loop: symbolic link to the directory ., not followed",
		"fifo.cnf: not a regular file; not read",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("notices lack %q:\n%s", want, got)
		}
	}
	if strings.Contains(got, "out.cnf") {
		t.Errorf("the link TV003 reports is noticed again:\n%s", got)
	}
	if strings.Count(got, "fifo.cnf") != 1 {
		t.Errorf("a file both walked and named is noticed twice:\n%s", got)
	}
}

// TestWalkUnreadableDirectory: a directory the walk cannot list is a
// notice, and the walk goes on. The file system refuses the listing
// itself, since root (CI) reads a mode-000 directory.
func TestWalkUnreadableDirectory(t *testing.T) {
	fsys := lockedFS{fstest.MapFS{
		"my.cnf":          {Data: []byte("[mysqld]\n")},
		"locked/tls.cnf":  {Data: []byte("[mysqld]\n")},
		"open/client.cnf": {Data: []byte("[client]\n")},
	}, "locked"}
	p, err := Load(Options{FS: fsys, Paths: []string{"."}})
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Notices) != 1 || p.Notices[0].Path != "locked" || p.Notices[0].Message != "directory not read: permission denied" {
		t.Errorf("notices %+v", p.Notices)
	}
	if len(p.OptionFiles) != 2 {
		t.Errorf("%d option files read, want my.cnf and open/client.cnf", len(p.OptionFiles))
	}
}

// lockedFS refuses to list one directory, as a mode-000 directory does.
type lockedFS struct {
	fstest.MapFS
	locked string
}

func (l lockedFS) ReadDir(name string) ([]fs.DirEntry, error) {
	if name == l.locked {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrPermission}
	}
	return l.MapFS.ReadDir(name)
}
