package model

import (
	"strings"

	"github.com/tlsvet/tlsvet/internal/source"
)

// Item is one element of a list value (a tls_version token, a cipher).
type Item struct {
	Text  string      // as the program sees it (no trimming: " TLSv1.3" keeps its space)
	Span  source.Span // exact bytes when Exact, else the whole value
	Exact bool
}

// rawValue returns the value's bytes between any quotes, and whether they
// are exactly the value the program sees (no escapes were processed).
func (o *Option) rawValue() (source.Span, bool) {
	s := o.ValueSpan
	if o.Quote != 0 && s.End-s.Start >= 2 {
		s = source.Span{File: s.File, Start: s.Start + 1, End: s.End - 1}
	}
	return s, s.Text() == o.Value
}

// List splits the value on any of the separator bytes, keeping empty and
// space-padded elements as the program would see them.
func (o *Option) List(seps string) []Item {
	raw, exact := o.rawValue()
	var items []Item
	start := 0
	v := o.Value
	for i := 0; i <= len(v); i++ {
		if i < len(v) && strings.IndexByte(seps, v[i]) < 0 {
			continue
		}
		it := Item{Text: v[start:i], Span: o.ValueSpan, Exact: exact}
		if exact {
			it.Span = raw.Sub(start, i)
		}
		items = append(items, it)
		start = i + 1
	}
	return items
}

// ValueExact reports whether the value's bytes in the file are exactly the
// value (no escapes), so that edits inside it can be placed exactly.
func (o *Option) ValueExact() bool {
	_, exact := o.rawValue()
	return exact
}

// SetValue returns the edit that makes the option's value v, spelled in
// option-file syntax: quoted when v needs it (a '#', surrounding spaces,
// an empty string), keeping the quote style already used.
func (o *Option) SetValue(v string) source.Edit {
	if !o.HasValue {
		at := source.Span{File: o.KeySpan.File, Start: o.KeySpan.End, End: o.KeySpan.End}
		return source.Edit{Span: at, New: "=" + Quote(v, 0)}
	}
	return source.Edit{Span: o.ValueSpan, New: Quote(v, o.Quote)}
}

// SetLine returns the edit that replaces the option (key through value,
// leaving any comment) with text, e.g. "ssl-mode=REQUIRED".
func (o *Option) SetLine(text string) source.Edit {
	return source.Edit{Span: o.Span(), New: text}
}

// DeleteLine returns the edit that removes the option's whole line,
// including its line end.
func (o *Option) DeleteLine() source.Edit {
	f := o.KeySpan.File
	line := f.Position(o.KeySpan.Start).Line
	start := f.LineStart(line)
	end := f.LineStart(line + 1)
	return source.Edit{Span: source.Span{File: f, Start: start, End: end}}
}

// Quote spells v as an option-file value. q is the quote character the
// value already had (0 for none); a value that needs quotes gets '"'.
func Quote(v string, q byte) string {
	needs := v == "" || strings.ContainsAny(v, "#'\"\\") || strings.TrimSpace(v) != v
	if q == 0 && !needs {
		return v
	}
	if q == 0 {
		q = '"'
	}
	var b strings.Builder
	b.WriteByte(q)
	for i := 0; i < len(v); i++ {
		if v[i] == q || v[i] == '\\' {
			b.WriteByte('\\')
		}
		b.WriteByte(v[i])
	}
	b.WriteByte(q)
	return b.String()
}
