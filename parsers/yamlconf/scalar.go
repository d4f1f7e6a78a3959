package yamlconf

import (
	"strings"
	"unicode/utf8"

	"go.yaml.in/yaml/v4"

	"github.com/tlsvet/tlsvet/parsers/internal/textmap"
)

// Scalars are re-read from the source following the library's scanner
// (internal/libyaml/scanner.go: scanPlainScalar, scanFlowScalar,
// scanBlockScalar) and checked against its value as they are read.

// mapper records the map of a scalar while checking that its pieces
// decode to want. Verbatim pieces are copies; any other is an escape, a
// doubled quote, a folded line break or block indentation.
type mapper struct {
	want   string
	dec    int
	b      textmap.Builder
	srcEnd int // the end of the last piece's source bytes
	bad    bool
}

// copy records the verbatim source bytes b[s:e].
func (m *mapper) copy(b []byte, s, e int) {
	if m.bad || s == e {
		return
	}
	n := e - s
	if m.dec+n > len(m.want) || string(b[s:e]) != m.want[m.dec:m.dec+n] {
		m.bad = true
		return
	}
	m.b.Verbatim(s, n)
	m.dec, m.srcEnd = m.dec+n, e
}

// repl records that source bytes [s, e) read as out.
func (m *mapper) repl(s, e int, out string) {
	if m.bad || s == e && out == "" {
		return
	}
	if m.dec+len(out) > len(m.want) || out != m.want[m.dec:m.dec+len(out)] {
		m.bad = true
		return
	}
	m.b.Replaced(s, e, len(out))
	m.dec, m.srcEnd = m.dec+len(out), e
}

func (m *mapper) ok() bool { return !m.bad && m.dec == len(m.want) }

// fold is how a run of blanks holding line breaks reads: the first break
// (lead) becomes a space unless more breaks (trail) follow, which are kept.
func fold(lead, trail string) string {
	if lead != "" && lead[0] == '\n' {
		if trail == "" {
			return " "
		}
		return trail
	}
	return lead + trail
}

// scalar fills in n's style, span and pieces from the source at start.
func (p *parser) scalar(n *Node, y *yaml.Node, start int) {
	m := &mapper{want: y.Value}
	end := -1
	switch {
	case y.Style&yaml.DoubleQuotedStyle != 0:
		n.Style = DoubleQuoted
		end = quoted(p.b, start, '"', m)
	case y.Style&yaml.SingleQuotedStyle != 0:
		n.Style = SingleQuoted
		end = quoted(p.b, start, '\'', m)
	case y.Style&yaml.LiteralStyle != 0:
		n.Style = Literal
		end = block(p.b, start, true, m)
	case y.Style&yaml.FoldedStyle != 0:
		n.Style = Folded
		end = block(p.b, start, false, m)
	default:
		end = plain(p.b, start, m)
	}
	if end < 0 || !m.ok() {
		n.Approx = true
		end = min(start+1, len(p.b))
		if y.Value == "" && n.Style == Plain {
			end = start
		}
		n.Span = p.f.Span(start, end)
		return
	}
	_, n.m = m.b.Done()
	if m.srcEnd == 0 { // nothing recorded, an empty value: place it at start (after the opening quote)
		at := start
		if n.Style == DoubleQuoted || n.Style == SingleQuoted {
			at++
		}
		n.m = textmap.Identity(at, 0)
	}
	n.Span = p.f.Span(start, end)
}

// blanks reads the run of blanks and line breaks at b[i:] and returns its
// end, whether it holds a break, and the first break's and the following
// breaks' texts.
func blanks(b []byte, i int) (end int, broke bool, lead, trail string) {
	var t strings.Builder
	for i < len(b) {
		if isBlank(b[i]) {
			i++
			continue
		}
		n := breakLen(b, i)
		if n == 0 {
			break
		}
		if !broke {
			broke, lead = true, breakText(b, i, n)
		} else {
			t.WriteString(breakText(b, i, n))
		}
		i += n
	}
	return i, broke, lead, t.String()
}

// plain reads a plain scalar until it has produced the library's value:
// where a plain scalar ends depends on the indentation and flow level the
// library knew, but it never ends with a blank, so the first place where
// the value is complete is its end.
func plain(b []byte, i int, m *mapper) int {
	for m.dec < len(m.want) && !m.bad {
		if i >= len(b) {
			return -1
		}
		if isBlank(b[i]) || breakLen(b, i) > 0 {
			e, broke, lead, trail := blanks(b, i)
			if broke {
				m.repl(i, e, fold(lead, trail))
			} else {
				m.copy(b, i, e)
			}
			i = e
			continue
		}
		_, w := utf8.DecodeRune(b[i:])
		m.copy(b, i, i+w)
		i += w
	}
	return i
}

// quoted reads a single- or double-quoted scalar starting at its opening
// quote and returns the offset after its closing quote, -1 if none.
func quoted(b []byte, i int, q byte, m *mapper) int {
	if i >= len(b) || b[i] != q {
		return -1
	}
	i++
	for !m.bad {
		if i >= len(b) {
			return -1
		}
		// Non-blank characters.
		foldAt := -1 // an escaped line break starts a fold
		for i < len(b) && !isBlank(b[i]) && breakLen(b, i) == 0 {
			c := b[i]
			if q == '\'' && c == '\'' && i+1 < len(b) && b[i+1] == '\'' {
				m.repl(i, i+2, "'")
				i += 2
				continue
			}
			if c == q {
				break
			}
			if q == '"' && c == '\\' {
				if n := breakLen(b, i+1); n > 0 {
					foldAt = i
					i += 1 + n
					break
				}
				n, out := escape(b, i)
				if n == 0 {
					return -1
				}
				m.repl(i, i+n, out)
				i += n
				continue
			}
			_, w := utf8.DecodeRune(b[i:])
			m.copy(b, i, i+w)
			i += w
		}
		if i >= len(b) {
			return -1
		}
		if b[i] == q && foldAt < 0 {
			return i + 1
		}
		// Blanks and line breaks.
		s := i
		e, broke, lead, trail := blanks(b, i)
		switch {
		case foldAt >= 0: // the escaped break reads as nothing, later breaks as themselves
			if broke {
				trail = lead + trail
			}
			m.repl(foldAt, e, trail)
		case broke:
			m.repl(s, e, fold(lead, trail))
		default:
			m.copy(b, s, e)
		}
		i = e
		if foldAt >= 0 && i < len(b) && b[i] == q {
			return i + 1
		}
	}
	return -1
}

// escape decodes the double-quoted escape sequence at b[i] ('\\') and
// returns its length in the source and its text; 0 if it is invalid.
func escape(b []byte, i int) (int, string) {
	if i+1 >= len(b) {
		return 0, ""
	}
	c := b[i+1]
	switch c {
	case '0':
		return 2, "\x00"
	case 'a':
		return 2, "\a"
	case 'b':
		return 2, "\b"
	case 't', '\t':
		return 2, "\t"
	case 'n':
		return 2, "\n"
	case 'v':
		return 2, "\v"
	case 'f':
		return 2, "\f"
	case 'r':
		return 2, "\r"
	case 'e':
		return 2, "\x1b"
	case ' ', '"', '/', '\\':
		return 2, string(c)
	case 'N':
		return 2, "\u0085"
	case '_':
		return 2, "\u00a0"
	case 'L':
		return 2, "\u2028"
	case 'P':
		return 2, "\u2029"
	}
	digits := 0
	switch c {
	case 'x':
		digits = 2
	case 'u':
		digits = 4
	case 'U':
		digits = 8
	}
	if digits == 0 || i+2+digits > len(b) {
		return 0, ""
	}
	v := 0
	for _, h := range b[i+2 : i+2+digits] {
		switch {
		case '0' <= h && h <= '9':
			v = v<<4 | int(h-'0')
		case 'a' <= h && h <= 'f':
			v = v<<4 | int(h-'a'+10)
		case 'A' <= h && h <= 'F':
			v = v<<4 | int(h-'A'+10)
		default:
			return 0, ""
		}
	}
	if 0xD800 <= v && v <= 0xDFFF || v > 0x10FFFF {
		return 0, ""
	}
	return 2 + digits, string(rune(v))
}

// block reads a literal or folded block scalar from its indicator and
// returns the end of the last source byte its value came from.
func block(b []byte, i int, literal bool, m *mapper) int {
	if i >= len(b) || b[i] != '|' && b[i] != '>' {
		return -1
	}
	i++
	chomp := 0 // -1 strip, 0 clip, +1 keep
	for range 2 {
		if i < len(b) && b[i] == '+' {
			chomp = 1
			i++
		} else if i < len(b) && b[i] == '-' {
			chomp = -1
			i++
		} else if i < len(b) && '1' <= b[i] && b[i] <= '9' {
			i++
		}
	}
	end := i
	for i < len(b) && isBlank(b[i]) {
		i++
	}
	if i < len(b) && b[i] == '#' {
		for i < len(b) && breakLen(b, i) == 0 {
			i++
		}
	}
	n := breakLen(b, i)
	if n == 0 { // the header ends the file: no content
		return end
	}
	i += n
	indent := blockIndent(b, i, m.want)
	if indent < 0 {
		return -1
	}
	var scratch []byte
	// eat reads indentation and empty lines from the line start i, as
	// scanBlockScalarBreaks does, and returns where it stopped, that
	// line's start, the breaks read and where the last break ended.
	eat := func(i int) (int, int, string, int) {
		scratch = scratch[:0]
		brEnd := i
		for {
			ls := i
			for i < len(b) && b[i] == ' ' && i-ls < indent {
				i++
			}
			n := breakLen(b, i)
			if n == 0 {
				if i == len(b) && i > ls { // a final space-only line counts as a line
					scratch = append(scratch, '\n')
					brEnd = i
				}
				return i, ls, string(scratch), brEnd
			}
			scratch = append(scratch, breakText(b, i, n)...)
			i += n
			brEnd = i
		}
	}
	leadAt, lead := i, ""
	i, ls, trail, brEnd := eat(i)
	leadingBlank := false
	for i < len(b) && i-ls == indent && !m.bad {
		trailingBlank := isBlank(b[i])
		out := lead
		if !literal && !leadingBlank && !trailingBlank && lead != "" && lead[0] == '\n' {
			out = ""
			if trail == "" {
				out = " "
			}
		}
		m.repl(leadAt, i, out+trail)
		leadingBlank = isBlank(b[i])
		cs := i
		for i < len(b) && breakLen(b, i) == 0 {
			i++
		}
		m.copy(b, cs, i)
		leadAt, lead = i, ""
		if n := breakLen(b, i); n > 0 {
			lead = breakText(b, i, n)
			i += n
		} else if onlyBlanks(b[cs:i]) { // a final blank content line keeps a line break
			lead = "\n"
		}
		i, ls, trail, brEnd = eat(i)
	}
	switch chomp {
	case 0:
		m.repl(leadAt, leadAt+breakLen(b, leadAt), lead)
	case 1:
		m.repl(leadAt, brEnd, lead+trail)
	}
	return max(end, m.srcEnd)
}

// blockIndent returns the indentation of a block scalar's content that
// starts at line start i. Each leading empty line of the value is one
// source line; on the next, the value's first line is what follows the
// indentation. (An explicit indentation indicator counts from the
// parent's indentation, which the nodes do not give.) A value without
// content gets an indentation no line reaches.
func blockIndent(b []byte, i int, want string) int {
	if strings.Trim(want, "\n\u2028\u2029") == "" {
		return 1 << 30
	}
	k := 0
	for k < len(want) {
		if want[k] == '\n' {
			k++
		} else if strings.HasPrefix(want[k:], "\u2028") || strings.HasPrefix(want[k:], "\u2029") {
			k += 3
		} else {
			break
		}
		for i < len(b) && breakLen(b, i) == 0 {
			i++
		}
		if i == len(b) {
			return -1
		}
		i += breakLen(b, i)
	}
	vs := 0
	for k+vs < len(want) && want[k+vs] == ' ' {
		vs++
	}
	ls := i
	for i < len(b) && b[i] == ' ' {
		i++
	}
	return i - ls - vs
}

func onlyBlanks(b []byte) bool {
	for _, c := range b {
		if !isBlank(c) {
			return false
		}
	}
	return true
}
