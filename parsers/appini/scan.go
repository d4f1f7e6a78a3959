package appini

import (
	"bytes"
	"strings"

	"github.com/tlsvet/tlsvet/internal/source"
	"github.com/tlsvet/tlsvet/parsers/internal/textmap"
)

// dialect is how one program splits its file into sections, keys and
// values (docs/app-configs.md, "INI dialect" table).
type dialect struct {
	program string
	delims  string // key/value delimiters; the first one in the line splits
	// inlineComment: ini.v1's default, a '#' or ';' outside a leading
	// quote ends the value (parser.go inlineCommentIndex).
	inlineComment bool
	continuation  bool // a value ending in '\' continues on the next line
	// quotes: ini.v1's quoted values, """…""" and `…` (both may span
	// lines), and a surrounding '…' or "…" pair removed.
	quotes   bool
	foldKeys bool // key names are case-insensitive
	// router: MySQL Router's harness parser, which refuses what ini.v1
	// forgives (config_parser.cc Config::do_read_stream).
	router bool
	// iniv1: the program reads the file with gopkg.in/ini.v1 itself, so
	// ini.v1's values are the program's.
	iniv1 bool
}

var dialects = [...]*dialect{
	Unknown: {program: "the program", delims: "=:", inlineComment: true, quotes: true, iniv1: true},
	ODBC:    {program: "the ODBC driver", delims: "=", foldKeys: true},
	Router:  {program: "MySQL Router", delims: ":=", foldKeys: true, router: true},
	Grafana: {program: "Grafana", delims: "=:", inlineComment: true, continuation: true, quotes: true, iniv1: true},
	Gitea:   {program: "Gitea", delims: "=:", inlineComment: true, quotes: true, iniv1: true},
}

func (d *dialect) fold(key string) string {
	if d.foldKeys {
		return strings.ToLower(key)
	}
	return key
}

// foldSection is how section names compare: Router lower-cases them, and
// unixODBC matches data source names ignoring case.
func (d *dialect) foldSection(name string) string {
	if d.router || d.foldKeys {
		return strings.ToLower(name)
	}
	return name
}

type scanner struct {
	d       *dialect
	f       *File
	b       []byte
	section int
	canon   map[string]int      // folded name and key -> first section index
	seen    map[sectionKey]bool // Router: keys already set in a section
}

func isSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f'
}

func (s *scanner) span(start, end int) source.Span { return s.f.Src.Span(start, end) }

func (s *scanner) scan() {
	s.canon, s.seen = map[string]int{}, map[sectionKey]bool{}
	pos := 0
	if bytes.HasPrefix(s.b, []byte("\xef\xbb\xbf")) { // ini.v1 and Router skip a UTF-8 BOM
		pos = 3
	}
	for pos < len(s.b) {
		if f := s.f; len(f.Entries)+len(f.Sections) >= MaxItems {
			f.capped = true
			f.problem(f.Src.Span(pos, pos), true, "more than %d sections and keys: tlsvet read the file up to here and did not check the rest", MaxItems)
			return
		}
		pos = s.line(pos)
	}
}

// MaxItems bounds the sections and keys read from one file: no
// application's INI file comes near it, and each costs a few hundred bytes
// here and in gopkg.in/ini.v1 (a 4 MiB odbc.ini of 84,000 short sections
// held 315 MB).
const MaxItems = 20000

// lineEnd returns the end of the line at pos (its '\n' or the end of the
// file) and where the next line starts.
func (s *scanner) lineEnd(pos int) (end, next int) {
	if i := bytes.IndexByte(s.b[pos:], '\n'); i >= 0 {
		return pos + i, pos + i + 1
	}
	return len(s.b), len(s.b)
}

// line reads the line at pos and returns where the next unread line
// starts (a quoted or continued value may take several).
func (s *scanner) line(pos int) int {
	end, next := s.lineEnd(pos)
	i, t := pos, end
	for i < t && isSpace(s.b[i]) {
		i++
	}
	for t > i && isSpace(s.b[t-1]) {
		t--
	}
	switch {
	case i == t, s.b[i] == '#', s.b[i] == ';':
		return next
	case s.b[i] == '[':
		s.header(i, t, end)
		return next
	}
	return s.keyLine(i, t, end, next)
}

func (s *scanner) header(i, t, end int) {
	f, d := s.f, s.d
	sp := s.span(i, t)
	var name, key, raw string
	if d.router {
		if s.b[t-1] != ']' || t-i < 2 {
			f.problem(sp, true, "malformed section header: MySQL Router refuses the file")
			return
		}
		name = string(s.b[i+1 : t-1])
		raw = name
		if c := strings.IndexByte(name, ':'); c >= 0 {
			name, key = name[:c], name[c+1:]
			if key == "" || !isIdent(key) {
				f.problem(sp, true, "section key must be letters, digits and _: MySQL Router refuses the file")
				return
			}
		}
		if name == "" || !isIdent(name) {
			f.problem(sp, true, "section name must be letters, digits and _: MySQL Router refuses the file")
			return
		}
		name = strings.ToLower(name)
		if name == "default" && key != "" {
			f.problem(sp, true, "[DEFAULT] takes no key: MySQL Router refuses the file")
			return
		}
	} else {
		c := bytes.LastIndexByte(s.b[i:end], ']')
		if c < 0 {
			f.problem(sp, true, "unclosed section header: %s cannot load the file", d.program)
			return
		}
		name = string(s.b[i+1 : i+c])
		raw = name
		if name == "" {
			f.problem(sp, true, "empty section name: %s cannot load the file", d.program)
			return
		}
	}
	// Router compares section keys as written when it adds a section
	// (Config::add), so [routing:a] and [routing:A] are two routes.
	ck := d.foldSection(name) + "\x00" + key
	idx := len(f.Sections)
	canon, dup := s.canon[ck]
	if !dup {
		canon = idx
		s.canon[ck] = idx
	} else if d.router && name != "default" {
		f.problem(sp, true, "section [%s] appears twice: MySQL Router refuses the file", routerName(name, key))
	}
	f.Sections = append(f.Sections, Section{Name: name, Key: key, Header: sp, canon: canon, raw: raw})
	s.section = idx
}

func routerName(name, key string) string {
	if key == "" {
		return name
	}
	return name + ":" + key
}

func isIdent(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('a' <= c|0x20 && c|0x20 <= 'z' || '0' <= c && c <= '9' || c == '_') {
			return false
		}
	}
	return true
}

// keyLine reads a key line whose text (without surrounding blanks) is
// [i, t) of the line ending at end; next is the following line.
func (s *scanner) keyLine(i, t, end, next int) int {
	f, d, b := s.f, s.d, s.b
	lineSpan := s.span(i, t)
	if d.router && s.section < 0 {
		f.problem(lineSpan, true, "option line before the first section: MySQL Router refuses the file")
	}
	ks, ke, v := i, -1, -1
	if q := keyQuote(b[i:t]); d.quotes && q != "" {
		c := bytes.Index(b[i+len(q):t], []byte(q))
		if c < 0 {
			f.problem(lineSpan, true, "missing closing quote of the key: %s cannot load the file", d.program)
			return next
		}
		ks, ke = i+len(q), i+len(q)+c
		if dl := bytes.IndexAny(b[ke+len(q):t], d.delims); dl >= 0 {
			v = ke + len(q) + dl + 1
		}
	} else if dl := bytes.IndexAny(b[i:t], d.delims); dl > 0 {
		ke, v = i+dl, i+dl+1
	} else if dl == 0 {
		f.problem(lineSpan, true, "empty key name: %s cannot load the file", d.program)
		return next
	}
	if v < 0 {
		f.problem(lineSpan, true, "no %s in this line: %s cannot load the file", delimWords(d.delims), d.program)
		return next
	}
	for ks < ke && isSpace(b[ks]) {
		ks++
	}
	for ke > ks && isSpace(b[ke-1]) {
		ke--
	}
	key := string(b[ks:ke])
	if d.router {
		if !isIdent(key) {
			f.problem(s.span(ks, ke), true, "option names are letters, digits and _: MySQL Router refuses the file")
		}
		sk := sectionKey{s.f.canonSection(s.section), strings.ToLower(key)}
		if s.seen[sk] {
			f.problem(s.span(ks, ke), true, "option %s is set twice in this section: MySQL Router refuses the file", strings.ToLower(key))
		}
		s.seen[sk] = true
	}
	e := Entry{Section: s.section, Key: key, KeySpan: s.span(ks, ke)}
	for v < t && isSpace(b[v]) {
		v++
	}
	next = s.value(&e, v, t, end, next)
	f.Entries = append(f.Entries, e)
	return next
}

// keyQuote returns the quote that opens a quoted key name in ini.v1
// (parser.go readKeyName), or "".
func keyQuote(line []byte) string {
	switch {
	case len(line) > 6 && bytes.HasPrefix(line, []byte(`"""`)):
		return `"""`
	case len(line) > 0 && (line[0] == '"' || line[0] == '`'):
		return string(line[:1])
	}
	return ""
}

func delimWords(delims string) string {
	if len(delims) == 1 {
		return "'" + delims + "'"
	}
	return "'=' or ':'"
}

// value reads the value starting at v (blanks skipped) on the line whose
// text ends at t and whose '\n' is at end, and returns where the next
// unread line starts.
func (s *scanner) value(e *Entry, v, t, end, next int) int {
	d, b := s.d, s.b
	if v >= t {
		e.ValueSpan, e.vm = s.span(t, t), textmap.Identity(t, 0)
		return next
	}
	if d.quotes {
		// ini.v1 looks at the rest of the line with its '\n'.
		q := ""
		if next-v > 3 && bytes.HasPrefix(b[v:], []byte(`"""`)) {
			q = `"""`
		} else if b[v] == '`' {
			q = "`"
		}
		if q != "" {
			return s.quoted(e, v, q, next)
		}
	}
	if d.continuation && b[t-1] == '\\' {
		return s.continued(e, v, t, next)
	}
	if d.inlineComment {
		if c := inlineCommentIndex(b[v:t]); c >= 0 {
			t = v + c
			for t > v && isSpace(b[t-1]) {
				t--
			}
		}
	}
	if d.quotes && (surrounded(b[v:t], '\'') || surrounded(b[v:t], '"')) {
		v, t = v+1, t-1
	}
	s.set(e, v, t)
	return next
}

func (s *scanner) set(e *Entry, v, t int) {
	e.Value, e.ValueSpan, e.vm = string(s.b[v:t]), s.span(v, t), textmap.Identity(v, t-v)
}

// quoted reads an ini.v1 """…""" or `…` value opened at v: it ends at the
// last quote of the line that holds one (parser.go readValue and
// readMultilines).
func (s *scanner) quoted(e *Entry, v int, q string, next int) int {
	b := s.b
	start := v + len(q)
	if c := bytes.LastIndex(b[start:next], []byte(q)); c >= 0 {
		s.set(e, start, start+c)
		return next
	}
	lines := 1
	for ls := next; ls < len(b); {
		_, nl := s.lineEnd(ls)
		lines++
		if c := bytes.LastIndex(b[ls:nl], []byte(q)); c >= 0 {
			rest := bytes.TrimSpace(b[ls+c+len(q) : nl])
			if !s.d.continuation || !bytes.HasSuffix(rest, []byte(`\`)) {
				s.set(e, start, ls+c)
				s.f.multiline(e.ValueSpan, lines)
				return nl
			}
		}
		ls = nl
	}
	s.set(e, start, start)
	// ini.v1 joins every line to the end of the file into the value, at
	// the same cost as a closed one.
	s.f.multiline(s.span(start, len(b)), lines)
	s.f.problem(s.span(v, len(b)), true, "missing closing %s: %s cannot load the file", q, s.d.program)
	return len(b)
}

// continued reads a value whose line ends in '\': each following line,
// without its surrounding blanks, is appended until an empty line or one
// that does not end in '\' (parser.go readContinuationLines). The
// backslashes, line breaks and indentation are dropped.
func (s *scanner) continued(e *Entry, v, t, next int) int {
	b := s.b
	bld := textmap.NewBuilder(v)
	bld.Copy(v, b[v:t-1])
	last := t - 1 // the source offset after the value so far
	lines := 1
	for next < len(b) {
		ls := next
		lines++
		end, nl := s.lineEnd(ls)
		next = nl
		i, j := ls, end
		for i < j && isSpace(b[i]) {
			i++
		}
		for j > i && isSpace(b[j-1]) {
			j--
		}
		if i == j {
			break
		}
		bld.Replace(last, i, "")
		if b[j-1] != '\\' {
			bld.Copy(i, b[i:j])
			last = j
			break
		}
		bld.Copy(i, b[i:j-1])
		last = j - 1
	}
	e.Value, e.vm = bld.Done()
	e.ValueSpan = s.span(v, last)
	s.f.multiline(e.ValueSpan, lines)
	return next
}

// inlineCommentIndex is ini.v1's: the first '#' or ';' outside a quote
// that opens the value.
func inlineCommentIndex(line []byte) int {
	var quote byte
	escaped := false
	for i, ch := range line {
		if quote != 0 {
			switch {
			case escaped:
				escaped = false
			case quote == '"' && ch == '\\':
				escaped = true
			case ch == quote:
				quote = 0
			}
			continue
		}
		if i == 0 && (ch == '\'' || ch == '"') {
			quote = ch
			continue
		}
		if ch == '#' || ch == ';' {
			return i
		}
	}
	return -1
}

// surrounded is ini.v1's hasSurroundedQuote: quote first and last and
// nowhere else.
func surrounded(in []byte, quote byte) bool {
	return len(in) >= 2 && in[0] == quote && in[len(in)-1] == quote &&
		bytes.IndexByte(in[1:], quote) == len(in)-2
}
