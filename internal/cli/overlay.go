package cli

import (
	"io/fs"

	"github.com/tlsvet/tlsvet/internal/rootfs"
)

// overlay is the scanned root as fixes have changed it, so that a fix
// pass can be checked again without writing anything: the contents of
// edited files come from memory, everything else (directory listings,
// file info, other files) from base. Fixes only edit existing files, and
// the loader reads contents with fs.ReadFile only, so that is enough.
type overlay struct {
	base  *rootfs.FS
	files map[string][]byte // root-relative slash path → new content
}

func (o *overlay) Open(name string) (fs.File, error) { return o.base.Open(name) }

// Resolve is the base's (rootfs.FS), so that links resolve as in the
// first pass.
func (o *overlay) Resolve(name string) (string, fs.FileInfo, error) { return o.base.Resolve(name) }

func (o *overlay) ReadFile(name string) ([]byte, error) {
	if data, ok := o.files[name]; ok {
		return append([]byte(nil), data...), nil
	}
	return fs.ReadFile(o.base, name)
}
