package mysqltls

import (
	"go/ast"
	"go/token"
	"strconv"
	"unicode/utf8"

	"github.com/tlsvet/tlsvet/parsers/dsn"
	"golang.org/x/tools/go/analysis"
)

// literalMap places offsets of a constant string value (a DSN or a
// fmt.Sprintf format) in the source. When the value is written as one
// string literal (directly or as the value of a package constant), each
// byte maps to the source bytes it comes from and fixes are exact;
// otherwise (a concatenation, a constant of another package) every span
// is the whole expression and no fix is offered.
type literalMap struct {
	whole ast.Expr
	lit   *ast.BasicLit
	offs  []int // per value byte, its offset in lit.Value; -1 inside an escape or character
}

// locate maps arg, whose constant value is s.
func (c *checker) locate(arg ast.Expr, s string) literalMap {
	m := literalMap{whole: arg}
	lit, _ := ast.Unparen(arg).(*ast.BasicLit)
	if id, ok := ast.Unparen(arg).(*ast.Ident); ok {
		lit = c.constLits[c.pass.TypesInfo.Uses[id]]
	}
	if lit == nil || lit.Kind != token.STRING {
		return m
	}
	if offs := literalOffsets(lit.Value); len(offs) == len(s)+1 {
		m.lit, m.offs = lit, offs
	}
	return m
}

// pos is the source position of value offset i, or false inside an
// escape sequence or a multi-byte character.
func (m literalMap) pos(i int) (token.Pos, bool) {
	if m.offs == nil || m.offs[i] < 0 {
		return token.NoPos, false
	}
	return m.lit.Pos() + token.Pos(m.offs[i]), true
}

// span is the source range of value bytes [start, end), or the whole
// expression when they cannot be placed exactly.
func (m literalMap) span(start, end int) (token.Pos, token.Pos) {
	p, ok1 := m.pos(start)
	q, ok2 := m.pos(end)
	if !ok1 || !ok2 {
		if m.lit != nil {
			return m.lit.Pos(), m.lit.End()
		}
		return m.whole.Pos(), m.whole.End()
	}
	return p, q
}

// fixes replaces the value bytes sp with text, when they can be placed
// exactly; text must need no escaping inside the literal.
func (m literalMap) fixes(msg string, sp dsn.Span, text string) []analysis.SuggestedFix {
	p, ok1 := m.pos(sp.Start)
	q, ok2 := m.pos(sp.End)
	if !ok1 || !ok2 {
		return nil
	}
	return []analysis.SuggestedFix{{Message: msg, TextEdits: []analysis.TextEdit{{Pos: p, End: q, NewText: []byte(text)}}}}
}

// literalOffsets maps each byte of the value of the Go string literal lit
// (quotes included, as go/ast keeps it) to its offset in lit, plus one
// last entry for the closing quote. A byte that is not the first of its
// escape sequence or source character maps to -1. Raw strings drop
// carriage returns (https://go.dev/ref/spec#String_literals). It returns
// nil for a malformed literal.
func literalOffsets(lit string) []int {
	if len(lit) < 2 {
		return nil
	}
	var offs []int
	if lit[0] == '`' {
		for i := 1; i < len(lit)-1; i++ {
			if lit[i] != '\r' {
				offs = append(offs, i)
			}
		}
		return append(offs, len(lit)-1)
	}
	body := lit[1 : len(lit)-1]
	for rest := body; rest != ""; {
		at := 1 + len(body) - len(rest)
		r, multibyte, tail, err := strconv.UnquoteChar(rest, '"')
		if err != nil {
			return nil
		}
		n := 1
		if multibyte {
			n = utf8.RuneLen(r)
		}
		offs = append(offs, at)
		for range n - 1 {
			offs = append(offs, -1)
		}
		rest = tail
	}
	return append(offs, len(lit)-1)
}
