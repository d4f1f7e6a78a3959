package gitindex

import (
	"bufio"
	"bytes"
	"errors"
	"io/fs"
	"path"
	"strings"
)

// Excludes tells which paths a repository's .gitignore files and
// .git/info/exclude ignore, for a tree without an index to ask (a
// directory without .git, an unpacked archive). It follows the gitignore
// documentation (https://git-scm.com/docs/gitignore): the last matching
// pattern decides, a deeper .gitignore over a shallower one and both over
// info/exclude; "!" re-includes, except below an excluded directory;
// a trailing "/" matches directories only; a pattern with a "/" at the
// start or in the middle is anchored to its .gitignore's directory, any
// other matches at any depth; "**" as a whole segment matches any number
// of directories. The user's core.excludesFile is not read: it belongs to
// whoever runs tlsvet, not to the repository.
//
// Files are read lazily through fsys and cached.
type Excludes struct {
	fsys  fs.FS
	root  string
	lists map[string][]pattern // by directory below root, "" for the top
	dirs  map[string]bool      // directories already judged
}

type pattern struct {
	segs            []string
	negate, dirOnly bool
	anchored        bool
}

// NewExcludes reads the patterns of the tree whose top is root in fsys.
func NewExcludes(fsys fs.FS, root string) *Excludes {
	return &Excludes{fsys: fsys, root: root, lists: map[string][]pattern{}, dirs: map[string]bool{}}
}

// Ignored reports whether a path of fsys (relative to ".") is ignored,
// looking up whether it is a directory.
func Ignored(fsys fs.FS, name string) (bool, error) {
	st, err := fs.Stat(fsys, name)
	if err != nil {
		return false, err
	}
	return NewExcludes(fsys, ".").Ignored(name, st.IsDir())
}

// Ignored reports whether the slash-separated path below the root is
// ignored; isDir tells whether it names a directory.
func (e *Excludes) Ignored(name string, isDir bool) (bool, error) {
	if dir := path.Dir(name); dir != "." {
		// "It is not possible to re-include a file if a parent directory
		// of that file is excluded": git does not even look inside.
		ign, ok := e.dirs[dir]
		if !ok {
			var err error
			if ign, err = e.Ignored(dir, true); err != nil {
				return false, err
			}
			e.dirs[dir] = ign
		}
		if ign {
			return true, nil
		}
	}
	segs := strings.Split(name, "/")
	ignored := false
	// info/exclude first (lowest precedence), then each .gitignore from
	// the top down to the path's own directory.
	for depth := -1; depth < len(segs); depth++ {
		var list []pattern
		var err error
		if depth < 0 {
			list, err = e.list(".git/info/exclude", "\x00info")
		} else {
			dir := strings.Join(segs[:depth], "/")
			list, err = e.list(path.Join(dir, ".gitignore"), dir)
		}
		if err != nil {
			return false, err
		}
		rel := segs[max(depth, 0):]
		for _, p := range list {
			if (!p.dirOnly || isDir) && p.match(rel) {
				ignored = !p.negate
			}
		}
	}
	return ignored, nil
}

// list returns the patterns of one file, read once.
func (e *Excludes) list(name, key string) ([]pattern, error) {
	if l, ok := e.lists[key]; ok {
		return l, nil
	}
	data, err := fs.ReadFile(e.fsys, path.Join(e.root, name))
	if errors.Is(err, fs.ErrNotExist) {
		err = nil
	}
	if err != nil {
		return nil, err
	}
	var l []pattern
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(nil, len(data)+1)
	for sc.Scan() {
		if p, ok := parsePattern(sc.Text()); ok {
			l = append(l, p)
		}
	}
	e.lists[key] = l
	return l, nil
}

// parsePattern reads one line of a gitignore file.
func parsePattern(line string) (pattern, bool) {
	// "Trailing spaces are ignored unless they are quoted with backslash."
	for strings.HasSuffix(line, " ") && !strings.HasSuffix(line, `\ `) {
		line = line[:len(line)-1]
	}
	if line == "" || line[0] == '#' {
		return pattern{}, false
	}
	var p pattern
	if line[0] == '!' {
		p.negate, line = true, line[1:]
	}
	if strings.HasSuffix(line, "/") {
		p.dirOnly, line = true, strings.TrimSuffix(line, "/")
	}
	p.anchored = strings.Contains(line, "/")
	line = strings.TrimPrefix(line, "/")
	if line == "" {
		return pattern{}, false
	}
	// fnmatch's "[!...]" is path.Match's "[^...]".
	p.segs = strings.Split(strings.ReplaceAll(line, "[!", "[^"), "/")
	return p, true
}

// match reports whether the pattern matches rel, the path's segments below
// the pattern's directory.
func (p pattern) match(rel []string) bool {
	if !p.anchored {
		ok, _ := path.Match(p.segs[0], rel[len(rel)-1])
		return ok
	}
	// m(i, j): segs[i:] matches rel[j:]. Memoised, so linear in
	// len(segs)*len(rel) whatever the number of "**".
	memo := make([]int8, (len(p.segs)+1)*(len(rel)+1))
	var m func(i, j int) bool
	m = func(i, j int) bool {
		k := i*(len(rel)+1) + j
		if memo[k] != 0 {
			return memo[k] > 0
		}
		var ok bool
		switch {
		case i == len(p.segs):
			ok = j == len(rel)
		case p.segs[i] == "**" && i == len(p.segs)-1:
			ok = j < len(rel) // "a/**" matches inside a, not a itself
		case p.segs[i] == "**":
			ok = m(i+1, j) || j < len(rel) && m(i, j+1)
		case j < len(rel):
			ok, _ = path.Match(p.segs[i], rel[j])
			ok = ok && m(i+1, j+1)
		}
		memo[k] = 1
		if !ok {
			memo[k] = -1
		}
		return ok
	}
	return m(0, 0)
}
