package mycnf

import (
	"errors"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"syscall"

	"github.com/tlsvet/tlsvet/internal/rootfs"
	"github.com/tlsvet/tlsvet/internal/source"
)

// location is a file or directory: a root-relative slash path read through
// Options.FS, or (os true) an absolute OS path read from the OS.
type location struct {
	path string
	os   bool
}

// Read reads the option file name (a root-relative slash path) and every
// file it includes, depth first, as the server does.
//
// Deliberate differences from MySQL:
//   - A relative include target is resolved against the directory of the
//     file holding the directive. MySQL resolves it against the current
//     working directory of the program (fn_format() with no directory,
//     my_default.cc), which tlsvet cannot know; repositories mirror the
//     deployed tree, so the including file's directory is the best guess.
//   - Targets outside the root, and "~/..." (the home directory of the
//     server's user), are reported with Problem Outside and not read,
//     unless Options.AllowOutside is set (home directories never are).
//   - An include cycle is stopped at the first repetition (Problem Cycle);
//     MySQL reads the file again and again up to the nesting limit.
//   - !includedir reads *.cnf in byte order, as MariaDB does (my_dir() with
//     MY_WANT_SORT). MySQL reads them in directory order, which "makes no
//     guarantee" (https://dev.mysql.com/doc/refman/8.0/en/option-files.html).
//     On Windows both also read *.ini; tlsvet follows Unix.
//   - World-writable files, which MySQL ignores on Unix, are read: file
//     modes in a checkout say nothing about the deployed file.
func Read(name string, opt Options) *Result {
	r := &reader{opt: opt, follow: true, res: &Result{}, files: map[string]*source.File{}}
	if r.opt.FS == nil && r.opt.RootDir != "" {
		r.opt.FS = os.DirFS(r.opt.RootDir)
	}
	loc, ok := r.resolve(location{path: "."}, name)
	if !ok {
		r.res.Errors = append(r.res.Errors, Error{Path: name, Msg: "the file lies outside the scanned root", Fatal: true})
		return r.res
	}
	f, err := r.open(loc)
	if err != nil {
		// MySQL: "Could not open required defaults file".
		r.res.Errors = append(r.res.Errors, Error{Path: loc.path, Msg: "cannot read: " + rootfs.Reason(err), Fatal: true, IO: true})
		return r.res
	}
	r.read(f, loc, 0)
	r.finish()
	return r.res
}

// read scans f, which is not on the include stack, at nesting level level.
func (r *reader) read(f *source.File, loc location, level int) {
	if !slices.Contains(r.res.Files, f) {
		r.res.Files = append(r.res.Files, f)
	}
	r.stack = append(r.stack, loc.key())
	r.scan(f, loc, level)
	r.stack = r.stack[:len(r.stack)-1]
}

func (l location) key() string {
	if l.os {
		return l.path
	}
	return "./" + l.path // cannot collide with an absolute path
}

func (r *reader) onStack(l location) bool { return slices.Contains(r.stack, l.key()) }

// resolve turns an include target into a location. ok is false when the
// target must not be read (Problem Outside).
func (r *reader) resolve(from location, target string) (loc location, ok bool) {
	if strings.HasPrefix(target, "~") {
		// fn_format(MY_UNPACK_FILENAME) expands ~ to a home directory.
		return location{path: target, os: true}, false
	}
	var abs string
	switch {
	case path.IsAbs(target):
		abs = filepath.Clean(target)
	case from.os:
		abs = filepath.Join(filepath.Dir(from.path), target)
	default:
		rel := path.Join(path.Dir(from.path), target)
		if !escapes(rel) {
			return location{path: rel}, true
		}
		if r.opt.RootDir == "" {
			return location{path: rel}, false
		}
		abs = filepath.Join(r.opt.RootDir, filepath.FromSlash(rel))
	}
	if r.opt.RootDir != "" {
		if rel, err := filepath.Rel(r.opt.RootDir, abs); err == nil && !escapes(filepath.ToSlash(rel)) {
			return location{path: filepath.ToSlash(rel)}, true
		}
	}
	return location{path: abs, os: true}, r.opt.AllowOutside
}

func escapes(rel string) bool { return rel == ".." || strings.HasPrefix(rel, "../") }

// includeFile follows "!include". MySQL ignores a target it cannot open.
func (r *reader) includeFile(from location, inc Include, level int) {
	if r.spent {
		return // the budget is spent and reported once
	}
	loc, ok := r.resolve(from, inc.Opened)
	var linkErr error
	if ok {
		loc, linkErr = r.canonical(loc)
	}
	switch {
	case !ok:
		inc.Problem = Outside
	case linkErr != nil:
		r.linkProblem(&inc, linkErr)
	case r.onStack(loc):
		inc.Problem = Cycle
	default:
		info, err := r.stat(loc)
		switch {
		case notExist(err):
			inc.Problem = Missing
		case err == nil && info.IsDir():
			inc.Problem = NotFile
		default:
			f, err := r.open(loc)
			if err != nil {
				inc.Problem = Unreadable
				r.res.Errors = append(r.res.Errors, Error{Span: inc.TargetSpan, Path: inc.TargetSpan.File.Path, Msg: "cannot read included file " + loc.path + ": " + rootfs.Reason(err), IO: true})
				break
			}
			if r.expanded(f) {
				inc.Problem = TooMany
				break
			}
			inc.Files = []string{loc.path}
			r.addInclude(inc) // before the included file's own directives
			r.read(f, loc, level+1)
			return
		}
	}
	r.addInclude(inc)
}

// includeDir follows "!includedir". It returns false when the directory
// cannot be listed: MySQL then stops reading the file holding the directive.
func (r *reader) includeDir(f *source.File, from location, inc Include, level int) bool {
	if r.spent {
		return true
	}
	dir, ok := r.resolve(from, inc.Opened)
	if !ok {
		inc.Problem = Outside
		r.addInclude(inc)
		return true
	}
	dir, err := r.canonical(dir)
	if err != nil && errors.Is(err, rootfs.ErrEscapes) {
		r.linkProblem(&inc, err)
		r.addInclude(inc)
		return true
	}
	ents, err := r.readDir(dir)
	if err != nil {
		inc.Problem = DirMissing
		r.addInclude(inc)
		// MySQL: "Can't read dir of '...'" and "Fatal error in defaults handling".
		return r.fail(f, inc.Span.Start, inc.Span.End, level, "cannot read the included directory "+dir.path+": "+rootfs.Reason(err))
	}
	i := r.addInclude(inc)
	for _, de := range ents {
		name := de.Name()
		// Only the extension ".cnf" counts, compared with strcmp().
		if !strings.HasSuffix(name, ".cnf") {
			if !de.IsDir() {
				r.res.Includes[i].Skipped = append(r.res.Includes[i].Skipped, dir.join(name).path)
			}
			continue
		}
		loc := dir.join(name)
		if de.Type()&fs.ModeSymlink != 0 {
			var err error
			if loc, err = r.canonical(loc); err != nil {
				r.setProblem(i, Escapes)
				r.res.Includes[i].Links = append(r.res.Includes[i].Links, err.Error())
				continue
			}
			if info, err := r.stat(loc); err != nil || info.IsDir() {
				continue // dangling: MySQL cannot open it and goes on
			}
		}
		if r.onStack(loc) {
			r.setProblem(i, Cycle)
			continue
		}
		if de.IsDir() {
			continue // MySQL opens a directory named *.cnf and reads nothing
		}
		cf, err := r.open(loc)
		if err != nil {
			r.setProblem(i, Unreadable)
			r.res.Errors = append(r.res.Errors, Error{Span: inc.TargetSpan, Path: inc.TargetSpan.File.Path, Msg: "cannot read included file " + loc.path + ": " + rootfs.Reason(err), IO: true})
			continue
		}
		if r.expanded(cf) {
			r.setProblem(i, TooMany)
			break
		}
		r.res.Includes[i].Files = append(r.res.Includes[i].Files, loc.path)
		r.read(cf, loc, level+1)
	}
	return true
}

// canonical follows the symbolic links in a location inside the root
// when the file system can tell them (rootfs.FS), so that a file reached
// through links is one file, read once, and a link leaving the root is
// never followed. Other file systems (tests) have no links.
func (r *reader) canonical(l location) (location, error) {
	res, ok := r.opt.FS.(interface {
		Resolve(string) (string, fs.FileInfo, error)
	})
	if l.os || !ok {
		return l, nil
	}
	p, _, err := res.Resolve(l.path)
	if err != nil {
		if errors.Is(err, rootfs.ErrEscapes) {
			return l, err
		}
		return l, nil // missing or unreadable: stat and open say which
	}
	return location{path: p}, nil
}

// linkProblem records an include whose target is a link leaving the root.
func (r *reader) linkProblem(inc *Include, err error) {
	inc.Problem = Escapes
	inc.Links = append(inc.Links, err.Error())
}

// expanded counts f, about to be included, against the top file's
// budget and reports whether the budget is spent (then the directive
// asking says so, and later ones are dropped). A few small files that
// each include the next ones several times expand exponentially (11
// files of 100 bytes, each including the next four times, are 4^10
// reads), and a 4 MiB file included again and again is as costly: the
// budget counts both files and bytes.
func (r *reader) expanded(f *source.File) bool {
	limit := r.opt.MaxExpansions
	if limit <= 0 {
		limit = DefaultMaxExpansions
	}
	if r.expansions >= limit || r.scanned+len(f.Content) > maxScanned {
		r.spent = true
		return true
	}
	r.expansions++
	r.scanned += len(f.Content)
	return false
}

func (r *reader) addInclude(inc Include) int {
	r.res.Includes = append(r.res.Includes, inc)
	return len(r.res.Includes) - 1
}

// setProblem keeps the first problem of a directory include.
func (r *reader) setProblem(i int, p IncludeProblem) {
	if r.res.Includes[i].Problem == None {
		r.res.Includes[i].Problem = p
	}
}

func (l location) join(name string) location {
	if l.os {
		return location{path: filepath.Join(l.path, name), os: true}
	}
	return location{path: path.Join(l.path, name)}
}

func (r *reader) stat(l location) (fs.FileInfo, error) {
	if l.os {
		return os.Stat(l.path)
	}
	if r.opt.FS == nil {
		return nil, errNoFS
	}
	return fs.Stat(r.opt.FS, l.path)
}

func (r *reader) readDir(l location) ([]fs.DirEntry, error) {
	if l.os {
		return os.ReadDir(l.path)
	}
	if r.opt.FS == nil {
		return nil, errNoFS
	}
	return fs.ReadDir(r.opt.FS, l.path)
}

var errNoFS = errors.New("no file system given (Options.FS and Options.RootDir are empty)")

// open reads a file, through the cache when there is one.
func (r *reader) open(l location) (*source.File, error) {
	key := ""
	switch {
	case l.os:
		key = l.path
	case r.opt.RootDir != "":
		key = r.opt.RootDir + "\x00" + l.path
	}
	if f := r.files[l.key()]; f != nil {
		return f, nil
	}
	if c := r.opt.Cache; c != nil && key != "" {
		if f := c.get(key); f != nil {
			r.files[l.key()] = f
			return f, nil
		}
	}
	var (
		b   []byte
		err error
	)
	switch {
	case l.os:
		b, err = rootfs.ReadOS(l.path, rootfs.DefaultMaxFileSize)
	case r.opt.FS == nil:
		err = errNoFS
	default:
		b, err = fs.ReadFile(r.opt.FS, l.path)
	}
	if err != nil {
		return nil, err
	}
	f := source.NewFile(l.path, b)
	if c := r.opt.Cache; c != nil && key != "" {
		f = c.put(key, f)
	}
	r.files[l.key()] = f
	return f, nil
}

// notExist reports errors that mean "no such file". fs.ErrInvalid comes
// from names fs.FS cannot express (invalid UTF-8, such as a path whose
// trailing "à" lost its 0xA0 byte to MySQL's whitespace trimming).
func notExist(err error) bool {
	return errors.Is(err, fs.ErrNotExist) || errors.Is(err, fs.ErrInvalid) || errors.Is(err, syscall.ENOTDIR)
}

// Cache shares *source.File values between Read calls, so that a file
// reached from several top files (or several roots, for files outside the
// roots) is one File. Files inside a root are keyed by Options.RootDir and
// their root-relative path, because File.Path is relative to the root;
// without RootDir they are not cached. The zero Cache is ready to use and
// safe for concurrent use.
type Cache struct {
	mu    sync.Mutex
	files map[string]*source.File
}

// Preload stores the content of name, a file under root directory
// rootDir (Options.RootDir) that the caller read with the checks Read
// applies (a regular file, inside the root, within the size limit), so
// that Read uses it instead of opening the file again. Without rootDir
// nothing is cached.
func (c *Cache) Preload(rootDir, name string, data []byte) {
	if rootDir != "" {
		c.put(rootDir+"\x00"+name, source.NewFile(name, data))
	}
}

func (c *Cache) get(key string) *source.File {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.files[key]
}

// put stores f unless another Read stored the file first, and returns the
// stored File.
func (c *Cache) put(key string, f *source.File) *source.File {
	c.mu.Lock()
	defer c.mu.Unlock()
	if old := c.files[key]; old != nil {
		return old
	}
	if c.files == nil {
		c.files = map[string]*source.File{}
	}
	c.files[key] = f
	return f
}
