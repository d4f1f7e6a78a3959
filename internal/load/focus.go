package load

import (
	"bytes"
	"io/fs"
	"path"
	"slices"
	"strings"

	"github.com/tlsvet/tlsvet/parsers/dockerfile"
	"github.com/tlsvet/tlsvet/parsers/mycnf"
)

// focused picks, for a run that reports on opt.Focus only (pre-commit
// names the changed files), the option files that can change the findings
// on those files: each server unit (oneServer) whose top files read a
// focus file, with everything those units read. The rest of the root is
// not parsed or checked, so the run costs a walk, one read of each option
// file and the work of the units. The findings on the focus are exactly
// those of a whole-root run (internal/cli's focus tests compare them)
// because nothing outside a unit shapes them:
//   - an option file reaches a server only through its own includes, its
//     directory's unit, and deployment files that mount or copy it, declare
//     its server or link clients to it. When a deployment file may place
//     one of the selected files (mayPlace), focused gives up (ok false) and
//     the whole root is read;
//   - application files, SQL and keys relate only to deployment-declared
//     servers or to themselves, so they are left out;
//   - a certificate or key file a unit names may be named by another unit
//     too, whose readers then appear in the findings: Load checks (sharedRefs) that no
//     option file outside the selection mentions such a file (shared).
//
// ok is false when the focus holds anything but option files, or a
// deployment file may place a selected file. texts[i] are the bytes of
// the option file w.names[i].
func focused(opt Options, w *walker, cache *mycnf.Cache, texts [][]byte) (sel []string, results map[string]*mycnf.Result, ok bool) {
	names := w.names
	var deploys []string
	for _, a := range w.apps {
		if mayDeploy(a) {
			deploys = append(deploys, a)
		}
	}
	index := make(map[string]int, len(names))
	for i, n := range names {
		index[n] = i
	}
	dirs := byDir(names)
	// The focus: option files, and directories whose files it holds.
	focusNames := map[string]bool{}
	var focusDirs []string
	for _, f := range opt.Focus {
		if _, isName := index[f]; isName {
			focusNames[f] = true
			continue
		}
		if info, err := fs.Stat(opt.FS, f); err != nil || !info.IsDir() {
			return nil, nil, false // not an option file
		}
		focusDirs = append(focusDirs, f)
	}
	inFocus := func(name string) bool {
		if focusNames[name] {
			return true
		}
		for _, f := range focusDirs {
			if f == "." || strings.HasPrefix(name, f+"/") {
				return true
			}
		}
		return false
	}
	// The include graph: the files each option file includes directly,
	// from its directive lines. A directive whose target is not a plain
	// relative path inside the root (absolute, ~, climbing out), or any
	// path when the root has symbolic links, is followed the exact way:
	// the file is parsed with its includes (mycnf), which gives all the
	// files it reads.
	results = map[string]*mycnf.Result{}
	direct := make([][]string, len(names))
	var exact []int
	for i, n := range names {
		b := texts[i]
		if !bytes.Contains(b, []byte("!include")) {
			continue
		}
		targets, plain := includeTargets(n, b)
		if !plain || w.linked {
			exact = append(exact, i)
			continue
		}
		for _, t := range targets {
			if t.dir {
				for _, base := range dirs[t.path] {
					if strings.HasSuffix(base, ".cnf") {
						direct[i] = append(direct[i], path.Join(t.path, base))
					}
				}
			} else if _, isName := index[t.path]; isName {
				direct[i] = append(direct[i], t.path)
			}
		}
	}
	parsed := make([]*mycnf.Result, len(exact))
	parallel(len(exact), func(k int) { parsed[k] = readOptionFile(opt, names[exact[k]], cache) })
	for k, i := range exact {
		results[names[i]] = parsed[k]
		for _, f := range parsed[k].Files[min(1, len(parsed[k].Files)):] {
			direct[i] = append(direct[i], f.Path)
		}
	}
	// reads(j): what names[j] reads, itself first, through its includes;
	// worked out once per file.
	memo := make([][]string, len(names))
	reads := func(j int) []string {
		if len(direct[j]) == 0 {
			return names[j : j+1 : j+1] // most files include nothing
		}
		if memo[j] != nil {
			return memo[j]
		}
		out := []string{names[j]}
		seen := map[string]bool{names[j]: true}
		for k := 0; k < len(out); k++ {
			i, isName := index[out[k]]
			if !isName {
				continue
			}
			for _, f := range direct[i] {
				if !seen[f] {
					seen[f] = true
					out = append(out, f)
				}
			}
		}
		memo[j] = out[:len(out):len(out)]
		return memo[j]
	}
	top := topLevelOf(names, index, reads)
	// The report covers what the focus files include too (the CLI widens
	// the focus along includes), and another unit may read one of those.
	wide := map[string]bool{}
	for i, n := range names {
		if inFocus(n) {
			for _, f := range reads(i) {
				wide[f] = true
			}
		}
	}
	picked := map[string]bool{}
	for _, unit := range oneServer(names, top) {
		var files []string
		hit := false
		for _, i := range unit {
			for _, f := range reads(i) {
				files = append(files, f)
				hit = hit || wide[f] || inFocus(f)
			}
		}
		if !hit {
			continue
		}
		for _, f := range files {
			if _, isName := index[f]; isName {
				picked[f] = true
			}
		}
	}
	// Keep the walk's order, which topLevel's cycle rule depends on.
	for _, n := range names {
		if picked[n] {
			sel = append(sel, n)
		}
	}
	if mayPlace(opt.FS, deploys, sel, w.read) {
		return nil, nil, false
	}
	return sel, results, true
}

// mayPlace reports whether one of the deployment files may mount, copy or
// embed one of the files sel (read holds those the walk read already): its
// text holds the path of such a file, or of a directory above it, relative
// to the deployment file's directory (how compose, Dockerfiles and
// kustomize name them), or it is a Dockerfile whose directory, its usual
// build context, holds one (COPY .).
// A deployment file that places a selected file makes that file another
// server's, declares the server it belongs to, and links clients to it.
//
// Its cost is linear in the deployment files' bytes and the selection:
// the paths each text mentions are resolved and looked up, rather than
// each selected path searched for in each text (a focus on a directory
// selects thousands of files).
func mayPlace(fsys fs.FS, deploys, sel []string, read map[string][]byte) bool {
	if len(deploys) == 0 {
		return false
	}
	// The selected files and the directories above them, up to the root,
	// by path and by last component: mounting a directory ("- .:/etc/mysql")
	// places the files below it.
	placeable, bases, depth := map[string]bool{".": true}, map[string]bool{".": true, "..": true}, 0
	for _, f := range sel {
		if strings.ContainsAny(f, pathDelims) {
			return true // not a token of its own: assume it may be placed
		}
		depth = max(depth, strings.Count(f, "/")+1)
		for p := f; p != "." && !placeable[p]; p = path.Dir(p) {
			placeable[p] = true
			bases[path.Base(p)] = true
		}
	}
	texts := readAllIn(fsys, byDir(slices.DeleteFunc(slices.Clone(deploys), func(d string) bool { return read[d] != nil })))
	for _, d := range deploys {
		if b := read[d]; b != nil {
			texts[d] = b
		}
	}
	for _, d := range deploys {
		dir := path.Dir(d)
		if dockerfile.Detect(d) && (dir == "." || placeable[dir]) {
			return true
		}
		// A relative path from dir to a placeable path climbs at most
		// dir's depth and then descends at most the selection's.
		limit := depth + 1
		if dir != "." {
			limit += strings.Count(dir, "/") + 1
		}
		text := texts[d]
		for i := 0; i < len(text); {
			for i < len(text) && isPathDelim[text[i]] {
				i++
			}
			j := i
			for j < len(text) && !isPathDelim[text[j]] {
				j++
			}
			if j > i && mentionsPlaceable(dir, text[i:j], placeable, bases, limit) {
				return true
			}
			i = j
		}
	}
	return false
}

// mentionsPlaceable reports whether a run of whole '/'-separated
// components of token tok, resolved against dir, is a placeable path:
// "./conf/my.cnf" mentions "conf/my.cnf" and "my.cnf", "." mentions dir.
func mentionsPlaceable(dir string, tok []byte, placeable, bases map[string]bool, limit int) bool {
	// starts[k] is where component k begins; the token's components end
	// at its slashes and at its end.
	var buf [16]int
	starts := append(buf[:0], 0)
	for i, c := range tok {
		if c == '/' {
			starts = append(starts, i+1)
		}
	}
	for j := range starts { // j: the last component
		end := len(tok)
		if j+1 < len(starts) {
			end = starts[j+1] - 1
		}
		if !bases[string(tok[starts[j]:end])] {
			continue
		}
		for i := j; i >= 0 && j-i < limit; i-- {
			q := path.Join(dir, string(tok[starts[i]:end]))
			// dir or a directory above it is mounted only as a whole token
			// ("- .:/etc/mysql"), not as the start of a path ("../x").
			above := q == "." || q == dir || strings.HasPrefix(dir, q+"/")
			if placeable[q] && (!above || end >= len(tok)-1) {
				return true
			}
		}
	}
	return false
}

// pathDelims are the bytes around a path in a compose file, a Dockerfile
// or YAML: quotes, blanks and separators. A path is a token between them,
// or a run of its '/'-separated components ("./x", "../a/x").
const pathDelims = " \t\r\n\"'=,:[({])}"

// isPathDelim[b] says whether byte b is one of pathDelims.
var isPathDelim = func() (t [256]bool) {
	for i := range len(pathDelims) {
		t[pathDelims[i]] = true
	}
	return t
}()

// target is an include directive's target resolved inside the root.
type target struct {
	path string
	dir  bool // !includedir
}

// includeTargets reads the !include and !includedir lines of option file
// name as mycnf does (a line whose first byte that is not whitespace is
// '!', the keyword followed by whitespace, the path to the end of the
// line, one byte dropped where no newline ends the file: MySQL's
// get_argument()), and resolves each against name's directory. plain is
// false when a target is not a relative path that stays inside the root.
func includeTargets(name string, b []byte) (ts []target, plain bool) {
	for len(b) > 0 {
		line := b
		nl := bytes.IndexByte(b, '\n')
		if nl >= 0 {
			line, b = b[:nl+1], b[nl+1:]
		} else {
			b = nil
		}
		rest := bytes.TrimLeft(line, " \t\r\f\v")
		if len(rest) == 0 || rest[0] != '!' {
			continue
		}
		rest = bytes.TrimLeft(rest[1:], " \t\r\f\v")
		var dir bool
		switch {
		case hasKeyword(rest, "includedir"):
			dir, rest = true, rest[len("includedir"):]
		case hasKeyword(rest, "include"):
			rest = rest[len("include"):]
		default:
			continue
		}
		// The path ends one byte before the end of the line (its newline,
		// or its last byte at the end of the file), then loses its trailing
		// whitespace.
		rest = bytes.TrimRight(bytes.TrimLeft(rest[:max(0, len(rest)-1)], " \t\r\f\v"), " \t\r\n\f\v")
		t := string(rest)
		if t == "" || strings.HasPrefix(t, "~") || path.IsAbs(t) || strings.ContainsRune(t, '\\') {
			return nil, false
		}
		p := path.Join(path.Dir(name), t)
		if p == ".." || strings.HasPrefix(p, "../") {
			return nil, false
		}
		ts = append(ts, target{p, dir})
	}
	return ts, true
}

// hasKeyword reports whether s starts with kw followed by whitespace.
func hasKeyword(s []byte, kw string) bool {
	return len(s) > len(kw) && string(s[:len(kw)]) == kw && strings.ContainsRune(" \t\r\n\f\v", rune(s[len(kw)]))
}

// byDir groups root-relative file names by directory: directory → base
// names.
func byDir(names []string) map[string][]string {
	out := map[string][]string{}
	for _, n := range names {
		out[path.Dir(n)] = append(out[path.Dir(n)], path.Base(n))
	}
	return out
}

// readAllIn reads the files byDir lists (directory → base names),
// each directory opened once when the file system allows it.
func readAllIn(fsys fs.FS, byDir map[string][]string) map[string][]byte {
	dirs := make([]string, 0, len(byDir))
	for d := range byDir {
		dirs = append(dirs, d)
	}
	data := make([][][]byte, len(dirs))
	parallel(len(dirs), func(k int) {
		bases := byDir[dirs[k]]
		if r, ok := fsys.(interface {
			ReadFilesIn(string, []string) [][]byte
		}); ok {
			data[k] = r.ReadFilesIn(dirs[k], bases)
			return
		}
		data[k] = make([][]byte, len(bases))
		for i, b := range bases {
			data[k][i], _ = fs.ReadFile(fsys, path.Join(dirs[k], b))
		}
	})
	out := map[string][]byte{}
	for k, d := range dirs {
		for i, b := range byDir[d] {
			out[path.Join(d, b)] = data[k][i]
		}
	}
	return out
}

// mayDeploy reports whether an application file may be a deployment
// file: a compose file, a Kubernetes manifest or Helm values (YAML or
// JSON), or a Dockerfile. Those mount, copy and embed option files,
// declare servers and link clients to them.
func mayDeploy(name string) bool {
	lower := strings.ToLower(name)
	return isYAML(lower) || strings.HasSuffix(lower, ".json") || dockerfile.Detect(name)
}

// sharedRefs reports whether an option file outside the selection mentions
// one of the files the selection's settings name (by base name): its
// server reads that file too, and findings on the file name its readers.
// texts[i] are the bytes of option file names[i].
func sharedRefs(refs []string, sel []string, names []string, texts [][]byte) bool {
	picked := make(map[string]bool, len(sel))
	for _, n := range sel {
		picked[n] = true
	}
	for _, r := range refs {
		base := []byte(path.Base(r))
		for i, b := range texts {
			if !picked[names[i]] && bytes.Contains(b, base) {
				return true
			}
		}
	}
	return false
}
