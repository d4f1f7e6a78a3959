package dockerfile

import (
	"path"
	"strings"

	"github.com/tlsvet/tlsvet/parsers/internal/textmap"
)

// shell splits shell text (a RUN line, a CMD in shell form, a heredoc
// script) into words and operators the way a POSIX shell does, far
// enough to find "printf … > file", "echo … >> file" and heredocs fed to
// cat or tee. Anything the shell would expand ($…, `…`) makes its word
// Unknown; nothing is ever run.
type shell struct {
	p     *parser
	t     string
	m     textmap.Map // offsets in t to offsets in the file
	i     int
	end   int
	ext   []*heredoc // bodies the Dockerfile reader read for a RUN line
	own   bool       // bodies follow in t itself (a heredoc script)
	depth int
	// unsure: the script is an unquoted heredoc, expanded before it runs.
	unsure bool
}

// token is a word (op == "") or an operator; a redirection holds its
// target word, and "<<" its body.
type token struct {
	op         string
	fd         string
	w          Word
	body       *heredoc
	start, end int // in t
}

func (p *parser) newShell(l *logical, i, end int, m textmap.Map, ext []*heredoc) *shell {
	return &shell{p: p, t: l.text, m: m, i: i, end: end, ext: ext}
}

func isOpByte(c byte) bool {
	return c == ';' || c == '&' || c == '|' || c == '(' || c == ')' || c == '<' || c == '>' || c == '\n'
}

// tokens lexes the whole text.
func (s *shell) tokens() []token {
	var out []token
	var pending []int // tokens "<<" whose bodies follow the next newline
	for {
		for s.i < s.end && (s.t[s.i] == ' ' || s.t[s.i] == '\t' || s.t[s.i] == '\r') {
			s.i++
		}
		if s.i >= s.end {
			break
		}
		c := s.t[s.i]
		switch {
		case c == '#':
			for s.i < s.end && s.t[s.i] != '\n' {
				s.i++
			}
		case c == '\\' && s.i+1 < s.end && s.t[s.i+1] == '\n':
			s.i += 2
		case isOpByte(c):
			tok := s.op("")
			if tok.op == "\n" && len(pending) > 0 {
				for _, k := range pending {
					s.ownBody(&out[k])
				}
				pending = nil
			}
			out = append(out, tok)
		default:
			start := s.i
			w := s.word()
			if k := start; k < s.i && s.i < s.end && (s.t[s.i] == '<' || s.t[s.i] == '>') && allDigits(s.t[start:s.i]) {
				out = append(out, s.op(s.t[k:s.i]))
				break
			}
			out = append(out, token{w: w, start: start, end: s.i})
		}
		if n := len(out); n > 0 && (out[n-1].op == "<<" || out[n-1].op == "<<-") && out[n-1].body == nil {
			tok := &out[n-1]
			if s.own {
				pending = append(pending, n-1)
			} else {
				s.extBody(tok)
			}
		}
	}
	for _, k := range pending {
		s.ownBody(&out[k]) // no newline after it: an empty, unterminated body
	}
	return out
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// op reads an operator at s.i, and a redirection's target word.
func (s *shell) op(fd string) token {
	start := s.i
	if fd != "" {
		start -= len(fd)
	}
	ops := []string{"&&", "||", ";;", "<<-", "<<", ">>", ">|", ">&", "<&", "<>", "&>", ";", "&", "|", "(", ")", "<", ">", "\n"}
	op := ""
	for _, o := range ops {
		if strings.HasPrefix(s.t[s.i:s.end], o) {
			op = o
			break
		}
	}
	s.i += len(op)
	tok := token{op: op, fd: fd, start: start}
	if op[0] == '<' || op[0] == '>' || op == "&>" {
		for s.i < s.end && (s.t[s.i] == ' ' || s.t[s.i] == '\t') {
			s.i++
		}
		if s.i < s.end && !isOpByte(s.t[s.i]) {
			tok.w = s.word()
		} else { // a syntax error the shell reports: no target
			at := s.m.Start(s.i)
			tok.w = Word{Span: s.p.f.Span(at, at), Unknown: true, m: textmap.Identity(at, 0)}
		}
	}
	tok.end = s.i
	return tok
}

// extBody attaches the next body the Dockerfile reader read, when its
// name is this redirection's word.
func (s *shell) extBody(tok *token) {
	if len(s.ext) > 0 && s.ext[0].name == tok.w.Text {
		tok.body = s.ext[0]
		s.ext = s.ext[1:]
		return
	}
	tok.body = &heredoc{name: tok.w.Text}
	tok.w.Unknown = true
}

// ownBody reads a heredoc body from the lines of t after s.i.
func (s *shell) ownBody(tok *token) {
	h := &heredoc{name: tok.w.Text, chomp: tok.op == "<<-", expand: !strings.ContainsAny(s.t[tok.start:tok.end], `'"\`)}
	b := textmap.NewBuilder(s.i)
	for s.i < s.end {
		e := strings.IndexByte(s.t[s.i:s.end], '\n')
		next := s.end
		if e >= 0 {
			e += s.i
			next = e + 1
		} else {
			e = s.end
		}
		ls := s.i
		if h.chomp {
			for ls < e && s.t[ls] == '\t' {
				ls++
			}
		}
		if strings.TrimRight(s.t[ls:e], "\r") == h.name {
			s.i = next
			break
		}
		b.Copy(ls, []byte(s.t[ls:next]))
		s.i = next
	}
	var m textmap.Map
	h.text, m = b.Done()
	h.m = textmap.Compose(m, s.m)
	tok.body = h
}

// word reads one shell word at s.i.
func (s *shell) word() Word {
	t, i, end := s.t, s.i, s.end
	b := textmap.NewBuilder(i)
	w := Word{Literal: true}
	cp := func(a, z int) {
		if a < z {
			b.Copy(a, []byte(t[a:z]))
		}
	}
	// expansion keeps $…, ${…}, $(…) and `…` as written.
	expansion := func(j int) int {
		k := j + 1
		if t[j] == '$' && (k >= end || !isNameByte(t[k], false) && strings.IndexByte("({?$!#*@-", t[k]) < 0) {
			cp(j, k) // a lone '$' is itself
			return k
		}
		w.Unknown, w.Literal = true, false
		switch {
		case t[j] == '`':
			if e := strings.IndexByte(t[k:end], '`'); e >= 0 {
				k += e + 1
			} else {
				k = end
			}
		case k < end && (t[k] == '(' || t[k] == '{'):
			open, closer, depth := t[k], byte(')'), 0
			if open == '{' {
				closer = '}'
			}
			for ; k < end; k++ {
				if t[k] == open {
					depth++
				} else if t[k] == closer {
					if depth--; depth == 0 {
						k++
						break
					}
				}
			}
		default:
			for k < end && isNameByte(t[k], false) {
				k++
			}
			if k == j+1 {
				k++ // a special parameter: $?, $$, $1…
			}
		}
		cp(j, k)
		return k
	}
	j := i
loop:
	for j < end {
		switch c := t[j]; {
		case c == ' ' || c == '\t' || c == '\r' || isOpByte(c):
			break loop
		case c == '\\':
			w.Literal = false
			switch {
			case j+1 >= end:
				b.Replaced(j, j+1, 0)
				j++
			case t[j+1] == '\n':
				b.Replaced(j, j+2, 0)
				j += 2
			default:
				b.Replace(j, j+2, t[j+1:j+2])
				j += 2
			}
		case c == '\'':
			w.Literal = false
			k := strings.IndexByte(t[j+1:end], '\'')
			if k < 0 {
				w.Unknown = true
				cp(j, end)
				j = end
				break
			}
			b.Replaced(j, j+1, 0)
			cp(j+1, j+1+k)
			b.Replaced(j+1+k, j+2+k, 0)
			j += k + 2
		case c == '"':
			w.Literal = false
			b.Replaced(j, j+1, 0)
			j++
			for j < end && t[j] != '"' {
				switch {
				case t[j] == '$' || t[j] == '`':
					j = expansion(j)
				case t[j] == '\\' && j+1 < end && t[j+1] == '\n':
					b.Replaced(j, j+2, 0)
					j += 2
				case t[j] == '\\' && j+1 < end && strings.IndexByte("$`\"\\", t[j+1]) >= 0:
					b.Replace(j, j+2, t[j+1:j+2])
					j += 2
				default:
					cp(j, j+1)
					j++
				}
			}
			if j >= end {
				w.Unknown = true
				break
			}
			b.Replaced(j, j+1, 0)
			j++
		case c == '$' || c == '`':
			j = expansion(j)
		default:
			k := j + 1
			for k < end && !isOpByte(t[k]) && strings.IndexByte(" \t\r\\'\"$`", t[k]) < 0 {
				k++
			}
			cp(j, k)
			j = k
		}
	}
	s.i = j
	var m textmap.Map
	w.Text, m = b.Done()
	w.m = textmap.Compose(m, s.m)
	fs, fe := s.m.Range(i, j)
	w.Span = s.p.f.Span(fs, fe)
	w.Literal = w.Literal && w.Span.Text() == w.Text
	return w
}

// simple is one simple command: its words and redirections.
type simple struct {
	words      []*Word
	redirs     []*token // into the token slice: tokens are large
	start, end int
}

func commands(toks []token) []simple {
	var out []simple
	cur := simple{start: -1}
	flush := func() {
		if len(cur.words) > 0 || len(cur.redirs) > 0 {
			out = append(out, cur)
		}
		cur = simple{start: -1}
	}
	for k := range toks {
		tok := &toks[k]
		switch {
		case tok.op == "":
			cur.words = append(cur.words, &tok.w)
		case tok.op[0] == '<' || tok.op[0] == '>' || tok.op == "&>":
			cur.redirs = append(cur.redirs, tok)
		default:
			flush()
			continue
		}
		if cur.start < 0 {
			cur.start = tok.start
		}
		cur.end = tok.end
	}
	flush()
	return out
}

// run1 reads a RUN line in shell form.
func (p *parser) run1(l *logical, i int) {
	sh := p.newShell(l, i, len(l.text), l.m, l.heredocs)
	sh.files(sh.tokens())
}

// files records the files the commands write from literal text.
func (s *shell) files(toks []token) {
	for _, c := range commands(toks) {
		var out, in *token
		for _, r := range c.redirs {
			switch {
			case (r.op == ">" || r.op == ">>" || r.op == ">|") && (r.fd == "" || r.fd == "1"), r.op == "&>":
				out = r
			case (r.op == "<<" || r.op == "<<-") && (r.fd == "" || r.fd == "0"):
				in = r
			case r.op == "<" && (r.fd == "" || r.fd == "0"):
				in = nil
			}
		}
		name := ""
		if len(c.words) > 0 {
			name = path.Base(c.words[0].Text)
		}
		fs, fe := s.m.Range(c.start, c.end)
		span := s.p.f.Span(fs, fe)
		switch name {
		case "", "sh", "bash", "ash", "dash":
			// "RUN <<EOF" or "sh <<EOF": the body is a script.
			if in != nil && len(c.words) <= 1 && !in.w.Unknown {
				if s.depth < 8 {
					b := in.body
					sub := &shell{p: s.p, t: b.text, m: b.m, end: len(b.text), own: true, depth: s.depth + 1}
					// BuildKit runs the body of "RUN <<EOF" as a script file,
					// unexpanded; "sh <<EOF" gets it through the shell, which
					// expands an unquoted heredoc first.
					sub.unsure = s.unsure || len(c.words) == 1 && b.expand && strings.ContainsAny(b.text, "$`\\")
					sub.files(sub.tokens())
				}
			}
			continue
		case "tee":
			if in == nil {
				continue
			}
			app := false
			for _, w := range c.words[1:] {
				if w.Text == "-a" || w.Text == "--append" {
					app = true
				}
			}
			for _, w := range c.words[1:] {
				if !strings.HasPrefix(w.Text, "-") {
					s.add(&WrittenFile{Span: span, Path: *w, Append: app, Via: "tee"}, in)
				}
			}
			continue
		}
		if out == nil {
			continue
		}
		f := &WrittenFile{Span: span, Path: out.w, Append: out.op == ">>", Via: name}
		switch name {
		case "cat":
			if in == nil || len(c.words) > 2 || len(c.words) == 2 && c.words[1].Text != "-" {
				continue
			}
			s.add(f, in)
		case "printf":
			s.printf(f, c.words[1:])
		case "echo":
			s.echo(f, c.words[1:])
		}
	}
}

// add records f with a heredoc body as its content.
func (s *shell) add(f *WrittenFile, in *token) {
	h := in.body
	f.Content, f.m, f.Known = h.text, h.m, true
	switch {
	case in.w.Unknown:
		f.Known, f.Why = false, "the heredoc's body was not found"
	case h.expand && strings.ContainsAny(h.text, "$`\\"):
		f.Known, f.Why = false, "the shell expands variables, commands and backslashes in an unquoted heredoc"
	}
	s.record(f)
}

func (s *shell) record(f *WrittenFile) {
	if s.unsure && f.Known {
		f.Known, f.Why = false, "the script is itself an unquoted heredoc the shell expands"
	}
	if s.p.cur != nil {
		s.p.cur.Files = append(s.p.cur.Files, f)
	}
}

// printf decodes a printf format with no conversions: \n, \t, \\ and the
// other escapes both dash and bash decode, \NNN octal and %%
// (https://pubs.opengroup.org/onlinepubs/9799919799/utilities/printf.html).
func (s *shell) printf(f *WrittenFile, args []*Word) {
	if len(args) > 0 && args[0].Text == "--" {
		args = args[1:]
	}
	if len(args) == 0 {
		return
	}
	fw := args[0]
	t := fw.Text
	b := textmap.NewBuilder(0)
	f.Known = !fw.Unknown
	if fw.Unknown {
		f.Why = "the format holds a shell expansion"
	}
	for j := 0; j < len(t); {
		switch c := t[j]; {
		case c == '\\' && j+1 < len(t):
			k, d := j+2, byte(0)
			switch e := t[j+1]; e {
			case 'n':
				d = '\n'
			case 't':
				d = '\t'
			case '\\':
				d = '\\'
			case 'a':
				d = '\a'
			case 'b':
				d = '\b'
			case 'f':
				d = '\f'
			case 'r':
				d = '\r'
			case 'v':
				d = '\v'
			default:
				if e >= '0' && e <= '7' {
					k = j + 1
					for k < len(t) && k < j+4 && t[k] >= '0' && t[k] <= '7' {
						d = d*8 + t[k] - '0'
						k++
					}
					break
				}
				f.Known, f.Why = false, "printf escape "+quote(t[j:j+2])+" differs between shells"
				k, d = j+2, e
			}
			b.Replace(j, k, string([]byte{d}))
			j = k
		case c == '%' && j+1 < len(t) && t[j+1] == '%':
			b.Replace(j, j+2, "%")
			j += 2
		case c == '%':
			f.Known, f.Why = false, "printf conversions take their text from the arguments"
			b.Copy(j, []byte{c})
			j++
		default:
			k := j + 1
			for k < len(t) && t[k] != '\\' && t[k] != '%' {
				k++
			}
			b.Copy(j, []byte(t[j:k]))
			j = k
		}
	}
	var m textmap.Map
	f.Content, m = b.Done()
	f.m = textmap.Compose(m, fw.m)
	s.record(f)
}

// echo joins its arguments with blanks and ends with a newline. dash's
// echo decodes backslash escapes and bash's does not (nor takes -e in
// dash), so text with a backslash or an -e/-E flag is not known.
func (s *shell) echo(f *WrittenFile, args []*Word) {
	nl := true
	for len(args) > 0 && len(args[0].Text) > 1 && strings.Trim(args[0].Text, "neE") == "-" {
		if args[0].Text != "-n" {
			f.Why = "echo " + args[0].Text + " differs between shells"
		}
		nl = nl && !strings.Contains(args[0].Text, "n")
		args = args[1:]
	}
	b := textmap.NewBuilder(f.Span.Start)
	prev := -1
	for _, a := range args {
		switch {
		case a.Unknown:
			f.Why = "an argument holds a shell expansion"
		case strings.Contains(a.Text, `\`):
			f.Why = "echo decodes backslashes in dash and not in bash"
		}
		if prev >= 0 {
			b.Replace(prev, a.Span.Start, " ")
		}
		appendWord(b, s.p.src, a)
		prev = a.Span.End
	}
	if nl {
		end := f.Span.Start
		if prev >= 0 {
			end = prev
		}
		b.Replace(end, end, "\n")
	}
	f.Content, f.m = b.Done()
	f.Known = f.Why == ""
	s.record(f)
}

// appendWord appends w's text to b, a builder in file offsets, with its
// file offsets: verbatim runs stay verbatim.
func appendWord(b *textmap.Builder, src []byte, w *Word) {
	for d := 0; d < len(w.Text); {
		e := d + 1
		for e < len(w.Text) && !w.m.Exact(d, e) {
			e++
		}
		fs, fe := w.m.Start(d), w.m.End(e)
		if fe-fs == e-d && string(src[fs:fe]) == w.Text[d:e] {
			b.Copy(fs, src[fs:fe])
		} else {
			b.Replace(fs, fe, w.Text[d:e])
		}
		d = e
	}
}
