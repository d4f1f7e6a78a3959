package fix

import (
	"bytes"
	"fmt"
	"path/filepath"
	"sort"
	"strings"

	"github.com/tlsvet/tlsvet/internal/source"
)

// contextLines is the number of unchanged lines around a change, as in
// diff -u and git diff.
const contextLines = 3

// Diff returns the plan's changes as one unified diff in git's format,
// file by file in path order. Each path is path(File.Path) (File.Path
// when path is nil): the path from the working directory, such as
// "conf/my.cnf" or "../my.cnf", makes the diff apply there with
// `git apply` or `patch -p1`.
// A file outside the root (--allow-outside-root) keeps its absolute path,
// which both tools refuse to patch unless told to. The hunks are built
// from the edits, so lines keep their exact bytes (CR before LF included)
// and a missing final newline is marked.
//
// The diff never shows a line holding a secret (source.File.SecretLine):
// such lines are left out of the context, which git apply accepts as long
// as a hunk keeps one line of context after its change (a hunk without
// any must match at the end of the file). A change whose lines hold a
// secret, or that cannot keep that line, is left out; withheld says where,
// one line each, for the caller to print. --fix still applies them.
func (p *Plan) Diff(path func(string) string) (diff []byte, withheld []string) {
	var b bytes.Buffer
	for _, c := range p.Changes {
		name := c.File.Path
		if path != nil && !filepath.IsAbs(name) {
			name = path(name)
		}
		withheld = append(withheld, unified(&b, name, c.File, c.Edits)...)
	}
	return b.Bytes(), withheld
}

// group is a run of whole old lines [a, b) that edits turn into new.
type group struct {
	a, b int
	new  []byte
}

// unified writes the diff of f and f with edits applied, leaving out the
// changes that would show a secret, and returns why each was left out.
// The edits must be sorted, inside f and not overlapping.
func unified(b *bytes.Buffer, name string, f *source.File, edits []source.Edit) (withheld []string) {
	old := f.Content
	var starts []int // offset of each old line; a final LF starts no line
	for i := range old {
		if i == 0 || old[i-1] == '\n' {
			starts = append(starts, i)
		}
	}
	// lineIndex is the line starting at boundary, or len(starts) at the end.
	lineIndex := func(boundary int) int { return sort.SearchInts(starts, boundary) }
	lineStart := func(off int) int { return bytes.LastIndexByte(old[:off], '\n') + 1 }
	lineEnd := func(off int) int { // just past the LF ending the line that holds off, or the end
		if i := bytes.IndexByte(old[off:], '\n'); i >= 0 {
			return off + i + 1
		}
		return len(old)
	}

	// Grow each group to whole lines on both sides: from the start of the
	// first edited line to a line boundary after the last edit, and further
	// while the new text would end inside a line (an edit that removes a
	// line break joins the next line in).
	var groups []group
	for i := 0; i < len(edits); {
		ls := lineStart(edits[i].Span.Start)
		le, j := ls, i
		var nw []byte
		for {
			for ; j < len(edits) && (j == i || lineStart(edits[j].Span.Start) < le); j++ {
				end := edits[j].Span.End
				if end != lineStart(end) {
					end = lineEnd(end)
				}
				le = max(le, end)
			}
			nw = nw[:0]
			last := ls
			for _, e := range edits[i:j] {
				nw = append(append(nw, old[last:e.Span.Start]...), e.New...)
				last = e.Span.End
			}
			nw = append(nw, old[last:le]...)
			if len(nw) == 0 || nw[len(nw)-1] == '\n' {
				break
			}
			if le < len(old) {
				le = lineEnd(le)
			} else if j < len(edits) {
				j++ // an insertion at the end of the file continues the last line
			} else {
				break
			}
		}
		groups = append(groups, group{lineIndex(ls), lineIndex(le), nw})
		i = j
	}

	secretLine := func(i int) bool { return f.SecretLine(i + 1) } // i is 0-based
	secrets := f.Secrets()
	clean := func(lo, hi int) bool { // no line in [lo, hi) holds a secret
		for i := lo; i < hi; i++ {
			if secretLine(i) {
				return false
			}
		}
		return true
	}
	showsSecret := func(gr group) bool {
		if !clean(gr.a, gr.b) {
			return true
		}
		for _, s := range secrets {
			if bytes.Contains(gr.new, []byte(s)) {
				return true
			}
		}
		return false
	}
	// context counts the lines without secrets from line i on, in steps
	// of dir (1 or -1), up to contextLines and inside the file.
	context := func(i, dir int) int {
		n := 0
		for n < contextLines && 0 <= i && i < len(starts) && !secretLine(i) {
			n++
			i += dir
		}
		return n
	}
	var shown []group
	for _, gr := range groups {
		switch {
		case showsSecret(gr):
			withheld = append(withheld, fmt.Sprintf("%s:%d: the diff leaves out a change to a line holding a secret", name, gr.a+1))
		case gr.b < len(starts) && context(gr.b, 1) == 0:
			withheld = append(withheld, fmt.Sprintf("%s:%d: the diff leaves out a change next to a line holding a secret", name, gr.a+1))
		default:
			shown = append(shown, gr)
		}
	}
	groups = shown
	if len(groups) == 0 {
		return withheld
	}

	q := quoteName
	fmt.Fprintf(b, "diff --git %s %s\n--- %s\n+++ %s\n", q("a/"+name), q("b/"+name), q("a/"+name)+tabIfSpace(name), q("b/"+name)+tabIfSpace(name))
	line := func(prefix byte, text []byte) {
		b.WriteByte(prefix)
		b.Write(text)
		if text[len(text)-1] != '\n' {
			b.WriteString("\n\\ No newline at end of file\n")
		}
	}
	oldLine := func(i int) []byte {
		if i+1 < len(starts) {
			return old[starts[i]:starts[i+1]]
		}
		return old[starts[i]:]
	}
	delta := 0 // new lines minus old lines before the current group
	for g := 0; g < len(groups); {
		h := g // the hunk covers groups g..h: their context would touch
		for h+1 < len(groups) && groups[h+1].a-groups[h].b <= 2*contextLines && clean(groups[h].b, groups[h+1].a) {
			h++
		}
		oa := groups[g].a - context(groups[g].a-1, -1)
		ob := groups[h].b + context(groups[h].b, 1)
		nc := ob - oa
		for _, gr := range groups[g : h+1] {
			nc += countLines(gr.new) - (gr.b - gr.a)
		}
		fmt.Fprintf(b, "@@ -%s +%s @@\n", hunkRange(oa, ob-oa), hunkRange(oa+delta, nc))
		cur := oa
		for _, gr := range groups[g : h+1] {
			for ; cur < gr.a; cur++ {
				line(' ', oldLine(cur))
			}
			for ; cur < gr.b; cur++ {
				line('-', oldLine(cur))
			}
			for rest := gr.new; len(rest) > 0; {
				n := bytes.IndexByte(rest, '\n') + 1
				if n == 0 {
					n = len(rest)
				}
				line('+', rest[:n])
				rest = rest[n:]
			}
			delta += countLines(gr.new) - (gr.b - gr.a)
		}
		for ; cur < ob; cur++ {
			line(' ', oldLine(cur))
		}
		g = h + 1
	}
	return withheld
}

// countLines counts lines the way a diff does: a last line without a line
// feed is a line.
func countLines(b []byte) int {
	n := bytes.Count(b, []byte{'\n'})
	if len(b) > 0 && b[len(b)-1] != '\n' {
		n++
	}
	return n
}

// hunkRange formats the 0-based start and the count of a hunk side as git
// does: a count of 1 is left out, and an empty side names the line before.
func hunkRange(start, count int) string {
	switch count {
	case 0:
		return fmt.Sprintf("%d,0", start)
	case 1:
		return fmt.Sprint(start + 1)
	}
	return fmt.Sprintf("%d,%d", start+1, count)
}

// tabIfSpace ends a ---/+++ name that holds a space with a tab, as git
// does, so that patch does not take the rest for a timestamp.
func tabIfSpace(name string) string {
	if strings.ContainsRune(name, ' ') {
		return "\t"
	}
	return ""
}

// quoteName quotes a path the way git does when it holds a double quote,
// a backslash or a control character, with C escapes that git apply and
// GNU patch read back.
func quoteName(s string) string {
	if !strings.ContainsFunc(s, func(r rune) bool { return r < 0x20 || r == 0x7f || r == '"' || r == '\\' }) {
		return s
	}
	var b strings.Builder
	b.WriteByte('"')
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case '"', '\\':
			b.WriteByte('\\')
			b.WriteByte(c)
		case '\t':
			b.WriteString(`\t`)
		case '\n':
			b.WriteString(`\n`)
		default:
			if c < 0x20 || c == 0x7f {
				fmt.Fprintf(&b, `\%03o`, c)
			} else {
				b.WriteByte(c)
			}
		}
	}
	b.WriteByte('"')
	return b.String()
}
