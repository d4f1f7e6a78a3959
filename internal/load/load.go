// Package load turns paths into a model.Project: it walks directories,
// picks files by name, parses them in parallel and builds the normalised
// model. It is the only place that connects parsers to the model.
package load

import (
	"errors"
	"io/fs"
	"maps"
	"path"
	"runtime"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/tlsvet/tlsvet/internal/facts"
	"github.com/tlsvet/tlsvet/internal/model"
	"github.com/tlsvet/tlsvet/internal/rootfs"
	"github.com/tlsvet/tlsvet/internal/source"
	"github.com/tlsvet/tlsvet/parsers"
	"github.com/tlsvet/tlsvet/parsers/appini"
	"github.com/tlsvet/tlsvet/parsers/connstr"
	"github.com/tlsvet/tlsvet/parsers/dockerfile"
	"github.com/tlsvet/tlsvet/parsers/dsn"
	"github.com/tlsvet/tlsvet/parsers/mycnf"
	"github.com/tlsvet/tlsvet/parsers/sqlrepl"
)

// Options say what to read.
type Options struct {
	FS           fs.FS    // rooted at the scanned root
	RootDir      string   // absolute OS path of the root ("" in tests)
	Paths        []string // root-relative slash paths of files or directories; "." for all
	AllowOutside bool     // follow includes outside the root
	// Targets are the versions the config names (--target, .tlsvet.toml);
	// TargetBy says which ("--target" or ".tlsvet.toml").
	Targets  []facts.Target
	TargetBy string
	// KeepComment says which comments Project.Comments keeps
	// (mycnf.Options.KeepComment); nil keeps every one.
	KeepComment func(text []byte) bool
	// Exclude reports whether a root-relative path is excluded by config.
	Exclude func(name string) bool
	// Focus are the root-relative paths the run reports on; nil for all.
	// When they are option files, only the parts of the root that can
	// change their findings are read (focused).
	Focus []string
}

// skipDirs are directories never walked: version control, dependencies and
// caches that hold other people's configuration.
var skipDirs = map[string]bool{
	".git": true, ".hg": true, ".svn": true, "node_modules": true, "vendor": true,
	"third_party": true, ".terraform": true, ".venv": true, "__pycache__": true,
}

// Load reads the paths and builds the project.
func Load(opt Options) (*model.Project, error) {
	w, unread, err := walk(opt)
	if err != nil {
		return nil, err
	}
	names, apps, eco, notices := w.names, w.apps, w.eco, w.notices
	// Every option file is read once, a directory at a time, into the
	// parser's cache: opening each by its path would walk the path again.
	cache := &mycnf.Cache{}
	// The walk read most of them with their directories' listings; texts[i]
	// are the bytes of names[i].
	texts := make([][]byte, len(names))
	var rest []string
	for i, n := range names {
		if texts[i] = w.read[n]; texts[i] == nil {
			rest = append(rest, n)
		}
	}
	var restRead map[string][]byte
	if len(rest) > 0 {
		restRead = readAllIn(opt.FS, byDir(rest))
		for i, n := range names {
			if texts[i] == nil {
				texts[i] = restRead[n]
			}
		}
	}
	allNames, allTexts := names, texts
	var parsed map[string]*mycnf.Result
	focusedRun := false
	if opt.Focus != nil {
		var sel []string
		if sel, parsed, focusedRun = focused(opt, w, cache, texts); focusedRun {
			names, apps = sel, nil
			texts = make([][]byte, len(sel))
			for i, n := range sel {
				if texts[i] = w.read[n]; texts[i] == nil {
					texts[i] = restRead[n]
				}
			}
		}
	}
	for i, n := range names {
		if texts[i] != nil {
			cache.Preload(opt.RootDir, n, texts[i])
		}
	}
	results := make([]*mycnf.Result, len(names))
	parallel(len(names), func(i int) {
		if r := parsed[names[i]]; r != nil {
			results[i] = r
			return
		}
		results[i] = readOptionFile(opt, names[i], cache)
	})

	p := &model.Project{Notices: notices}
	b := builder{opt: opt, p: p, read: w.read, files: map[string]*source.File{}, problems: map[string]bool{}, links: map[string]bool{},
		cache: cache, eco: eco}
	b.env = b.rootEnv()
	appResults := b.readApps(apps)
	// Servers that deployment files declare, and the option files they
	// mount: those are checked as those servers' files only.
	mounted := map[string]bool{}
	files := appFiles(appResults)
	decls := b.composeDeclared(files, b.env, mounted)
	decls = append(decls, b.kubeDeclared(files, mounted)...)
	decls = append(decls, b.dockerDeclared(files, mounted)...)
	for _, unit := range oneServer(names, topLevel(names, results)) {
		var rs []*mycnf.Result
		for _, i := range unit {
			r := results[i]
			if len(r.Files) > 0 && mounted[r.Files[0].Path] {
				continue
			}
			// Only a top file can be another program's: a file an option
			// file includes is read by MySQL, whatever it holds.
			if len(r.Files) > 0 {
				if k := parsers.Sniff(r.Files[0].Content); k != parsers.OptionFile {
					p.Foreign = append(p.Foreign, model.Notice{Path: r.Files[0].Path, Message: k.String()})
					if k == parsers.MysqldExporter {
						b.addExporterFile(r)
					}
					continue
				}
				if _, ok := parsers.Template(r.Files[0].Path); ok && !slices.Contains(p.Templates, r.Files[0].Path) {
					p.Templates = append(p.Templates, r.Files[0].Path)
				}
			}
			for _, t := range r.Templates {
				if !slices.Contains(p.Templates, t) {
					p.Templates = append(p.Templates, t)
				}
			}
			rs = append(rs, r)
		}
		if len(rs) > 0 {
			b.addOptionFile(rs)
		}
	}
	for _, d := range decls {
		b.addDeclared(d)
	}
	for _, r := range appResults {
		b.addApp(r)
	}
	b.addRoutes()
	b.link()
	b.inlineKeys()
	b.resolveFiles()
	if focusedRun {
		var refs []string
		for _, r := range p.FileRefs {
			if r.Path != "" {
				refs = append(refs, r.Path)
			}
		}
		if sharedRefs(refs, names, allNames, allTexts) {
			opt.Focus = nil
			return Load(opt)
		}
	}
	b.readPKI()
	b.trackKeys()
	for _, f := range b.files {
		p.Files = append(p.Files, f)
	}
	p.Notices = slices.DeleteFunc(p.Notices, func(n model.Notice) bool { return b.links[n.Message] })
	sort.Strings(p.Templates)
	p.NotRead = unread
	sort.Slice(p.Files, func(i, j int) bool { return p.Files[i].Path < p.Files[j].Path })
	return p, nil
}

// readOptionFile reads and parses option file name with its includes.
func readOptionFile(opt Options, name string, cache *mycnf.Cache) *mycnf.Result {
	return mycnf.Read(name, mycnf.Options{
		FS: opt.FS, AllowOutside: opt.AllowOutside, RootDir: opt.RootDir, Cache: cache, Templates: true,
		KeepComment: opt.KeepComment,
	})
}

// parallel runs fn(0) … fn(n-1) on one worker per processor: files are
// read and parsed in parallel, and each result has its own slot.
func parallel(n int, fn func(i int)) {
	var wg sync.WaitGroup
	work := make(chan int)
	for w := 0; w < runtime.GOMAXPROCS(0); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range work {
				fn(i)
			}
		}()
	}
	for i := 0; i < n; i++ {
		work <- i
	}
	close(work)
	wg.Wait()
}

// Summaries are the notices that list what p read but did not check, or
// checked in part, in the files keep accepts (all when keep is nil): one
// notice per list, with the count and the first ten names.
func Summaries(p *model.Project, keep func(name string) bool) []model.Notice {
	list := func(ns []model.Notice) []string {
		var out []string
		for _, n := range ns {
			if keep == nil || keep(n.Path) {
				out = append(out, n.Path+" ("+n.Message+")")
			}
		}
		return out
	}
	var tmpl []string
	for _, t := range p.Templates {
		if keep == nil || keep(t) {
			tmpl = append(tmpl, t)
		}
	}
	var out []model.Notice
	out = append(out, listNotice(list(p.Foreign), "file is not a MySQL option file", "files are not MySQL option files")...)
	out = append(out, listNotice(tmpl, "file was read as a template (template lines skipped, templated values not judged)", "files were read as templates (template lines skipped, templated values not judged)")...)
	return append(out, listNotice(list(p.NotRead), "file named on the command line was not read", "files named on the command line were not read")...)
}

// listNotice is one notice naming the first maxListed of names, or none.
func listNotice(names []string, one, many string) []model.Notice {
	if len(names) == 0 {
		return nil
	}
	what := one
	if len(names) > 1 {
		what = many
	}
	msg := strconv.Itoa(len(names)) + " " + what + ": " + strings.Join(names[:min(len(names), maxListed)], ", ")
	if len(names) > maxListed {
		msg += " and " + strconv.Itoa(len(names)-maxListed) + " more"
	}
	return []model.Notice{{Message: msg, Note: true}}
}

// maxListed bounds the names one notice lists.
const maxListed = 10

// walk expands directories into the option files below them. A file named
// explicitly is read only when its name says it is an option file, so that
// pre-commit can pass any file; unread lists the named files whose names
// are not option files' names. Files are named by their path with every
// symbolic link resolved, so a file reached twice is read once. Symbolic
// links to directories are never followed (a link "loop -> ." would
// recurse) and links leaving the root never read; both become notices.
func walk(opt Options) (w *walker, unread []model.Notice, err error) {
	w = &walker{opt: opt, seen: map[string]bool{}}
	named := map[string]string{} // a named file → its resolved path
	for _, root := range opt.Paths {
		root = path.Clean(root)
		info, err := fs.Stat(opt.FS, root)
		if errors.Is(err, rootfs.ErrEscapes) {
			w.notice(root, err.Error())
			continue
		}
		if err != nil {
			return nil, nil, err
		}
		if !info.IsDir() {
			if !info.Mode().IsRegular() {
				// Opening a FIFO blocks and a device may act: never read.
				if read(root) {
					w.notice(root, "not a regular file; not read")
				} else {
					named[root] = ""
				}
				continue
			}
			real, _, err := w.resolve(root)
			if err != nil {
				return nil, nil, err
			}
			w.add(root, real)
			named[root] = real
			continue
		}
		listed := listDirs(opt, root)
		if len(w.seen) == 0 {
			w.seen = make(map[string]bool, len(listed.read))
		}
		if w.read == nil {
			w.read = listed.read
		} else {
			maps.Copy(w.read, listed.read)
		}
		err = fs.WalkDir(listed, root, func(name string, d fs.DirEntry, err error) error {
			if err != nil {
				if name == root && d == nil {
					return err
				}
				// An unreadable directory: MySQL would not read it either,
				// but the user should know it was not checked.
				w.notice(name, "directory not read: "+rootfs.Reason(err))
				return nil
			}
			switch t := d.Type(); {
			case d.IsDir():
				if name != root && (skipDirs[d.Name()] || (opt.Exclude != nil && opt.Exclude(name))) {
					return fs.SkipDir
				}
			case t.IsRegular():
				w.add(name, name)
			case t&fs.ModeSymlink != 0:
				w.link(name)
			case read(name):
				w.notice(name, "not a regular file; not read")
			}
			return nil
		})
		if err != nil {
			return nil, nil, err
		}
	}
	sort.Strings(w.names)
	// A named file is read when it, or the file a link names, is queued
	// (my.cnf -> real.conf is read as real.conf; both may be named). The
	// files the configuration excludes are left out on purpose.
	for name, real := range named {
		if !w.seen[real] && !read(name) {
			unread = append(unread, model.Notice{Path: name, Message: "not a name tlsvet reads"})
		}
	}
	sort.Slice(unread, func(i, j int) bool { return unread[i].Path < unread[j].Path })
	sort.Strings(w.apps)
	return w, unread, nil
}

// listDirs lists, in parallel, the directories the walk from root enters
// (every directory below it but those walk skips), so that the walk, which
// is sequential, finds them listed: listing is most of its cost. Where the
// file system can (rootfs.FS.WalkDirs), the files of each directory that
// the run reads (want) are read with its listing, through the one open of
// the directory.
func listDirs(opt Options, root string) listedFS {
	l := listedFS{FS: opt.FS, dirs: map[string]listing{}, read: map[string][]byte{}}
	descend := func(dir string, e fs.DirEntry) bool {
		return e.IsDir() && !skipDirs[e.Name()] && (opt.Exclude == nil || !opt.Exclude(path.Join(dir, e.Name())))
	}
	// The option files, and the other files a run reads: all of them in a
	// whole run, the deployment files (mayPlace) in a focused one.
	want := func(dir, base string) bool {
		name := path.Join(dir, base)
		if opt.Exclude != nil && opt.Exclude(name) {
			return false
		}
		return parsers.Detect(base) == parsers.OptionFile || read(name) && (opt.Focus == nil || mayDeploy(name))
	}
	add := func(dir string, got listing) {
		l.dirs[dir] = got
		for k, e := range got.ents {
			if got.data != nil && got.data[k] != nil {
				l.read[path.Join(dir, e.Name())] = got.data[k]
			}
		}
	}
	if w, ok := opt.FS.(interface {
		WalkDirs(string, int, func(string, fs.DirEntry) bool, func(string, string) bool,
			func(string, []fs.DirEntry, [][]byte, error))
	}); ok {
		// The listings are kept in a list and the maps made at their size:
		// growing a map of every file read, entry by entry, was 8 % of the
		// CPU time of a focused run (perf).
		var mu sync.Mutex
		var dirs []string
		var got []listing
		files := 0
		w.WalkDirs(root, runtime.GOMAXPROCS(0), descend, want, func(dir string, ents []fs.DirEntry, data [][]byte, err error) {
			n := 0
			for _, b := range data {
				if b != nil {
					n++
				}
			}
			mu.Lock()
			dirs, got = append(dirs, dir), append(got, listing{ents, data, err})
			files += n
			mu.Unlock()
		})
		l.dirs, l.read = make(map[string]listing, len(dirs)), make(map[string][]byte, files)
		for i, dir := range dirs {
			add(dir, got[i])
		}
		return l
	}
	for level := []string{root}; len(level) > 0; {
		got := make([]listing, len(level))
		parallel(len(level), func(i int) {
			ents, err := fs.ReadDir(opt.FS, level[i])
			got[i] = listing{ents: ents, err: err}
		})
		var next []string
		for i, dir := range level {
			add(dir, got[i])
			for _, e := range got[i].ents {
				if descend(dir, e) {
					next = append(next, path.Join(dir, e.Name()))
				}
			}
		}
		level = next
	}
	return l
}

// listedFS is a file system whose directories were listed beforehand;
// read holds the files read with them.
type listedFS struct {
	fs.FS
	dirs map[string]listing
	read map[string][]byte
}

type listing struct {
	ents []fs.DirEntry
	data [][]byte // the bytes of ents[i] when read with the listing
	err  error
}

func (l listedFS) ReadDir(name string) ([]fs.DirEntry, error) {
	if d, ok := l.dirs[name]; ok {
		return d.ents, d.err
	}
	return fs.ReadDir(l.FS, name)
}

func (l listedFS) Stat(name string) (fs.FileInfo, error) { return fs.Stat(l.FS, name) }

// walker collects the files to read.
type walker struct {
	opt     Options
	seen    map[string]bool
	names   []string // option files
	apps    []string // files read for connection strings
	notices []model.Notice
	// eco holds, by directory, the ecosystem hints of the files in it
	// (package.json, Cargo.toml…), which choose among the dialects of a
	// bare mysql:// URL.
	eco map[string]dsn.Ecosystem
	// linked: the walk met a symbolic link, so a path as written may name
	// another file (focused then reads includes the exact way).
	linked bool
	// read holds the files read while listing their directories.
	read map[string][]byte
}

// read reports whether a file's name makes it one tlsvet reads: an option
// file, a file that may hold connection strings, a certificate or key, or
// SQL and shell scripts that may set up replication.
func read(name string) bool {
	return parsers.Detect(name) == parsers.OptionFile || connstr.Detect(name) != connstr.Unknown ||
		appini.KindOf(name) != appini.Unknown || dockerfile.Detect(name) || KeyName(name) ||
		sqlrepl.Detect(name) != sqlrepl.NotRead
}

// add queues real, the resolved path of name, when name is an option
// file's name (the name decides: my.cnf -> mysql.conf is an option file).
func (w *walker) add(name, real string) {
	if e := dsn.EcosystemOf(name); e != 0 {
		if w.eco == nil {
			w.eco = map[string]dsn.Ecosystem{}
		}
		w.eco[path.Dir(name)] |= e
	}
	option := parsers.Detect(name) == parsers.OptionFile
	if w.seen[real] || !(option || read(name)) || (w.opt.Exclude != nil && w.opt.Exclude(name)) {
		return
	}
	w.seen[real] = true
	if option {
		w.names = append(w.names, real)
	} else {
		w.apps = append(w.apps, real)
	}
}

// resolve follows the links in name where the file system has them
// (rootfs.FS); test file systems have none.
func (w *walker) resolve(name string) (string, fs.FileInfo, error) {
	if res, ok := w.opt.FS.(interface {
		Resolve(string) (string, fs.FileInfo, error)
	}); ok {
		return res.Resolve(name)
	}
	info, err := fs.Stat(w.opt.FS, name)
	return name, info, err
}

// link handles a symbolic link met by the walk.
func (w *walker) link(name string) {
	w.linked = true
	real, info, err := w.resolve(name)
	switch {
	case errors.Is(err, rootfs.ErrEscapes):
		if read(name) {
			w.notice(name, err.Error())
		}
	case err != nil:
		if read(name) {
			w.notice(name, "symbolic link not read: "+rootfs.Reason(err))
		}
	case info.IsDir():
		if !skipDirs[path.Base(name)] && (w.opt.Exclude == nil || !w.opt.Exclude(name)) {
			w.notice(name, "symbolic link to the directory "+real+", not followed: the files below it are checked where they lie")
		}
	case info.Mode().IsRegular():
		w.add(name, real)
	}
}

// notice records msg once for name (a path can be walked and named).
func (w *walker) notice(name, msg string) {
	n := model.Notice{Path: name, Message: msg}
	if !slices.Contains(w.notices, n) {
		w.notices = append(w.notices, n)
	}
}

// topLevel returns the indexes of the files no other scanned file
// includes: an included file is checked in the context of the file that
// includes it, the way the server reads it. In an include cycle the first
// name is kept. The cost is linear in the files each top file read.
func topLevel(names []string, results []*mycnf.Result) []int {
	index := make(map[string]int, len(names))
	for i, name := range names {
		index[name] = i
	}
	return topLevelOf(names, index, func(j int) []string {
		if len(results[j].Files) < 2 {
			return nil // reads nothing else
		}
		out := make([]string, len(results[j].Files))
		for k, f := range results[j].Files {
			out[k] = f.Path
		}
		return out
	})
}

// topLevelOf is topLevel with index the position of each name and
// reads(j) the paths names[j] reads, itself first.
func topLevelOf(names []string, index map[string]int, reads func(j int) []string) []int {
	// includes[j]: the files j reads (directly or further down), sorted;
	// includedBy[i]: the files that read i. They are slices, not maps:
	// most files read nothing else.
	includes := make([][]int, len(names))
	includedBy := make([][]int, len(names))
	added := make([]int, len(names)) // added[i] == j+1: i is in includes[j]
	for j := range names {
		files := reads(j)
		if len(files) < 2 {
			continue
		}
		for _, f := range files[1:] {
			if i, ok := index[f]; ok && i != j && added[i] != j+1 {
				added[i] = j + 1
				includes[j] = append(includes[j], i)
				includedBy[i] = append(includedBy[i], j)
			}
		}
		slices.Sort(includes[j])
	}
	var top []int
	for i := range names {
		keep := true
		for _, j := range includedBy[i] {
			// j includes i; unless i also includes j (a cycle) and comes first.
			if _, cycle := slices.BinarySearch(includes[i], j); !cycle || j < i {
				keep = false
				break
			}
		}
		if keep {
			top = append(top, i)
		}
	}
	return top
}

// oneServer groups the top-level files (indexes into the sorted names)
// that one server reads: each file alone, except the files of a directory
// named like an !includedir target (conf.d, mysql.conf.d, my.cnf.d), which
// the server reads in name order as one configuration even when the file
// that includes them is not scanned (Debian's my.cnf includes
// /etc/mysql/conf.d/ by an absolute path). A finding about what the server
// lacks is then made once, not once per file.
func oneServer(names []string, top []int) [][]int {
	units := make([][]int, 0, len(top))
	unitOf := map[string]int{}     // directory → index in units
	alone := make([]int, len(top)) // the one-file units, in one block
	for t, i := range top {
		dir := path.Dir(names[i])
		if !strings.HasSuffix(path.Base(dir), ".d") {
			alone[t] = i
			units = append(units, alone[t:t+1:t+1])
			continue
		}
		k, ok := unitOf[dir]
		if !ok {
			k = len(units)
			unitOf[dir] = k
			units = append(units, nil)
		}
		units[k] = append(units[k], i)
	}
	return units
}

// builder accumulates the project from parse results.
type builder struct {
	opt      Options
	read     map[string][]byte // the files the walk read (walker.read)
	p        *model.Project
	files    map[string]*source.File
	problems map[string]bool
	links    map[string]bool // links an include did not follow, which TV003 reports
	eco      map[string]dsn.Ecosystem
	env      *connstr.Env // the project's root .env
	cache    *mycnf.Cache
	// inline are the certificates and keys written in YAML values, by
	// pseudo path (inline.go).
	inline map[string]*inlinePKI
	// walked are the certificate and key files the walk read and parsed,
	// by path, so that readPKI parses none twice.
	walked map[string]walkedPKI
	// containerEnvs are the environment values of containers that have
	// repository files placed in them (compose.go).
	containerEnvs []containerEnv
	// routers are the deployments whose image is MySQL Router, and
	// routerFiles the mysqlrouter.conf files read, by path (router.go);
	// routerLegs Router's own client record of each route, by the route's
	// section header; iniSettings the settings made of INI entries
	// (inifiles.go).
	routers     []routerDep
	routerFiles map[string]*appini.File
	routerLegs  map[source.Span]*model.Connection
	iniSettings map[*appini.Entry]*model.Setting
}

// ecosystem is the hint of the files beside and above name.
func (b *builder) ecosystem(name string) dsn.Ecosystem {
	var e dsn.Ecosystem
	for dir := path.Dir(name); ; dir = path.Dir(dir) {
		e |= b.eco[dir]
		if dir == "." || dir == "/" {
			return e
		}
	}
}

// addOptionFile adds the option files that one server reads as one: a
// top-level file with its includes, or the top-level files of one conf.d
// directory (oneServer), in read order.
func (b *builder) addOptionFile(rs []*mycnf.Result) {
	for _, r := range rs {
		b.addProblems(r)
	}
	var of *model.OptionFile
	for _, r := range rs {
		if len(r.Files) == 0 {
			continue
		}
		if of == nil {
			of = &model.OptionFile{File: r.Files[0]}
		}
		b.addContent(of, r)
	}
	if of == nil {
		return
	}
	seen := map[string]bool{}
	of.Files = slices.DeleteFunc(of.Files, func(f *source.File) bool {
		dup := seen[f.Path]
		seen[f.Path] = true
		return dup
	})
	b.p.OptionFiles = append(b.p.OptionFiles, of)
	b.p.Servers = append(b.p.Servers, servers(of, b.opt.Targets, b.opt.TargetBy)...)
	b.p.Clients = append(b.p.Clients, clients(of, b.opt.Targets, b.opt.TargetBy)...)
}

// addProblems records the files, comments and parse problems of r.
func (b *builder) addProblems(r *mycnf.Result) {
	// Comments are kept once per file: from the first result that read
	// it, and in that result from its first scan (a file included twice
	// is scanned twice; each scan's comments come in file order). A map
	// of every comment cost more than the rest of a comment-only file.
	fresh := map[*source.File]int{} // file → end of the last comment kept
	for _, f := range r.Files {
		if b.files[f.Path] == nil {
			fresh[f] = 0
		}
		b.files[f.Path] = f
	}
	for _, c := range r.Comments {
		if end, ok := fresh[c.File]; ok && c.Start >= end {
			fresh[c.File] = c.End
			b.p.Comments = append(b.p.Comments, c)
		}
	}
	for _, e := range r.Errors {
		unread := e.Span.File == nil
		if unread {
			// A file that could not be read at all: point at its start.
			f := b.files[e.Path]
			if f == nil {
				f = source.NewFile(e.Path, nil)
				b.files[e.Path] = f
			}
			e.Span = f.Span(0, 0)
		}
		k := e.Span.File.Path + ":" + strconv.Itoa(e.Span.Start) + ":" + e.Msg
		if !b.problems[k] {
			b.problems[k] = true
			b.p.Problems = append(b.p.Problems, model.Problem{Span: e.Span, Message: e.Msg, Unread: unread, Headerless: e.Headerless})
		}
	}
}

// addContent adds r's files, groups, options and includes to of.
func (b *builder) addContent(of *model.OptionFile, r *mycnf.Result) {
	of.Files = append(of.Files, r.Files...)
	groups := map[*mycnf.Group]*model.Group{}
	for i := range r.Groups {
		g := &r.Groups[i]
		mg := &model.Group{Name: strings.ToLower(g.Name), Written: g.Name, Span: g.Span}
		mg.Readers = facts.GroupReaders(mg.Name)
		groups[g] = mg
		of.Groups = append(of.Groups, mg)
	}
	// One allocation for the settings of the file: there is one per option
	// line of every file, and they live as long as each other.
	settings := make([]model.Setting, len(r.Entries))
	of.Options = slices.Grow(of.Options, len(r.Entries))
	for i := range r.Entries {
		e := &r.Entries[i]
		n := mycnf.Normalize(e.Key)
		settings[i] = model.Setting{
			Group: groups[e.Group], Key: e.Key, Name: n.Canonical,
			Loose: n.Loose, Skip: n.Skip, Enable: n.Enable, Maximum: n.Maximum,
			HasValue: e.HasValue, Value: e.Value, Quote: e.Quote,
			KeySpan: e.KeySpan, ValueSpan: e.ValueSpan, Comment: e.Comment, Unknown: e.Template,
		}
		of.Options = append(of.Options, &settings[i])
	}
	for _, in := range r.Includes {
		for _, l := range in.Links {
			b.links[l] = true
		}
		of.Includes = append(of.Includes, &model.Include{
			Dir: in.Dir, Target: in.Target, Span: in.Span, TargetSpan: in.TargetSpan,
			Files: in.Files, Skipped: in.Skipped, Links: in.Links, Problem: model.IncludeProblem(in.Problem),
		})
	}
}

// addExporterFile adds the connections of a mysqld_exporter file. Every
// section is one go-sql-driver connection, and [a.b] reads the keys of [a]
// it does not set: the exporter maps each section with gopkg.in/ini.v1,
// whose child sections inherit their parent's keys (MySqlConfig and
// ReloadConfig in
// https://github.com/prometheus/mysqld_exporter/blob/main/config/config.go).
// The key names are go-sql-driver's, taken as written.
func (b *builder) addExporterFile(r *mycnf.Result) {
	f := r.Files[0]
	b.files[f.Path] = f
	for _, c := range r.Comments {
		if c.File == f {
			b.p.Comments = append(b.p.Comments, c)
		}
	}
	groups := map[string]*model.Group{}
	var names []string
	opts := map[string][]*model.Setting{}
	for i := range r.Entries {
		e := &r.Entries[i]
		name := e.Group.Name
		g := groups[name]
		if g == nil {
			g = &model.Group{Name: strings.ToLower(name), Written: name, Span: e.Group.Span}
			groups[name] = g
			names = append(names, name)
		}
		opts[name] = append(opts[name], &model.Setting{
			Group: g, Key: e.Key, Name: e.Key, HasValue: e.HasValue, Value: e.Value, Quote: e.Quote,
			KeySpan: e.KeySpan, ValueSpan: e.ValueSpan, Comment: e.Comment, Unknown: e.Template,
		})
	}
	for _, name := range names {
		c := &model.Connector{Program: "mysqld_exporter", Group: groups[name], Settings: model.Settings{}}
		// Ancestors first, so that the section's own keys win.
		var chain []string
		for n := name; ; {
			chain = append([]string{n}, chain...)
			i := strings.LastIndexByte(n, '.')
			if i < 0 {
				break
			}
			n = n[:i]
		}
		for _, n := range chain {
			for _, o := range opts[n] {
				if prev := c.Settings[o.Name]; prev != nil {
					prev.Earlier = append(prev.Earlier, prev.Setting)
					prev.Setting = o
				} else {
					c.Settings[o.Name] = &model.Final{Setting: o}
				}
			}
		}
		b.p.Connectors = append(b.p.Connectors, c)
	}
}
