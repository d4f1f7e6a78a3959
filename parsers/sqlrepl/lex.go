package sqlrepl

import (
	"bytes"
	"strings"

	"github.com/tlsvet/tlsvet/internal/source"
)

// tokKind is a lexical token's kind.
type tokKind uint8

const (
	tWord   tokKind = iota // keyword, identifier or number
	tString                // '…' or "…"
	tIdent                 // `…`
	tPunct                 // one byte: = , ( ) @ . and others
	tEnd                   // end of a statement: the delimiter or the end of the text
)

// token is one token with its exact bytes.
type token struct {
	kind tokKind
	text string // decoded (a string's value, a word as written)
	span source.Span
	// expanded: the shell may change the bytes before the server sees them
	// ($VAR, `cmd`, a backslash in a heredoc or a double-quoted argument).
	expanded bool
}

// is reports a word equal to w, ignoring case.
func (t token) is(w string) bool { return t.kind == tWord && strings.EqualFold(t.text, w) }

// lexer splits SQL text into statements of tokens, as the mysql client and
// the server read it with the default sql_mode (no ANSI_QUOTES, no
// NO_BACKSLASH_ESCAPES): '-- ' and '#' comments to the end of the line,
// /* */ comments, except that the text of /*! and /*M! (executable
// comments) is read; strings in ' or " with backslash escapes and doubled
// quotes; the client's DELIMITER command
// (https://dev.mysql.com/doc/refman/8.0/en/comments.html,
// https://dev.mysql.com/doc/refman/8.0/en/string-literals.html,
// https://dev.mysql.com/doc/refman/8.0/en/mysql-commands.html).
type lexer struct {
	f        *source.File
	pos, end int
	ctx      Context
	delim    string
	inExec   bool              // inside /*! … */: the next */ is skipped
	keep     func([]byte) bool // which comments to keep; nil keeps all
	comments []source.Span
	problems []Problem
}

// comment records the comment [start, end) if keep accepts it.
func (l *lexer) comment(start, end int) {
	if l.keep == nil || l.keep(l.f.Content[start:end]) {
		l.comments = append(l.comments, l.f.Span(start, end))
	}
}

// next returns the next token.
func (l *lexer) next() token {
	c := l.f.Content
	for l.pos < l.end {
		b := c[l.pos]
		switch {
		case b == ' ' || b == '\t' || b == '\n' || b == '\r' || b == '\f' || b == '\v':
			l.pos++
		case b == '#' || b == '-' && l.pos+2 <= l.end && c[l.pos+1] == '-' && (l.pos+2 == l.end || c[l.pos+2] <= ' '):
			e := l.lineEnd(l.pos)
			l.comment(l.pos, e)
			l.pos = e
		case b == '/' && l.pos+1 < l.end && c[l.pos+1] == '*':
			if exec := l.execMarker(l.pos + 2); exec > 0 {
				l.pos, l.inExec = exec, true
				continue
			}
			e := bytes.Index(c[l.pos+2:l.end], []byte("*/"))
			if e < 0 {
				l.problem(l.pos, l.pos+2, "comment /* is never closed")
				l.pos = l.end
				continue
			}
			l.comment(l.pos, l.pos+2+e+2)
			l.pos += 2 + e + 2
		case b == '*' && l.inExec && l.pos+1 < l.end && c[l.pos+1] == '/':
			l.pos += 2
			l.inExec = false
		default:
			return l.token()
		}
	}
	return token{kind: tEnd, span: l.f.Span(l.end, l.end)}
}

// execMarker returns the offset after "!" or "M!" and the version digits
// of an executable comment starting at i (after "/*"), or 0.
func (l *lexer) execMarker(i int) int {
	c := l.f.Content
	if i < l.end && c[i] == 'M' {
		i++
	}
	if i >= l.end || c[i] != '!' {
		return 0
	}
	i++
	for i < l.end && c[i] >= '0' && c[i] <= '9' {
		i++
	}
	return i
}

// token reads the token at l.pos, which is not blank or a comment.
func (l *lexer) token() token {
	c := l.f.Content
	start := l.pos
	if l.delim != ";" && bytes.HasPrefix(c[start:l.end], []byte(l.delim)) {
		l.pos += len(l.delim)
		return token{kind: tEnd, span: l.f.Span(start, l.pos)}
	}
	switch b := c[start]; {
	case b == ';' && l.delim == ";":
		l.pos++
		return token{kind: tEnd, span: l.f.Span(start, l.pos)}
	case b == '\'' || b == '"':
		return l.str(b)
	case b == '`':
		e := bytes.IndexByte(c[start+1:l.end], '`')
		if e < 0 {
			l.problem(start, start+1, "identifier quote ` is never closed")
			l.pos = l.end
			return token{kind: tEnd, span: l.f.Span(l.end, l.end)}
		}
		l.pos = start + 1 + e + 1
		return token{kind: tIdent, text: string(c[start+1 : l.pos-1]), span: l.f.Span(start, l.pos)}
	case wordByte(b) || b == '$' && l.expands():
		number := b >= '0' && b <= '9'
		for l.pos < l.end && (wordByte(c[l.pos]) || c[l.pos] == '$' || number && c[l.pos] == '.' ||
			l.expands() && (c[l.pos] == '{' || c[l.pos] == '}')) {
			l.pos++
		}
		t := token{kind: tWord, text: string(c[start:l.pos]), span: l.f.Span(start, l.pos)}
		t.expanded = l.expands() && strings.IndexByte(t.text, '$') >= 0
		return t
	}
	l.pos++
	return token{kind: tPunct, text: string(c[start:l.pos]), span: l.f.Span(start, l.pos)}
}

// wordByte is a byte of an unquoted identifier, keyword or number
// (letters, digits, _, and bytes of multi-byte UTF-8 characters); '.'
// joins the parts of a decimal number.
func wordByte(b byte) bool {
	return b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' || b >= '0' && b <= '9' || b == '_' || b >= 0x80
}

// str reads a string quoted with q: a backslash escapes the next byte
// (\n, \t, \0, \Z and \b decode to control bytes, any other byte to
// itself, as the server does), and a doubled quote is one quote.
func (l *lexer) str(q byte) token {
	c := l.f.Content
	start := l.pos
	var b strings.Builder
	expanded := false
	for i := start + 1; i < l.end; i++ {
		switch c[i] {
		case '\\':
			if l.expands() {
				expanded = true // the shell reads the backslash first
			}
			if i+1 >= l.end {
				continue
			}
			i++
			switch c[i] {
			case 'n':
				b.WriteByte('\n')
			case 't':
				b.WriteByte('\t')
			case 'r':
				b.WriteByte('\r')
			case '0':
				b.WriteByte(0)
			case 'Z':
				b.WriteByte(0x1a)
			case 'b':
				b.WriteByte('\b')
			default:
				b.WriteByte(c[i])
			}
		case q:
			if i+1 < l.end && c[i+1] == q {
				b.WriteByte(q)
				i++
				continue
			}
			l.pos = i + 1
			return token{kind: tString, text: b.String(), span: l.f.Span(start, l.pos), expanded: expanded}
		case '$', '`':
			expanded = expanded || l.expands()
			b.WriteByte(c[i])
		default:
			b.WriteByte(c[i])
		}
	}
	l.problem(start, start+1, "string quote "+string(q)+" is never closed")
	// What follows an open quote may be a password: hidden to the line's end.
	l.f.MarkSecret(start+1, l.lineEnd(start))
	l.pos = l.end
	return token{kind: tEnd, span: l.f.Span(l.end, l.end)}
}

// expands reports whether the shell expands $, ` and \ in the text.
func (l *lexer) expands() bool { return l.ctx == Heredoc || l.ctx == DoubleQuoted }

// lineEnd is the offset of the end of the line holding i, within the text.
func (l *lexer) lineEnd(i int) int {
	if e := bytes.IndexByte(l.f.Content[i:l.end], '\n'); e >= 0 {
		return i + e
	}
	return l.end
}

func (l *lexer) problem(start, end int, msg string) {
	l.problems = append(l.problems, Problem{Span: l.f.Span(start, end), Msg: msg})
}

// delimiterCommand reads a "DELIMITER x" client command at l.pos (a line
// start, in a plain .sql file), and reports whether there was one.
func (l *lexer) delimiterCommand() bool {
	c := l.f.Content
	i := l.pos
	for i < l.end && (c[i] == ' ' || c[i] == '\t' || c[i] == '\n' || c[i] == '\r') {
		i++
	}
	const kw = "delimiter"
	if i+len(kw) >= l.end || !bytes.EqualFold(c[i:i+len(kw)], []byte(kw)) || (c[i+len(kw)] != ' ' && c[i+len(kw)] != '\t') {
		return false
	}
	e := l.lineEnd(i)
	if d := strings.TrimSpace(string(c[i+len(kw) : e])); d != "" {
		l.delim = strings.Fields(d)[0]
	}
	l.pos = e
	return true
}
