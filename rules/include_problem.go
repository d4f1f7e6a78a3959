package rules

import (
	"fmt"
	"strings"

	"github.com/tlsvet/tlsvet/internal/lint"
	"github.com/tlsvet/tlsvet/internal/model"
)

// IncludeProblem is TV003.
var IncludeProblem = &lint.Rule{
	ID:       "TV003",
	Name:     "include-problem",
	Severity: lint.Warning,
	Tags:     []string{"correctness"},
	Doc: lint.Doc{
		Title: "!include or !includedir that does not read what it names",
		Why: "MySQL skips an `!include` whose file does not exist without a word, so the TLS settings " +
			"kept there are silently not applied. An `!includedir` whose directory does not exist is " +
			"fatal: the program stops with `Fatal error in defaults handling`. `!includedir` reads only " +
			"files ending in `.cnf` (`.ini` too on Windows), so `tls.conf` next to them is ignored. " +
			"Includes that leave the scanned root (such as Debian's `!includedir /etc/mysql/conf.d/`) " +
			"are not read by tlsvet, so their settings are not checked. Include cycles and nesting " +
			"deeper than 10 levels are skipped by MySQL with a warning. tlsvet runs on untrusted " +
			"pull requests, so it never follows a symbolic link that leaves the scanned root or is " +
			"absolute (a committed `conf.d/env.cnf -> /proc/self/environ` would otherwise print the " +
			"runner's environment), and it stops reading after 10,000 included files (or 64 MiB of them) per top " +
			"file, since a few small files that include each other several times expand exponentially.",
		Fix: "Point the directive at a file or directory that exists in the deployed tree, name " +
			"included files `*.cnf`, or pass `--allow-outside-root` to check files outside the root.",
		Bad:     "[mysqld]\n!include tls.cnf\n",
		Good:    "-- tls.cnf --\n[mysqld]\nssl_ca=/etc/mysql/ca.pem\n-- my.cnf --\n[mysqld]\n!include tls.cnf\n",
		Sources: []string{srcOptionFiles, srcMyDefault, srcMariaDBOF},
	},
	Run: runIncludeProblem,
}

func runIncludeProblem(pass *lint.Pass) {
	for _, of := range pass.Project.OptionFiles {
		for _, in := range of.Includes {
			for _, d := range includeProblems(of, in) {
				pass.Report(d)
			}
		}
	}
	// Option files a deployment mounts or copies where its server does not
	// read them, or whose source is not in the repository: never read.
	for _, d := range pass.Project.Deployments {
		for _, ig := range d.Ignored {
			pass.Report(lint.Diagnostic{Span: ig.Span, Severity: lint.Warning,
				Message: "option file for " + ig.Path + " is never read by the " + d.Kind + " " + d.Name + "'s server: " + ig.Reason})
		}
	}
}

// includeProblems says what goes wrong with one directive (SRC-DEF
// search_default_file_with_ext(); MY80-OF; MDB-OF; parsers/mycnf).
func includeProblems(of *model.OptionFile, in *model.Include) []lint.Diagnostic {
	kw := "!include"
	if in.Dir {
		kw = "!includedir"
	}
	at := in.TargetSpan
	d := lint.Diagnostic{Span: at}
	switch in.Problem {
	case model.IncludeOK:
	case model.IncludeMissing:
		d.Message = fmt.Sprintf("%s %s: no such file; MySQL and MariaDB skip a missing include silently, so nothing in it is applied", kw, in.Target)
	case model.IncludeDirMissing:
		d.Severity = lint.Error
		if in.Span.File == of.File {
			d.Message = fmt.Sprintf("%s %s: no such directory; every program reading this file stops with \"Fatal error in defaults handling\"", kw, in.Target)
		} else {
			d.Message = fmt.Sprintf("%s %s: no such directory; MySQL stops reading %s here, so the settings after this line are ignored", kw, in.Target, in.Span.File.Path)
		}
	case model.IncludeOutside:
		d.Severity = lint.Note
		d.Message = fmt.Sprintf("%s %s lies outside the scanned root: tlsvet did not read it, so its settings are not checked (--allow-outside-root follows it)", kw, in.Target)
		if strings.HasPrefix(in.Target, "~") {
			d.Message = fmt.Sprintf("%s %s is in a home directory: tlsvet does not read it, so its settings are not checked", kw, in.Target)
		}
	case model.IncludeCycle:
		d.Message = fmt.Sprintf("%s %s includes a file that is already being read: MySQL reads it again and again until 10 levels deep, then skips it with a warning", kw, in.Target)
	case model.IncludeUnreadable:
		d.Message = fmt.Sprintf("%s %s: a file cannot be read; MySQL skips it silently", kw, in.Target)
		if in.Dir {
			d.Message += ", and MariaDB programs exit"
		}
	case model.IncludeDepth:
		d.Message = fmt.Sprintf("%s %s is nested more than 10 levels deep: MySQL skips it with a warning, so nothing in it is applied", kw, in.Target)
	case model.IncludeNotFile:
		d.Message = fmt.Sprintf("%s %s names a directory: !include reads nothing from it; use !includedir", kw, in.Target)
	case model.IncludeEscapes:
		d.Severity = lint.Note
		d.Message = fmt.Sprintf("%s %s: %s; its settings are not checked", kw, in.Target, strings.Join(in.Links, "; "))
	case model.IncludeTooMany:
		d.Message = fmt.Sprintf("%s %s: include expansion too large: the files read for this file, counted each time they are included, exceed 10,000 files or 64 MiB; tlsvet read no more of them", kw, in.Target)
	}
	var out []lint.Diagnostic
	if d.Message != "" {
		out = append(out, d)
	}
	for _, f := range in.Skipped {
		out = append(out, lint.Diagnostic{Span: at, Message: fmt.Sprintf(
			"%s is not read: !includedir reads only files ending in .cnf (and .ini on Windows); rename it to end in .cnf", f)})
	}
	return out
}
