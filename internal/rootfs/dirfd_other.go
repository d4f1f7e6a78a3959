//go:build !linux

package rootfs

import (
	"io/fs"
	"os"
)

// Elsewhere the directory's entries and files are read the os way.

func (f *FS) readDirFd(int, string) ([]fs.DirEntry, bool, error) { return nil, false, nil }

func (f *FS) readFilesFd(int, []string, [][]byte, []bool, bool) {}

// batchReader reads in batches on Linux only (uring_linux.go).
type batchReader struct{}

func newBatchReader() *batchReader { return nil }

func (*batchReader) close() {}

func (*batchReader) closeLater(int) bool { return false }

func (f *FS) readBatch(*batchReader, int, []string, [][]byte, []bool, []string, []int) {}

func openBeside(int, string) (int, bool) { return -1, false }

func closeFd(int) {}

func fdOf(*os.File) int { return -1 }
