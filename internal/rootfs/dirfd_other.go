//go:build !linux

package rootfs

import (
	"io/fs"
	"os"
)

// Elsewhere the directory's entries and files are read the os way.

func (f *FS) readDirFd(*os.File, string) ([]fs.DirEntry, bool, error) { return nil, false, nil }

func (f *FS) readFilesFd(_ *os.File, names []string, _ [][]byte, _ bool, _ *batchReader) []bool {
	return make([]bool, len(names))
}

// batchReader reads in batches on Linux only (uring_linux.go).
type batchReader struct{}

func newBatchReader() *batchReader { return nil }

func (*batchReader) close() {}

func openBeside(*os.File, string) (*os.File, bool) { return nil, false }
