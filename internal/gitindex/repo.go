package gitindex

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path"
	"path/filepath"
	"strings"

	"github.com/tlsvet/tlsvet/internal/rootfs"
)

// ErrNoRepository is returned when the root has no .git.
var ErrNoRepository = errors.New("no .git in the scanned root")

// ErrOutside is wrapped by OutsideError.
var ErrOutside = errors.New("git directory lies outside the scanned root")

// OutsideError is a `.git` file whose "gitdir:" line names a directory
// outside the scanned root that the caller did not allow.
type OutsideError struct {
	GitDir string // as written in the .git file
}

func (e *OutsideError) Error() string {
	return fmt.Sprintf(".git names gitdir %s outside the scanned root; not read", e.GitDir)
}

func (e *OutsideError) Unwrap() error { return ErrOutside }

// OpenGitDir opens a git directory that a `.git` file names outside the
// scanned root, or refuses it. gitdir is the path as written: absolute, or
// relative to the directory that holds the .git file. Tracked closes the
// FS after reading if it is an io.Closer.
type OpenGitDir func(gitdir string) (fs.FS, error)

// Tracked reads the index of the repository whose top directory is root
// in fsys (slash-separated, "." for fsys itself).
//
// .git is usually a directory. In a linked worktree or a submodule it is a
// file holding "gitdir: <path>" (https://git-scm.com/docs/gitrepository-layout).
// tlsvet runs on untrusted trees, where that path is attacker-chosen: a
// gitdir inside the root is read through fsys like any other file; one
// outside is read only through open, and refused with an OutsideError when
// open is nil. WorktreeOpener is the conservative open for a checkout on
// the local disk.
//
// A repository without an index yet (just initialised) tracks nothing.
func Tracked(fsys fs.FS, root string, open OpenGitDir) (*Index, error) {
	dotgit := path.Join(root, ".git")
	st, err := fs.Stat(fsys, dotgit)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, ErrNoRepository
	}
	if err != nil {
		return nil, err
	}
	if st.IsDir() {
		return readIndex(fsys, path.Join(dotgit, "index"))
	}
	gitdir, err := readGitFile(fsys, dotgit)
	if err != nil {
		return nil, err
	}
	if !filepath.IsAbs(gitdir) && !path.IsAbs(gitdir) {
		if p := path.Join(root, gitdir); fs.ValidPath(p) {
			return readIndex(fsys, path.Join(p, "index"))
		}
	}
	if open == nil {
		return nil, &OutsideError{GitDir: gitdir}
	}
	gfs, err := open(gitdir)
	if err != nil {
		return nil, err
	}
	if c, ok := gfs.(io.Closer); ok {
		defer c.Close()
	}
	return readIndex(gfs, "index")
}

// readGitFile returns the path of a `.git` file's "gitdir:" line.
func readGitFile(fsys fs.FS, name string) (string, error) {
	f, err := fsys.Open(name)
	if err != nil {
		return "", err
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, 4096))
	if err != nil {
		return "", err
	}
	line, _, _ := strings.Cut(string(b), "\n")
	gitdir, ok := strings.CutPrefix(strings.TrimRight(line, "\r"), "gitdir: ")
	if !ok || gitdir == "" {
		return "", fmt.Errorf("%s: not a directory nor a \"gitdir: <path>\" file", name)
	}
	return filepath.ToSlash(gitdir), nil
}

// readIndex reads and parses an index file; a missing one is empty.
func readIndex(fsys fs.FS, name string) (*Index, error) {
	f, err := fsys.Open(name)
	if errors.Is(err, fs.ErrNotExist) {
		return &Index{}, nil
	}
	if err != nil {
		return nil, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if !st.Mode().IsRegular() {
		return nil, fmt.Errorf("%s: not a regular file", name)
	}
	if st.Size() > MaxIndexSize {
		return nil, fmt.Errorf("%s: %d bytes, more than the %d read", name, st.Size(), MaxIndexSize)
	}
	data, err := io.ReadAll(io.LimitReader(f, MaxIndexSize+1))
	if err != nil {
		return nil, err
	}
	ix, err := Parse(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return ix, nil
}

// WorktreeOpener allows the gitdir outside the scanned root only where git
// itself puts it, and proves the link before reading (rootDir is the
// scanned root's directory on disk):
//
//   - a linked worktree (`git worktree add`): <repo>/.git/worktrees/<id>,
//     whose own "gitdir" file points back to rootDir/.git — git writes that
//     back-link, and an untrusted tree cannot plant it in another
//     repository;
//   - a submodule: <super>/.git/modules/<name>, where <super> is an
//     ancestor of rootDir (the submodule is checked out inside it).
//
// Anything else is an OutsideError. An untrusted tree scanned from a
// subdirectory is itself the <super> of its submodules, so reads go
// through rootfs: they stay inside the gitdir and never block on a FIFO.
func WorktreeOpener(rootDir string) OpenGitDir {
	return func(gitdir string) (fs.FS, error) {
		root, err := filepath.Abs(rootDir)
		if err != nil {
			return nil, err
		}
		dir := filepath.FromSlash(gitdir)
		if !filepath.IsAbs(dir) {
			dir = filepath.Join(root, dir)
		}
		dir = filepath.Clean(dir)
		refuse := &OutsideError{GitDir: gitdir}
		// The nearest .git above dir: <top>/.git/<kind>/...
		var top, kind string
		for p := filepath.Dir(dir); p != filepath.Dir(p); p = filepath.Dir(p) {
			if filepath.Base(filepath.Dir(p)) == ".git" {
				top, kind = filepath.Dir(filepath.Dir(p)), filepath.Base(p)
				break
			}
		}
		worktree := kind == "worktrees" && filepath.Dir(dir) == filepath.Join(top, ".git", "worktrees")
		if !worktree && (kind != "modules" || !within(root, top)) {
			return nil, refuse
		}
		r, err := rootfs.Open(dir, 0)
		if err != nil {
			return nil, err
		}
		if worktree {
			// git writes the back-link with symbolic links resolved.
			back, err := r.ReadFile("gitdir")
			link := filepath.Clean(strings.TrimSpace(string(back)))
			real, _ := filepath.EvalSymlinks(root)
			if err != nil || link != filepath.Join(root, ".git") && link != filepath.Join(real, ".git") {
				r.Close()
				return nil, refuse
			}
		}
		return r, nil
	}
}

// within reports whether dir is ancestor or equal to p.
func within(p, dir string) bool {
	rel, err := filepath.Rel(dir, p)
	return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator))
}
