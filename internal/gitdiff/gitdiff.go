// Package gitdiff finds the lines changed since a git revision, so that
// `tlsvet check --new-from-rev REV` reports only findings a change
// introduced, the way golangci-lint's new-from-rev does: the working tree
// (commits since REV, staged and unstaged edits alike) is diffed against
// REV, and untracked files that are not ignored count as wholly new.
//
// tlsvet must execute nothing that the scanned repository names. git reads
// the repository's own .git/config, which can name programs that diff and
// ls-files would otherwise start (an fsmonitor hook, external diff and
// textconv drivers, clean/smudge filters, hooks, a fetch of missing objects
// in a partial clone); every git call here switches those off, and git
// is killed if the calls take over 30 s. The git binary comes from PATH,
// never from the scanned directory (os/exec refuses a PATH entry that
// resolves relative to the working directory).
package gitdiff

import (
	"context"
	"errors"
	"fmt"
	"path"
	"strconv"
	"strings"

	"github.com/tlsvet/tlsvet/internal/lint"
	"github.com/tlsvet/tlsvet/internal/source"
)

// Changes is the set of changed lines per file, by slash path relative to
// the directory given to Changed.
type Changes struct {
	files map[string]*fileChanges
}

type fileChanges struct {
	whole  bool     // untracked or added since the revision
	ranges [][2]int // 1-based inclusive line ranges
}

// Changed runs git in dir (the scanned root, which may be a subdirectory
// of the repository) and returns what changed since rev.
//
// A pure deletion marks the lines on both sides of where the deleted lines
// were: deleting a line can create a finding next to it (removing the
// tls_version line that overrode an earlier one, removing a group header),
// and the change then counts as the cause. Files that git would show as
// binary are diffed as text, so a .gitattributes entry cannot hide a
// change. Renamed files keep only their edited lines; deleted files have
// none.
func Changed(dir, rev string) (*Changes, error) {
	if rev == "" || strings.HasPrefix(rev, "-") {
		// A leading dash would be read as an option (git diff --output=FILE).
		return nil, fmt.Errorf("gitdiff: invalid revision %q", rev)
	}
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	g := &git{ctx: ctx, dir: dir}
	if out, err := g.run("rev-parse", "--is-inside-work-tree"); err != nil {
		return nil, err
	} else if strings.TrimSpace(string(out)) != "true" {
		return nil, fmt.Errorf("gitdiff: %s is not inside a git work tree", dir)
	}
	out, err := g.run("rev-parse", "--verify", rev+"^{commit}")
	var ge *gitError
	if errors.As(err, &ge) && !ge.partialClone() {
		return nil, fmt.Errorf("gitdiff: unknown revision %q in %s: %s", rev, dir, ge.reason())
	}
	if err != nil {
		return nil, err
	}
	commit := strings.TrimSpace(string(out))
	g.keepUserExcludes()
	if err := g.disableFilters(); err != nil {
		return nil, err
	}
	diff, err := g.run("diff", "--no-color", "--no-ext-diff", "--no-textconv", "--text",
		"--relative", "-U0", "--inter-hunk-context=0", "-M", "--ignore-submodules=all",
		"--src-prefix=a/", "--dst-prefix=b/", commit, "--")
	if err != nil {
		return nil, err
	}
	c := &Changes{files: map[string]*fileChanges{}}
	if err := c.parseDiff(diff); err != nil {
		return nil, fmt.Errorf("gitdiff: reading git diff output: %w", err)
	}
	others, err := g.run("ls-files", "-z", "--others", "--exclude-standard")
	if err != nil {
		return nil, err
	}
	for _, p := range strings.Split(string(others), "\x00") {
		// A nested repository is listed as its directory, with a slash.
		if p != "" && !strings.HasSuffix(p, "/") {
			c.files[p] = &fileChanges{whole: true}
		}
	}
	return c, nil
}

// Touches reports whether any line in [startLine, endLine] of the file at
// path (relative to the directory given to Changed) changed.
func (c *Changes) Touches(p string, startLine, endLine int) bool {
	f := c.files[path.Clean(p)]
	if f == nil {
		return false
	}
	if f.whole {
		return true
	}
	endLine = max(endLine, startLine)
	for _, r := range f.ranges {
		if r[0] <= endLine && startLine <= r[1] {
			return true
		}
	}
	return false
}

// IsNew reports whether a change caused d: its own lines or the lines of
// any related place changed (a finding on an old line can be caused by a
// changed line elsewhere, such as a later group overriding it). A finding
// with no position at all cannot be ruled out and counts as new.
func (c *Changes) IsNew(d lint.Diagnostic) bool {
	placed := false
	for _, s := range append([]source.Span{d.Span}, relatedSpans(d)...) {
		if !s.IsValid() {
			continue
		}
		placed = true
		first, last := lines(s)
		if c.Touches(s.File.Path, first, last) {
			return true
		}
	}
	return !placed
}

// Filter returns the findings of ds that IsNew, in their order.
func (c *Changes) Filter(ds []lint.Diagnostic) []lint.Diagnostic {
	var out []lint.Diagnostic
	for _, d := range ds {
		if c.IsNew(d) {
			out = append(out, d)
		}
	}
	return out
}

func relatedSpans(d lint.Diagnostic) []source.Span {
	spans := make([]source.Span, len(d.Related))
	for i, r := range d.Related {
		spans[i] = r.Span
	}
	return spans
}

// lines returns the first and last 1-based line a span covers; a span
// ending with a newline ends on that line, not the next.
func lines(s source.Span) (first, last int) {
	first = s.File.Position(s.Start).Line
	if s.End > s.Start {
		return first, s.File.Position(s.End - 1).Line
	}
	return first, first
}

// parseDiff records the new-side lines of every hunk of a unified diff
// made with -U0 and the a/ b/ prefixes.
func (c *Changes) parseDiff(out []byte) error {
	var cur *fileChanges
	newFile := false
	ls := strings.Split(string(out), "\n")
	for i := 0; i < len(ls); i++ {
		l := ls[i]
		switch {
		case strings.HasPrefix(l, "diff --git "):
			cur, newFile = nil, false
		case strings.HasPrefix(l, "new file mode "):
			newFile = true
		case strings.HasPrefix(l, "+++ "):
			name, err := diffPath(l[len("+++ "):])
			if err != nil {
				return err
			}
			cur = &fileChanges{whole: newFile}
			if name != "" { // a deleted file's hunks go nowhere
				c.files[name] = cur
			}
		case strings.HasPrefix(l, "@@ "):
			if cur == nil {
				return fmt.Errorf("hunk without a file: %q", l)
			}
			oldN, start, newN, err := hunkHeader(l)
			if err != nil {
				return err
			}
			if newN == 0 {
				// A pure deletion after line start: mark its neighbours.
				cur.ranges = append(cur.ranges, [2]int{max(start, 1), start + 1})
			} else {
				cur.ranges = append(cur.ranges, [2]int{start, start + newN - 1})
			}
			// Skip the body by its counts: an added line "++ b/x" reads
			// "+++ b/x" and must not start a file.
			for oldN > 0 || newN > 0 {
				i++
				if i >= len(ls) {
					return fmt.Errorf("hunk %q is cut short", l)
				}
				switch b := ls[i]; {
				case strings.HasPrefix(b, "-"):
					oldN--
				case strings.HasPrefix(b, "+"):
					newN--
				case strings.HasPrefix(b, " "):
					oldN, newN = oldN-1, newN-1
				case strings.HasPrefix(b, `\`): // "\ No newline at end of file"
				default:
					return fmt.Errorf("unexpected line %q in hunk %q", b, l)
				}
			}
		}
	}
	return nil
}

// hunkHeader parses "@@ -a[,b] +c[,d] @@ context": the old line count b,
// and the new start c and count d. An omitted count is 1.
func hunkHeader(l string) (oldN, start, newN int, err error) {
	f := strings.Fields(l)
	if len(f) < 4 || f[3] != "@@" || !strings.HasPrefix(f[1], "-") || !strings.HasPrefix(f[2], "+") {
		return 0, 0, 0, fmt.Errorf("bad hunk header %q", l)
	}
	_, oldN, err1 := hunkRange(f[1][1:])
	start, newN, err2 := hunkRange(f[2][1:])
	if err := errors.Join(err1, err2); err != nil {
		return 0, 0, 0, fmt.Errorf("bad hunk header %q", l)
	}
	return oldN, start, newN, nil
}

func hunkRange(s string) (start, n int, err error) {
	a, b, found := strings.Cut(s, ",")
	if start, err = strconv.Atoi(a); err != nil || start < 0 {
		return 0, 0, errors.New("bad start")
	}
	n = 1
	if found {
		if n, err = strconv.Atoi(b); err != nil || n < 0 {
			return 0, 0, errors.New("bad count")
		}
	}
	return start, n, nil
}

// diffPath returns the path of a "+++ " line: "" for /dev/null (the file
// was deleted), else the name after "b/". git C-quotes a name with
// unusual bytes ("b/\303\251\t.cnf"); core.quotePath is forced on so that
// every byte above 0x7f is an octal escape, which strconv.Unquote turns
// back into that exact byte even when the name is not UTF-8. For GNU
// patch, git ends a name that holds a space with a tab.
func diffPath(s string) (string, error) {
	if s == "/dev/null" {
		return "", nil
	}
	s = strings.TrimSuffix(s, "\t")
	if strings.HasPrefix(s, `"`) {
		u, err := strconv.Unquote(s)
		if err != nil {
			return "", fmt.Errorf("bad quoted path %s", s)
		}
		s = u
	}
	name, ok := strings.CutPrefix(s, "b/")
	if !ok || name == "" {
		return "", fmt.Errorf("unexpected path %q", s)
	}
	return name, nil
}
