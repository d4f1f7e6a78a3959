package cli

import (
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"

	"github.com/tlsvet/tlsvet/internal/atomicfile"
	"github.com/tlsvet/tlsvet/internal/rootfs"
)

// Inputs and outputs the user names (--config, --baseline, reports,
// baseline write) may lie inside the repository, which a pull request
// controls: a committed tlsvet.sarif -> ~/.bashrc or baseline.json ->
// /proc/self/environ must not redirect the write or leak the read. Inside
// the guard directory (the repository, else the first path's directory)
// they are read and written through an os.Root that refuses links
// leaving it (reads) or any link at all (writes). Outside it the user
// chose the path: links are followed, and a device such as /dev/null is
// written in place.

// Size limits of the files the user names.
const (
	maxBaselineSize = 64 << 20
)

// inside returns abs relative to dir when it lies below it.
func inside(dir, abs string) (string, bool) {
	rel, err := filepath.Rel(dir, abs)
	if err != nil || !filepath.IsLocal(rel) {
		return "", false
	}
	return rel, true
}

// isInside reports whether abs is dir or lies below it.
func isInside(dir, abs string) bool {
	_, ok := inside(dir, abs)
	return ok
}

// readUserFile reads a regular file of at most limit bytes.
func readUserFile(guard, abs string, limit int64) ([]byte, error) {
	rel, ok := inside(guard, abs)
	if !ok {
		return rootfs.ReadOS(abs, limit)
	}
	fsys, err := rootfs.Open(guard, limit)
	if err != nil {
		return nil, err
	}
	defer fsys.Close()
	return fsys.ReadFile(filepath.ToSlash(rel))
}

// writeUserFile writes a report or baseline.
func writeUserFile(guard, abs string, data []byte) error {
	rel, ok := inside(guard, abs)
	if !ok {
		return atomicfile.Write(abs, data)
	}
	root, err := rootfs.Open(guard, 0)
	if err != nil {
		return err
	}
	defer root.Close()
	err = atomicfile.WriteIn(root.Root(), rel, data, nil)
	if errors.Is(err, atomicfile.ErrSymlink) || errors.Is(err, atomicfile.ErrNotRegular) {
		var pe *fs.PathError
		if errors.As(err, &pe) {
			return fmt.Errorf("refusing to write %s: %s %v inside the repository, which a pull request can plant; write the file outside the checkout (for example under $RUNNER_TEMP)", abs, pe.Path, pe.Err)
		}
	}
	return err
}
