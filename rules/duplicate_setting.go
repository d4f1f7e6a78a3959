package rules

import (
	"fmt"
	"slices"
	"strings"

	"github.com/tlsvet/tlsvet/internal/lint"
	"github.com/tlsvet/tlsvet/internal/model"
)

// DuplicateSetting is TV009.
var DuplicateSetting = &lint.Rule{
	ID:       "TV009",
	Name:     "duplicate-setting",
	Severity: lint.Note,
	Tags:     []string{"tls", "maintainability"},
	Doc: lint.Doc{
		Title: "TLS option set more than once for the same program",
		Why: "Options are processed in order and the last occurrence wins, also across `!include`d " +
			"files and across the groups a program reads (`[mysqld]`, then `[server]`, then " +
			"`[mysqld-8.0]`…). Different spellings are the same option: `ssl-ca`, `ssl_ca` and " +
			"`loose-ssl-ca` all set `ssl_ca`. A reader who finds the first setting believes it is in " +
			"force. MySQL reads the files of an `!includedir` in no guaranteed order, so there the " +
			"winner may even change between hosts.",
		Fix:     "Keep one setting per option and program, and delete the others.",
		Bad:     "[mysqld]\nssl_ca=/etc/mysql/ca.pem\nssl-ca=/etc/mysql/new-ca.pem\n",
		Good:    "[mysqld]\nssl_ca=/etc/mysql/new-ca.pem\n",
		Sources: []string{"https://dev.mysql.com/doc/refman/8.0/en/program-options.html", srcOptionFiles, srcMariaDBOF},
	},
	Run: runDuplicateSetting,
}

func runDuplicateSetting(pass *lint.Pass) {
	for _, s := range pass.Project.Servers {
		reportDuplicates(pass, s.File, s.Options, s.Settings, "the server")
	}
	for _, c := range pass.Project.Clients {
		reportDuplicates(pass, c.File, c.Options, c.Settings, "client programs")
	}
}

// reportDuplicates reports, at each effective setting, the earlier ones it
// overrides; opts are the program's options in read order.
func reportDuplicates(pass *lint.Pass, of *model.OptionFile, opts []*model.Setting, set model.Settings, who string) {
	for _, o := range opts {
		s := set.Get(o.Name)
		if s == nil || s.Setting != o || len(s.Earlier) == 0 || !tlsOption(o) {
			continue
		}
		same := true
		var rel []lint.Related
		var places []string
		for i, e := range s.Earlier {
			same = same && e.Value == s.Value && e.HasValue == s.HasValue && e.Skip == s.Skip
			if i < maxPlaces {
				places = append(places, optionPlace(e))
				rel = append(rel, lint.Related{Span: e.Span(), Message: "overridden: " + settingText(e)})
			}
		}
		if n := len(s.Earlier) - maxPlaces; n > 0 {
			places = append(places, fmt.Sprintf("%d more", n))
		}
		msg := fmt.Sprintf("%s is set %d times for %s; this last one wins over %s", optName(s.Setting), len(s.Earlier)+1, who, strings.Join(places, ", "))
		if same {
			msg += " (same value)"
		}
		if dir := sharedIncludeDir(of, s.Setting, s.Earlier); dir != "" {
			msg += fmt.Sprintf("; MySQL reads the files of !includedir %s in no guaranteed order, so another one may win", dir)
		}
		pass.Report(lint.Diagnostic{Span: s.Setting.Span(), Message: msg, Related: rel})
	}
}

// maxPlaces bounds the earlier settings a TV009 finding names, so that an
// option repeated 100,000 times makes one finding of bounded size.
const maxPlaces = 10

// optionPlace is "conf.d/tls.cnf:3" for messages.
func optionPlace(o *model.Setting) string {
	return fmt.Sprintf("%s:%d", o.KeySpan.File.Path, o.KeySpan.StartPos().Line)
}

// settingText spells an option for messages without printing secrets.
func settingText(o *model.Setting) string {
	if !o.HasValue {
		return o.Key
	}
	return o.Key + "=" + shownValue(o)
}

// sharedIncludeDir returns the !includedir from which the winning setting
// and an earlier one come in different files: their order is unspecified
// in MySQL (MY80-OF), alphabetical in MariaDB (MDB-OF).
func sharedIncludeDir(of *model.OptionFile, last *model.Setting, earlier []*model.Setting) string {
	for _, in := range of.Includes {
		if !in.Dir || !slices.Contains(in.Files, last.KeySpan.File.Path) {
			continue
		}
		// A set, not slices.Contains per setting: both lists can be long.
		files := make(map[string]bool, len(in.Files))
		for _, f := range in.Files {
			files[f] = true
		}
		for _, e := range earlier {
			if p := e.KeySpan.File.Path; p != last.KeySpan.File.Path && files[p] {
				return in.Target
			}
		}
	}
	return ""
}
