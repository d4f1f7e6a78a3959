package rules

import (
	"fmt"
	"strings"

	"github.com/tlsvet/tlsvet/internal/lint"
	"github.com/tlsvet/tlsvet/internal/model"
	"github.com/tlsvet/tlsvet/internal/source"
)

// UnknownDSNParam reports a TLS-looking connection-string parameter the
// driver does not read as the writer meant.
var UnknownDSNParam = &lint.Rule{
	ID:               "TV306",
	Name:             "unknown-dsn-param",
	Severity:         lint.Warning,
	SecuritySeverity: "5.3",
	Tags:             []string{"tls", "correctness"},
	Doc: lint.Doc{
		Title: "A TLS parameter the driver does not read",
		Why: "Drivers match their parameter names exactly, and each has its own: PostgreSQL's `sslmode=require` " +
			"pasted into a MySQL URL, or `sslmode` where MySQL Connector/J reads `sslMode`, does not ask for TLS. " +
			"What happens depends on the driver. Connector/J and Connector/ODBC ignore the parameter, so the " +
			"connection keeps the default mode (PREFERRED: plaintext when the server offers no TLS). Rust's sqlx " +
			"rejects the URL when it is parsed. go-sql-driver/mysql sends any parameter it does not know to the " +
			"server as a session variable (`SET sslmode=require`), and the server refuses the connection with " +
			"ERROR 1193 (HY000): Unknown system variable; for that driver the finding is an error. TLS parameters " +
			"in a TypeORM `url` are dropped: the connection's options object decides.",
		Fix:  "Write the driver's own parameter (the message names it), with a value from that driver's vocabulary.",
		Bad:  "-- app.env --\nDATABASE_DSN=\"app@tcp(db:3306)/shop?TLS=true\"\n",
		Good: "-- app.env --\nDATABASE_DSN=\"app@tcp(db:3306)/shop?tls=true\"\n",
		Sources: []string{
			"https://github.com/go-sql-driver/mysql#system-variables",
			"https://github.com/go-sql-driver/mysql/blob/v1.9.3/dsn.go",
			"https://dev.mysql.com/doc/connector-j/en/connector-j-connp-props-security.html",
			"https://docs.rs/sqlx/latest/sqlx/mysql/struct.MySqlConnectOptions.html",
			"https://dev.mysql.com/doc/mysql-errors/8.0/en/server-error-reference.html#error_er_unknown_system_variable",
		},
	},
	Run: runUnknownDSNParam,
}

func runUnknownDSNParam(pass *lint.Pass) {
	for _, c := range pass.Project.Connections {
		for _, t := range c.Traps {
			if t.Kind != model.WrongCase && t.Kind != model.ForeignParam && t.Kind != model.Dropped {
				continue
			}
			pass.Report(unknownParam(c, t))
		}
	}
}

// unknownParam is the finding for trap t of connection c.
func unknownParam(c *model.Connection, t model.Trap) lint.Diagnostic {
	s := t.Setting
	var what string
	// sslmode for Connector/J's sslMode is both PostgreSQL's name and the
	// driver's in the wrong case.
	wrongCase := t.Kind == model.WrongCase || t.Want != "" && strings.EqualFold(s.Key, t.Want)
	switch {
	case wrongCase:
		what = fmt.Sprintf("%s is not a %s parameter: its names are case-sensitive", said(s), c.Driver)
	case t.Kind == model.ForeignParam:
		what = fmt.Sprintf("%s is not a %s parameter (PostgreSQL and other drivers spell it so)", said(s), c.Driver)
	default:
		what = fmt.Sprintf("%s drops the URL's TLS parameters: %s has no effect, the connection's options decide", c.Driver, said(s))
	}
	d := lint.Diagnostic{Span: s.KeySpan}
	switch t.Effect {
	case model.SessionVariable:
		d.Severity = lint.Error
		what += fmt.Sprintf(", so the driver sends it to the server as SET %s=…, and the server refuses the connection with ERROR 1193 (Unknown system variable)", s.Key)
	case model.Rejected:
		d.Severity = lint.Error
		what += ", and the driver rejects the string when it is parsed: the application cannot connect"
	case model.Ignored:
		if t.Kind != model.Dropped {
			what += ", and the driver ignores it: TLS stays at the driver's default"
			if c.Mode != model.ModeUnknown {
				what += " (" + c.Mode.String() + ")"
			}
		}
	}
	if t.Want != "" {
		what += "; write " + t.Want
		// Only a wrong case is fixed by renaming, and only with a value the
		// driver reads: PostgreSQL's require is not REQUIRED.
		m, modeValue := parseMode(s.Value)
		if e, ok := renameKey(s, t.Want); ok && wrongCase && (t.Kind == model.WrongCase || modeValue) {
			msg := "write " + t.Want
			if id := modeRule[m]; id != "" {
				msg += " (the driver then reads " + m.String() + ", which " + id + " reports)"
			}
			d.Fix = &lint.Fix{Message: msg, Edits: []source.Edit{e}}
		}
	}
	d.Message = what
	return d
}

// modeRule is the rule that reports a connection in a mode that does not
// verify, which a renamed key makes the driver read.
var modeRule = map[model.Mode]string{model.ModeDisabled: "TV301", model.ModeRequired: "TV302", model.ModePreferred: "TV303"}
