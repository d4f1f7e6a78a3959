package compose

import (
	"strings"
	"unicode/utf8"

	"github.com/tlsvet/tlsvet/internal/source"
	"github.com/tlsvet/tlsvet/parsers/internal/textmap"
	"github.com/tlsvet/tlsvet/parsers/yamlconf"
)

// Command is a command, entrypoint or healthcheck test: its arguments
// and the server options read from them.
type Command struct {
	Span source.Span // the value as written
	// List is true for the list form; the string form is split into
	// arguments as compose splits it (shell words, no shell).
	List bool
	// Var is true for the words of an environment variable (ExtraFlags).
	Var  bool
	Args []*Text
	// Flags are the "--name[=value]" options among Args, in order.
	Flags []Flag
}

// Flag is one "--name", "--name=value" or "--name value" argument.
type Flag struct {
	// Name is as written, without the leading dashes and before any '='
	// ("loose-tls-version", "skip-ssl").
	Name     string
	Arg      int  // index in Command.Args of "--name"
	Inline   bool // "--name=value"
	HasValue bool
	// Value is the option's value as the program reads it: after '=', or
	// the next argument when the option takes a value.
	Value   string
	KeySpan source.Span // "--name", dashes included
	// ValueSpan is the value's bytes in the file; empty after the key for
	// a bare flag. ValueExact: those bytes produce exactly the value
	// (they may hold escapes or a resolved reference), so replacing them
	// with Spell of a new value is a correct edit; false when an end
	// cuts an escape, a fold or a reference.
	ValueSpan  source.Span
	ValueExact bool
	// Swallowed: the option takes a value, is written without '=', and
	// the next argument is another option ("--name…" or "-x"), which the
	// program takes as this option's value rather than as an option of
	// its own (my_getopt's handling of required arguments). Value is that
	// argument's text.
	Swallowed bool
	// Unknown: the value holds a reference whose value is unknown.
	Unknown bool

	val *Text // the value's text: a part of an argument, or the next one
	cmd *Command
}

// Syntax names where the flag is written, for messages.
func (f *Flag) Syntax() string {
	if f.cmd.Var {
		return "server flag in a bitnami *_EXTRA_FLAGS variable"
	}
	if f.cmd.List {
		return "command-line flag in a compose list element"
	}
	return "command-line flag in a compose command string"
}

// Offset returns the file offset of byte i of Value (i == len(Value) is
// its end) and whether Value[:i] is exactly the file bytes before it, as
// model.Origin's Offset asks (a resolved reference or an escape is not).
func (f *Flag) Offset(i int) (int, bool) {
	if f.val == nil {
		return f.ValueSpan.Start, i == 0
	}
	sp, ok := f.val.SpanOf(0, i)
	off := sp.End
	if i < len(f.Value) {
		at, _ := f.val.SpanOf(i, i)
		off = at.Start
	}
	return off, ok && sp.Text() == f.Value[:i]
}

// Spell writes v for the span ValueSpan (when ValueExact): escaped for
// the YAML scalar, and, in a string-form command, only when the shell
// word splitting leaves it one argument.
func (f *Flag) Spell(v string) (string, bool) {
	if f.cmd.Var && (v == "" || strings.ContainsAny(v, " \t\n")) ||
		!f.cmd.List && !f.cmd.Var && (v == "" || strings.ContainsAny(v, " \t\r\n\\'\"`;&|<>()$")) {
		return "", false
	}
	t := f.val
	if t == nil {
		t = f.cmd.Args[f.Arg]
	}
	return t.Quote(v)
}

// Removal returns the span whose deletion removes the flag, its value
// and one separator; ok is false when that cannot be done exactly.
func (f *Flag) Removal() (source.Span, bool) {
	last := f.Arg
	if f.HasValue && !f.Inline {
		last++
	}
	return f.cmd.removal(f.Arg, last)
}

// removal spans Args[first..last] and one separator.
func (c *Command) removal(first, last int) (source.Span, bool) {
	a, b := c.Args[first], c.Args[last]
	if !c.List {
		s, ok1 := a.SpanOf(0, len(a.Value))
		e, ok2 := b.SpanOf(0, len(b.Value))
		if !ok1 || !ok2 || len(a.refs)+len(b.refs) > 0 {
			return a.Span, false
		}
		buf := s.File.Content
		end := e.End
		for end < a.Span.End && (buf[end] == ' ' || buf[end] == '\t') {
			end++
		}
		start := s.Start
		if end == e.End || end == a.Span.End {
			for start > a.Span.Start && (buf[start-1] == ' ' || buf[start-1] == '\t') {
				start--
			}
		}
		return s.File.Span(start, end), true
	}
	return listRemoval(c.Span, a.Span, b.Span, first == 0, last == len(c.Args)-1)
}

// listRemoval spans the items [a, b] of the sequence seq and one
// separator: in a flow sequence the ", " after them (before them for the
// last item); in a block sequence their whole lines, when they hold
// nothing else.
func listRemoval(seq, a, b source.Span, first, last bool) (source.Span, bool) {
	buf := seq.File.Content
	if seq.Start < len(buf) && buf[seq.Start] == '[' {
		if first && last {
			return seq.File.Span(a.Start, b.End), true
		}
		if !last {
			e := b.End
			for e < len(buf) && (buf[e] == ' ' || buf[e] == '\t') {
				e++
			}
			if e >= len(buf) || buf[e] != ',' {
				return a, false
			}
			e++
			for e < len(buf) && (buf[e] == ' ' || buf[e] == '\t') {
				e++
			}
			return seq.File.Span(a.Start, e), true
		}
		s := a.Start
		for s > seq.Start && (buf[s-1] == ' ' || buf[s-1] == '\t') {
			s--
		}
		if s <= seq.Start || buf[s-1] != ',' {
			return a, false
		}
		return seq.File.Span(s-1, b.End), true
	}
	// Block: "  - item\n" lines.
	s := a.Start
	for s > 0 && (buf[s-1] == ' ' || buf[s-1] == '\t') {
		s--
	}
	if s == 0 || buf[s-1] != '-' {
		return a, false
	}
	s--
	for s > 0 && (buf[s-1] == ' ' || buf[s-1] == '\t') {
		s--
	}
	if s > 0 && buf[s-1] != '\n' {
		return a, false
	}
	e := b.End
	for e < len(buf) && (buf[e] == ' ' || buf[e] == '\t') {
		e++
	}
	if e < len(buf) && buf[e] == '\r' {
		e++
	}
	if e < len(buf) && buf[e] != '\n' {
		return a, false
	}
	return seq.File.Span(s, min(e+1, len(buf))), true
}

// command reads a command-like value: a string, split into shell words,
// or a list of strings. null is nil.
func (p *parser) command(n *yamlconf.Node, takesValue func(string) bool) *Command {
	n = resolve(n)
	if n == nil || n.Kind == yamlconf.Scalar && n.Tag == "!!null" {
		return nil
	}
	c := &Command{Span: n.Span}
	switch n.Kind {
	case yamlconf.Scalar:
		c.Args = p.split(p.text(n), n)
	case yamlconf.Sequence:
		c.List = true
		for _, it := range n.Items {
			if it = resolve(it); it != nil && it.Kind == yamlconf.Scalar {
				c.Args = append(c.Args, p.text(it))
			}
		}
	default:
		return nil
	}
	c.flags(takesValue)
	return c
}

// flags reads the server options of c's arguments. An argument that is
// not "--…" is not an option; "--" alone ends the options.
func (c *Command) flags(takesValue func(string) bool) {
	for i := 0; i < len(c.Args); i++ {
		a := c.Args[i]
		if a.Value == "--" {
			return
		}
		if !strings.HasPrefix(a.Value, "--") || len(a.Value) == 2 {
			continue
		}
		f := Flag{Arg: i, cmd: c}
		name := a.Value[2:]
		eq := strings.IndexByte(name, '=')
		keyEnd := len(a.Value)
		if eq >= 0 {
			name = name[:eq]
			keyEnd = 2 + eq
			f.Inline, f.HasValue = true, true
			f.val = a.slice(keyEnd+1, len(a.Value))
		}
		f.Name = name
		f.KeySpan, _ = a.SpanOf(0, keyEnd)
		if eq < 0 && takesValue != nil && takesValue(name) && i+1 < len(c.Args) {
			f.HasValue, f.val = true, c.Args[i+1]
			f.Swallowed = len(f.val.Value) > 1 && f.val.Value[0] == '-'
			i++
		}
		if f.val != nil {
			f.Value = f.val.Value
			f.ValueSpan, f.ValueExact = f.val.SpanOf(0, len(f.val.Value))
			f.Unknown = len(f.val.refs) > 0
		} else {
			f.ValueSpan = f.KeySpan.File.Span(f.KeySpan.End, f.KeySpan.End)
		}
		c.Flags = append(c.Flags, f)
	}
}

// split splits t into arguments as compose splits a string-form command:
// github.com/mattn/go-shellwords v1.0.12 Parse, as compose-go v2.13.0
// types/command.go calls it (no environment, no backticks). Quotes are
// removed, a backslash escapes the next character except inside single
// quotes, and an unquoted ';', '&', '|', '<' or '>' ends the command
// (the rest is dropped). An unknown reference is kept whole: its value
// would be split only at deploy time. A string the library rejects
// (an unclosed quote) is a problem, and compose refuses the file.
func (p *parser) split(t *Text, n *yamlconf.Node) []*Text {
	v := t.Value
	var out []*Text
	var b *textmap.Builder
	var buf strings.Builder
	var refs, groups [][2]int
	quoteAt := 0
	got := false
	var single, double, escaped, back, dollar bool
	flush := func() {
		if got {
			s := buf.String()
			_, m := b.Done()
			a := &Text{Value: s, Span: t.Span, Container: t.Container, approx: t.approx, m: m, parent: t, refs: refs, groups: groups}
			a.Unknown = names(s, refs)
			out = append(out, a)
		}
		buf.Reset()
		b, refs, groups, got = textmap.NewBuilder(0), nil, nil, false
	}
	flush()
	add := func(i, w int) {
		buf.WriteString(v[i : i+w])
		b.Verbatim(i, w)
		got = true
	}
	ri := 0
	bad := false
loop:
	for i := 0; i < len(v); {
		for ri < len(t.refs) && t.refs[ri][1] <= i {
			ri++
		}
		if ri < len(t.refs) && t.refs[ri][0] == i {
			r := t.refs[ri]
			at := buf.Len()
			add(i, r[1]-r[0])
			refs = append(refs, [2]int{at, buf.Len()})
			i = r[1]
			continue
		}
		c := v[i]
		_, w := utf8.DecodeRuneInString(v[i:])
		switch {
		case c == '\\' && !single:
			// The escape and its character are one piece: a range that
			// cuts it is not exact.
			if i+1 == len(v) {
				escaped = true
				break loop
			}
			if ri < len(t.refs) && t.refs[ri][0] == i+1 { // the reference is read whole
				b.Replaced(i, i+1, 0)
				i++
				continue
			}
			_, w = utf8.DecodeRuneInString(v[i+1:])
			buf.WriteString(v[i+1 : i+1+w])
			b.Replaced(i, i+1+w, w)
			got = true
			i += 1 + w
			continue
		case c == '\\':
		case c == ' ' || c == '\t' || c == '\r' || c == '\n':
			if single || double || back || dollar {
				break
			}
			flush()
			i++
			continue
		case c == '`' && !single && !double && !dollar:
			back = !back
		case c == ')' && !single && !double && !back:
			dollar = !dollar
		case c == '(' && !single && !double && !back:
			if !dollar && strings.HasSuffix(buf.String(), "$") {
				dollar = true
				break
			}
			bad = true
			break loop
		case c == '"' && !single && !dollar:
			if double {
				got = true
				groups = append(groups, [2]int{quoteAt, buf.Len()})
			}
			double, quoteAt = !double, buf.Len()
			b.Replaced(i, i+1, 0)
			i++
			continue
		case c == '\'' && !double && !dollar:
			if single {
				got = true
				groups = append(groups, [2]int{quoteAt, buf.Len()})
			}
			single, quoteAt = !single, buf.Len()
			b.Replaced(i, i+1, 0)
			i++
			continue
		case strings.IndexByte(";&|<>", c) >= 0 && !single && !double && !back && !dollar:
			if c == '>' && buf.Len() > 0 && '0' <= buf.String()[0] && buf.String()[0] <= '9' {
				got = false // "2>": the descriptor is not an argument
			}
			break loop
		}
		add(i, w)
		i += w
	}
	flush()
	if bad || escaped || single || double || back || dollar {
		p.problem(n.Span, "this command string cannot be split into arguments (an unclosed quote or parenthesis, or a trailing backslash): compose refuses the file")
	}
	return out
}

// ExtraFlags returns the server flags of the bitnami images' variable
// MYSQL_EXTRA_FLAGS or MARIADB_EXTRA_FLAGS (the last one set), nil when
// neither is set. The images split its first line at blanks, with no
// quoting (bitnami/containers, bitnami/mysql/*/rootfs/opt/bitnami/scripts/libmysql.sh,
// mysql_extra_flags: read -r -a userExtraFlags <<< "$DB_EXTRA_FLAGS").
func (s *Service) ExtraFlags(takesValue func(string) bool) *Command {
	var v *Text
	for _, e := range s.Environment {
		if (e.Key == "MYSQL_EXTRA_FLAGS" || e.Key == "MARIADB_EXTRA_FLAGS") && e.Value != nil {
			v = e.Value
		}
	}
	if v == nil {
		return nil
	}
	c := &Command{Span: v.Span, Var: true}
	line := v.Value
	if i := strings.IndexByte(line, '\n'); i >= 0 {
		line = line[:i]
	}
	for i := 0; i < len(line); {
		if line[i] == ' ' || line[i] == '\t' {
			i++
			continue
		}
		j := i
		for j < len(line) && line[j] != ' ' && line[j] != '\t' {
			j++
		}
		c.Args = append(c.Args, v.slice(i, j))
		i = j
	}
	c.flags(takesValue)
	return c
}
