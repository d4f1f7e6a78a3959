// Package rootfs reads a scanned repository without leaving it: every
// open goes through an os.Root, symbolic links are followed only while
// they stay inside, and only regular files of bounded size are read.
//
// tlsvet runs on untrusted pull requests. A committed symlink
// conf.d/env.cnf -> /proc/self/environ, a FIFO named x.cnf or a link to
// /dev/zero must neither leak the runner's environment, hang the run nor
// exhaust memory. os.Root alone stops reads outside the root but not
// FIFOs, devices or /proc files (https://pkg.go.dev/os#Root), hence the
// regular-file check on every open.
package rootfs

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
)

// DefaultMaxFileSize is the largest scanned file read (4 MiB): real option
// files are a few KiB, and the bound keeps a hostile file from costing
// more memory than the run can afford.
const DefaultMaxFileSize = 4 << 20

// maxLinks bounds the symbolic links one name may pass through, as
// SYMLOOP_MAX does for the kernel (Linux: 40).
const maxLinks = 40

var (
	// ErrNotRegular is returned for FIFOs, sockets and device nodes.
	ErrNotRegular = errors.New("not a regular file")
	// ErrEscapes is wrapped by EscapeError.
	ErrEscapes = errors.New("symbolic link leads outside the scanned root")
	errLoop    = errors.New("too many levels of symbolic links")
)

// EscapeError is a symbolic link whose target lies outside the root or is
// absolute. os.Root refuses absolute links even when they point back
// inside (the deployed tree may differ); they are reported the same way.
type EscapeError struct {
	Link   string // root-relative path of the link
	Target string // what it points to, as written
}

func (e *EscapeError) Error() string {
	if filepath.IsAbs(e.Target) {
		return fmt.Sprintf("symbolic link %s -> %s is absolute; tlsvet follows only relative links that stay inside the scanned root; not read", e.Link, e.Target)
	}
	return fmt.Sprintf("symbolic link %s -> %s leads outside the scanned root; not read", e.Link, e.Target)
}

func (e *EscapeError) Unwrap() error { return ErrEscapes }

// TooLargeError is a file over the size limit.
type TooLargeError struct {
	Size, Limit int64
}

func (e *TooLargeError) Error() string {
	return fmt.Sprintf("too large (%s; the limit is %s)", Size(e.Size), Size(e.Limit))
}

// Size formats a byte count the way the limits are documented.
func Size(n int64) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MiB", n>>20)
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%d KiB", n>>10)
	}
	return fmt.Sprintf("%d bytes", n)
}

// FS is a directory tree confined to its root. It implements fs.FS,
// fs.StatFS, fs.ReadDirFS and fs.ReadFileFS with root-relative slash
// names, so fs.WalkDir and the parsers use it like os.DirFS.
type FS struct {
	root    *os.Root
	dir     string
	maxSize int64
}

// Open opens dir as a root. maxSize bounds ReadFile (0: DefaultMaxFileSize).
func Open(dir string, maxSize int64) (*FS, error) {
	r, err := os.OpenRoot(dir)
	if err != nil {
		return nil, err
	}
	if maxSize <= 0 {
		maxSize = DefaultMaxFileSize
	}
	return &FS{root: r, dir: dir, maxSize: maxSize}, nil
}

// Dir is the root's OS path.
func (f *FS) Dir() string { return f.dir }

// MaxSize is the ReadFile limit.
func (f *FS) MaxSize() int64 { return f.maxSize }

// Close releases the root's descriptor.
func (f *FS) Close() error { return f.root.Close() }

// Root is the underlying os.Root, for writers that must stay inside too.
func (f *FS) Root() *os.Root { return f.root }

// Resolve returns the root-relative path name designates once every
// symbolic link in it is followed, and the Lstat information of that
// final, non-link entry. Links are read with Lstat and Readlink only, so
// nothing outside the root is touched: a link that is absolute or climbs
// above the root yields an *EscapeError. Files are identified by their
// resolved path, so a file reached through links is read once.
func (f *FS) Resolve(name string) (string, fs.FileInfo, error) {
	if !fs.ValidPath(name) {
		return "", nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrInvalid}
	}
	var done []string
	todo := strings.Split(name, "/")
	links := 0
	info, err := f.root.Lstat(".")
	if err != nil {
		return "", nil, err
	}
	for len(todo) > 0 {
		elem := todo[0]
		todo = todo[1:]
		switch elem {
		case "", ".":
			continue
		case "..":
			if len(done) == 0 {
				return "", nil, &EscapeError{Link: name, Target: name}
			}
			done = done[:len(done)-1]
			if info, err = f.root.Lstat(joinOrDot(done)); err != nil {
				return "", nil, err
			}
			continue
		}
		cur := path.Join(append(done, elem)...)
		if info, err = f.root.Lstat(cur); err != nil {
			return "", nil, err
		}
		if info.Mode()&fs.ModeSymlink == 0 {
			done = append(done, elem)
			continue
		}
		if links++; links > maxLinks {
			return "", nil, &fs.PathError{Op: "open", Path: name, Err: errLoop}
		}
		target, err := f.root.Readlink(cur)
		if err != nil {
			return "", nil, err
		}
		if filepath.IsAbs(target) || strings.HasPrefix(target, `\`) {
			return "", nil, &EscapeError{Link: cur, Target: target}
		}
		// The target is relative to the link's directory.
		rest := strings.Split(filepath.ToSlash(target), "/")
		todo = append(rest, todo...)
		// Climbing above the root through this link is an escape of
		// this link, not of the name as a whole.
		depth := len(done)
		for _, e := range rest {
			switch e {
			case "..":
				depth--
			case "", ".":
			default:
				depth++
			}
			if depth < 0 {
				return "", nil, &EscapeError{Link: cur, Target: target}
			}
		}
	}
	real := joinOrDot(done)
	if info.Mode()&fs.ModeSymlink != 0 {
		// The last link's target ended in "." or "..": info is the link's.
		if info, err = f.root.Lstat(real); err != nil {
			return "", nil, err
		}
	}
	return real, info, nil
}

func joinOrDot(elems []string) string {
	if len(elems) == 0 {
		return "."
	}
	return path.Join(elems...)
}

// Open opens a directory or a regular file. The open is non-blocking, so
// a FIFO cannot hang the run, and what it opened is checked with fstat,
// so a FIFO, socket or device is closed unread (ErrNotRegular). os.Root
// refuses links that leave the root; Resolve then says which link.
func (f *FS) Open(name string) (fs.File, error) {
	if !fs.ValidPath(name) {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrInvalid}
	}
	file, err := f.root.OpenFile(name, os.O_RDONLY|nonBlock, 0)
	if err != nil {
		return nil, f.explain(name, err)
	}
	st, err := file.Stat()
	if err != nil {
		file.Close()
		return nil, err
	}
	if !st.IsDir() && !st.Mode().IsRegular() {
		file.Close()
		return nil, pathErr(name, ErrNotRegular)
	}
	return file, nil
}

// explain turns os.Root's refusal of a link into an *EscapeError naming
// the link; other errors pass unchanged.
func (f *FS) explain(name string, err error) error {
	if errors.Is(err, fs.ErrNotExist) || errors.Is(err, fs.ErrPermission) {
		return err
	}
	if _, _, rerr := f.Resolve(name); errors.Is(rerr, ErrEscapes) {
		return rerr
	}
	return err
}

// Stat follows links inside the root.
func (f *FS) Stat(name string) (fs.FileInfo, error) {
	if !fs.ValidPath(name) {
		return nil, &fs.PathError{Op: "stat", Path: name, Err: fs.ErrInvalid}
	}
	info, err := f.root.Stat(name)
	if err != nil {
		return nil, f.explain(name, err)
	}
	return info, nil
}

// ReadDir lists a directory in name order.
func (f *FS) ReadDir(name string) ([]fs.DirEntry, error) {
	file, err := f.Open(name)
	if err != nil {
		return nil, err
	}
	defer file.Close()
	if osf, ok := file.(*os.File); ok {
		if ents, ok, err := f.readDirFd(fdOf(osf), name); ok {
			sortEntries(ents)
			return ents, err
		}
	}
	d, ok := file.(fs.ReadDirFile)
	if !ok {
		return nil, pathErr(name, errors.New("not a directory"))
	}
	ents, err := d.ReadDir(-1)
	sortEntries(ents)
	return ents, err
}

// openDir is a directory WalkDirs holds open: a descriptor opened beside
// its parent or by a batch (file nil), or a file opened through the root.
type openDir struct {
	fd   int // -1 where the system has no descriptor walk (dirfd_other.go)
	file *os.File
}

func (d openDir) close() {
	if d.file != nil {
		d.file.Close()
	} else {
		closeFd(d.fd)
	}
}

// subdir is a subdirectory to walk, with its descriptor when the batch
// that read its parent's files opened it too (-1 otherwise).
type subdir struct {
	name string
	fd   int
}

// readDirFiles lists directory dir, open as d, as ReadDir does, and reads,
// as ReadFilesIn does, the regular files among its entries that want
// accepts, through that one open. data[i] holds ents[i]'s bytes, nil when
// not wanted or not read. subs are the subdirectories descend accepts;
// with a batch reader, up to open of them are opened beside d in the
// batch that opens its files.
func (f *FS) readDirFiles(d openDir, dir string, want func(name string) bool, descend func(fs.DirEntry) bool,
	open int, br *batchReader) (ents []fs.DirEntry, data [][]byte, subs []subdir, err error) {
	ents, ok, err := f.readDirFd(d.fd, dir)
	if !ok {
		if d.file == nil {
			return nil, nil, nil, pathErr(dir, errors.New("not a directory"))
		}
		ents, err = d.file.ReadDir(-1)
	}
	sortEntries(ents)
	var idx []int
	var names, dirs []string
	for i, e := range ents {
		switch {
		case e.Type().IsRegular() && want(e.Name()):
			idx = append(idx, i)
			names = append(names, e.Name())
		case e.IsDir() && descend != nil && descend(e):
			subs = append(subs, subdir{name: e.Name(), fd: -1})
			if len(dirs) < open {
				dirs = append(dirs, e.Name())
			}
		}
	}
	got := make([][]byte, len(names))
	done := make([]bool, len(names))
	if br != nil && (len(names) > 0 || len(dirs) > 0) {
		fds := make([]int, len(dirs))
		f.readBatch(br, d.fd, names, got, done, dirs, fds)
		for k, fd := range fds {
			subs[k].fd = fd
		}
	}
	if len(names) == 0 {
		return ents, nil, subs, err
	}
	f.readFilesFd(d.fd, names, got, done, true)
	var rest []string
	var restAt []int
	for k := range names {
		if !done[k] {
			rest, restAt = append(rest, names[k]), append(restAt, k)
		}
	}
	if len(rest) > 0 {
		for j, b := range f.ReadFilesIn(dir, rest) {
			got[restAt[j]] = b
		}
	}
	data = make([][]byte, len(ents))
	for k, i := range idx {
		data[i] = got[k]
	}
	return ents, data, subs, err
}

// useBatchReader lets tests compare WalkDirs with and without a batch
// reader (uring_linux.go).
var useBatchReader = true

// WalkDirs lists directory root and every directory below it that
// descend accepts (called with the directory and the entry), reading with
// each listing, as readDirFiles does, the regular files want accepts
// (called with the directory and the name). visit receives each
// directory's listing, from as many goroutines as workers. Directories are
// taken most recent first. A batch reader opens a directory's
// subdirectories with its files, up to a bound on the descriptors held
// (heldDirs); the others are opened beside their parent while the parent
// is still open (openBeside). Either way a directory costs no walk of its
// path from the root, and few descriptors are open at once.
func (f *FS) WalkDirs(root string, workers int, descend func(dir string, e fs.DirEntry) bool,
	want func(dir, name string) bool, visit func(dir string, ents []fs.DirEntry, data [][]byte, err error)) {
	type parent struct {
		dir  openDir
		refs atomic.Int32 // subdirectories not opened yet
	}
	type job struct {
		dir, name string
		fd        int     // opened by its parent's batch, or -1
		in        *parent // nil: open dir through the root
	}
	var (
		mu      sync.Mutex
		wake    = sync.NewCond(&mu)
		stack   = []job{{dir: root, fd: -1}}
		pending = 1 // jobs pushed and not finished
		held    atomic.Int32
	)
	release := func(p *parent) {
		if p != nil && p.refs.Add(-1) == 0 {
			p.dir.close()
		}
	}
	work := func() {
		br := newBatchReader()
		if br != nil {
			// A batch reader is used from its thread only.
			runtime.LockOSThread()
			defer runtime.UnlockOSThread()
			defer br.close()
		}
		for {
			mu.Lock()
			for len(stack) == 0 && pending > 0 {
				wake.Wait()
			}
			if pending == 0 {
				mu.Unlock()
				return
			}
			j := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			mu.Unlock()

			d := openDir{fd: j.fd}
			if j.fd >= 0 {
				held.Add(-1)
			} else if j.in != nil {
				d.fd, _ = openBeside(j.in.dir.fd, j.name)
				release(j.in)
			}
			var ents []fs.DirEntry
			var data [][]byte
			var subs []subdir
			var err error
			if d.fd < 0 {
				// The root, or a directory openBeside could not open: the
				// Root's way, which reports why.
				var file fs.File
				if file, err = f.Open(j.dir); err == nil {
					if osf, ok := file.(*os.File); ok {
						d = openDir{fd: fdOf(osf), file: osf}
					} else {
						file.Close()
						err = pathErr(j.dir, errors.New("not a directory"))
					}
				}
			}
			if d.fd >= 0 || d.file != nil {
				open := 0
				if br != nil {
					open = max(0, heldDirs-int(held.Load()))
				}
				ents, data, subs, err = f.readDirFiles(d, j.dir, func(name string) bool { return want(j.dir, name) },
					func(e fs.DirEntry) bool { return descend(j.dir, e) }, open, br)
			}
			visit(j.dir, ents, data, err)
			var p *parent
			jobs := make([]job, len(subs))
			for k, sd := range subs {
				jobs[k] = job{dir: path.Join(j.dir, sd.name), name: sd.name, fd: sd.fd}
				if sd.fd >= 0 {
					held.Add(1)
					continue
				}
				if p == nil && (d.fd >= 0 || d.file != nil) {
					p = &parent{dir: d}
				}
				jobs[k].in = p
				if p != nil {
					p.refs.Add(1)
				}
			}
			switch {
			case p != nil, d.fd < 0 && d.file == nil:
			case d.file != nil || !br.closeLater(d.fd):
				d.close()
			}
			mu.Lock()
			// Pushed in reverse, so that they are taken in name order.
			for k := len(jobs) - 1; k >= 0; k-- {
				stack = append(stack, jobs[k])
			}
			pending += len(jobs) - 1
			mu.Unlock()
			wake.Broadcast()
		}
	}
	var wg sync.WaitGroup
	for range max(1, workers) {
		wg.Add(1)
		go func() { defer wg.Done(); work() }()
	}
	wg.Wait()
}

// heldDirs bounds the directories a walk holds open, opened by a batch
// and not yet listed: a wide directory's other subdirectories are opened
// beside it when their turn comes.
const heldDirs = 256

// ReadFile reads a regular file of at most MaxSize bytes; a larger one
// gives a *TooLargeError without being read.
func (f *FS) ReadFile(name string) ([]byte, error) {
	file, err := f.Open(name)
	if err != nil {
		return nil, err
	}
	defer file.Close()
	return readAll(name, file, f.maxSize)
}

// ReadFilesIn reads the files names (base names) of directory dir with
// ReadFile's rules, opening dir once: each file is then one open beside
// it instead of a walk from the root, which is most of the cost of reading
// many small files. data[i] is nil when names[i] cannot be read.
func (f *FS) ReadFilesIn(dir string, names []string) (data [][]byte) {
	data = make([][]byte, len(names))
	if !fs.ValidPath(dir) {
		return data
	}
	done := make([]bool, len(names))
	if d, err := f.Open(dir); err == nil {
		if osf, ok := d.(*os.File); ok {
			f.readFilesFd(fdOf(osf), names, data, done, false)
		}
		d.Close()
	}
	if !slices.Contains(done, false) {
		return data
	}
	sub, err := f.root.OpenRoot(dir)
	if err != nil {
		return data
	}
	defer sub.Close()
	for i, n := range names {
		if strings.Contains(n, "/") || done[i] {
			continue
		}
		file, err := sub.OpenFile(n, os.O_RDONLY|nonBlock, 0)
		if err != nil {
			continue
		}
		data[i], _ = readAll(path.Join(dir, n), file, f.maxSize)
		file.Close()
	}
	return data
}

// ReadOS reads a file named by an OS path outside any root (a config
// file, a baseline, an include allowed by --allow-outside-root) with the
// same rules: a regular file of at most limit bytes, opened without
// blocking. Symbolic links are followed: the user named the path.
func ReadOS(name string, limit int64) ([]byte, error) {
	info, err := os.Stat(name)
	if err != nil {
		return nil, err
	}
	if !info.Mode().IsRegular() {
		if info.IsDir() {
			return nil, &fs.PathError{Op: "read", Path: name, Err: errors.New("is a directory")}
		}
		return nil, &fs.PathError{Op: "read", Path: name, Err: ErrNotRegular}
	}
	file, err := os.OpenFile(name, os.O_RDONLY|nonBlock, 0)
	if err != nil {
		return nil, err
	}
	defer file.Close()
	return readAll(name, file, limit)
}

// readAll reads an opened file that must be regular, up to limit bytes.
func readAll(name string, file fs.File, limit int64) ([]byte, error) {
	st, err := file.Stat()
	if err != nil {
		return nil, err
	}
	if !st.Mode().IsRegular() {
		return nil, &fs.PathError{Op: "read", Path: name, Err: ErrNotRegular}
	}
	if st.Size() > limit {
		return nil, &fs.PathError{Op: "read", Path: name, Err: &TooLargeError{Size: st.Size(), Limit: limit}}
	}
	// The size can lie (/proc files say 0, a file may grow): read up to
	// one byte past the limit to tell. Sized like os.ReadFile, so a file
	// that does not grow is read into one allocation.
	b := make([]byte, 0, st.Size()+1)
	for int64(len(b)) <= limit {
		if len(b) == cap(b) {
			b = append(b, 0)[:len(b)]
		}
		n, err := file.Read(b[len(b):min(int64(cap(b)), limit+1)])
		b = b[:len(b)+n]
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
	}
	if int64(len(b)) > limit {
		return nil, &fs.PathError{Op: "read", Path: name, Err: &TooLargeError{Size: int64(len(b)), Limit: limit}}
	}
	return b, nil
}

// Reason is err without the "open path:" prefix of an *fs.PathError, for
// messages that name the path already.
func Reason(err error) string {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err.Error()
	}
	return err.Error()
}

func pathErr(name string, err error) error {
	var pe *fs.PathError
	var esc *EscapeError
	if errors.As(err, &pe) || errors.As(err, &esc) {
		return err
	}
	return &fs.PathError{Op: "open", Path: name, Err: err}
}

func sortEntries(ents []fs.DirEntry) {
	slices.SortFunc(ents, func(a, b fs.DirEntry) int { return strings.Compare(a.Name(), b.Name()) })
}
