// Package connstr finds MySQL and MariaDB connection strings in
// application configuration files (.env files, Java and Spring
// properties, YAML, JSON, TOML, Rails database.yml) and Go source, and
// gives for each its key, its decoded text with a map back to the file,
// the syntax for spelling a replacement inside its container, and its
// dialect (parsers/dsn).
//
// A string is ours when dsn.Detect names a dialect, or when it is a bare
// mysql:// or mariadb:// URL, which many drivers share (Generic). A Go
// driver DSN must hold "@tcp(" or "@unix(": the driver's parser accepts
// strings as bare as "/db", which would match ordinary text. PostgreSQL,
// SQL Server and Redis URLs are never ours. Spring's url keys and Rails'
// database.yml are read by key, so a URL there is reported even when its
// scheme (r2dbc:mysql:, mysql2://, trilogy://) names no dsn dialect.
//
// "${VAR}" references are resolved as the rule has it: a
// default written in the reference (${X:-v}, ${X-v}, Spring's ${X:v})
// is taken, else a value the project's .env sets (Env), else the
// variable is unknown and listed. Unset is the text compose would use if
// every unknown variable were unset (an empty string each), for rules
// about empty values. The process environment is never read.
//
// Password text is never kept: a DSN's password and secret parameters,
// and the values of secret-named keys (DB_PASSWORD), are masked in Value
// byte for byte (offsets stay valid) and marked secret on the file.
package connstr

import (
	"fmt"
	"slices"
	"strings"

	"github.com/tlsvet/tlsvet/internal/secret"
	"github.com/tlsvet/tlsvet/internal/source"
	"github.com/tlsvet/tlsvet/parsers/dsn"
	"github.com/tlsvet/tlsvet/parsers/internal/textmap"
)

// Result is what one file holds.
type Result struct {
	Strings []String
	// Settings are Rails database.yml TLS keys (mysql2 and trilogy), which
	// are settings of their own, not a DSN, and a url written in ERB,
	// whose value is unknown.
	Settings []Setting
	// Unknown lists each variable whose value is unknown once, at its
	// first reference, for one note per file naming them.
	Unknown  []Ref
	Problems []Problem
}

// String is one connection string.
type String struct {
	// Key is the file-relative path of the value: an env var or
	// properties key, a YAML path (spring.datasource.url,
	// production.url, servers[0].dsn), a JSON pointer (/db/url), a TOML
	// dotted key, a Go const or var name ("" for a literal without one).
	Key     string
	KeySpan source.Span // empty when there is no key
	// Value is the decoded text with references resolved, secrets masked
	// with '*' byte for byte.
	Value string
	// Unset is Value with every unknown variable empty, as compose
	// substitutes it; equal to Value when there are none.
	Unset string
	// Span is the value as written in the file, quotes included.
	Span      source.Span
	Container Container
	Dialect   dsn.Dialect
	// Generic marks a bare mysql:// or mariadb:// URL: Dialect is
	// dsn.Unknown and the candidates are chosen by the caller.
	Generic bool
	// Adapter is the Rails adapter of a database.yml url ("mysql2",
	// "trilogy"), when the file says it.
	Adapter string
	Unknown []string // names of the variables whose value is unknown
	m       textmap.Map
	approx  bool // the reader could not map the value: no span is exact
}

// SpanOf returns the file span of Value[start:end] and whether it is
// exact: both ends fall on source bytes that produce exactly that range
// (not inside an escape, a fold or a substituted reference). Only an
// exact span may be replaced by Container.Quote of new text.
func (s *String) SpanOf(start, end int) (source.Span, bool) {
	if s.approx {
		return s.Span, false
	}
	a, b := s.m.Range(start, end)
	return s.Span.File.Span(a, b), s.m.Exact(start, end)
}

// ParamSpan returns the file span of the decoded bytes [i, j) of
// parameter p's value, p from dsn.Parse of Value, and whether it is
// exact through both the DSN's and the container's encodings.
func (s *String) ParamSpan(p *dsn.Param, i, j int) (source.Span, bool) {
	if s.approx {
		return s.Span, false
	}
	m := textmap.Compose(paramMap(p), s.m)
	a, b := m.Range(i, j)
	return s.Span.File.Span(a, b), m.Exact(i, j)
}

// paramMap builds the map of p's decoded value onto the parsed string
// from dsn.Param.ValueOffset: a decoded byte whose source is one byte
// further on is verbatim, any other (a %XX escape, a doubled quote)
// stands for its source bytes.
func paramMap(p *dsn.Param) textmap.Map {
	if p.Secret {
		return textmap.Identity(p.ValueSpan.Start, 0)
	}
	b := textmap.NewBuilder(p.ValueSpan.Start)
	for i := 0; i < len(p.Value); i++ {
		s, e := p.ValueOffset(i), p.ValueOffset(i+1)
		if e-s == 1 {
			b.Verbatim(s, 1)
		} else {
			b.Replaced(s, e, 1)
		}
	}
	_, m := b.Done()
	return m
}

// Setting is a Rails database.yml key and value (ssl_mode, sslca…).
type Setting struct {
	Key       string // the YAML path, production.sslca
	Name      string // the key itself, sslca
	Value     string // decoded; "" when Unknown
	KeySpan   source.Span
	Span      source.Span // the value as written
	Container Container
	Adapter   string // the environment's adapter, "" when not written
	// Unknown marks an ERB value ("<%= ENV['CA'] %>"): no rule judges it.
	Unknown bool
	m       textmap.Map
}

// SpanOf is String.SpanOf for a setting's value.
func (s *Setting) SpanOf(start, end int) (source.Span, bool) {
	a, b := s.m.Range(start, end)
	return s.Span.File.Span(a, b), s.m.Exact(start, end) && !s.Unknown
}

// Ref is a variable reference whose value is unknown.
type Ref struct {
	Name string
	Span source.Span
}

// Problem is text a reader could not read; reading goes on after it.
type Problem struct {
	Span source.Span
	Msg  string
}

func (p Problem) Error() string {
	pos := p.Span.StartPos()
	return fmt.Sprintf("%s:%d:%d: %s", p.Span.File.Path, pos.Line, pos.Col, p.Msg)
}

// scanner is the state of one file's read.
type scanner struct {
	f       *source.File
	env     *Env
	res     *Result
	unknown map[string]bool // names in res.Unknown
	full    bool            // MaxStrings reached
}

// MaxStrings bounds the connection strings kept from one file: a real
// file holds a few, and each costs about 1 KB (its DSN is parsed to mask
// the password).
const MaxStrings = 1000

// value is a decoded value a reader found, before it is judged.
type value struct {
	key     string
	keySpan source.Span
	text    string
	span    source.Span
	c       Container
	m       textmap.Map
	refs    []ref // references in text; nil to scan text for ${...}
	approx  bool  // m is not a real map (see String.approx)
	spring  bool  // Spring placeholders: ${X:default}
	byKey   bool  // reported even when no dialect is detected (Spring url keys, Rails url)
	adapter string
}

// consider resolves v's references and keeps it when it is a
// connection string. The value of a secret-named key is marked secret
// whatever it holds (the readers of JSON, TOML and Go do not mark it).
func (s *scanner) consider(v value) {
	k := lastKey(v.key)
	secretKey := secret.Name(k) && !secret.Reference(k)
	if secretKey {
		s.f.MarkSecret(v.span.Start, v.span.End)
	}
	if v.refs == nil && strings.Contains(v.text, "${") {
		v.refs = scanRefs(v.text, v.spring)
	}
	text, unset, m, unknown := s.env.resolve(v.text, v.refs, v.m)
	d, generic, ok := classify(text)
	if !ok && !(v.byKey && ours(text)) {
		return
	}
	if len(s.res.Strings) == MaxStrings {
		if !s.full {
			s.full = true
			s.res.Problems = append(s.res.Problems, Problem{Span: v.span,
				Msg: fmt.Sprintf("more than %d connection strings: the rest of the file is not judged", MaxStrings)})
		}
		return
	}
	str := String{Key: v.key, KeySpan: v.keySpan, Span: v.span, Container: v.c, Dialect: d,
		Generic: generic, Adapter: v.adapter, m: m, approx: v.approx}
	for _, r := range unknown {
		if !slices.Contains(str.Unknown, r.name) {
			str.Unknown = append(str.Unknown, r.name)
		}
		if !s.unknown[r.name] {
			if s.unknown == nil {
				s.unknown = map[string]bool{}
			}
			s.unknown[r.name] = true
			s.res.Unknown = append(s.res.Unknown, Ref{Name: r.name, Span: v.span.File.Span(v.m.Range(r.start, r.end))})
		}
	}
	spans := secretSpans(text, d, secretKey)
	for _, sp := range spans {
		if v.approx { // the whole value rather than guessed bytes
			s.f.MarkSecret(v.span.Start, v.span.End)
		} else {
			s.f.MarkSecret(m.Range(sp.Start, sp.End))
		}
	}
	str.Value = mask(text, spans)
	str.Unset = str.Value
	if unset != text {
		str.Unset = mask(unset, secretSpans(unset, d, secretKey))
	}
	s.res.Strings = append(s.res.Strings, str)
}

// lastKey returns the last key of a path (password of
// spring.datasource.password, /db/password, servers[0].password): a
// secret word higher up (secrets.db.url) does not make a value secret.
func lastKey(path string) string {
	for strings.HasSuffix(path, "]") {
		i := strings.LastIndexByte(path, '[')
		if i < 0 {
			break
		}
		path = path[:i]
	}
	return path[strings.LastIndexAny(path, "./")+1:]
}

// mask returns text with the spans replaced by '*' byte for byte, so
// that offsets into it stay valid.
func mask(text string, spans []dsn.Span) string {
	if len(spans) == 0 {
		return text
	}
	b := []byte(text)
	for _, sp := range spans {
		for i := sp.Start; i < sp.End; i++ {
			b[i] = '*'
		}
	}
	return string(b)
}

// secretSpans returns the spans of text's password and secret
// parameters, parsing it as d (or, for a generic URL, finding the
// userinfo password); all of it under a secret-named key.
func secretSpans(text string, d dsn.Dialect, secretKey bool) []dsn.Span {
	if secretKey {
		return []dsn.Span{{Start: 0, End: len(text)}}
	}
	var out []dsn.Span
	if d != dsn.Unknown {
		if x, err := dsn.Parse(d, text); err == nil {
			if x.HasPassword {
				out = append(out, x.Password)
			}
			for _, p := range x.Params {
				if p.Secret {
					out = append(out, p.ValueSpan)
				}
			}
			return out
		}
	}
	// A URL's userinfo password: scheme://user:password@host.
	_, rest, ok := strings.Cut(text, "://")
	if !ok {
		return nil
	}
	base := len(text) - len(rest)
	at := strings.LastIndexByte(rest[:strings.IndexAny(rest+"/", "/?")], '@')
	if at < 0 {
		return nil
	}
	if c := strings.IndexByte(rest[:at], ':'); c >= 0 {
		out = append(out, dsn.Span{Start: base + c + 1, End: base + at})
	}
	return out
}

// classify returns the dialect of s, or Generic for a bare mysql:// or
// mariadb:// URL, and whether s is a connection string at all.
func classify(s string) (d dsn.Dialect, generic, ok bool) {
	t := strings.TrimSpace(s)
	switch d = dsn.Detect(t); {
	case d == dsn.GoMySQL:
		// The marker the driver's TCP and socket addresses carry.
		return d, false, strings.Contains(t, "@tcp(") || strings.Contains(t, "@unix(")
	case d != dsn.Unknown:
		return d, false, true
	}
	lower := strings.ToLower(t)
	if strings.HasPrefix(lower, "mysql://") || strings.HasPrefix(lower, "mariadb://") {
		return dsn.Unknown, true, true
	}
	return dsn.Unknown, false, false
}

// ours reports whether a URL under a connection key (Spring, Rails) is a
// MySQL or MariaDB one: its scheme names either.
func ours(s string) bool {
	scheme, _, ok := strings.Cut(strings.ToLower(strings.TrimSpace(s)), "//")
	return ok && (strings.Contains(scheme, "mysql") || strings.Contains(scheme, "mariadb") || strings.Contains(scheme, "trilogy"))
}
