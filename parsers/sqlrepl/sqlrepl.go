// Package sqlrepl reads, from SQL text, the statements that decide TLS
// between MySQL-family servers and their replicas and accounts:
// CHANGE REPLICATION SOURCE TO (MySQL 8.0.23+) and CHANGE MASTER TO
// (MySQL before, MariaDB) with their options, and the REQUIRE clause of
// CREATE USER, ALTER USER and GRANT (MySQL 5.7, MariaDB). The text is a
// .sql file, or SQL inside a shell script: a heredoc fed to the mysql or
// mariadb client (mysql <<EOF … EOF) or its -e/--execute argument.
//
// Every value keeps its exact span, inside heredocs and quoted arguments
// too. Passwords (SOURCE_PASSWORD, IDENTIFIED BY 'x', PASSWORD('x')) are
// marked secret on the source.File, so no output shows them. Statements
// this package does not model are skipped; a modelled statement it cannot
// read is a Problem with its position.
//
// Syntax: https://dev.mysql.com/doc/refman/8.0/en/change-replication-source-to.html,
// https://dev.mysql.com/doc/refman/5.7/en/change-master-to.html,
// https://mariadb.com/kb/en/change-master-to/,
// https://dev.mysql.com/doc/refman/8.0/en/create-user.html#create-user-tls,
// https://dev.mysql.com/doc/refman/5.7/en/grant.html.
package sqlrepl

import (
	"bytes"
	"strconv"
	"strings"

	"github.com/tlsvet/tlsvet/internal/secret"
	"github.com/tlsvet/tlsvet/internal/source"
)

// Context is how the SQL text is embedded in its file, which decides what
// a value's bytes become before the server reads them.
type Context uint8

const (
	Plain        Context = iota // a .sql file or a quoted heredoc (<<'EOF'): the bytes are the SQL
	Heredoc                     // an unquoted heredoc: the shell expands $, ` and \ first
	DoubleQuoted                // -e "…": the same expansions, and " ends the argument
	SingleQuoted                // -e '…': no expansion, and ' ends the argument
)

// Change is one CHANGE REPLICATION SOURCE TO or CHANGE MASTER TO statement.
type Change struct {
	Span    source.Span // the leading keywords, "CHANGE … TO"
	Keyword string      // those keywords as written, blanks collapsed
	// Source: the statement is spelt CHANGE REPLICATION SOURCE, which only
	// MySQL 8.0.23 and later read.
	Source     bool
	Connection string // MariaDB's connection name (CHANGE MASTER 'name' TO)
	Channel    string // FOR CHANNEL name
	Options    []Option
	Context    Context
}

// Option is one NAME = value of a CHANGE statement.
type Option struct {
	Key     string      // as written: "MASTER_SSL_CA"
	Name    string      // canonical: lower case, master_ spelt source_ ("source_ssl_ca")
	KeySpan source.Span //
	Value   string      // a string's decoded text; other values as written
	// ValueSpan is the value as written, quotes included.
	ValueSpan source.Span
	Quote     byte // '\'' or '"' for a string, 0 otherwise
	// Expanded: the shell may change the value before the server reads it
	// ($VAR, `cmd`, or a backslash where the shell reads it), so it is unknown.
	Expanded bool
}

// Account is an account whose TLS requirement a statement sets.
type Account struct {
	Statement   string      // "CREATE USER", "ALTER USER", "GRANT"
	User, Host  string      // Host is "%" when the statement names none
	Span        source.Span // the account name as written
	Require     string      // "SSL", "X509", "NONE", or the parts: "ISSUER AND SUBJECT"
	RequireSpan source.Span // from REQUIRE to the clause's end
}

// Problem is a statement that cannot be read.
type Problem struct {
	Span source.Span
	Msg  string
}

// Result is what one file gave.
type Result struct {
	Changes  []Change
	Accounts []Account
	Problems []Problem
	Comments []source.Span // SQL comments, for suppression directives
}

// Mentions reports whether content may hold a statement this package
// models: "change" followed by "master" or "replication", or "require"
// followed by one of its TLS words. It is a byte scan without allocation,
// so that the .sql and shell files of a large repository that hold none
// are not parsed.
func Mentions(content []byte) bool {
	for i := 0; i < len(content); i++ {
		switch content[i] | 0x20 {
		case 'c':
			if rest, ok := wordAt(content, i, "change"); ok && (hasWord(rest, "master") || hasWord(rest, "replication")) {
				return true
			}
		case 'r':
			if rest, ok := wordAt(content, i, "require"); ok {
				for _, w := range requireWords {
					if hasWord(rest, w) {
						return true
					}
				}
			}
		}
	}
	return false
}

// requireWords start a REQUIRE clause.
var requireWords = []string{"ssl", "x509", "issuer", "subject", "cipher", "none"}

// wordAt reports whether the word w (any case) starts at content[i], not
// inside a longer word, and returns what follows it with blanks skipped.
func wordAt(content []byte, i int, w string) ([]byte, bool) {
	if i > 0 && wordByte(content[i-1]) || len(content)-i < len(w)+1 || !bytes.EqualFold(content[i:i+len(w)], []byte(w)) {
		return nil, false
	}
	rest := content[i+len(w):]
	trimmed := bytes.TrimLeft(rest, " \t\r\n")
	if len(trimmed) == len(rest) {
		return nil, false
	}
	return trimmed, true
}

// hasWord reports whether b starts with the word w, any case.
func hasWord(b []byte, w string) bool {
	return len(b) >= len(w) && bytes.EqualFold(b[:len(w)], []byte(w)) && (len(b) == len(w) || !wordByte(b[len(w)]))
}

// ParseSQL reads a .sql file; keep says which comments Result.Comments
// keeps (nil: all).
func ParseSQL(f *source.File, keep func(text []byte) bool) *Result {
	r := &Result{}
	r.parse(f, 0, len(f.Content), Plain, keep)
	return r
}

// parse reads the SQL text f.Content[start:end] embedded as ctx.
func (r *Result) parse(f *source.File, start, end int, ctx Context, keep func([]byte) bool) {
	l := &lexer{f: f, pos: start, end: end, ctx: ctx, delim: ";", keep: keep}
	for l.pos < l.end {
		if ctx == Plain && l.delimiterCommand() {
			continue
		}
		var st []token
		var sec secrets
		bad := len(l.problems)
		n, skip := 0, false
		for {
			t := l.next()
			if t.kind == tEnd {
				break
			}
			sec.add(f, t, n)
			// Only the statements read below are kept, and only so far:
			// a dump's INSERT of a million values costs no memory.
			skip = skip || n == 0 && !modelled(t)
			if skip || n > maxTokens {
				n++
				continue
			}
			if n == maxTokens {
				l.problem(t.span.Start, t.span.End, "statement too long to read (more than "+strconv.Itoa(maxTokens)+" tokens)")
			}
			st = append(st, t)
			n++
		}
		if len(l.problems) == bad { // a statement cut by a lexical problem is not read
			r.statement(st, ctx)
		}
	}
	r.Comments = append(r.Comments, l.comments...)
	r.Problems = append(r.Problems, l.problems...)
}

// maxTokens bounds the tokens of a statement this package reads; a CHANGE
// or CREATE USER statement has a few dozen.
const maxTokens = 100000

// modelled reports whether a statement starting with t may be one this
// package reads.
func modelled(t token) bool {
	return t.is("change") || t.is("create") || t.is("alter") || t.is("grant")
}

// statement reads one statement's tokens.
func (r *Result) statement(st []token, ctx Context) {
	if len(st) < 2 {
		return
	}
	switch {
	case st[0].is("change"):
		r.change(st, ctx)
	case st[0].is("create") && st[1].is("user"), st[0].is("alter") && st[1].is("user"):
		r.accounts(strings.ToUpper(st[0].text)+" USER", st, 2)
	case st[0].is("grant"):
		for i, t := range st {
			if t.is("to") {
				r.accounts("GRANT", st, i+1)
				break
			}
		}
	}
}

// secrets marks the password literals of any statement as its tokens go
// by: a string after BY (IDENTIFIED BY 'x'), AS (IDENTIFIED WITH plugin
// AS 'hash'), USING, PASSWORD( or "=" in SET PASSWORD, and the value of an
// option whose name says it holds a secret (SOURCE_PASSWORD = x).
type secrets struct {
	setPassword bool
	p1, p2      token // the two tokens before the current one
}

// add looks at t, the statement's token number n.
func (s *secrets) add(f *source.File, t token, n int) {
	if n == 1 {
		s.setPassword = s.p1.is("set") && t.is("password")
	}
	p := s.p1
	if n > 0 && (t.kind == tString || t.kind == tWord) {
		after := p.is("by") || p.is("as") || p.is("using") || p.text == "(" && n > 1 && s.p2.is("password")
		assigned := p.text == "=" && (s.setPassword || n > 1 && s.p2.kind == tWord && secret.Name(s.p2.text))
		if after && t.kind == tString || assigned {
			f.MarkSecret(t.span.Start, t.span.End)
		}
	}
	s.p2, s.p1 = s.p1, t
}

// change reads a CHANGE REPLICATION SOURCE TO or CHANGE MASTER TO
// statement; other CHANGE statements (CHANGE REPLICATION FILTER) are not
// modelled.
func (r *Result) change(st []token, ctx Context) {
	c := Change{Context: ctx}
	i := 1
	switch {
	case len(st) > 3 && st[1].is("replication") && st[2].is("source") && st[3].is("to"):
		c.Source, i = true, 4
	case st[1].is("master"):
		i = 2
		if i < len(st) && (st[i].kind == tString || st[i].kind == tIdent || st[i].kind == tWord && !st[i].is("to")) {
			c.Connection = st[i].text
			i++
		}
		if i >= len(st) || !st[i].is("to") {
			r.problem(st, min(i, len(st)-1), "cannot read CHANGE MASTER: expected TO")
			return
		}
		i++
	default:
		return
	}
	c.Span = source.Span{File: st[0].span.File, Start: st[0].span.Start, End: st[i-1].span.End}
	words := make([]string, i)
	for k := range words {
		words[k] = st[k].span.Text()
	}
	c.Keyword = strings.Join(words, " ")
	for i < len(st) {
		if st[i].is("for") && i+2 < len(st) && st[i+1].is("channel") {
			c.Channel = st[i+2].text
			if i+3 != len(st) {
				r.problem(st, i+3, "cannot read "+c.Keyword+": unexpected text after FOR CHANNEL")
				return
			}
			break
		}
		key := st[i]
		if key.kind != tWord || i+1 >= len(st) || st[i+1].text != "=" {
			r.problem(st, i, "cannot read "+c.Keyword+": expected an option NAME = value")
			return
		}
		j := i + 2
		depth := 0
		for ; j < len(st); j++ {
			t := st[j]
			if t.kind == tPunct {
				switch t.text {
				case "(":
					depth++
				case ")":
					depth--
				}
			}
			if depth == 0 && (t.kind == tPunct && t.text == "," || t.is("for") && j+1 < len(st) && st[j+1].is("channel")) {
				break
			}
		}
		if j == i+2 {
			r.problem(st, i+1, "cannot read "+c.Keyword+": "+key.text+" has no value")
			return
		}
		o := option(key, st[i+2:j])
		if strings.HasPrefix(o.Name, "source_") && j > i+3 {
			// Every SOURCE_/MASTER_ option takes one literal.
			r.problem(st, i+3, "cannot read "+c.Keyword+": "+key.text+" takes one value")
			return
		}
		c.Options = append(c.Options, o)
		i = j
		if i < len(st) && st[i].text == "," && st[i].kind == tPunct {
			i++
			if i == len(st) {
				r.problem(st, i-1, "cannot read "+c.Keyword+": a comma ends the statement")
				return
			}
		}
	}
	if len(c.Options) == 0 {
		r.problem(st, len(st)-1, "cannot read "+c.Keyword+": no options")
		return
	}
	r.Changes = append(r.Changes, c)
}

// option builds an option from its key and value tokens.
func option(key token, val []token) Option {
	name := strings.ToLower(key.text)
	if rest, ok := strings.CutPrefix(name, "master_"); ok {
		name = "source_" + rest
	}
	o := Option{Key: key.text, Name: name, KeySpan: key.span}
	first, last := val[0], val[len(val)-1]
	o.ValueSpan = source.Span{File: first.span.File, Start: first.span.Start, End: last.span.End}
	if len(val) == 1 && first.kind == tString {
		o.Value, o.Quote = first.text, first.span.Text()[0]
	} else {
		o.Value = o.ValueSpan.Text()
	}
	for _, t := range val {
		o.Expanded = o.Expanded || t.expanded
	}
	return o
}

// accounts reads the account list starting at st[i] and the statement's
// REQUIRE clause. Accounts are recorded when there is one, and for CREATE
// USER without one, which makes them REQUIRE NONE ("This is the default if
// no SSL-related REQUIRE options are specified",
// https://dev.mysql.com/doc/refman/8.0/en/create-user.html#create-user-tls):
// a later statement may relax an account, and another host of the same
// user may need no TLS.
func (r *Result) accounts(stmt string, st []token, i int) {
	if i+1 < len(st) && st[i].is("if") {
		i += 2 // IF EXISTS
		if i < len(st) && st[i].is("exists") {
			i++
		}
	}
	var accts []Account
	listing := true
	var req []string
	var reqSpan source.Span
	for i < len(st) {
		t := st[i]
		switch {
		case listing && (t.kind == tString || t.kind == tIdent || t.kind == tWord) && (len(accts) == 0 || st[i-1].text == ","):
			a := Account{Statement: stmt, User: t.text, Host: "%", Span: t.span}
			if i+2 < len(st) && st[i+1].text == "@" {
				a.Host, a.Span.End = st[i+2].text, st[i+2].span.End
				i += 2
			}
			accts = append(accts, a)
		case t.is("require"):
			listing = false
			j := i + 1
			for j < len(st) && (st[j].kind == tString || st[j].is("and") || isRequireWord(st[j])) {
				if st[j].kind == tWord && !st[j].is("and") {
					req = append(req, strings.ToUpper(st[j].text))
				}
				j++
			}
			if j == i+1 {
				r.problem(st, i, "cannot read "+stmt+": REQUIRE needs NONE, SSL, X509, ISSUER, SUBJECT or CIPHER")
				return
			}
			reqSpan = source.Span{File: t.span.File, Start: t.span.Start, End: st[j-1].span.End}
			i = j
			continue
		case t.is("default") || t.is("with") || t.is("account") || t.is("comment") || t.is("attribute") ||
			t.is("password") && !st[i-1].is("by"):
			listing = false
		}
		i++
	}
	if req == nil {
		if stmt != "CREATE USER" {
			return
		}
		req = []string{"NONE"}
	}
	for _, a := range accts {
		a.Require, a.RequireSpan = strings.Join(req, " AND "), reqSpan
		r.Accounts = append(r.Accounts, a)
	}
}

// isRequireWord reports a word of a REQUIRE clause.
func isRequireWord(t token) bool {
	for _, w := range requireWords {
		if t.is(w) {
			return true
		}
	}
	return false
}

// problem records that st cannot be read at its token k.
func (r *Result) problem(st []token, k int, msg string) {
	r.Problems = append(r.Problems, Problem{Span: st[k].span, Msg: msg})
}

// Kind is which reader a file gets.
type Kind uint8

const (
	NotRead     Kind = iota
	SQLFile          // *.sql
	ShellScript      // *.sh, *.bash
)

// Detect picks a file's kind by its name (a slash path). The official
// images run the *.sh and *.sql files of /docker-entrypoint-initdb.d
// (https://github.com/docker-library/mysql/blob/master/8.0/docker-entrypoint.sh,
// docker_process_init_files), which these names cover; compressed dumps
// (*.sql.gz) are not read.
func Detect(name string) Kind {
	base := name[strings.LastIndexByte(name, '/')+1:]
	dot := strings.LastIndexByte(base, '.')
	if dot <= 0 {
		return NotRead
	}
	switch ext := strings.ToLower(base[dot+1:]); {
	case ext == "sql":
		return SQLFile
	case ext == "sh" || ext == "bash":
		return ShellScript
	}
	return NotRead
}
