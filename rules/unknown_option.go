package rules

import (
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/tlsvet/tlsvet/internal/facts"
	"github.com/tlsvet/tlsvet/internal/lint"
	"github.com/tlsvet/tlsvet/internal/model"
	"github.com/tlsvet/tlsvet/internal/source"
)

// UnknownOption is TV002.
var UnknownOption = &lint.Rule{
	ID:       "TV002",
	Name:     "unknown-option",
	Severity: lint.Error,
	Tags:     []string{"tls", "correctness"},
	Doc: lint.Doc{
		Title: "TLS option that no program reading its group knows",
		Why: "An option a program does not know makes it stop: the server refuses to start " +
			"(`[ERROR] [MY-000067] unknown variable 'ssl-mode=DISABLED'`) and every client program " +
			"reading `[client]` exits (`mysql: [ERROR] unknown option '--ssl'`). This covers typos " +
			"(`ssl-ciphers`), invented names (`ssl-min-version`), client options in server groups " +
			"(`ssl-mode` in `[mysqld]`), server options in `[client]`, read-only variables (`have_ssl`), " +
			"abbreviations and names in the wrong case. With the `loose-` prefix the program only warns " +
			"and ignores the setting, which is reported as a warning. Options that were removed in a " +
			"version are TV004.\n\n" +
			"**Abbreviations.** MySQL accepts only full option names since 5.7 (WL#6978; 5.5 and 5.6 " +
			"warn). MariaDB still applies a *unique* prefix: `ssl-ciph=` starts the server with the note " +
			"\"Using unique option prefix 'ssl-ciph' is error-prone and can break in the future\", and its " +
			"client accepts it too, so for MariaDB alone that is a warning with a fix to the full name. An " +
			"*ambiguous* prefix (`ssl-c=`) stops MariaDB programs: \"ambiguous option '--ssl-c=…' (ssl-ca, " +
			"ssl-crlpath)\", an error. With a known target only its flavour and versions are judged (a " +
			"`[mysqld]` read by a MariaDB target is not judged for MySQL; MySQL 5.6 applies a unique prefix " +
			"with a deprecation warning).\n\n" +
			"**Case.** MySQL compares option names case-sensitively. MariaDB did too until MDEV-27126, fixed " +
			"in " + facts.CaseFoldedReleases() + ": a name in the wrong case read only by MariaDB is a " +
			"warning that names the first fixed release of the target's series, and no finding when the " +
			"target is at or past it (`SSL_CIPHER=` works on 10.11.19).",
		Fix:  "Spell the option as the manual does (the message suggests the closest name), or move it to a group the program that knows it reads.",
		Bad:  "[mysqld]\nssl-ciphers=ECDHE-RSA-AES256-GCM-SHA384\n",
		Good: "[mysqld]\nssl_cipher=ECDHE-RSA-AES256-GCM-SHA384\n",
		Sources: []string{srcOptionFiles, srcModifiers, srcPrefixes57, facts.SrcWL6978, srcMyGetopt,
			facts.SrcMDEV27126, facts.SrcMDB101112Changelog, srcDockerMy1053, srcSqlboiler117, srcServerVars},
	},
	Requires: []*lint.Analysis{readerTargetsAnalysis},
	Run:      runUnknownOption,
}

func runUnknownOption(pass *lint.Pass) {
	readers := pass.ResultOf(readerTargetsAnalysis).(readerIndex)
	eachFileOption(pass.Project, func(o *model.Setting) {
		if d, ok := unknownOption(o, readers.targets); ok {
			pass.Report(d)
		}
	})
}

// readerTargetsAnalysis finds the targets of the servers and clients that
// read each option, once per run.
var readerTargetsAnalysis = &lint.Analysis{
	Name: "reader-targets",
	Doc:  "for each option-file setting, the targets (flavour and versions) of the servers and clients that read it",
	Run:  func(p *lint.AnalysisPass) any { return indexReaders(p.Project) },
}

// readerIndex holds, for each file, the servers' and clients' option lists
// that read from it, and their targets. Only a finding's wording needs a
// setting's readers, so they are looked up then rather than kept for
// every setting (a map of them was a fifth of the live heap).
type readerIndex map[*source.File][]programOptions

type programOptions struct {
	options []*model.Setting
	target  facts.Target
}

func indexReaders(p *model.Project) readerIndex {
	ix := readerIndex{}
	add := func(opts []*model.Setting, t facts.Target) {
		for i, o := range opts {
			f := o.KeySpan.File
			if i > 0 && opts[i-1].KeySpan.File == f {
				continue // options come in runs of one file
			}
			if l := ix[f]; len(l) == 0 || &l[len(l)-1].options[0] != &opts[0] {
				ix[f] = append(l, programOptions{opts, t})
			}
		}
	}
	for _, s := range p.Servers {
		add(s.Options, s.Target)
	}
	for _, c := range p.Clients {
		add(c.Options, c.Target)
	}
	return ix
}

// targets returns the targets of the servers and clients that read o.
func (ix readerIndex) targets(o *model.Setting) []facts.Target {
	var ts []facts.Target
	for _, p := range ix[o.KeySpan.File] {
		if slices.Contains(p.options, o) {
			ts = append(ts, p.target)
		}
	}
	return ts
}

// pluginOption matches plugin and component variables whose TLS-looking
// names the catalogue does not list completely, so an unknown name there
// is not judged. Group Replication and clone are not exempt: every
// TLS-looking variable of theirs is catalogued (MY80-GRV; clone_ssl_*,
// https://dev.mysql.com/doc/refman/8.0/en/clone-plugin-options-variables.html),
// so a misspelt one is reported like any other.
var pluginOption = regexp.MustCompile(`^(authentication|mysqlx|wsrep|audit_log|keyring|ndb|rpl|connection_control|thread_pool|component)_`)

// unknownOption judges one TLS-looking option against the programs that
// read its group, whatever their version: version-dependent absence
// (removed, not yet added, another flavour's option) is TV004's. targetsOf
// gives the versions of the programs that read it, which decide only the
// wording of a prefix and how MariaDB treats a name in the wrong case.
func unknownOption(o *model.Setting, targetsOf func(*model.Setting) []facts.Target) (lint.Diagnostic, bool) {
	readers := o.Group.Readers & (facts.Servers | facts.Clients)
	if readers == 0 {
		return lint.Diagnostic{}, false
	}
	name := optName(o)
	spec, found := facts.LookupOption(name)
	if !found {
		// "LOOSE-SSL-CA": the prefix too is matched case-sensitively.
		folded, _ := facts.Canonical(o.Key)
		spec, found = facts.LookupOption(folded)
	}
	mysqlReads := readers&(facts.MySQLServer|facts.MySQLClient) != 0
	var (
		what, hint string
		before     string // when the effect holds only on older releases
		fix        *lint.Fix
		sev        = severityFor(o)
		failing    []programClass
	)
	present := func() []programClass {
		var cs []programClass
		for _, c := range programClasses {
			if readers&c.progs != 0 {
				cs = append(cs, c)
			}
		}
		return cs
	}
	switch {
	case !found:
		failing = present()
		var cands []string
		if len(name) > 3 { // "tls" is a known slip for "ssl" rather than an abbreviation
			cands = prefixOf(name, readers)
		}
		switch {
		case len(cands) > 0:
			targets := targetsOf(o)
			return prefixFinding(o, cands, targetReaders(readers, targets), targets), true
		default:
			if pluginOption.MatchString(name) {
				return lint.Diagnostic{}, false
			}
			s := facts.SuggestOption(name, readers)
			what = fmt.Sprintf("%s is not an option", o.Key)
			if s != "" {
				hint = fmt.Sprintf("; did you mean %s?", s)
			}
		}
	case spec.ReadOnly:
		// Read-only variables have no command-line option (NO_CMD_LINE in
		// sql/sys_vars.cc), so an option file cannot set them (facts catalogue).
		failing = present()
		what = fmt.Sprintf("%s is a read-only status variable, not an option", o.Key)
		hint = "; remove it"
	default:
		for _, c := range present() {
			if spec.Programs&readers&c.progs == 0 {
				failing = append(failing, c)
			}
		}
		if len(failing) > 0 {
			what, hint = wrongPrograms(o, spec, failing[0])
			break
		}
		if o.Name == spec.Name {
			return lint.Diagnostic{}, false
		}
		// MySQL compares option names byte by byte (getopt_compare_strings,
		// SRC-GETOPT); MariaDB folds case only since MDEV-27126.
		targets := targetsOf(o)
		readers = targetReaders(readers, targets)
		mysqlReads = readers&(facts.MySQLServer|facts.MySQLClient) != 0
		failing = present()
		what = fmt.Sprintf("%s is written in the wrong case, and MySQL matches option names case-sensitively", o.Key)
		if !mysqlReads {
			since, accepted := caseFoldedSince(targets)
			if accepted {
				return lint.Diagnostic{}, false
			}
			what = fmt.Sprintf("%s is written in the wrong case, which MariaDB accepts only since %s (MDEV-27126)", o.Key, since)
			before = "before that, "
			sev = lint.Warning
		}
		lower := strings.ToLower(o.Key)
		hint = "; write " + lower
		fix = &lint.Fix{Message: "write " + lower, Edits: []source.Edit{{Span: o.KeySpan, New: lower}}}
	}
	var effects []string
	for _, c := range failing {
		effects = append(effects, c.fails(readers, o.Loose))
	}
	effect := before + strings.Join(effects, " and ")
	if o.Loose {
		effect += ", so the setting has no effect"
	} else {
		effect += fmt.Sprintf(" with %q", getoptText(o))
	}
	return lint.Diagnostic{Span: o.KeySpan, Severity: sev, Fix: fix,
		Message: what + ": " + effect + hint}, true
}

// wrongPrograms explains an option that the readers of class c do not
// know, although other programs do: a client option in a server group, or
// another flavour's option in a group only one flavour reads.
func wrongPrograms(o *model.Setting, spec facts.OptionSpec, c programClass) (what, hint string) {
	if spec.Programs&c.progs == 0 {
		own, move := "client", "[client]"
		if spec.Programs&facts.Clients == 0 {
			own, move = "server", "[mysqld]"
		}
		return fmt.Sprintf("%s is a %s option", o.Key, own), "; move it to " + move
	}
	owner, other := facts.MySQL, facts.MariaDB
	if spec.Programs&(facts.MySQLServer|facts.MySQLClient) == 0 {
		owner, other = facts.MariaDB, facts.MySQL
	}
	what = fmt.Sprintf("%s is a %s option that %s %ss do not have", o.Key, owner.Title(), other.Title(), c.noun)
	if r := flavourReplacement(spec.Name, other); r != "" {
		hint = "; " + r
	}
	return what, hint
}

// prefixOf lists the catalogue options that readers know and that name
// abbreviates.
func prefixOf(name string, readers facts.Program) []string {
	var out []string
	for _, spec := range facts.Options() {
		if spec.Programs&readers != 0 && !spec.ReadOnly && strings.HasPrefix(spec.Name, name) {
			out = append(out, spec.Name)
		}
	}
	return out
}

// caseFoldedSince says from which MariaDB releases a name in the wrong
// case is accepted (facts.CaseFoldedFrom, MDEV-27126): accepted is true when
// every target reading it is at or past its series' fixed release; since
// names that release when all targets share one series, else every
// series' first fixed release.
func caseFoldedSince(targets []facts.Target) (since string, accepted bool) {
	accepted = len(targets) > 0
	series := ""
	for _, t := range targets {
		fs := lifeFlavours(t)
		mariadb := len(fs) == 1 && fs[0] == facts.MariaDB && t.VersionKnown()
		if !mariadb || !facts.CaseFoldedRange(t.Min, t.Max) {
			accepted = false
		}
		first, ok := facts.CaseFoldedFrom(t.Min)
		known := mariadb && ok && first.Series() == t.Max.Series()
		switch {
		case !known:
			series = "?"
		case series == "":
			series = first.String()
		case series != first.String():
			series = "?"
		}
	}
	if series == "" || series == "?" {
		return facts.CaseFoldedReleases(), accepted
	}
	return series, accepted
}

// mysqlPrefixesRemoved: MySQL matched unique option prefixes before 5.7,
// with a deprecation warning from 5.5.33 and 5.6.13, and removed them in 5.7
// (WL#6978, facts.SrcWL6978).
var mysqlPrefixesRemoved = facts.V(5, 7, 0)

// prefixFinding judges an abbreviation of the catalogue names cands.
// MySQL 5.7 and later stop on it as on any unknown name; older MySQL and
// every MariaDB apply a unique prefix with a note (MariaDB: "Using unique
// option prefix … is error-prone", its server and client, observed on
// 10.11.19) and stop on an ambiguous one with "ambiguous option
// '--ssl-c=…' (ssl-ca, ssl-crlpath)" whether or not loose- is given
// (my_getopt findopt). targets say which MySQL versions read it.
func prefixFinding(o *model.Setting, cands []string, readers facts.Program, targets []facts.Target) lint.Diagnostic {
	ambiguous := len(cands) > 1
	given := o.Key
	if o.HasValue {
		given += "=" + shownValue(o)
	}
	oldMySQL, newMySQL := true, true // every MySQL target is before / at or after 5.7
	for _, t := range targets {
		if fs := lifeFlavours(t); len(fs) == 1 && fs[0] == facts.MySQL && t.VersionKnown() {
			oldMySQL = oldMySQL && t.AllBelow(mysqlPrefixesRemoved)
			newMySQL = newMySQL && t.AllAtLeast(mysqlPrefixesRemoved)
		} else {
			oldMySQL, newMySQL = false, false
		}
	}
	if len(targets) == 0 {
		oldMySQL, newMySQL = false, false
	}
	sev := lint.Warning
	var effects []string
	for _, v := range []struct {
		progs          facts.Program
		name, note     string
		matchesPrefix  bool
		qualifyVersion bool
	}{
		{facts.MySQLServer | facts.MySQLClient, "MySQL", "the warning \"Using unique option prefix %[1]s instead of %[2]s is deprecated\"", oldMySQL, !newMySQL},
		{facts.MariaDBServer | facts.MariaDBClient, "MariaDB", "the note \"Using unique option prefix '%[1]s' is error-prone\"", true, false},
	} {
		for _, c := range programClasses {
			r := readers & v.progs & c.progs
			if r == 0 {
				continue
			}
			who, accepts := v.name+" client programs", "accept"
			if c == serverClass {
				who, accepts = "the "+v.name+" server", "accepts"
			}
			stops := strings.TrimPrefix(c.fails(r, false), c.who(r)) // " refuses to start", " exit"
			switch {
			case !v.matchesPrefix:
				if v.qualifyVersion {
					who += " (5.7 and later)"
				}
				e := who + strings.TrimPrefix(c.fails(r, o.Loose), c.who(r))
				if !o.Loose {
					e += fmt.Sprintf(" with %q", getoptText(o))
				}
				effects = append(effects, e)
				if !o.Loose {
					sev = lint.Error
				}
			case ambiguous:
				effects = append(effects, fmt.Sprintf("%s%s with \"ambiguous option '--%s' (…)\"", who, stops, given))
				sev = lint.Error
			default:
				note := fmt.Sprintf(v.note, o.Key[len(o.Key)-len(o.Name):], strings.ReplaceAll(cands[0], "_", "-"))
				effects = append(effects, fmt.Sprintf("%s %s it as %s with %s", who, accepts, cands[0], note))
			}
		}
	}
	what := fmt.Sprintf("%s is an abbreviation of %s", o.Key, strings.Join(cands, ", "))
	if ambiguous {
		what = fmt.Sprintf("%s is an ambiguous abbreviation (%s)", o.Key, strings.Join(cands, ", "))
	}
	d := lint.Diagnostic{Span: o.KeySpan, Severity: sev,
		Message: what + ": " + strings.Join(effects, " and ") + "; write the full name"}
	if !ambiguous && knownToAll(cands[0], targets, readers) {
		written := o.Key[len(o.Key)-len(o.Name):]
		full := cands[0]
		if strings.Contains(written, "-") {
			full = strings.ReplaceAll(full, "_", "-")
		}
		key := o.Key[:len(o.Key)-len(o.Name)] + full
		d.Fix = &lint.Fix{Message: "write " + key, Edits: []source.Edit{{Span: o.KeySpan, New: key}}}
	}
	return d
}

// targetReaders narrows readers to the flavours of the targets of the
// programs that read the option, when each target names one flavour: a
// [mysqld] group read by a MariaDB target is not judged for MySQL.
func targetReaders(readers facts.Program, targets []facts.Target) facts.Program {
	var keep facts.Program
	for _, t := range targets {
		fs := lifeFlavours(t)
		if len(fs) != 1 {
			return readers
		}
		keep |= vendorPrograms(fs[0])
	}
	if readers&keep == 0 {
		return readers
	}
	return readers & keep
}

// knownToAll reports whether every target's programs among readers have
// the option name: writing it out is no fix where some version lacks it
// (clone_ssl_cert before MySQL 8.0.14).
func knownToAll(name string, targets []facts.Target, readers facts.Program) bool {
	spec, ok := facts.LookupOption(name)
	if !ok {
		return false
	}
	for _, t := range targets {
		if state, _ := facts.OptionStateFor(spec, t, readers); state.Status >= facts.StatusNotYet {
			return false
		}
	}
	return true
}
