//go:build linux

package rootfs

import (
	"encoding/binary"
	"io/fs"
	"os"
	"path"
	"strings"
	"sync"
	"syscall"
)

// On Linux, reading a directory and the small files in it goes through
// the directory's descriptor with plain system calls: os lstats every
// entry of a directory opened in a Root (os/file_unix.go, newUnixDirent)
// and registers every opened file with the network poller, which doubled
// the system calls of a walk and of each read (strace: openat, epoll_ctl,
// fstat, read, read, close per file). The guarantees are os.Root's: the
// directory is opened through the root, and each entry is one name
// without a slash, opened with O_NOFOLLOW, so a link is never followed
// here (it is left to the Root) and nothing outside the root is reached.

// readDirFd lists the entries of directory dir (root-relative, open as
// fd) with the types getdents64 gives; an entry of unknown type is
// lstat'ed through the root. ok is false when the descriptor cannot be
// used.
func (f *FS) readDirFd(fd int, dir string) (ents []fs.DirEntry, ok bool, err error) {
	if fd < 0 {
		return nil, false, nil
	}
	buf := make([]byte, 16<<10)
	for {
		n, rerr := syscall.ReadDirent(fd, buf)
		if rerr == syscall.EINTR {
			continue
		}
		if rerr != nil {
			err = &fs.PathError{Op: "readdirent", Path: dir, Err: rerr}
			break
		}
		if n <= 0 {
			break
		}
		for b := buf[:n]; len(b) >= 19; {
			// struct linux_dirent64: ino u64, off s64, reclen u16,
			// type u8, then the name, NUL-terminated.
			reclen := int(binary.NativeEndian.Uint16(b[16:]))
			if reclen < 19 || reclen > len(b) {
				break
			}
			name := b[19:reclen]
			for i, c := range name {
				if c == 0 {
					name = name[:i]
					break
				}
			}
			typ := b[18]
			b = b[reclen:]
			if s := string(name); s != "." && s != ".." {
				ents = append(ents, &dirent{fsys: f, dir: dir, name: s, typ: direntType(typ)})
			}
		}
	}
	for _, e := range ents {
		if de := e.(*dirent); de.typ == unknownType {
			info, lerr := f.root.Lstat(path.Join(dir, de.name))
			if lerr != nil {
				return nil, true, lerr
			}
			de.typ = info.Mode().Type()
		}
	}
	return ents, true, err
}

// unknownType marks DT_UNKNOWN: the file system did not say.
const unknownType = ^fs.FileMode(0)

func direntType(t uint8) fs.FileMode {
	switch t {
	case syscall.DT_REG:
		return 0
	case syscall.DT_DIR:
		return fs.ModeDir
	case syscall.DT_LNK:
		return fs.ModeSymlink
	case syscall.DT_FIFO:
		return fs.ModeNamedPipe
	case syscall.DT_SOCK:
		return fs.ModeSocket
	case syscall.DT_CHR:
		return fs.ModeDevice | fs.ModeCharDevice
	case syscall.DT_BLK:
		return fs.ModeDevice
	}
	return unknownType
}

// dirent is a directory entry whose FileInfo is looked up when asked.
type dirent struct {
	fsys      *FS
	dir, name string
	typ       fs.FileMode
}

func (d *dirent) Name() string      { return d.name }
func (d *dirent) IsDir() bool       { return d.typ.IsDir() }
func (d *dirent) Type() fs.FileMode { return d.typ }
func (d *dirent) Info() (fs.FileInfo, error) {
	return d.fsys.root.Lstat(path.Join(d.dir, d.name))
}
func (d *dirent) String() string { return fs.FormatDirEntry(d) }

// readFilesFd reads the regular files names of the directory open as
// dirfd that done does not mark, each opened beside it with O_NOFOLLOW and
// read into one buffer of its size, and marks them. listed says the names
// come from the directory's listing as regular files. done[i] stays false
// for a name this cannot settle (a link, a file that is not regular or too
// large, an error), which the caller reads the Root's way and so reports
// the same way.
func (f *FS) readFilesFd(dirfd int, names []string, data [][]byte, done []bool, listed bool) {
	if dirfd < 0 {
		return
	}
	for i, n := range names {
		if done[i] || !oneName(n) {
			continue
		}
		fd, err := openat(dirfd, n, syscall.O_NONBLOCK)
		if err == syscall.ENOENT {
			done[i] = true
			continue
		}
		if err != nil {
			continue
		}
		if listed {
			data[i], done[i] = f.readListed(fd)
		} else {
			data[i], done[i] = f.readFd(fd, nil)
		}
		syscall.Close(fd)
	}
}

// openFlags open a name beside a directory for reading, without following
// a link; the batches open with them too.
const openFlags = syscall.O_RDONLY | syscall.O_NOFOLLOW | syscall.O_CLOEXEC

// openat opens name, one name, beside directory dirfd with openFlags and
// the extra flags.
func openat(dirfd int, name string, flags int) (int, error) {
	for {
		fd, err := syscall.Openat(dirfd, name, openFlags|flags, 0)
		if err != syscall.EINTR {
			return fd, err
		}
	}
}

// oneName reports whether name is one entry of a directory: not empty,
// "." or "..", and without a slash.
func oneName(name string) bool {
	return name != "" && name != "." && name != ".." && !strings.Contains(name, "/")
}

// smallFile is the buffer a listed file is first read into: option files
// are a few KiB.
const smallFile = 16 << 10

var smallBufs = sync.Pool{New: func() any { return new([smallFile]byte) }}

// readListed reads a file its directory's listing gave as regular (and
// O_NOFOLLOW kept so): one read into a pooled buffer, and a read shorter
// than asked is the end of a regular file, so a small file costs no fstat
// and no second read. A file that fills the buffer is read as readFd
// reads, fstat first.
func (f *FS) readListed(fd int) ([]byte, bool) {
	buf := smallBufs.Get().(*[smallFile]byte)
	defer smallBufs.Put(buf)
	want := int(min(smallFile, f.maxSize+1))
	n, err := syscall.Read(fd, buf[:want])
	for err == syscall.EINTR {
		n, err = syscall.Read(fd, buf[:want])
	}
	if err != nil {
		return nil, false
	}
	if n < want {
		return append(make([]byte, 0, n), buf[:n]...), true
	}
	if int64(n) > f.maxSize {
		return nil, false
	}
	return f.readFd(fd, buf[:n])
}

// readFd reads an open regular file of at most MaxSize bytes, of which
// head was read already.
func (f *FS) readFd(fd int, head []byte) ([]byte, bool) {
	var st syscall.Stat_t
	if syscall.Fstat(fd, &st) != nil || st.Mode&syscall.S_IFMT != syscall.S_IFREG || st.Size > f.maxSize {
		return nil, false
	}
	// As readAll: sized by fstat, read to one byte past the limit. A read
	// that stops at exactly the size fstat gave is the end of a regular
	// file, which saves the read that would return 0.
	b := append(make([]byte, 0, max(st.Size, int64(len(head)))+1), head...)
	for int64(len(b)) <= f.maxSize {
		if len(b) == cap(b) {
			b = append(b, 0)[:len(b)]
		}
		n, err := syscall.Read(fd, b[len(b):min(int64(cap(b)), f.maxSize+1)])
		if err == syscall.EINTR {
			continue
		}
		if err != nil {
			return nil, false
		}
		b = b[:len(b)+n]
		if n == 0 || (st.Size > 0 && int64(len(b)) == st.Size) {
			break
		}
	}
	if int64(len(b)) > f.maxSize {
		return nil, false
	}
	return b, true
}

// openBeside opens directory name of the directory open as parent, by its
// one name and without following a link, as an open through the root
// would, but without walking the path from the root again. ok is false
// when it cannot, and the caller opens the path the Root's way (and
// reports its error).
func openBeside(parent int, name string) (int, bool) {
	if parent < 0 || !oneName(name) {
		return -1, false
	}
	fd, err := openat(parent, name, syscall.O_DIRECTORY)
	if err != nil {
		return -1, false
	}
	return fd, true
}

// closeFd closes a descriptor openBeside or a batch opened.
func closeFd(fd int) { syscall.Close(fd) }

// fdOf is the descriptor of file, which stays open while file is.
func fdOf(file *os.File) int { return int(file.Fd()) }
