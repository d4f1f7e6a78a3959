package connstr

import (
	goscanner "go/scanner"
	"go/token"
	"strconv"
	"strings"

	"github.com/tlsvet/tlsvet/internal/secret"
	"github.com/tlsvet/tlsvet/internal/source"
	"github.com/tlsvet/tlsvet/parsers/internal/textmap"
)

// maxGoErrors bounds the problems of one Go file: a file that is not Go
// would otherwise make one per byte.
const maxGoErrors = 20

// goSource reads the string literals of a Go file with go/scanner. A
// string's key is the name it is assigned to ("const dsn = …",
// "var DSN string = …", "dsn := …") or the field it sets ("DSN: …"),
// "" for a literal passed directly (sql.Open("mysql", "…")).
func (s *scanner) goSource() {
	fset := token.NewFileSet()
	tf := fset.AddFile(s.f.Path, -1, len(s.f.Content))
	var sc goscanner.Scanner
	errs := 0
	sc.Init(tf, s.f.Content, func(pos token.Position, msg string) {
		if errs++; errs <= maxGoErrors {
			s.res.Problems = append(s.res.Problems, Problem{Span: s.f.Span(pos.Offset, pos.Offset), Msg: "Go: " + msg})
		}
	}, 0)
	// first is the name a statement starts with ("dsn", "cfg.DSN"),
	// growing while selectors follow it; key is the last identifier or
	// string before a ':' (a field or map key).
	var first, key string
	var firstSpan, keySpan source.Span
	growing := false
	prev := token.SEMICOLON
	for {
		pos, tok, lit := sc.Scan()
		if tok == token.EOF {
			break
		}
		off := tf.Offset(pos)
		sp := s.f.Span(off, off+len(lit))
		switch tok {
		case token.IDENT:
			switch {
			case prev == token.SEMICOLON || prev == token.LPAREN || prev == token.LBRACE || prev == token.CONST || prev == token.VAR:
				first, firstSpan, growing = lit, sp, true
			case prev == token.PERIOD && growing:
				first, firstSpan.End = first+"."+lit, sp.End
			}
			key, keySpan = lit, sp
		case token.STRING:
			switch prev {
			case token.ASSIGN, token.DEFINE:
				s.goString(lit, off, first, firstSpan)
			case token.COLON:
				s.goString(lit, off, key, keySpan)
			default:
				s.goString(lit, off, "", source.Span{})
			}
			key, keySpan = "", source.Span{}
			if len(lit) <= 256 { // a map key, if a ':' follows
				if k, err := strconv.Unquote(lit); err == nil {
					key, keySpan = k, sp
				}
			}
		case token.PERIOD:
		default:
			if tok == token.SEMICOLON || tok == token.LBRACE || tok == token.RBRACE {
				first = ""
			}
			if tok != token.COLON {
				key = ""
			}
		}
		if tok != token.IDENT && tok != token.PERIOD {
			growing = false
		}
		prev = tok
	}
}

// goString considers the string literal lit at file offset off.
func (s *scanner) goString(lit string, off int, key string, ks source.Span) {
	// Every dialect's string holds one of these (a scheme's ':', a Go
	// DSN's '@', a key=value pair), or an escape that may spell one; a
	// secret key's value is read to be marked.
	if len(lit) < 2 || !strings.ContainsAny(lit, ":@=\\") && !secret.Name(key) {
		return
	}
	b := textmap.NewBuilder(off + 1)
	body := lit[1 : len(lit)-1]
	c := GoInterpreted
	if lit[0] == '`' {
		c = GoRaw
		// Carriage returns are dropped from raw strings
		// (https://go.dev/ref/spec#String_literals).
		run := 0
		for i := 0; i < len(body); i++ {
			if body[i] == '\r' {
				b.Copy(off+1+run, []byte(body[run:i]))
				b.Replace(off+1+i, off+2+i, "")
				run = i + 1
			}
		}
		b.Copy(off+1+run, []byte(body[run:]))
	} else {
		run := 0
		for i := 0; i < len(body); {
			if body[i] != '\\' {
				i++
				continue
			}
			b.Copy(off+1+run, []byte(body[run:i]))
			r, mb, tail, err := strconv.UnquoteChar(body[i:], '"')
			if err != nil {
				return // the scanner reported it
			}
			n := len(body[i:]) - len(tail)
			dec := string([]byte{byte(r)}) // \xff is one byte
			if mb {
				dec = string(r)
			}
			b.Replace(off+1+i, off+1+i+n, dec)
			i += n
			run = i
		}
		b.Copy(off+1+run, []byte(body[run:]))
	}
	text, m := b.Done()
	s.consider(value{key: key, keySpan: ks, text: text, span: s.f.Span(off, off+len(lit)), c: c, m: m, refs: []ref{}})
}
