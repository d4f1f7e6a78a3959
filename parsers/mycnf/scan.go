package mycnf

import (
	"bytes"
	"slices"
	"strings"

	"github.com/tlsvet/tlsvet/internal/secret"
	"github.com/tlsvet/tlsvet/internal/source"
)

const (
	// maxLine is how many bytes one fgets() call returns: the buffer is
	// char buff[4096] and fgets() gets sizeof(buff)-1 (my_default.cc).
	maxLine = 4094
	// maxIncludeDepth is max_recursion_level in my_default.cc: directives
	// in a file nested this deep are skipped with a warning.
	maxIncludeDepth = 10
	// maxScanned bounds the bytes of included files read for one top
	// file, each time it is included: 16 scanned files at the size cap.
	maxScanned = 64 << 20
	// maxPrealloc bounds the entries reserved up front: real option files
	// have a few hundred lines.
	maxPrealloc = 1024
)

// isSpace is my_isspace(&my_charset_latin1, c) (strings/ctype-latin1.cc):
// it includes VT, FF and 0xA0 (no-break space).
var isSpace = [256]bool{'\t': true, '\n': true, '\v': true, '\f': true, '\r': true, ' ': true, 0xA0: true}

var utf8BOM = []byte{0xEF, 0xBB, 0xBF}

// reader holds the state of one Read or Parse.
type reader struct {
	opt     Options
	follow  bool // follow include directives (Read) or only list them (Parse)
	res     *Result
	groupOf []int                   // parallel to res.Entries: index into res.Groups
	stack   []string                // keys of the files being read, outermost first
	files   map[string]*source.File // files read so far, by location key
	// expansions counts the included files read for the top file.
	expansions int
	scanned    int  // bytes of the included files read for the top file
	spent      bool // the include budget is spent
}

// optionLines counts the lines of b that may hold an option: not blank,
// and not a comment, a group header or a directive.
func optionLines(b []byte) int {
	n := 0
	for len(b) > 0 {
		i := 0
		for i < len(b) && (b[i] == ' ' || b[i] == '\t') {
			i++
		}
		if i < len(b) && !strings.ContainsRune("#;[!\r\n", rune(b[i])) {
			n++
		}
		nl := bytes.IndexByte(b[i:], '\n')
		if nl < 0 {
			break
		}
		b = b[i+nl+1:]
	}
	return n
}

// scan reads one file as search_default_file_with_ext() does. level is the
// include nesting level, 0 for the top file.
func (r *reader) scan(f *source.File, loc location, level int) {
	b := f.Content
	if r.res.Entries == nil {
		// One entry per line that may hold an option at most; growing the
		// slice dominated the cost. Bounded, so that a hostile file does not
		// reserve an Entry per line before anything shows it is an option
		// file.
		n := min(optionLines(b), maxPrealloc)
		r.res.Entries = make([]Entry, 0, n)
		r.groupOf = make([]int, 0, n)
	}
	sc := &fileScan{f: f, text: f.Text(), loc: loc, level: level, cur: -1}
	for off := 0; off < len(b); {
		end := off + maxLine
		if end > len(b) {
			end = len(b)
		}
		if i := bytes.IndexByte(b[off:end], '\n'); i >= 0 {
			end = off + i + 1
		}
		line := b[off:end]
		if i := bytes.IndexByte(line, 0); i >= 0 {
			line = line[:i] // C string functions stop at NUL
		}
		if !r.line(sc, off, line) {
			return
		}
		off = end
	}
}

// fileScan is the state of scanning one file.
type fileScan struct {
	f     *source.File
	text  string // f.Content as a string: keys and values are substrings of it, not copies
	loc   location
	level int // include nesting level, 0 for the top file
	cur   int // index of the current group in res.Groups; each file starts without one
}

// str returns the text of bytes [start, end) of the line at base.
func (sc *fileScan) str(base, start, end int) string { return sc.text[base+start : base+end] }

// line handles one fgets() line starting at byte base of the file. It
// returns false when an error ends the reading of the file.
func (r *reader) line(sc *fileScan, base int, line []byte) bool {
	f := sc.f
	// ce is the end of the content without the line terminator. CR and LF
	// are whitespace to MySQL, so spans simply stop before them.
	ce := len(line)
	if ce > 0 && line[ce-1] == '\n' {
		ce--
		if ce > 0 && line[ce-1] == '\r' {
			ce--
		}
	}
	p := 0
	for p < len(line) && isSpace[line[p]] {
		p++
	}
	if p >= ce {
		return true // empty line
	}
	switch line[p] {
	case '#', ';':
		r.comment(f.Span(base+p, base+ce))
		return true
	case '!':
		return r.directive(sc, base, line, p, ce)
	case '[':
		q := bytes.IndexByte(line[p+1:], ']')
		if q < 0 {
			return r.fail(f, base+p, base+trimRight(line, p, ce), sc.level,
				"wrong group definition: '[' without ']' (MySQL: \"Wrong group definition in config file\")")
		}
		q += p + 1
		n := trimRight(line, p+1, q)
		r.res.Groups = append(r.res.Groups, Group{
			Name:   sc.str(base, p+1, n),
			Span:   f.Span(base+p+1, base+n),
			Header: f.Span(base+p, base+q+1),
		})
		sc.cur = len(r.res.Groups) - 1
		// Text after ']' is ignored; a '#' there reads as a comment to
		// people, so suppression directives may live there.
		c := q + 1
		for c < ce && isSpace[line[c]] {
			c++
		}
		if c < ce && line[c] == '#' {
			r.comment(f.Span(base+c, base+ce))
		}
		return true
	}
	if r.opt.Templates && templateLine(line[p:ce]) {
		r.templated(f)
		return true
	}
	if sc.cur < 0 {
		msg := "option without preceding group (MySQL: \"Found option without preceding group in config file\")"
		if base == 0 && bytes.HasPrefix(line, utf8BOM) {
			msg = "the file starts with a UTF-8 byte-order mark, which MySQL does not skip: " + msg
		}
		markSecret(sc, base, line, p, ce)
		r.fail(f, base+p, base+trimRight(line, p, ce), sc.level, msg)
		r.res.Errors[len(r.res.Errors)-1].Headerless = !hasHeader(f.Content[base:])
		return false
	}
	r.option(sc, base, line, p, ce)
	return true
}

// comment records a comment the caller keeps (Options.KeepComment).
func (r *reader) comment(c source.Span) {
	if r.opt.KeepComment == nil || r.opt.KeepComment(c.File.Content[c.Start:c.End]) {
		r.res.Comments = append(r.res.Comments, c)
	}
}

// option scans "key", "key = value" and inline comments of one line.
func (r *reader) option(sc *fileScan, base int, line []byte, p, ce int) {
	f := sc.f
	cpos := endComment(line, p, ce)
	e := Entry{}
	if cpos < ce {
		e.Comment = f.Span(base+cpos, base+ce)
		r.comment(e.Comment)
	}
	keyEnd := cpos
	eq := bytes.IndexByte(line[p:cpos], '=')
	if eq >= 0 {
		eq += p
		keyEnd = eq
	}
	// MySQL trims the key with no lower bound; an empty key after leading
	// whitespace makes it read before the key start (see the differential
	// test). tlsvet stops at the key start.
	keyEnd = trimRight(line, p, keyEnd)
	e.Key = sc.str(base, p, keyEnd)
	e.KeySpan = f.Span(base+p, base+keyEnd)
	if eq >= 0 {
		e.HasValue = true
		v := eq + 1
		for v < cpos && isSpace[line[v]] {
			v++
		}
		ve := trimRight(line, v, cpos)
		e.ValueSpan = f.Span(base+v, base+ve)
		// Strip one pair of quotes when the first and last bytes are the
		// same quote and the value is longer than one byte.
		if ve-v > 1 && (line[v] == '"' || line[v] == '\'') && line[ve-1] == line[v] {
			e.Quote = line[v]
			v++
			ve--
		}
		e.Value = sc.str(base, v, ve)
		if bytes.IndexByte(line[v:ve], '\\') >= 0 {
			e.Value = unescape(line[v:ve])
		}
		// A '#' right after '{' is a Jinja comment that MySQL's comment
		// rule cut: "x {# note #}" is templated too.
		if r.opt.Templates && (hasTemplate(line[v:ve]) || cpos < ce && cpos > v && line[cpos-1] == '{') {
			e.Template = true
			r.templated(f)
		}
	}
	markSecret(sc, base, line, p, ce)
	r.res.Entries = append(r.res.Entries, e)
	r.groupOf = append(r.groupOf, sc.cur)
}

// markSecret marks the value of a "key=value" line whose key names a
// secret (secret.Name), from after the '=' to the end of the line: a
// comment counts too, since "ssl_passphrase=abc#def" is a passphrase cut
// at '#' whose rest would otherwise print as a comment. It also serves
// lines MySQL rejects, such as a password before any group.
func markSecret(sc *fileScan, base int, line []byte, p, ce int) {
	eq := bytes.IndexByte(line[p:ce], '=')
	if eq < 0 || !secret.Name(sc.str(base, p, p+eq)) {
		return
	}
	sc.f.MarkSecret(base+p+eq+1, base+ce)
}

// endComment returns the position of the '#' that starts a comment in
// line[p:ce], or ce. It is remove_end_comment(): quotes are tracked from
// the start of the key; inside quotes a backslash escapes the next byte and
// only the opening quote character closes. The scan jumps between the bytes
// that matter.
func endComment(line []byte, p, ce int) int {
	for i := p; ; {
		j := bytes.IndexAny(line[i:ce], "#'\"")
		if j < 0 {
			return ce
		}
		i += j
		if line[i] == '#' {
			return i
		}
		q := line[i]
		for i++; i < ce && line[i] != q; i++ {
			if line[i] == '\\' {
				i++
			}
		}
		if i >= ce {
			return ce // unterminated quote: no comment on this line
		}
		i++
	}
}

// unescape applies the escape table of search_default_file_with_ext(). A
// backslash as the last byte is kept; an unknown escape keeps its
// backslash, which is why Windows paths such as C:\ssl\ca.pem survive.
func unescape(s []byte) string {
	out := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c != '\\' || i == len(s)-1 {
			out = append(out, c)
			continue
		}
		i++
		switch s[i] {
		case 'n':
			out = append(out, '\n')
		case 't':
			out = append(out, '\t')
		case 'r':
			out = append(out, '\r')
		case 'b':
			out = append(out, '\b')
		case 's':
			out = append(out, ' ')
		case '"', '\'', '\\':
			out = append(out, s[i])
		default:
			out = append(out, '\\', s[i])
		}
	}
	return string(out)
}

// directive handles a line whose first non-space byte (at p) is '!'.
func (r *reader) directive(sc *fileScan, base int, line []byte, p, ce int) bool {
	f, level := sc.f, sc.level
	// Skip '!' and whitespace; the keyword must be followed by whitespace.
	// Any other '!' line is ignored silently.
	q := p + 1
	for q < len(line) && isSpace[line[q]] {
		q++
	}
	var kw string
	switch rest := line[q:]; {
	case hasKeyword(rest, "includedir"):
		kw = "includedir"
	case hasKeyword(rest, "include"):
		kw = "include"
	default:
		return true
	}
	a := q + len(kw)
	for a < len(line) && isSpace[line[a]] {
		a++
	}
	// The path as written: [ta, t), within the line's content.
	t := trimRight(line, p, ce)
	ta := min(a, t)
	inc := Include{
		Dir:        kw == "includedir",
		Target:     sc.str(base, ta, t),
		TargetSpan: f.Span(base+ta, base+t),
		Span:       f.Span(base+p, base+t),
	}
	if level >= maxIncludeDepth {
		// MySQL checks the nesting level before it even parses the line.
		inc.Opened = inc.Target
		inc.Problem = Depth
		r.res.Includes = append(r.res.Includes, inc)
		return true
	}
	// get_argument(): the path ends one byte before the end of the string
	// (where fgets() put '\n'), then trailing whitespace goes.
	end := len(line) - 1
	for end > 0 && isSpace[line[end-1]] {
		end--
	}
	if end <= a {
		msg := "'!" + kw + "' directive without a path (MySQL: \"Wrong '!" + kw + "' directive in config file\")"
		if t > ta {
			msg = "'!" + kw + "' directive loses its path: the line has no newline, so MySQL drops its last character (MySQL: \"Wrong '!" + kw + "' directive in config file\")"
		}
		return r.fail(f, base+p, base+t, level, msg)
	}
	inc.Opened = sc.str(base, a, end)
	if !r.follow {
		r.res.Includes = append(r.res.Includes, inc)
		return true
	}
	if inc.Dir {
		return r.includeDir(f, sc.loc, inc, level)
	}
	r.includeFile(sc.loc, inc, level)
	return true
}

// hasKeyword reports whether s starts with kw followed by whitespace.
func hasKeyword(s []byte, kw string) bool {
	return len(s) > len(kw) && string(s[:len(kw)]) == kw && isSpace[s[len(kw)]]
}

// hasHeader reports whether a line of b opens a group: its first byte
// that is not whitespace is '['.
func hasHeader(b []byte) bool {
	for len(b) > 0 {
		i := 0
		for i < len(b) && isSpace[b[i]] {
			i++
		}
		if i < len(b) && b[i] == '[' {
			return true
		}
		n := bytes.IndexByte(b[i:], '\n')
		if n < 0 {
			return false
		}
		b = b[i+n+1:]
	}
	return false
}

// trimRight returns end moved left over whitespace, not below start.
func trimRight(line []byte, start, end int) int {
	for end > start && isSpace[line[end-1]] {
		end--
	}
	return end
}

// fail records an error at [start, end) of f. It returns false: MySQL
// stops reading the file (goto err).
func (r *reader) fail(f *source.File, start, end, level int, msg string) bool {
	r.res.Errors = append(r.res.Errors, Error{Span: f.Span(start, end), Path: f.Path, Msg: msg, Fatal: level == 0})
	return false
}

// templated records that f holds template syntax.
func (r *reader) templated(f *source.File) {
	if !slices.Contains(r.res.Templates, f.Path) {
		r.res.Templates = append(r.res.Templates, f.Path)
	}
}

// finish points every entry at its group. Groups is complete by now, so
// the pointers stay valid.
func (r *reader) finish() {
	for i := range r.res.Entries {
		r.res.Entries[i].Group = &r.res.Groups[r.groupOf[i]]
	}
}
