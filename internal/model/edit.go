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

// Origin is the syntax a setting was written in. It spells edits to the
// setting in that syntax, so that a fix comes out as the origin writes it:
// a quoted option-file value, a percent-encoded DSN parameter, a flag
// inside a YAML list element.
type Origin interface {
	// Syntax names it for messages: "option file", "go-sql-driver/mysql DSN".
	Syntax() string
	// Offset returns the source offset of byte i of the decoded value
	// (i == len(Value) is the end of the value) and whether the bytes
	// [0, i) of the value are exactly the source bytes before it.
	Offset(s *Setting, i int) (off int, exact bool)
	// Spell writes v as a value in this syntax (quoted, escaped) for the
	// span ValueSpan; ok is false when the syntax cannot hold v there.
	Spell(s *Setting, v string) (text string, ok bool)
	// Removal is the span whose deletion removes the setting (its line, or
	// the parameter with one separator); ok is false when it cannot be
	// removed exactly.
	Removal(s *Setting) (span source.Span, ok bool)
}

// origin is s's origin; an option-file line has none set.
func (o *Setting) origin() Origin {
	if o.Origin == nil {
		return OptionLine{}
	}
	return o.Origin
}

// Syntax names the syntax the setting was written in.
func (o *Setting) Syntax() string { return o.origin().Syntax() }

// List splits the value on any of the separator bytes, keeping empty and
// space-padded elements as the program would see them. An element's span
// is exact when its bytes in the source are exactly its text.
func (o *Setting) List(seps string) []Item {
	org := o.origin()
	base, whole := org.Offset(o, 0)
	if _, whole = org.Offset(o, len(o.Value)); !whole {
		_, line := org.(OptionLine)
		base = -1
		if line {
			base = -2 // an option-file value is exact as a whole or not at all
		}
	}
	var items []Item
	start := 0
	v := o.Value
	for i := 0; i <= len(v); i++ {
		if i < len(v) && strings.IndexByte(seps, v[i]) < 0 {
			continue
		}
		it := Item{Text: v[start:i], Span: o.ValueSpan}
		switch {
		case base >= 0:
			it.Span, it.Exact = source.Span{File: o.ValueSpan.File, Start: base + start, End: base + i}, true
		case base == -1:
			a, exactA := org.Offset(o, start)
			b, exactB := org.Offset(o, i)
			if exactA && exactB && b-a == i-start {
				it.Span, it.Exact = source.Span{File: o.ValueSpan.File, Start: a, End: b}, true
			}
		}
		items = append(items, it)
		start = i + 1
	}
	return items
}

// ValueExact reports whether the value's bytes in the source are exactly
// the value (no escapes), so that edits inside it can be placed exactly.
func (o *Setting) ValueExact() bool {
	_, exact := o.origin().Offset(o, len(o.Value))
	return exact
}

// SetValue returns the edit that makes the setting's value v, spelled in
// its origin's syntax; ok is false when that syntax cannot say v here.
func (o *Setting) SetValue(v string) (source.Edit, bool) {
	org := o.origin()
	text, ok := org.Spell(o, v)
	if !ok {
		return source.Edit{}, false
	}
	if _, line := org.(OptionLine); line && !o.HasValue {
		at := source.Span{File: o.KeySpan.File, Start: o.KeySpan.End, End: o.KeySpan.End}
		return source.Edit{Span: at, New: "=" + text}, true
	}
	return source.Edit{Span: o.ValueSpan, New: text}, true
}

// Remove returns the edit that removes the setting in its origin's syntax.
func (o *Setting) Remove() (source.Edit, bool) {
	sp, ok := o.origin().Removal(o)
	return source.Edit{Span: sp}, ok
}

// OptionLine is the origin of a line of a MySQL option file.
type OptionLine struct{}

// Syntax implements Origin.
func (OptionLine) Syntax() string { return "option file" }

// Offset implements Origin: a value is exact when it was written without
// escapes (quotes around it are fine).
func (OptionLine) Offset(o *Setting, i int) (int, bool) {
	s := o.ValueSpan
	if o.Quote != 0 && s.End-s.Start >= 2 {
		s = source.Span{File: s.File, Start: s.Start + 1, End: s.End - 1}
	}
	if s.End-s.Start != len(o.Value) || s.Text() != o.Value {
		return min(s.Start+i, s.End), false
	}
	return s.Start + i, true
}

// Spell implements Origin: quoted when v needs it, keeping the quote style
// already used.
func (OptionLine) Spell(o *Setting, v string) (string, bool) { return Quote(v, o.Quote), true }

// Removal implements Origin: the option's whole line, with its line end.
func (OptionLine) Removal(o *Setting) (source.Span, bool) {
	f := o.KeySpan.File
	line := f.Position(o.KeySpan.Start).Line
	return source.Span{File: f, Start: f.LineStart(line), End: f.LineStart(line + 1)}, true
}

// SetLine returns the edit that replaces the option (key through value,
// leaving any comment) with key=value, the value spelled in the option's
// own syntax: an empty value is two single quotes in an option file, and
// nothing after --tls-version= in a JSON command line. ok is false when
// that syntax cannot spell it.
func (o *Setting) SetLine(key, value string) (e source.Edit, ok bool) {
	v, ok := o.origin().Spell(o, value)
	if !ok {
		return source.Edit{}, false
	}
	return source.Edit{Span: o.Span(), New: key + "=" + v}, true
}

// Quote spells v as an option-file value. q is the quote character the
// value already had (0 for none); a value that needs quotes gets '"'.
func Quote(v string, q byte) string {
	needs := v == "" || strings.ContainsAny(v, "#'\"\\") || strings.TrimSpace(v) != v
	if q == 0 && !needs {
		return v
	}
	if q == 0 && v == "" {
		return "''" // the manual's spelling of an empty value (tls_version='')
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
