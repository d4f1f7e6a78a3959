package rules

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/tlsvet/tlsvet/internal/facts"
	"github.com/tlsvet/tlsvet/internal/model"
	"github.com/tlsvet/tlsvet/internal/source"
)

// UnknownOption is TV002.
var UnknownOption = &Rule{
	ID:       "TV002",
	Name:     "unknown-option",
	Severity: Error,
	Tags:     []string{"tls", "correctness"},
	Doc: Doc{
		Title: "TLS option that no program reading its group knows",
		Why: "An option a program does not know makes it stop: the server refuses to start " +
			"(`[ERROR] [MY-000067] unknown variable 'ssl-mode=DISABLED'`) and every client program " +
			"reading `[client]` exits (`mysql: [ERROR] unknown option '--ssl'`). This covers typos " +
			"(`ssl-ciphers`), invented names (`ssl-min-version`), client options in server groups " +
			"(`ssl-mode` in `[mysqld]`), server options in `[client]`, read-only variables (`have_ssl`), " +
			"abbreviations (`ssl-c`: MySQL accepts only full names since 5.7) and names in the wrong " +
			"case (MySQL matches option names case-sensitively). With the `loose-` prefix the program " +
			"only warns and ignores the setting, which is reported as a warning. Options that were " +
			"removed in a version are TV004.",
		Fix:  "Spell the option as the manual does (the message suggests the closest name), or move it to a group the program that knows it reads.",
		Bad:  "[mysqld]\nssl-ciphers=ECDHE-RSA-AES256-GCM-SHA384\n",
		Good: "[mysqld]\nssl_cipher=ECDHE-RSA-AES256-GCM-SHA384\n",
		Sources: []string{srcOptionFiles, srcModifiers, srcPrefixes57, srcMyGetopt, srcDockerMy1053,
			srcSqlboiler117, srcServerVars},
	},
	Run: runUnknownOption,
}

func runUnknownOption(pass *Pass) {
	eachFileOption(pass.Project, func(o *model.Option) {
		if d, ok := unknownOption(o); ok {
			pass.Report(d)
		}
	})
}

// pluginOption matches plugin and component variables. The catalogue does
// not list every one (group_replication_tls_source, clone_ssl_ca…), and
// a plugin's variables are unknown until it loads, so an unknown name
// there is not judged.
var pluginOption = regexp.MustCompile(`^(group_replication|clone|authentication|mysqlx|wsrep|audit_log|keyring|ndb|rpl|connection_control|thread_pool|component)_`)

// unknownOption judges one TLS-looking option against the programs that
// read its group, whatever their version: version-dependent absence
// (removed, not yet added, another flavour's option) is TV004's.
func unknownOption(o *model.Option) (Diagnostic, bool) {
	readers := o.Group.Readers & (facts.Servers | facts.Clients)
	if readers == 0 {
		return Diagnostic{}, false
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
		fix        *Fix
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
			// MySQL accepts only full option names since 5.7 (MY57-PV,
			// SRC-GETOPT findopt); MariaDB still takes a unique prefix with a
			// note "Using unique option prefix … is error-prone".
			what = fmt.Sprintf("%s is an abbreviation, and MySQL accepts only full option names since 5.7", o.Key)
			if !mysqlReads && len(cands) == 1 {
				sev = Warning
			}
			hint = "; write the full name: " + strings.Join(cands, ", ")
		default:
			if pluginOption.MatchString(name) {
				return Diagnostic{}, false
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
			return Diagnostic{}, false
		}
		// MySQL compares option names byte by byte (getopt_compare_strings,
		// SRC-GETOPT); MariaDB folds case only since MDEV-27126 (2025).
		failing = present()
		what = fmt.Sprintf("%s is written in the wrong case, and MySQL matches option names case-sensitively", o.Key)
		if !mysqlReads {
			what = fmt.Sprintf("%s is written in the wrong case, which MariaDB accepts only since 2025 (MDEV-27126)", o.Key)
			sev = Warning
		}
		lower := strings.ToLower(o.Key)
		hint = "; write " + lower
		fix = &Fix{Message: "write " + lower, Edits: []source.Edit{{Span: o.KeySpan, New: lower}}}
	}
	var effects []string
	for _, c := range failing {
		effects = append(effects, c.fails(readers, o.Loose))
	}
	effect := strings.Join(effects, " and ")
	if o.Loose {
		effect += ", so the setting has no effect"
	} else {
		effect += fmt.Sprintf(" with %q", getoptText(o))
	}
	return Diagnostic{Span: o.KeySpan, Severity: sev, Fix: fix,
		Message: what + ": " + effect + hint}, true
}

// wrongPrograms explains an option that the readers of class c do not
// know, although other programs do: a client option in a server group, or
// another flavour's option in a group only one flavour reads.
func wrongPrograms(o *model.Option, spec facts.OptionSpec, c programClass) (what, hint string) {
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
