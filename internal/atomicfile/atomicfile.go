// Package atomicfile replaces files so that a reader sees the old content
// or the new, never a mix, and a failed write leaves the old file as it was.
//
// Two entry points, for two kinds of path. WriteIn writes a file inside a
// directory tree that an untrusted pull request controls (the scanned
// repository): it goes through an os.Root, refuses symbolic links and
// anything but a regular file, and can insist that the file still holds
// what was read. Write writes a path the user named outside that tree
// (a report in $RUNNER_TEMP, /dev/null, /dev/stdout): it follows links,
// and writes a device or pipe in place instead of replacing it.
package atomicfile

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
)

var (
	// ErrSymlink: a component of the name inside the root is a symbolic link.
	ErrSymlink = errors.New("is a symbolic link")
	// ErrNotRegular: the existing file inside the root is a FIFO, socket or device.
	ErrNotRegular = errors.New("is not a regular file")
	// ErrChanged: the file no longer holds the content the caller read.
	ErrChanged = errors.New("changed while tlsvet ran (not written, so that the change is kept)")
)

// Write replaces the file name with data. A symbolic link is followed: the
// link stays and its target is replaced. An existing file that is not
// regular (/dev/null, a FIFO, /dev/stdout) is written in place: replacing
// a device node with a regular file breaks the system. Otherwise see
// replace.
func Write(name string, data []byte) error {
	if target, err := filepath.EvalSymlinks(name); err == nil {
		name = target
	}
	old, err := os.Stat(name)
	switch {
	case err == nil && !old.Mode().IsRegular():
		if old.IsDir() {
			return &fs.PathError{Op: "write", Path: name, Err: errors.New("is a directory")}
		}
		return writeInPlace(name, data)
	case err != nil && !errors.Is(err, fs.ErrNotExist):
		return err
	}
	dir, err := os.OpenRoot(filepath.Dir(name))
	if err != nil {
		return err
	}
	defer dir.Close()
	return replace(dir, filepath.Base(name), data, old, nil)
}

// writeInPlace writes a device or pipe. O_NONBLOCK: a FIFO without a
// reader fails at once (ENXIO) instead of hanging the run.
func writeInPlace(name string, data []byte) error {
	f, err := os.OpenFile(name, os.O_WRONLY|nonBlock, 0)
	if err != nil {
		return err
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// WriteIn replaces the regular file name (an OS path relative to root)
// with data. No component of name may be a symbolic link, and the file,
// when it exists, must be regular: ErrSymlink and ErrNotRegular otherwise,
// so that a link committed in the repository cannot send the write
// elsewhere. When expect is not nil the file must exist and still hold
// expect, checked again just before the rename (ErrChanged): an edit
// made while tlsvet ran is kept.
func WriteIn(root *os.Root, name string, data, expect []byte) error {
	name = filepath.Clean(name)
	if !filepath.IsLocal(name) {
		return &fs.PathError{Op: "write", Path: name, Err: errors.New("not inside the root")}
	}
	// Every directory on the way must be a real directory.
	for d := filepath.Dir(name); d != "."; d = filepath.Dir(d) {
		info, err := root.Lstat(d)
		if err != nil {
			return err
		}
		if info.Mode()&fs.ModeSymlink != 0 {
			return &fs.PathError{Op: "write", Path: d, Err: ErrSymlink}
		}
	}
	old, err := root.Lstat(name)
	switch {
	case err == nil && old.Mode()&fs.ModeSymlink != 0:
		return &fs.PathError{Op: "write", Path: name, Err: ErrSymlink}
	case err == nil && !old.Mode().IsRegular():
		return &fs.PathError{Op: "write", Path: name, Err: ErrNotRegular}
	case err != nil && !errors.Is(err, fs.ErrNotExist):
		return err
	case err != nil && expect != nil:
		return &fs.PathError{Op: "write", Path: name, Err: ErrChanged}
	}
	check := func() error {
		if expect == nil {
			return nil
		}
		now, err := root.ReadFile(name)
		if err != nil || !bytes.Equal(now, expect) {
			return &fs.PathError{Op: "write", Path: name, Err: ErrChanged}
		}
		return nil
	}
	if err := check(); err != nil {
		return err
	}
	return replace(root, name, data, old, check)
}

// replace writes a temporary file in name's directory, gives it the
// existing file's permission bits and owner (0644 for a new file, whatever
// the umask), syncs it, runs check and renames it over name. Other hard
// links to the old file keep the old content. On any error name is
// untouched and the temporary file removed.
func replace(root *os.Root, name string, data []byte, old fs.FileInfo, check func() error) (err error) {
	mode := fs.FileMode(0o644)
	if old != nil {
		mode = old.Mode() & (fs.ModePerm | fs.ModeSetuid | fs.ModeSetgid | fs.ModeSticky)
	}
	tmp, tmpName, err := createTemp(root, name)
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			tmp.Close()
			root.Remove(tmpName)
		}
	}()
	if _, err = tmp.Write(data); err != nil {
		return err
	}
	if old != nil {
		if err = keepOwner(tmp, old); err != nil {
			return err
		}
	}
	// After the chown, which clears set-user-ID and set-group-ID bits.
	if err = tmp.Chmod(mode); err != nil {
		return err
	}
	if err = tmp.Sync(); err != nil {
		return err
	}
	if err = tmp.Close(); err != nil {
		return err
	}
	if check != nil {
		if err = check(); err != nil {
			return err
		}
	}
	if err = root.Rename(tmpName, name); err != nil {
		return err
	}
	syncDir(root, filepath.Dir(name))
	return nil
}

// createTemp is os.CreateTemp inside a root: ".NAME.tlsvet-RANDOM", created
// exclusively so that an existing file or link is never opened.
func createTemp(root *os.Root, name string) (*os.File, string, error) {
	dir, base := filepath.Split(name)
	for range 100 {
		tmpName := filepath.Join(dir, "."+base+".tlsvet-"+strconv.FormatUint(rand.Uint64(), 36))
		f, err := root.OpenFile(tmpName, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o600)
		if err == nil {
			return f, tmpName, nil
		}
		if !errors.Is(err, fs.ErrExist) {
			return nil, "", err
		}
	}
	return nil, "", fmt.Errorf("cannot create a temporary file beside %s", name)
}

// syncDir makes the rename itself durable. It is best effort: the file has
// been replaced by now, and some systems cannot sync a directory.
func syncDir(root *os.Root, dir string) {
	if d, err := root.Open(dir); err == nil {
		d.Sync()
		d.Close()
	}
}
