package dockerfile

import (
	"encoding/json"
	"path"
	"strconv"
	"strings"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/tlsvet/tlsvet/parsers/internal/textmap"
)

// scope holds the ARG and ENV values an instruction sees.
type scope struct{ vals map[string]value }

// value is a variable's value; known is false for an ARG without default,
// which only --build-arg sets.
type value struct {
	text  string
	known bool
}

func newScope() *scope { return &scope{vals: map[string]value{}} }

// flag is a builder flag such as --from=build.
type flag struct {
	name       string
	start, end int // the whole flag in the logical line
	value      *Word
}

// instructions BuildKit knows (parser.go's dispatch table) and does not
// need here.
var ignored = map[string]bool{
	"expose": true, "healthcheck": true, "label": true, "maintainer": true, "onbuild": true,
	"shell": true, "stopsignal": true, "user": true, "volume": true, "workdir": true,
}

func (p *parser) instruction(l *logical) {
	t := l.text
	ce := blankEnd(t, 0)
	cmd := strings.ToLower(t[:ce])
	sub := cmd
	if cmd == "onbuild" {
		// An ONBUILD RUN/COPY/ADD reads its heredocs here too
		// (canContainHeredoc); nothing else of it runs in this build.
		s := skipBlanks(t, ce)
		sub = strings.ToLower(t[s:blankEnd(t, s)])
	}
	flags, args := p.flags(l, skipBlanks(t, ce))
	if (sub == "run" || sub == "copy" || sub == "add") && !isJSONArray(t[args:]) && strings.Contains(t[args:], "<<") {
		l.heredocs = heredocWords(t[args:])
		p.readHeredocs(l)
	}
	if cmd != "from" && cmd != "arg" && p.cur == nil && (ignored[cmd] || knownCmd[cmd]) {
		p.problem(l.start, l.end, "instruction "+strings.ToUpper(cmd)+" before the first FROM")
		return
	}
	switch cmd {
	case "from":
		p.from(l, flags, args)
	case "arg":
		p.arg(l, args)
	case "env":
		p.env(l, args)
	case "copy", "add":
		p.copy(l, cmd == "add", flags, args)
	case "cmd", "entrypoint":
		c := p.command(l, args)
		if c == nil {
			return
		}
		if cmd == "cmd" {
			p.cur.Cmd = c
		} else {
			p.cur.Entrypoint = c
		}
	case "run":
		if !isJSONArray(t[args:]) {
			p.run1(l, args)
		}
	default:
		if !ignored[cmd] {
			s, e := l.span(0, ce)
			p.problem(s, e, "unknown instruction "+quote(t[:ce]))
		}
	}
}

var knownCmd = map[string]bool{"env": true, "copy": true, "add": true, "cmd": true, "entrypoint": true, "run": true}

func blankEnd(t string, i int) int {
	for i < len(t) && !isSpace(t[i]) {
		i++
	}
	return i
}

func skipBlanks(t string, i int) int {
	for i < len(t) && isSpace(t[i]) {
		i++
	}
	return i
}

// quotedEnd returns the end of the word at i, blanks inside quotes
// included (line_parsers.go's parseWords).
func (p *parser) quotedEnd(t string, i int) int {
	q := byte(0)
	for ; i < len(t); i++ {
		switch c := t[i]; {
		case q == 0 && isSpace(c):
			return i
		case q == 0 && (c == '\'' || c == '"'):
			q = c
		case q == c:
			q = 0
		case c == p.esc && q != '\'' && i+1 < len(t):
			i++
		}
	}
	return i
}

// flags reads the "--name[=value]" words after the instruction
// (split_command.go's extractBuilderFlags) and returns where the
// arguments start.
func (p *parser) flags(l *logical, i int) ([]flag, int) {
	t := l.text
	var out []flag
	for i < len(t) && strings.HasPrefix(t[i:], "--") {
		e := p.quotedEnd(t, i)
		if e == i+2 { // "--" ends the flags
			return out, skipBlanks(t, e)
		}
		f := flag{start: i, end: e}
		if eq := strings.IndexByte(t[i:e], '='); eq >= 0 {
			f.name = t[i+2 : i+eq]
			w := p.word(l, i+eq+1, e, p.vars)
			f.value = &w
		} else {
			f.name = t[i+2 : e]
		}
		out = append(out, f)
		i = skipBlanks(t, e)
	}
	return out, i
}

// word decodes l.text[i:end] as BuildKit's shell lexer does for FROM,
// COPY, ENV and ARG: quotes removed, the escape token escaping the byte
// after it, and $NAME, ${NAME}, ${NAME:-word}, ${NAME-word} substituted
// from sc. A reference to an ARG without a value is kept as written and
// makes the word Unknown.
func (p *parser) word(l *logical, i, end int, sc *scope) Word {
	t := l.text
	b := textmap.NewBuilder(i)
	w := Word{Literal: true}
	copyRun := func(s, e int) {
		if s < e {
			b.Copy(s, []byte(t[s:e]))
		}
	}
	for j := i; j < end; {
		switch c := t[j]; {
		case c == '\'':
			k := strings.IndexByte(t[j+1:end], '\'')
			w.Literal = false
			if k < 0 {
				s, e := l.span(j, end)
				p.problem(s, e, "unterminated single quote")
				copyRun(j+1, end)
				j = end
				break
			}
			b.Replaced(j, j+1, 0)
			copyRun(j+1, j+1+k)
			b.Replaced(j+1+k, j+2+k, 0)
			j += k + 2
		case c == '"':
			w.Literal = false
			b.Replaced(j, j+1, 0)
			j++
			for j < end && t[j] != '"' {
				switch {
				case t[j] == '$':
					j = p.dollar(t, j, end, b, sc, &w)
				case t[j] == p.esc && j+1 < end && (t[j+1] == '"' || t[j+1] == '$' || t[j+1] == p.esc):
					b.Replace(j, j+2, t[j+1:j+2])
					j += 2
				default:
					copyRun(j, j+1)
					j++
				}
			}
			if j >= end {
				s, e := l.span(i, end)
				p.problem(s, e, "unterminated double quote")
				break
			}
			b.Replaced(j, j+1, 0)
			j++
		case c == p.esc:
			w.Literal = false
			if j+1 < end {
				_, n := utf8.DecodeRuneInString(t[j+1:])
				b.Replace(j, j+1+n, t[j+1:j+1+n])
				j += 1 + n
			} else {
				b.Replaced(j, j+1, 0)
				j++
			}
		case c == '$':
			j = p.dollar(t, j, end, b, sc, &w)
		default:
			k := j + 1
			for k < end && t[k] != '\'' && t[k] != '"' && t[k] != p.esc && t[k] != '$' {
				k++
			}
			copyRun(j, k)
			j = k
		}
	}
	var m textmap.Map
	w.Text, m = b.Done()
	w.m = textmap.Compose(m, l.m)
	s, e := l.span(i, end)
	w.Span = p.f.Span(s, e)
	w.Literal = w.Literal && w.Span.Text() == w.Text
	return w
}

func isNameByte(c byte, first bool) bool {
	return c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || !first && c >= '0' && c <= '9'
}

// dollar substitutes the reference at t[j] ('$') and returns the offset
// after it.
func (p *parser) dollar(t string, j, end int, b *textmap.Builder, sc *scope, w *Word) int {
	keep := func(k int) int { // left as written: not a reference, or unknown
		b.Copy(j, []byte(t[j:k]))
		return k
	}
	if j+1 >= end {
		return keep(j + 1)
	}
	var name, op, def string
	k := j + 1
	if t[k] == '{' {
		c := strings.IndexByte(t[k:end], '}')
		if c < 0 {
			w.Unknown = true
			return keep(end)
		}
		body := t[k+1 : k+c]
		k += c + 1
		n := 0
		for n < len(body) && isNameByte(body[n], n == 0) {
			n++
		}
		name, op = body[:n], body[n:]
		switch {
		case name == "":
			w.Unknown = true
			return keep(k)
		case op == "":
		case strings.HasPrefix(op, ":-"):
			op, def = ":-", op[2:]
		case strings.HasPrefix(op, "-"):
			op, def = "-", op[1:]
		default: // :+, :?, pattern removal…: not worth guessing
			w.Unknown = true
			return keep(k)
		}
		if strings.ContainsAny(def, "$\"'\\`") {
			w.Unknown = true
			return keep(k)
		}
	} else {
		for k < end && isNameByte(t[k], k == j+1) {
			k++
		}
		if k == j+1 {
			return keep(k) // a lone '$' is itself
		}
		name = t[j+1 : k]
	}
	v, declared := sc.vals[name]
	switch {
	case declared && !v.known:
		w.Unknown = true
		return keep(k)
	case op == ":-" && (!declared || v.text == ""), op == "-" && !declared:
		v.text = def
	}
	w.subst = append(w.subst, [2]int{b.Len(), b.Len() + len(v.text)})
	b.Replace(j, k, v.text)
	w.Literal = false
	return k
}

// blankWords splits l.text[i:] on blanks and decodes each word, as FROM,
// COPY and ADD do (quotes do not protect blanks there).
func (p *parser) blankWords(l *logical, i int, sc *scope) []Word {
	var out []Word
	for i = skipBlanks(l.text, i); i < len(l.text); i = skipBlanks(l.text, i) {
		e := blankEnd(l.text, i)
		out = append(out, p.word(l, i, e, sc))
		i = e
	}
	return out
}

func (p *parser) from(l *logical, flags []flag, i int) {
	st := &Stage{Base: -1}
	s, e := l.span(0, len(l.text))
	st.Span = p.f.Span(s, e)
	for _, f := range flags {
		if f.name == "platform" && f.value != nil {
			st.Platform = f.value
		}
	}
	words := p.blankWords(l, i, p.glob)
	switch {
	case len(words) == 1:
	case len(words) == 3 && strings.EqualFold(words[1].Text, "as"):
		st.Name, st.NameSpan = words[2].Text, words[2].Span
	default:
		p.problem(s, e, "FROM takes an image and optionally AS and a stage name")
		if len(words) == 0 {
			return
		}
	}
	st.Image = words[0]
	// Stage names are case-insensitive; a later stage of the same name
	// wins for the FROM lines after it.
	if k, ok := p.names[strings.ToLower(st.Image.Text)]; ok {
		st.Base = k
	}
	if st.Name != "" {
		p.names[strings.ToLower(st.Name)] = len(p.out.Stages)
	}
	p.out.Stages = append(p.out.Stages, st)
	p.cur = st
	p.vars = newScope()
}

func (p *parser) arg(l *logical, i int) {
	t := l.text
	for i = skipBlanks(t, i); i < len(t); i = skipBlanks(t, i) {
		e := p.quotedEnd(t, i)
		a := Arg{}
		ne := e
		if eq := strings.IndexByte(t[i:e], '='); eq >= 0 {
			ne = i + eq
			a.HasDefault = true
			a.Default = p.word(l, ne+1, e, p.vars)
		}
		a.Name = t[i:ne]
		s, se := l.span(i, ne)
		a.NameSpan = p.f.Span(s, se)
		v := value{text: a.Default.Text, known: a.HasDefault && !a.Default.Unknown}
		if !a.HasDefault && p.cur != nil {
			// "ARG NAME" in a stage takes the global default, if any.
			v = p.glob.vals[a.Name]
		}
		p.vars.vals[a.Name] = v
		if p.cur == nil {
			p.out.Args = append(p.out.Args, a)
		} else {
			p.cur.Args = append(p.cur.Args, a)
		}
		i = e
	}
}

func (p *parser) env(l *logical, i int) {
	t := l.text
	e := p.quotedEnd(t, i)
	if i < len(t) && !strings.Contains(t[i:e], "=") {
		// Old form "ENV KEY value with blanks".
		v := skipBlanks(t, e)
		if v == len(t) {
			s, se := l.span(0, len(t))
			p.problem(s, se, "ENV must have two arguments")
			return
		}
		p.setEnv(l, i, e, p.word(l, v, len(t), p.vars))
		return
	}
	for ; i < len(t); i = skipBlanks(t, i) {
		e := p.quotedEnd(t, i)
		eq := strings.IndexByte(t[i:e], '=')
		if eq < 0 {
			s, se := l.span(i, e)
			p.problem(s, se, "ENV needs name=value, not "+quote(t[i:e]))
		} else {
			p.setEnv(l, i, i+eq, p.word(l, i+eq+1, e, p.vars))
		}
		i = e
	}
}

func (p *parser) setEnv(l *logical, ks, ke int, v Word) {
	s, e := l.span(ks, ke)
	p.cur.Env = append(p.cur.Env, Env{Key: l.text[ks:ke], KeySpan: p.f.Span(s, e), Value: v})
	p.vars.vals[l.text[ks:ke]] = value{v.Text, !v.Unknown}
}

func (p *parser) copy(l *logical, add bool, flags []flag, i int) {
	s, e := l.span(0, len(l.text))
	c := &Copy{Add: add, Span: p.f.Span(s, e)}
	for _, f := range flags {
		if f.name == "from" && f.value != nil {
			c.From = f.value
		}
	}
	words, exec, err := p.jsonArray(l, i)
	if err != "" {
		p.problem(s, e, err)
		return
	}
	c.Exec = exec
	if !exec {
		words = p.blankWords(l, i, p.vars)
	}
	if len(words) < 2 {
		p.problem(s, e, strings.ToUpper(l.text[:blankEnd(l.text, 0)])+" needs a source and a destination")
		return
	}
	c.Dest = words[len(words)-1]
	c.DestIsDir = strings.HasSuffix(c.Dest.Text, "/") || len(words) > 2
	hd := l.heredocs
	for _, w := range words[:len(words)-1] {
		src := &CopySource{Path: w}
		if h := heredocWord(w.Text); !exec && h != nil && len(hd) > 0 && hd[0].name == h.name {
			src.Heredoc = p.copyHeredoc(c, hd[0])
			hd = hd[1:]
		} else {
			src.Remote = add && (strings.Contains(w.Text, "://") || strings.HasPrefix(w.Text, "git@"))
			src.Context = c.From == nil && !src.Remote
			src.Absolute = strings.HasPrefix(w.Text, "/")
			cl := path.Clean(w.Text)
			src.OutsideContext = cl == ".." || strings.HasPrefix(cl, "../")
			if src.ContextPath = path.Clean("/" + w.Text)[1:]; src.ContextPath == "" {
				src.ContextPath = "."
			}
		}
		c.Sources = append(c.Sources, src)
	}
	p.cur.Copies = append(p.cur.Copies, c)
}

// copyHeredoc is the file "COPY <<NAME dest" writes: dest, or dest/NAME
// when dest is a directory.
func (p *parser) copyHeredoc(c *Copy, h *heredoc) *WrittenFile {
	f := &WrittenFile{Span: c.Span, Path: c.Dest, Via: "COPY", Content: h.text, Known: true, m: h.m}
	if c.Add {
		f.Via = "ADD"
	}
	if c.DestIsDir {
		// The file is dest/NAME: NAME maps to the end of dest.
		b := textmap.NewBuilder(c.Dest.Span.Start)
		d := &c.Dest
		if strings.HasSuffix(d.Text, "/") {
			trimmed := *d
			trimmed.Text = d.Text[:len(d.Text)-1]
			d = &trimmed
		}
		appendWord(b, p.src, d)
		b.Replace(c.Dest.Span.End, c.Dest.Span.End, "/"+h.name)
		f.Path.Text, f.Path.m = b.Done()
		f.Path.Literal = false
	}
	// An unquoted name expands variables and escapes in the body
	// (https://docs.docker.com/reference/dockerfile/#here-documents).
	if h.expand && strings.ContainsAny(h.text, "$"+string(p.esc)) {
		f.Known, f.Why = false, "the heredoc expands variables and escapes"
	}
	p.cur.Files = append(p.cur.Files, f)
	return f
}

func (p *parser) command(l *logical, i int) *Command {
	s, e := l.span(0, len(l.text))
	c := &Command{Span: p.f.Span(s, e)}
	words, exec, err := p.jsonArray(l, i)
	if err != "" {
		p.problem(s, e, err)
		return nil
	}
	if exec {
		c.Exec, c.Args = true, words
		return c
	}
	sh := p.newShell(l, i, len(l.text), l.m, nil)
	for _, tok := range sh.tokens() {
		if tok.op == "" {
			c.Args = append(c.Args, tok.w)
		}
	}
	return c
}

// isJSONArray reports whether rest is parsed as a JSON array (exec form).
func isJSONArray(rest string) bool {
	rest = strings.TrimLeft(rest, " \t\v\f\r\n")
	return strings.HasPrefix(rest, "[") && json.Valid([]byte(rest))
}

// jsonArray reads l.text[i:] as the exec form, a JSON array of strings
// (line_parsers.go's parseJSON): exec is false for any text that is not
// valid JSON, which is then shell form; an array holding anything but
// strings is an error.
func (p *parser) jsonArray(l *logical, i int) (words []Word, exec bool, err string) {
	t := l.text
	i = skipBlanks(t, i)
	if !isJSONArray(t[i:]) {
		return nil, false, ""
	}
	i = skipBlanks(t, i+1)
	for i < len(t) && t[i] != ']' {
		if t[i] != '"' {
			return nil, false, "when using JSON array syntax, arrays must be comprised of strings only"
		}
		w, e := p.jsonString(l, i)
		words = append(words, w)
		i = skipBlanks(t, e)
		if i < len(t) && t[i] == ',' {
			i = skipBlanks(t, i+1)
		}
	}
	return words, true, ""
}

// jsonString decodes the valid JSON string at l.text[i] with a map
// through its escapes, and returns the offset after it.
func (p *parser) jsonString(l *logical, i int) (Word, int) {
	t := l.text
	b := textmap.NewBuilder(i + 1)
	j := i + 1
	for t[j] != '"' {
		c := t[j]
		switch {
		case c == '\\':
			switch t[j+1] {
			case 'u':
				r, n := jsonRune(t, j)
				b.Replace(j, j+n, string(r))
				j += n
			default:
				b.Replace(j, j+2, string(map[byte]byte{'"': '"', '\\': '\\', '/': '/', 'b': '\b', 'f': '\f', 'n': '\n', 'r': '\r', 't': '\t'}[t[j+1]]))
				j += 2
			}
		case c < utf8.RuneSelf:
			k := j + 1
			for t[k] != '"' && t[k] != '\\' && t[k] < utf8.RuneSelf {
				k++
			}
			b.Copy(j, []byte(t[j:k]))
			j = k
		default:
			r, n := utf8.DecodeRuneInString(t[j:])
			if r == utf8.RuneError && n == 1 {
				b.Replace(j, j+1, "\uFFFD") // as encoding/json decodes it
			} else {
				b.Copy(j, []byte(t[j:j+n]))
			}
			j += n
		}
	}
	text, m := b.Done()
	s, e := l.span(i, j+1)
	w := Word{Text: text, Span: p.f.Span(s, e), m: textmap.Compose(m, l.m)}
	w.Literal = w.Span.Text() == text
	return w, j + 1
}

// jsonRune decodes \uXXXX, or a surrogate pair \uXXXX\uXXXX, at t[j].
func jsonRune(t string, j int) (rune, int) {
	hex := func(k int) rune {
		v, err := strconv.ParseUint(t[k+2:k+6], 16, 16)
		if err != nil {
			return -1
		}
		return rune(v)
	}
	r := hex(j)
	if utf16.IsSurrogate(r) {
		if j+12 <= len(t) && t[j+6] == '\\' && t[j+7] == 'u' {
			if d := utf16.DecodeRune(r, hex(j+6)); d != utf8.RuneError {
				return d, 12
			}
		}
		return utf8.RuneError, 6
	}
	return r, 6
}
