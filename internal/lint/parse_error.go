package lint

import (
	"github.com/tlsvet/tlsvet/internal/model"
	"github.com/tlsvet/tlsvet/internal/source"
)

// ParseError is TV001. It lives beside the engine because a driver must
// know whether it runs: when it is off, the same problems are reported
// another way, so that a file left unread is never silent.
var ParseError = &Rule{
	ID:       "TV001",
	Name:     "parse-error",
	Severity: Error,
	Tags:     []string{"correctness"},
	Doc: Doc{
		Title: "Option file that MySQL cannot read",
		Why: "MySQL's option-file reader gives up on an option line before the first `[group]` " +
			"header (`Found option without preceding group in config file`, which a UTF-8 byte-order " +
			"mark at the start of the file also causes), on a `[group` without `]` and on an `!include` " +
			"directive without a path. In the file a program was started with, that is fatal: the " +
			"server and every client reading it stop with `Fatal error in defaults handling. Program " +
			"aborted!`. In an included file MySQL stops reading that file and ignores the rest of it. " +
			"tlsvet reports the place and checks the rest of the files. A file without any group " +
			"header is often a fragment that a tool places under a group (Vitess concatenates its " +
			"`config/mycnf/*.cnf` under `[mysqld]`): that is a note, since only a program given the " +
			"file directly stops on it. Files of other programs that share the `.cnf` name (ProxySQL, " +
			"OpenSSL, keyring JSON, MaxScale, mysqld_exporter) are recognised by their content and " +
			"listed in one notification instead. Application files are reported the same way where their " +
			"program refuses them: an unterminated quote in a `.env` file (docker compose stops), a " +
			"`.properties` or Spring YAML file that cannot be read, a Rails `database.yml`, an INI line MySQL " +
			"Router or Grafana cannot parse, a connection string its driver rejects; a YAML, JSON, TOML or Go " +
			"file tlsvet cannot read as expected gets one notification instead. The text of a line a parser " +
			"gave up on is hidden after the error's position, since it may hold a password.",
		Fix:  "Put every option under a `[group]` header, close the brackets, and save the file without a byte-order mark; in an application file, fix the syntax at the position given.",
		Bad:  "ssl_ca=/etc/mysql/ca.pem\n[mysqld]\nssl_cert=/etc/mysql/server-cert.pem\n",
		Good: "[mysqld]\nssl_ca=/etc/mysql/ca.pem\nssl_cert=/etc/mysql/server-cert.pem\n",
		Sources: []string{
			"https://github.com/mysql/mysql-server/blob/8.0/mysys/my_default.cc",
			"https://dev.mysql.com/doc/refman/8.0/en/option-files.html",
		},
	},
	Run: runParseError,
}

func runParseError(pass *Pass) {
	top := map[*source.File]bool{}
	option := map[*source.File]bool{} // option files, included ones too
	owned := map[source.Span]bool{}   // include failures, which TV003 reports
	for _, of := range pass.Project.OptionFiles {
		top[of.File] = true
		for _, f := range of.Files {
			option[f] = true
		}
		for _, in := range of.Includes {
			switch in.Problem {
			case model.IncludeDirMissing:
				owned[in.Span] = true
			case model.IncludeUnreadable:
				owned[in.TargetSpan] = true
			}
		}
	}
	for _, pr := range pass.Project.Problems {
		if owned[pr.Span] {
			continue
		}
		msg := pr.Message
		switch {
		case pr.Span.File == nil:
		case pr.Unread:
			msg += ": tlsvet did not check this file"
		case top[pr.Span.File] && pr.Headerless:
			// A note: nobody writes a whole option file without a single
			// group, so this is a fragment by design, and only a program
			// given it directly stops.
			msg = "the file has no [group] header: a MySQL program given this file directly stops with " +
				"\"Found option without preceding group in config file\"; a tool that places it under a group " +
				"(as Vitess does with config/mycnf/*.cnf) decides which programs read it"
			pass.Report(Diagnostic{Span: pr.Span, Severity: Note, Message: msg})
			continue
		case top[pr.Span.File]:
			// my_load_defaults() fails: EE_FAILED_TO_HANDLE_DEFAULTS_FILE (SRC-DEF).
			msg += `: every program reading this file stops with "Fatal error in defaults handling"`
		case option[pr.Span.File]:
			msg += ": MySQL stops reading this included file here and ignores the rest of it"
		}
		pass.Report(Diagnostic{Span: pr.Span, Message: msg})
	}
}
