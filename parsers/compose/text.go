package compose

import (
	"strings"

	"github.com/tlsvet/tlsvet/internal/source"
	"github.com/tlsvet/tlsvet/parsers/connstr"
	"github.com/tlsvet/tlsvet/parsers/internal/textmap"
	"github.com/tlsvet/tlsvet/parsers/yamlconf"
)

// Env gives the variables compose interpolates with: the project's .env
// (*connstr.Env implements it). tlsvet's own environment is never read.
type Env interface {
	Lookup(name string) (string, bool)
}

// Text is a string value of a compose file, or a part of one (an
// argument of a string-form command, the source of a short-syntax
// volume), after YAML decoding and interpolation.
type Text struct {
	// Value is the text compose uses, with "${VAR}" references resolved:
	// a value the Env sets, else an explicit default (even an empty one);
	// a reference with neither stays as written and is listed in Unknown.
	Value   string
	Unknown []string // names of the variables whose value is unknown
	// Span is the YAML scalar holding the text, quotes included.
	Span source.Span
	// Container is the YAML syntax of that scalar, for spelling a
	// replacement (see Quote).
	Container connstr.Container

	refs [][2]int // unknown references, offsets in Value
	// groups are decoded ranges written inside a syntax that pairs (the
	// default of "${VAR:-default}", a shell-quoted word): a range that
	// covers part of one and more would cut the pairing.
	groups [][2]int
	// m maps Value to parent's Value, or to the file when parent is nil.
	m      textmap.Map
	parent *Text
	approx bool
}

// SpanOf returns the file span of Value[i:j] and whether it is exact:
// the source bytes produce exactly that range (neither end cuts an
// escape, a fold, a resolved reference or a quoted word, and no unknown
// reference is in it). Only an exact span may be replaced by Quote of
// new text.
func (t *Text) SpanOf(i, j int) (source.Span, bool) {
	if t.approx || i < 0 || j < i || j > len(t.Value) {
		return t.Span, false
	}
	s, e := t.m.Range(i, j)
	ok := t.m.Exact(i, j) && t.clean(i, j)
	if t.parent == nil {
		return t.Span.File.Span(s, e), ok
	}
	sp, pok := t.parent.SpanOf(s, e)
	return sp, ok && pok
}

// clean reports whether [i, j) touches no unknown reference and covers
// no part of a group without being inside it.
func (t *Text) clean(i, j int) bool {
	for _, r := range t.refs {
		if i < r[1] && j > r[0] {
			return false
		}
	}
	for _, g := range t.groups {
		if i < g[1] && j > g[0] && (i < g[0] || j > g[1]) {
			return false
		}
	}
	return true
}

// Unset is Value with every unknown reference replaced by the empty
// string, as compose substitutes an unset variable.
func (t *Text) Unset() string {
	if len(t.refs) == 0 {
		return t.Value
	}
	var b strings.Builder
	at := 0
	for _, r := range t.refs {
		b.WriteString(t.Value[at:r[0]])
		at = r[1]
	}
	b.WriteString(t.Value[at:])
	return b.String()
}

// Quote spells text for replacing an exact span of Value: escaped for
// the YAML scalar and with '$' doubled, since compose interpolates every
// value. ok is false when the scalar cannot hold it.
func (t *Text) Quote(text string) (string, bool) {
	return t.Container.Quote(strings.ReplaceAll(text, "$", "$$"))
}

// slice returns the part Value[i:j] as a Text of its own.
func (t *Text) slice(i, j int) *Text {
	s := &Text{Value: t.Value[i:j], Span: t.Span, Container: t.Container, approx: t.approx,
		m: textmap.Identity(i, j-i), parent: t}
	var whole [][2]int
	for _, r := range t.refs {
		if r[0] < j && r[1] > i { // a reference the cut splits stays unknown in each part
			s.refs = append(s.refs, [2]int{max(r[0], i) - i, min(r[1], j) - i})
			whole = append(whole, r)
		}
	}
	s.Unknown = names(t.Value, whole)
	return s
}

// names lists the variables of the references refs of v, once each.
func names(v string, refs [][2]int) []string {
	var out []string
	seen := map[string]bool{}
	for _, r := range refs {
		if n := refName(v[r[0]:r[1]]); !seen[n] {
			seen[n] = true
			out = append(out, n)
		}
	}
	return out
}

// refName is the variable name of a reference as written.
func refName(ref string) string {
	ref = strings.TrimPrefix(strings.TrimPrefix(ref, "$"), "{")
	return ref[:nameLen(ref)]
}

func containerOf(s yamlconf.Style) connstr.Container {
	switch s {
	case yamlconf.SingleQuoted:
		return connstr.YAMLSingle
	case yamlconf.DoubleQuoted:
		return connstr.YAMLDouble
	case yamlconf.Literal:
		return connstr.YAMLLiteral
	case yamlconf.Folded:
		return connstr.YAMLFolded
	}
	return connstr.YAMLPlain
}

// text interpolates scalar n. Problems are reported on p.
func (p *parser) text(n *yamlconf.Node) *Text {
	t := &Text{Span: n.Span, Container: containerOf(n.Style), approx: n.Approx}
	in := &interp{env: p.env, v: n.Value, b: textmap.NewBuilder(0), bad: -1}
	in.run(0, len(n.Value))
	_, im := in.b.Done()
	t.Value = in.out.String()
	t.m = textmap.Compose(im, n.Map())
	t.refs, t.groups = in.refs, in.groups
	t.Unknown = names(t.Value, t.refs)
	if in.bad >= 0 {
		sp, _ := n.ValueSpan(in.bad, min(in.bad+2, len(n.Value)))
		p.problem(sp, "invalid interpolation: \"${\" does not start a valid \"${VAR}\" reference (write \"$$\" for a literal \"$\"); compose refuses the file")
	}
	return t
}

// interp resolves compose's interpolation syntax
// (https://github.com/compose-spec/compose-spec/blob/main/12-interpolation.md,
// compose-go v2.13.0 template/template.go): "$$" is a literal '$',
// "$VAR" and "${VAR}" a value, "${VAR:-d}" and "${VAR-d}" a default
// (when unset or empty, when unset), "${VAR:?e}" and "${VAR?e}" an
// error, "${VAR:+r}" and "${VAR+r}" a replacement; defaults may nest
// references. Offsets of the map's source are offsets in v.
type interp struct {
	env    Env
	v      string
	out    strings.Builder
	b      *textmap.Builder
	refs   [][2]int // unknown references, offsets in out
	groups [][2]int // resolved defaults, offsets in out
	bad    int      // offset in v of the first invalid "${", or -1
	depth  int      // nesting of defaults being resolved
}

// maxDepth bounds nested defaults ("${A:-${B:-…}}"): deeper ones are
// unknown, which keeps a hostile value's work linear.
const maxDepth = 8

func (in *interp) lookup(name string) (string, bool) {
	if in.env == nil {
		return "", false
	}
	return in.env.Lookup(name)
}

func (in *interp) copy(s, e int) {
	if s < e {
		in.out.WriteString(in.v[s:e])
		in.b.Verbatim(s, e-s)
	}
}

// run resolves v[s:e] into out.
func (in *interp) run(s, e int) {
	v := in.v
	at := s
	for i := s; i < e; {
		j := strings.IndexByte(v[i:e], '$')
		if j < 0 {
			break
		}
		i += j
		if i+1 >= e {
			break
		}
		switch c := v[i+1]; {
		case c == '$':
			in.copy(at, i)
			in.out.WriteByte('$')
			in.b.Replaced(i, i+2, 1)
			i += 2
			at = i
		case c == '{':
			end := closeBrace(v, i, e)
			body := ""
			if end > 0 {
				body = v[i+2 : end-1]
			}
			n := nameLen(body)
			op, arg := "", ""
			rest := body[n:]
			for _, o := range []string{":-", ":?", ":+", "-", "?", "+"} {
				if strings.HasPrefix(rest, o) {
					op, arg, rest = o, rest[len(o):], ""
					break
				}
			}
			if end < 0 || n == 0 || rest != "" {
				// compose refuses the file; the rest is kept as text,
				// which also keeps hostile input linear.
				if in.bad < 0 {
					in.bad = i
				}
				in.copy(at, e)
				return
			}
			in.copy(at, i)
			in.ref(i, end, body[:n], op, end-1-len(arg))
			i, at = end, end
		case c == '_' || 'a' <= c|0x20 && c|0x20 <= 'z':
			n := nameLen(v[i+1 : e])
			in.copy(at, i)
			in.ref(i, i+1+n, v[i+1:i+1+n], "", i+1+n)
			i = i + 1 + n
			at = i
		default:
			i++
		}
	}
	in.copy(at, e)
}

// ref resolves the reference v[s:e] to name with operator op, whose
// argument is v[argAt:e-1]. A value from the Env is one piece standing
// for the whole reference; a default maps to its own bytes; an unknown
// reference stays as written.
func (in *interp) ref(s, e int, name, op string, argAt int) {
	val, set := in.lookup(name)
	switch {
	case set && (op == ":-" && val == "" || op == ":+" && val != "" || op == "+"):
		in.arg(s, e, argAt)
		return
	case set && op != ":+":
		in.out.WriteString(val)
		in.b.Replaced(s, e, len(val))
		return
	case set: // ":+" of an empty value
		in.b.Replaced(s, e, 0)
		return
	case (op == ":-" || op == "-") && in.depth < maxDepth:
		in.arg(s, e, argAt)
		return
	}
	at := in.out.Len()
	in.copy(s, e)
	in.refs = append(in.refs, [2]int{at, in.out.Len()})
}

// arg resolves the argument of reference v[s:e], which maps to its own
// bytes.
func (in *interp) arg(s, e, argAt int) {
	in.b.Replaced(s, argAt, 0)
	in.depth++
	at := in.out.Len()
	in.run(argAt, e-1)
	in.groups = append(in.groups, [2]int{at, in.out.Len()})
	in.depth--
	in.b.Replaced(e-1, e, 0)
}

// closeBrace returns the offset after the '}' closing the "${" at v[i],
// -1 if none before e. Braces nest, as in compose-go's
// getFirstBraceClosingIndex.
func closeBrace(v string, i, e int) int {
	depth := 0
	for k := i + 1; k < e; k++ {
		switch v[k] {
		case '{':
			depth++
		case '}':
			depth--
			if depth == 0 {
				return k + 1
			}
		}
	}
	return -1
}

// nameLen returns the length of the variable name at the start of s:
// [_A-Za-z][_A-Za-z0-9]*, compose-go's substitutionNamed, case-insensitive.
func nameLen(s string) int {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c != '_' && !('a' <= c|0x20 && c|0x20 <= 'z') && !(i > 0 && '0' <= c && c <= '9') {
			return i
		}
	}
	return len(s)
}
