package connstr

import (
	"strings"

	"github.com/tlsvet/tlsvet/internal/secret"
	"github.com/tlsvet/tlsvet/parsers/envfile"
	"github.com/tlsvet/tlsvet/parsers/internal/textmap"
)

// Env holds the variables a project's root .env sets, which compose uses
// to interpolate the project's files. The loader builds one per project;
// a nil *Env sets nothing.
type Env struct{ vars map[string]string }

// NewEnv takes the variables of a parsed root .env. A secret-named
// variable (DB_PASSWORD) is left out, so that its text is never copied
// into a connection string, and so is one whose own value refers to
// another variable: compose would resolve it from the environment,
// which tlsvet does not read.
func NewEnv(r *envfile.Result) *Env {
	e := &Env{vars: map[string]string{}}
	for _, en := range r.Entries {
		if en.HasValue && len(en.Refs) == 0 && !secret.Name(en.Key) {
			e.vars[en.Key] = en.Value
		}
	}
	return e
}

// Lookup returns the value the .env sets for name.
func (e *Env) Lookup(name string) (string, bool) {
	if e == nil {
		return "", false
	}
	v, ok := e.vars[name]
	return v, ok
}

// ref is a reference inside a decoded value: text[start:end] is
// "${name<op>arg}" or "$name"; arg starts at argAt.
type ref struct {
	name, op, arg     string
	start, end, argAt int
}

// fromEnvfile converts envfile's references (compose's full syntax).
func fromEnvfile(rs []envfile.Ref) []ref {
	out := make([]ref, 0, len(rs))
	for _, r := range rs {
		out = append(out, ref{name: r.Name, op: r.Op, arg: r.Arg, start: r.Start, end: r.End, argAt: r.End - 1 - len(r.Arg)})
	}
	return out
}

// scanRefs finds "${NAME}", "${NAME:-v}", "${NAME-v}" (and, for
// Spring, "${NAME:v}") in a value of a file that is not an env file. A
// reference whose body is not of these forms is left as text.
func scanRefs(s string, spring bool) []ref {
	var out []ref
	for i := 0; i < len(s); {
		j := strings.Index(s[i:], "${")
		if j < 0 {
			break
		}
		start := i + j
		depth, k := 1, start+2
		for ; k < len(s) && depth > 0; k++ {
			switch s[k] {
			case '{':
				depth++
			case '}':
				depth--
			}
		}
		if depth > 0 {
			break // unclosed: the rest is text, and no later "${" can close either
		}
		body := s[start+2 : k-1]
		n := 0
		for n < len(body) && (body[n] == '_' || body[n] == '.' && spring || 'a' <= body[n]|0x20 && body[n]|0x20 <= 'z' || n > 0 && '0' <= body[n] && body[n] <= '9') {
			n++
		}
		r := ref{name: body[:n], start: start, end: k}
		rest := body[n:]
		for _, op := range []string{":-", ":?", ":+", "-", "?", "+", ":"} {
			if strings.HasPrefix(rest, op) && (op != ":" || spring) {
				r.op, r.arg = op, rest[len(op):]
				rest = ""
				break
			}
		}
		if n > 0 && rest == "" {
			r.argAt = k - 1 - len(r.arg)
			out = append(out, r)
		}
		i = k
	}
	return out
}

// resolve substitutes refs in text (decoded, with map m to the file) and
// returns the result, the result with unknown variables empty, the
// result's map to the file and the unknown references. A default taken
// from the reference maps to its own bytes exactly; a value from the
// .env maps to the whole reference, approximately; an unknown reference
// stays as written.
func (e *Env) resolve(text string, refs []ref, m textmap.Map) (string, string, textmap.Map, []ref) {
	if len(refs) == 0 {
		return text, text, m, nil
	}
	var out, unset strings.Builder
	b := textmap.NewBuilder(0)
	var unknown []ref
	at := 0
	for _, r := range refs {
		out.WriteString(text[at:r.start])
		unset.WriteString(text[at:r.start])
		b.Verbatim(at, r.start-at)
		at = r.end
		v, set := e.Lookup(r.name)
		switch {
		case (r.op == ":-" || r.op == "-" || r.op == ":") && !strings.Contains(r.arg, "$"):
			out.WriteString(r.arg)
			unset.WriteString(r.arg)
			b.Replaced(r.start, r.argAt, 0)
			b.Verbatim(r.argAt, len(r.arg))
			b.Replaced(r.end-1, r.end, 0)
			continue
		case set && (r.op == ":+" || r.op == "+") && !strings.Contains(r.arg, "$"):
			if r.op == "+" || v != "" { // ":+" needs a value that is not empty
				v = r.arg
			}
		case set && r.op != ":+" && r.op != "+":
		default:
			unknown = append(unknown, r)
			out.WriteString(text[r.start:r.end])
			b.Verbatim(r.start, r.end-r.start)
			continue
		}
		out.WriteString(v)
		unset.WriteString(v)
		b.Replaced(r.start, r.end, len(v))
	}
	out.WriteString(text[at:])
	unset.WriteString(text[at:])
	b.Verbatim(at, len(text)-at)
	_, rm := b.Done()
	return out.String(), unset.String(), textmap.Compose(rm, m), unknown
}
