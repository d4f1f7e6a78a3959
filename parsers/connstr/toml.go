package connstr

import (
	"bytes"
	"errors"
	"fmt"
	"strconv"
	"unicode/utf8"

	"github.com/pelletier/go-toml/v2/unstable"

	"github.com/tlsvet/tlsvet/internal/source"
	"github.com/tlsvet/tlsvet/parsers/internal/textmap"
)

// toml reads a TOML file with go-toml's unstable parser, which gives the
// raw byte range of every key and value. Keys are dotted paths with
// array indexes (servers[0].dsn). After a syntax error reading stops, as
// the parser does.
func (s *scanner) toml() {
	b := s.f.Content[:len(s.f.Content):len(s.f.Content)] // offsets from capacities (see tomlOffset)
	// The parser keeps a node per array item of an expression, and grows
	// its arena by doubling: 1 M items cost it about 250 MB. Commas bound
	// the items; a configuration has far fewer.
	if n := bytes.Count(b, []byte{','}); n > maxTOMLCommas {
		s.res.Problems = append(s.res.Problems, Problem{Span: s.f.Span(0, 0),
			Msg: fmt.Sprintf("TOML: %d commas, more than %d: the parser's memory use grows too fast with array items, so this file is not read", n, maxTOMLCommas)})
		return
	}
	var p unstable.Parser
	p.Reset(b)
	table := ""
	arrays := map[string]int{} // [[name]] seen so far
	for p.NextExpression() {
		e := p.Expression()
		switch e.Kind {
		case unstable.Table, unstable.ArrayTable:
			k, _ := s.tomlKey(e.Key(), "")
			if e.Kind == unstable.ArrayTable {
				n := arrays[k]
				arrays[k] = n + 1
				k += "[" + strconv.Itoa(n) + "]"
			}
			table = k
		case unstable.KeyValue:
			s.tomlKeyValue(&p, e, table)
		}
	}
	if err := p.Error(); err != nil {
		off := len(b)
		var pe *unstable.ParserError
		if errors.As(err, &pe) {
			off = tomlOffset(b, pe.Highlight)
		}
		s.res.Problems = append(s.res.Problems, Problem{Span: s.f.Span(off, off), Msg: "TOML: " + err.Error() + "; the rest of the file is not read"})
	}
}

// maxTOMLCommas bounds the commas of a TOML file (see toml).
const maxTOMLCommas = 50000

// tomlOffset returns where sub, a slice of b (whose capacity is its
// length), starts in b.
func tomlOffset(b, sub []byte) int {
	if off := len(b) - cap(sub); off >= 0 && off <= len(b) {
		return off
	}
	return len(b)
}

// tomlKey joins a dotted key onto at and returns it with its span. A
// quoted part stays quoted (a."b.c"), so that the path reads back.
func (s *scanner) tomlKey(it unstable.Iterator, at string) (string, source.Span) {
	var sp source.Span
	for it.Next() {
		n := it.Node()
		part := string(n.Data)
		if raw := s.f.Content[n.Raw.Offset : n.Raw.Offset+n.Raw.Length]; len(raw) > 0 && (raw[0] == '"' || raw[0] == '\'') {
			part = string(raw)
		}
		at = join(at, part)
		end := int(n.Raw.Offset + n.Raw.Length)
		if !sp.IsValid() {
			sp = s.f.Span(int(n.Raw.Offset), end)
		}
		sp.End = end
	}
	return at, sp
}

func (s *scanner) tomlKeyValue(p *unstable.Parser, e *unstable.Node, at string) {
	k, ks := s.tomlKey(e.Key(), at)
	s.tomlValue(p, e.Value(), k, ks, 0)
}

// tomlValue considers the strings in v, whose path is at.
func (s *scanner) tomlValue(p *unstable.Parser, v *unstable.Node, at string, ks source.Span, depth int) {
	if depth > maxJSONDepth {
		return
	}
	switch v.Kind {
	case unstable.String:
		raw := p.Raw(v.Raw)
		start := int(v.Raw.Offset)
		c, m, ok := tomlMap(raw, start, string(v.Data))
		s.consider(value{key: at, keySpan: ks, text: string(v.Data), span: s.f.Span(start, start+len(raw)), c: c, m: m, approx: !ok})
	case unstable.Array:
		it := v.Children()
		for i := 0; it.Next(); i++ {
			s.tomlValue(p, it.Node(), at+"["+strconv.Itoa(i)+"]", source.Span{}, depth+1)
		}
	case unstable.InlineTable:
		it := v.Children()
		for it.Next() {
			if n := it.Node(); n.Kind == unstable.KeyValue {
				k, kks := s.tomlKey(n.Key(), at)
				s.tomlValue(p, n.Value(), k, kks, depth+1)
			}
		}
	}
}

// tomlMap decodes the TOML string raw, found at file offset start, into
// its map, and checks it against the parser's value want
// (https://toml.io/en/v1.0.0#string). ok is false when they differ.
func tomlMap(raw []byte, start int, want string) (Container, textmap.Map, bool) {
	q, n, c := raw[0], 1, TOMLBasic
	if q == '\'' {
		c = TOMLLiteral
	}
	if len(raw) >= 6 && raw[1] == q && raw[2] == q {
		n, c = 3, c+TOMLMultiBasic-TOMLBasic // the multi-line kinds follow in the same order
	}
	body := raw[n : len(raw)-n]
	at := start + n
	if n == 3 { // a line break right after the opening delimiter is trimmed
		switch {
		case len(body) > 0 && body[0] == '\n':
			body, at = body[1:], at+1
		case len(body) > 1 && body[0] == '\r' && body[1] == '\n':
			body, at = body[2:], at+2
		}
	}
	b := textmap.NewBuilder(at)
	run := 0
	for i := 0; i < len(body); {
		if q == '\'' || body[i] != '\\' {
			i++
			continue
		}
		b.Copy(at+run, body[run:i])
		k, dec := tomlEscape(body, i, n == 3)
		if k == 0 {
			return c, textmap.Map{}, false
		}
		b.Replace(at+i, at+i+k, dec)
		i += k
		run = i
	}
	b.Copy(at+run, body[run:])
	got, m := b.Done()
	return c, m, got == want
}

// tomlEscape decodes the escape at body[i] ('\\'), or in a multi-line
// string a line-ending backslash with the blanks and breaks after it.
func tomlEscape(body []byte, i int, multi bool) (int, string) {
	if i+1 >= len(body) {
		return 0, ""
	}
	if multi {
		j := i + 1
		for j < len(body) && (body[j] == ' ' || body[j] == '\t') {
			j++
		}
		if j < len(body) && (body[j] == '\n' || body[j] == '\r') {
			for j < len(body) && (body[j] == ' ' || body[j] == '\t' || body[j] == '\n' || body[j] == '\r') {
				j++
			}
			return j - i, ""
		}
	}
	switch c := body[i+1]; c {
	case 'b':
		return 2, "\b"
	case 't':
		return 2, "\t"
	case 'n':
		return 2, "\n"
	case 'f':
		return 2, "\f"
	case 'r':
		return 2, "\r"
	case 'e':
		return 2, "\x1b"
	case '"', '\\':
		return 2, string(c)
	case 'x', 'u', 'U':
		digits := 2
		switch c {
		case 'u':
			digits = 4
		case 'U':
			digits = 8
		}
		if i+2+digits > len(body) {
			return 0, ""
		}
		v, err := strconv.ParseUint(string(body[i+2:i+2+digits]), 16, 32)
		if err != nil || !utf8.ValidRune(rune(v)) {
			return 0, ""
		}
		return 2 + digits, string(rune(v))
	}
	return 0, ""
}
