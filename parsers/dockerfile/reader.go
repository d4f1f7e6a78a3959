package dockerfile

import (
	"regexp"
	"strings"

	"github.com/tlsvet/tlsvet/internal/source"
	"github.com/tlsvet/tlsvet/parsers/internal/textmap"
)

// parser walks the physical lines of one file.
type parser struct {
	f    *source.File
	src  []byte
	pos  int // start of the next physical line
	esc  byte
	out  *File
	vars *scope // the current stage's ARG and ENV values; global before FROM
	glob *scope
	cur  *Stage
	// names maps lower-cased stage names to their index.
	names map[string]int
}

// Parse reads a Dockerfile. It never fails: malformed lines become
// Problems.
func Parse(f *source.File) *File {
	p := &parser{f: f, src: f.Content, esc: '\\', out: &File{Source: f}, names: map[string]int{}}
	p.glob = newScope()
	p.vars = p.glob
	if strings.HasPrefix(string(p.src[:min(3, len(p.src))]), "\ufeff") {
		p.pos = 3
	}
	p.run()
	p.out.Escape = p.esc
	return p.out
}

func (p *parser) problem(start, end int, msg string) {
	p.out.Problems = append(p.out.Problems, Problem{p.f.Span(start, end), msg})
}

// line returns the physical line at p.pos: its start, its end without
// trailing CR and LF bytes (BuildKit's trimNewline), and advances p.pos.
func (p *parser) line() (start, end int) {
	start = p.pos
	i := start
	for i < len(p.src) && p.src[i] != '\n' {
		i++
	}
	p.pos = i
	if i < len(p.src) {
		p.pos++
	}
	for i > start && p.src[i-1] == '\r' {
		i--
	}
	return start, i
}

// isSpace is unicode.IsSpace restricted to ASCII, which is what the
// parser's trims meet in practice.
func isSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r'
}

func (p *parser) skipSpace(i, end int) int {
	for i < end && isSpace(p.src[i]) {
		i++
	}
	return i
}

// directiveRe is directives.go's directiveRegexp, applied after "#".
var directiveRe = regexp.MustCompile(`^\s*([a-zA-Z][a-zA-Z0-9]*)\s*=\s*(.+?)\s*$`)

// directive reads a parser directive; false ends the directives.
func (p *parser) directive(start, end int, seen map[string]bool) bool {
	if start == end || p.src[start] != '#' {
		return false
	}
	m := directiveRe.FindSubmatchIndex(p.src[start+1 : end])
	if m == nil {
		return false
	}
	name := strings.ToLower(string(p.src[start+1+m[2] : start+1+m[3]]))
	if name != "syntax" && name != "escape" && name != "check" {
		return false
	}
	if seen[name] {
		p.problem(start, end, "only one "+name+" parser directive can be used")
		return true
	}
	seen[name] = true
	if name == "escape" {
		vs, ve := start+1+m[4], start+1+m[5]
		switch v := string(p.src[vs:ve]); v {
		case "\\", "`":
			p.esc = v[0]
		default:
			p.problem(vs, ve, "invalid escape token "+quote(v)+": it must be ` or \\")
		}
	}
	return true
}

// contEnd returns the end of the text a physical line keeps and whether
// it continues: its last non-blank byte is the escape token, not
// preceded by another (parser.go's lineContinuationRegex).
func (p *parser) contEnd(start, end int) (int, bool) {
	t := end
	for t > start && (p.src[t-1] == ' ' || p.src[t-1] == '\t') {
		t--
	}
	if t > start && p.src[t-1] == p.esc && (t-1 == start || p.src[t-2] != p.esc) {
		return t - 1, true
	}
	return end, false
}

func (p *parser) run() {
	directives, seen := true, map[string]bool{}
	for p.pos < len(p.src) {
		s, e := p.line()
		ls := p.skipSpace(s, e)
		if directives {
			if p.directive(ls, e, seen) {
				continue
			}
			directives = false
		}
		if ls == e || p.src[ls] == '#' {
			continue
		}
		b := textmap.NewBuilder(ls)
		ke, cont := p.contEnd(ls, e)
		b.Copy(ls, p.src[ls:ke])
		last := e
		for cont && p.pos < len(p.src) {
			s, e := p.line()
			if t := p.skipSpace(s, e); t == e || p.src[t] == '#' {
				continue // BuildKit skips comments and (with a warning) blank lines
			}
			ke, cont = p.contEnd(s, e)
			b.Copy(s, p.src[s:ke])
			last = e
		}
		text, m := b.Done()
		p.instruction(&logical{text: text, m: m, start: ls, end: last})
	}
}

// logical is one instruction after line continuations are removed.
type logical struct {
	text       string
	m          textmap.Map
	start, end int // in the file: first byte to the end of its last line
	heredocs   []*heredoc
}

// span maps text[start:end] to the file.
func (l *logical) span(start, end int) (int, int) { return l.m.Range(start, end) }

// heredoc is a body read from the lines after an instruction.
type heredoc struct {
	name          string
	expand, chomp bool
	text          string
	m             textmap.Map
}

// heredocWords finds the words "[fd]<<[-]NAME" of an instruction line as
// parser.go's heredocsFromLine does: blank-separated words, quotes kept
// raw, matched against ^(\d*)<<(-?)\s*([^<]*)$.
func heredocWords(line string) []*heredoc {
	var out []*heredoc
	for i := 0; i < len(line); {
		for i < len(line) && isSpace(line[i]) {
			i++
		}
		j, q := i, byte(0)
		for j < len(line) && (q != 0 || !isSpace(line[j])) {
			switch c := line[j]; {
			case q == 0 && (c == '\'' || c == '"'):
				q = c
			case q == c:
				q = 0
			case c == '\\' && j+1 < len(line) && q != '\'':
				j++
			}
			j++
		}
		if h := heredocWord(line[i:j]); h != nil {
			out = append(out, h)
		}
		i = j
	}
	return out
}

func heredocWord(w string) *heredoc {
	k := 0
	for k < len(w) && w[k] >= '0' && w[k] <= '9' {
		k++
	}
	if !strings.HasPrefix(w[k:], "<<") {
		return nil
	}
	rest := w[k+2:]
	h := &heredoc{}
	if strings.HasPrefix(rest, "-") {
		h.chomp, rest = true, rest[1:]
	}
	rest = strings.TrimLeft(rest, " \t")
	if rest == "" || strings.Contains(rest, "<") {
		return nil
	}
	// Quotes anywhere in the name disable expansion (heredocFromMatch
	// compares the word lexed with and without its quotes).
	h.expand = !strings.ContainsAny(rest, `'"`)
	var sb strings.Builder
	q := byte(0)
	for i := 0; i < len(rest); i++ {
		switch c := rest[i]; {
		case q == 0 && (c == '\'' || c == '"'):
			q = c
		case q == c:
			q = 0
		case c == '\\' && q != '\'' && i+1 < len(rest):
			i++
			sb.WriteByte(rest[i])
		default:
			sb.WriteByte(c)
		}
	}
	h.name = sb.String()
	if h.name == "" {
		return nil
	}
	return h
}

// readHeredocs reads the bodies of l's heredocs, in order, from the
// lines after it. A body ends at a line that is its name (after leading
// tabs for "<<-"); the body keeps its line breaks, minus leading tabs
// for "<<-".
func (p *parser) readHeredocs(l *logical) {
	for _, h := range l.heredocs {
		b := textmap.NewBuilder(p.pos)
		done := false
		for p.pos < len(p.src) {
			s, e := p.line()
			t := s
			if h.chomp {
				for t < e && p.src[t] == '\t' {
					t++
				}
			}
			if string(p.src[t:e]) == h.name {
				done = true
				break
			}
			b.Copy(t, p.src[t:p.pos])
		}
		h.text, h.m = b.Done()
		if !done {
			p.problem(l.start, l.end, "unterminated heredoc "+quote(h.name))
		}
	}
}

func quote(s string) string {
	if len(s) > 60 {
		s = s[:60] + "…"
	}
	return "\"" + s + "\""
}
