package load

import (
	"errors"
	"strings"

	"github.com/tlsvet/tlsvet/internal/model"
	"github.com/tlsvet/tlsvet/internal/rootfs"
	"github.com/tlsvet/tlsvet/internal/source"
	"github.com/tlsvet/tlsvet/parsers/sqlrepl"
)

// SQL (parsers/sqlrepl): the replication channels that CHANGE REPLICATION
// SOURCE TO and CHANGE MASTER TO set up, and accounts' REQUIRE clauses, in
// .sql files and in the SQL shell scripts feed the client.

// readSQL parses a .sql file or shell script that mentions a statement
// sqlrepl models; r.file stays nil for one that does not, which costs a
// byte scan.
func readSQL(r *appResult, k sqlrepl.Kind, data []byte, keep func([]byte) bool) {
	if !sqlrepl.Mentions(data) {
		return
	}
	r.file = source.NewFile(r.name, data)
	if k == sqlrepl.ShellScript {
		r.sql = sqlrepl.ParseShell(r.file)
		// Whole-line comments of the script and of its heredocs' SQL.
		r.comments = lineComments(r.file, []string{"#", "--"}, keep)
		return
	}
	r.sql = sqlrepl.ParseSQL(r.file, keep)
	r.comments = r.sql.Comments
}

// tooLargeScript reports a .sql file or script over the size limit: SQL
// dumps are often large, and one is no configuration tlsvet failed to read
// (a notice, not TV001).
func tooLargeScript(r appResult) bool {
	var tl *rootfs.TooLargeError
	return sqlrepl.Detect(r.name) != sqlrepl.NotRead && errors.As(r.err, &tl)
}

// addSQL adds what one SQL file or script gave.
func (b *builder) addSQL(r appResult) {
	b.files[r.file.Path] = r.file
	b.p.Comments = append(b.p.Comments, r.comments...)
	for _, pr := range r.sql.Problems {
		b.p.Problems = append(b.p.Problems, model.Problem{Span: pr.Span, Message: pr.Msg})
	}
	for _, c := range r.sql.Changes {
		rep := &model.Replication{Span: c.Span, Keyword: c.Keyword, SourceSpelling: c.Source, Channel: c.Channel}
		if rep.Channel == "" {
			rep.Channel = c.Connection
		}
		for _, o := range c.Options {
			rep.Settings = append(rep.Settings, &model.Setting{
				Origin: sqlOrigin{c.Context}, Key: o.Key, Name: o.Name, HasValue: true, Value: o.Value, Quote: o.Quote,
				KeySpan: o.KeySpan, ValueSpan: o.ValueSpan, Unknown: o.Expanded,
			})
		}
		b.p.Replications = append(b.p.Replications, rep)
	}
	for _, a := range r.sql.Accounts {
		b.p.Accounts = append(b.p.Accounts, model.AccountTLS{Statement: a.Statement, User: a.User, Host: a.Host,
			Span: a.Span, Require: a.Require, RequireSpan: a.RequireSpan})
	}
}

// sqlOrigin is the origin of a value in a CHANGE statement: an SQL
// literal, inside a shell heredoc or quoted argument when ctx says so.
type sqlOrigin struct{ ctx sqlrepl.Context }

// Syntax implements model.Origin.
func (o sqlOrigin) Syntax() string {
	switch o.ctx {
	case sqlrepl.Heredoc:
		return "SQL statement in a shell heredoc"
	case sqlrepl.DoubleQuoted, sqlrepl.SingleQuoted:
		return "SQL statement in a shell argument"
	}
	return "SQL statement"
}

// Offset implements model.Origin: a string's value is exact when written
// without escapes; a number or word is its bytes.
func (sqlOrigin) Offset(s *model.Setting, i int) (int, bool) {
	return model.OptionLine{}.Offset(s, i)
}

// Spell implements model.Origin: a number or keyword stays bare when it
// was written bare; anything else is a string in the value's quotes ('
// by default), a quote doubled and a backslash escaped, as the server
// reads it with the default sql_mode
// (https://dev.mysql.com/doc/refman/8.0/en/string-literals.html). In a
// heredoc or "-e" argument a value the shell would expand ($, `, \) cannot
// be written, nor the quote that ends an -e argument.
func (o sqlOrigin) Spell(s *model.Setting, v string) (string, bool) {
	text := v
	if s.Quote != 0 || !bareSQL(v) {
		q := s.Quote
		if q == 0 {
			q = '\''
			if o.ctx == sqlrepl.SingleQuoted {
				q = '"'
			}
		}
		text = string(q) + strings.ReplaceAll(strings.ReplaceAll(v, `\`, `\\`), string(q), string(q)+string(q)) + string(q)
	}
	switch o.ctx {
	case sqlrepl.Heredoc:
		return text, !strings.ContainsAny(text, "$`\\")
	case sqlrepl.DoubleQuoted:
		return text, !strings.ContainsAny(text, "$`\\\"")
	case sqlrepl.SingleQuoted:
		return text, !strings.Contains(text, "'")
	}
	return text, true
}

// bareSQL: v can be written without quotes (a number or a keyword).
func bareSQL(v string) bool {
	if v == "" {
		return false
	}
	for i := 0; i < len(v); i++ {
		c := v[i]
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_') {
			return false
		}
	}
	return true
}

// Removal implements model.Origin: an option and its comma are not
// removed (no rule needs it).
func (sqlOrigin) Removal(*model.Setting) (source.Span, bool) { return source.Span{}, false }
