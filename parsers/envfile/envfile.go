// Package envfile reads .env files and compose env_files with exact byte
// spans for every key and value, to find connection strings in them.
//
// It follows docker compose, whose parser is compose-go's dotenv package
// (github.com/compose-spec/compose-go/v2 v2.13.0 dotenv/parser.go, documented at
// https://docs.docker.com/compose/how-tos/environment-variables/variable-interpolation/#env-file-syntax):
//
//   - "KEY=value", "KEY: value" and "export KEY=value"; a key is letters,
//     digits and "_.-[]"; spaces around it are dropped, a space inside it
//     is an error. A line "KEY" alone takes KEY from the environment.
//   - '#' starts a comment at the start of a line; in an unquoted value
//     only " #" (a space, then '#') does, so "pa#ss" keeps its '#'.
//     Unquoted values are trimmed on both sides.
//   - Quoted values run to the matching unescaped quote and may span
//     lines. In both kinds "\<quote>" is the quote. Single-quoted values
//     are otherwise literal. In double quotes \a \b \f \n \r \t \v \\ \$
//     and \0 with three octal digits are escapes; any other backslash is
//     kept with the character after it.
//   - Unquoted and double-quoted values are interpolated: "$$" is "$",
//     "$NAME" and "${NAME}" (with :- - :? ? :+ + forms) are references,
//     kept unresolved in Value and listed in Refs.
//
// Where the others differ: python-dotenv (dotenv/parser.py) takes any
// whitespace before '#' as a comment, decodes \' and \\ in single
// quotes, and interpolates only ${NAME} and ${NAME:-default}.
// joho/godotenv v1.5.1 (parser.go) takes the last blank-then-'#' of an
// unquoted value as the comment (later versions the first), closes a
// quoted value at the first quote not preceded by a backslash (so
// "a\\" does not close there), and in double quotes decodes only \n and
// \r and drops the backslash of any other escape but \$. compose and
// godotenv stop at the first error and python-dotenv skips the line;
// this package reports a Problem and goes on at the next line, so one
// bad line hides nothing after it.
package envfile

import (
	"bytes"
	"fmt"
	"unicode"
	"unicode/utf8"

	"github.com/tlsvet/tlsvet/internal/secret"
	"github.com/tlsvet/tlsvet/internal/source"
	"github.com/tlsvet/tlsvet/parsers/internal/textmap"
)

// Result is what one file holds.
type Result struct {
	Entries  []Entry
	Comments []source.Span // '#' to the end of the line, '#' included
	Problems []Problem
}

// Entry is one variable.
type Entry struct {
	Key     string
	KeySpan source.Span
	Export  bool // written "export KEY=…"
	// HasValue is false for a line "KEY" alone, which compose fills from
	// the environment.
	HasValue bool
	// Value after quote removal, escapes and "$$"; references stay as
	// written ("${DB_PASS}").
	Value     string
	ValueSpan source.Span // the value as written, quotes included
	Quote     byte        // '\'' or '"', or 0 when unquoted
	Refs      []Ref
	Comment   source.Span // trailing comment on the value's last line, if any
	m         textmap.Map
}

// Span returns the span in the file of the decoded bytes Value[start:end]:
// exact through quotes and escapes (a range that cuts an escape takes
// all of it).
func (e *Entry) Span(start, end int) source.Span {
	s, t := e.m.Range(start, end)
	return e.ValueSpan.File.Span(s, t)
}

// Offset maps an offset in Value, as the start of a range, to one in the file.
func (e *Entry) Offset(d int) int { return e.m.Start(d) }

// Map returns Value's decoded-to-file map, for composing with the map of
// a part decoded again (a DSN parameter).
func (e *Entry) Map() textmap.Map { return e.m }

// Ref is a reference to another variable inside a value, left unresolved.
type Ref struct {
	Name string
	// Op is the operator of a braced reference: "" (none), ":-", "-",
	// ":?", "?", ":+" or "+"; Arg is the text after it, as written (it
	// may hold references itself).
	Op, Arg    string
	Start, End int         // in Value
	Span       source.Span // in the file
}

// Problem is a line compose would reject. Reading goes on after it.
type Problem struct {
	Span source.Span
	Msg  string
}

func (p Problem) Error() string {
	pos := p.Span.StartPos()
	return fmt.Sprintf("%s:%d:%d: %s", p.Span.File.Path, pos.Line, pos.Col, p.Msg)
}

// isSpace is compose-go's isSpace restricted to bytes: blanks other than
// the line feed.
func isSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\v' || c == '\f' || c == '\r'
}

type parser struct {
	f   *source.File
	b   []byte
	res *Result
	// unclosed[q] is the offset of an opening quote q whose value never
	// closed. Every later q in the file was then escaped, so a value
	// opened by a later q cannot close either: knowing it keeps a file
	// of unterminated quotes linear.
	unclosed map[byte]int
}

// MaxEntries bounds the variables read from one file: real files hold
// tens, and each costs about 1 KB to read and judge, so that a 4 MiB
// file of "a" lines (2 M entries) would cost gigabytes.
const MaxEntries = 10000

// Parse reads f and marks the values of secret-named keys (DB_PASSWORD)
// as secret on f.
func Parse(f *source.File) *Result {
	p := &parser{f: f, b: f.Content, res: &Result{}, unclosed: map[byte]int{}}
	pos := 0
	if bytes.HasPrefix(p.b, []byte("\xef\xbb\xbf")) {
		pos = 3
	}
	for pos < len(p.b) {
		c := p.b[pos]
		switch {
		case c == '\n' || isSpace(c):
			pos++
		case c == '#':
			end := p.lineEnd(pos)
			p.res.Comments = append(p.res.Comments, p.span(pos, trimCR(p.b, pos, end)))
			pos = end
		case len(p.res.Entries) == MaxEntries:
			p.problem(pos, pos, "more than %d variables: the rest of the file is not read", MaxEntries)
			pos = len(p.b)
		default:
			pos = p.statement(pos)
		}
	}
	for i := range p.res.Entries {
		if e := &p.res.Entries[i]; e.HasValue && secret.Name(e.Key) {
			f.MarkSecret(e.ValueSpan.Start, e.ValueSpan.End)
		}
	}
	return p.res
}

func (p *parser) span(s, e int) source.Span { return p.f.Span(s, e) }

func (p *parser) problem(s, e int, format string, args ...any) {
	p.res.Problems = append(p.res.Problems, Problem{Span: p.span(s, e), Msg: fmt.Sprintf(format, args...)})
}

// lineEnd returns the offset of the '\n' ending the line at pos, or the
// end of the file.
func (p *parser) lineEnd(pos int) int {
	if i := bytes.IndexByte(p.b[pos:], '\n'); i >= 0 {
		return pos + i
	}
	return len(p.b)
}

// trimCR returns end less a '\r' before it (CRLF files).
func trimCR(b []byte, start, end int) int {
	if end > start && b[end-1] == '\r' {
		return end - 1
	}
	return end
}

func (p *parser) skipSpace(pos int) int {
	for pos < len(p.b) && isSpace(p.b[pos]) {
		pos++
	}
	return pos
}

// statement reads one "KEY=value" from pos, which holds neither a blank
// nor '#', and returns where the next one may start.
func (p *parser) statement(pos int) int {
	e := Entry{}
	if rest := p.b[pos:]; bytes.HasPrefix(rest, []byte("export")) && len(rest) > 6 && (rest[6] == ' ' || rest[6] == '\t') {
		e.Export = true
		pos = p.skipSpace(pos + 6)
	}
	start, i := pos, pos
	var sep byte
	for i < len(p.b) && sep == 0 {
		c := p.b[i]
		switch {
		case c == '=' || c == ':' || c == '\n':
			sep = c
			continue
		case isSpace(c) || c == '_' || c == '.' || c == '-' || c == '[' || c == ']' ||
			'a' <= c|0x20 && c|0x20 <= 'z' || '0' <= c && c <= '9':
			i++
			continue
		}
		r, size := utf8.DecodeRune(p.b[i:])
		if r != utf8.RuneError && (unicode.IsLetter(r) || unicode.IsNumber(r)) {
			i += size
			continue
		}
		p.problem(i, i+max(size, 1), "unexpected character %q in variable name", p.b[i:i+max(size, 1)])
		return p.lineEnd(i)
	}
	end := i
	for end > start && isSpace(p.b[end-1]) {
		end--
	}
	e.Key = string(p.b[start:end])
	e.KeySpan = p.span(start, end)
	if end == start {
		p.problem(start, min(start+1, len(p.b)), "missing variable name")
		return p.lineEnd(start)
	}
	for j := start; j < end; j++ {
		if isSpace(p.b[j]) {
			p.problem(start, end, "variable name %q contains a space", e.Key)
			return p.lineEnd(start)
		}
	}
	if sep == 0 || sep == '\n' { // "KEY" alone
		p.res.Entries = append(p.res.Entries, e)
		return i
	}
	e.HasValue = true
	pos = p.skipSpace(i + 1)
	if pos < len(p.b) && (p.b[pos] == '"' || p.b[pos] == '\'') {
		return p.quoted(&e, pos)
	}
	return p.unquoted(&e, pos)
}

// unquoted reads a value running to the end of the line.
func (p *parser) unquoted(e *Entry, pos int) int {
	eol := p.lineEnd(pos)
	end := eol
	if i := bytes.Index(p.b[pos:eol], []byte(" #")); i >= 0 {
		end = pos + i
		e.Comment = p.span(end+1, trimCR(p.b, end+1, eol))
		p.res.Comments = append(p.res.Comments, e.Comment)
	}
	for end > pos && (isSpace(p.b[end-1]) || p.b[end-1] == '\n') {
		end--
	}
	e.ValueSpan = p.span(pos, end)
	b := textmap.NewBuilder(pos)
	p.decode(e, b, pos, end, 0)
	e.Value, e.m = b.Done()
	p.res.Entries = append(p.res.Entries, *e)
	return eol
}

// quoted reads a value opened by the quote at pos.
func (p *parser) quoted(e *Entry, pos int) int {
	q := p.b[pos]
	e.Quote = q
	closeAt := -1
	if from, ok := p.unclosed[q]; !ok || pos < from {
		esc := false
		for i := pos + 1; i < len(p.b); i++ {
			switch c := p.b[i]; {
			case esc:
				esc = false
			case c == '\\':
				esc = true
			case c == q:
				closeAt = i
			}
			if closeAt >= 0 {
				break
			}
		}
		if closeAt < 0 {
			p.unclosed[q] = pos
		}
	}
	if closeAt < 0 {
		p.problem(pos, pos+1, "unterminated quoted value")
		return p.lineEnd(pos)
	}
	e.ValueSpan = p.span(pos, closeAt+1)
	b := textmap.NewBuilder(pos + 1)
	p.decode(e, b, pos+1, closeAt, q)
	e.Value, e.m = b.Done()
	// After the closing quote only blanks and a comment may follow.
	next := p.skipSpace(closeAt + 1)
	eol := p.lineEnd(next)
	if next < eol {
		if p.b[next] == '#' {
			e.Comment = p.span(next, trimCR(p.b, next, eol))
			p.res.Comments = append(p.res.Comments, e.Comment)
		} else {
			p.problem(next, trimCR(p.b, next, eol), "text after the closing quote")
		}
	}
	p.res.Entries = append(p.res.Entries, *e)
	return eol
}

// decode appends the value bytes [pos, end) to b, resolving escapes of
// quote kind q (0: unquoted) and recording references.
func (p *parser) decode(e *Entry, b *textmap.Builder, pos, end int, q byte) {
	run := pos // start of the bytes not yet appended
	flush := func(i int) { b.Copy(run, p.b[run:i]) }
	for i := pos; i < end; {
		c := p.b[i]
		switch {
		case c == '\\' && q != 0 && i+1 < end: // the closing-quote scan pairs every backslash
			// An escape kept as written stays in the verbatim run.
			n, dec, ok := p.escape(i, end, q)
			if ok {
				flush(i)
				b.Replace(i, i+n, dec)
				run = i + n
			}
			i += n
		case c == '$' && q != '\'':
			flush(i)
			i = p.dollar(e, b, i, end)
			run = i
		default:
			i++
		}
	}
	flush(end)
}

// escape decodes the backslash sequence at i, returning its length in
// the file and its decoded text, or ok false when it is kept as written.
func (p *parser) escape(i, end int, q byte) (n int, dec string, ok bool) {
	c := p.b[i+1]
	if c == q {
		return 2, string(q), true
	}
	if q == '\'' {
		return 2, "", false
	}
	if d, ok := simpleEscapes[c]; ok {
		return 2, d, true
	}
	if c == '0' {
		// compose-go matches \0 and up to three digits, and decodes it
		// only when they are three octal digits worth at most 0377.
		j := i + 2
		for j < end && j < i+5 && '0' <= p.b[j] && p.b[j] <= '9' {
			j++
		}
		v := 0
		for _, d := range p.b[i+2 : j] {
			v = v*8 + int(d-'0')
			if d > '7' {
				v = 256
			}
		}
		if j == i+5 && v < 256 {
			return 5, string(rune(v)), true
		}
		return j - i, "", false
	}
	return 2, "", false
}

// simpleEscapes are the one-character escapes of double-quoted values
// (compose-go's escapeSeqRegex; \$ is a literal '$').
var simpleEscapes = map[byte]string{
	'a': "\a", 'b': "\b", 'f': "\f", 'n': "\n", 'r': "\r", 't': "\t", 'v': "\v", '\\': "\\", '$': "$",
}

// dollar reads "$$" or a reference at i and returns the offset after it.
func (p *parser) dollar(e *Entry, b *textmap.Builder, i, end int) int {
	if i+1 >= end {
		b.Copy(i, p.b[i:i+1])
		return i + 1
	}
	switch c := p.b[i+1]; {
	case c == '$':
		b.Replace(i, i+2, "$")
		return i + 2
	case c == '{':
		depth, j := 1, i+2
		for ; j < end && depth > 0; j++ {
			switch p.b[j] {
			case '{':
				depth++
			case '}':
				depth--
			}
		}
		if depth > 0 {
			// compose rejects the value; the rest of it is kept as
			// written, which also spares a rescan from every later "${".
			p.problem(i, i+2, "unclosed ${ in value")
			b.Copy(i, p.b[i:end])
			return end
		}
		body := p.b[i+2 : j-1]
		n := nameLen(body)
		r := Ref{Name: string(body[:n])}
		rest := body[n:]
		for _, op := range []string{":-", ":?", ":+", "-", "?", "+"} {
			if bytes.HasPrefix(rest, []byte(op)) {
				r.Op, r.Arg = op, string(rest[len(op):])
				rest = nil
				break
			}
		}
		if n == 0 || len(rest) > 0 {
			p.problem(i, j, "invalid reference %q", p.b[i:j])
		}
		p.addRef(e, b, r, i, j)
		return j
	case c == '_' || 'a' <= c|0x20 && c|0x20 <= 'z':
		j := i + 1 + nameLen(p.b[i+1:end])
		p.addRef(e, b, Ref{Name: string(p.b[i+1 : j])}, i, j)
		return j
	}
	b.Copy(i, p.b[i:i+1])
	return i + 1
}

func (p *parser) addRef(e *Entry, b *textmap.Builder, r Ref, i, j int) {
	r.Start = b.Len()
	b.Copy(i, p.b[i:j])
	r.End = b.Len()
	r.Span = p.span(i, j)
	e.Refs = append(e.Refs, r)
}

// nameLen returns the length of the variable name at the start of s:
// [A-Za-z_][A-Za-z0-9_]*, as compose's template package reads it.
func nameLen(s []byte) int {
	for i, c := range s {
		if c != '_' && !('a' <= c|0x20 && c|0x20 <= 'z') && !(i > 0 && '0' <= c && c <= '9') {
			return i
		}
	}
	return len(s)
}
