package rules

import (
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strings"

	"github.com/tlsvet/tlsvet/internal/facts"
	"github.com/tlsvet/tlsvet/internal/lint"
	"github.com/tlsvet/tlsvet/internal/model"
)

// IgnoredGroup is TV007.
var IgnoredGroup = &lint.Rule{
	ID:       "TV007",
	Name:     "ignored-group",
	Severity: lint.Warning,
	Tags:     []string{"tls", "correctness"},
	Doc: lint.Doc{
		Title: "TLS options in a group that no server or client reads",
		Why: "Each program reads only its own groups. `mysqld_safe` reads `[mysqld_safe]` for its own " +
			"settings and ignores the rest, so `ssl_cert` there never reaches the server, which then " +
			"starts with other certificates or without TLS. A misspelled group (`[mysqd]`) or one with " +
			"a leading space (`[ client]`) is read by no program at all. MySQL does not read MariaDB's " +
			"groups (`[mariadb]`, `[mariadbd]`, `[mariadb-10.11]`, `[client-mariadb]`, `[client-server]`, " +
			"`[galera]`), so when the target is MySQL their TLS settings have no effect; the reverse holds " +
			"for `[mysqld-8.0]` on MariaDB.",
		Fix: "Move the options to a group the program reads: `[mysqld]` (or `[server]`) for the server, " +
			"`[client]` for client programs.",
		Bad:  "[mysqld_safe]\nssl_cert=/etc/mysql/server-cert.pem\nssl_key=/etc/mysql/server-key.pem\n",
		Good: "[mysqld_safe]\nnice=0\n\n[mysqld]\nssl_cert=/etc/mysql/server-cert.pem\nssl_key=/etc/mysql/server-key.pem\n",
		Sources: []string{srcOptionFiles, srcMariaDBOF,
			"https://dev.mysql.com/doc/refman/8.0/en/mysqld-safe.html"},
	},
	Run: runIgnoredGroup,
}

func runIgnoredGroup(pass *lint.Pass) {
	for _, of := range pass.Project.OptionFiles {
		ign := ignoredGroups(pass.Project, of)
		for _, g := range of.Groups {
			why, ok := ign[g]
			if !ok {
				continue
			}
			var names []string
			var rel []lint.Related
			for _, o := range of.Options {
				if o.Group == g && tlsOption(o) {
					names = append(names, o.Key)
					rel = append(rel, lint.Related{Span: o.KeySpan, Message: o.Key + " is ignored"})
				}
			}
			if len(names) == 0 {
				continue
			}
			pass.Report(lint.Diagnostic{Span: g.Span, Related: rel,
				Message: fmt.Sprintf("TLS settings in [%s] have no effect (%s): %s; move them to %s",
					g.Written, strings.Join(names, ", "), why.why, why.move)})
		}
	}
}

// ignoredGroup says why a group's TLS options reach no program.
type ignoredGroup struct {
	why  string // "it is read only by mysqld_safe, never by the server"
	move string // where they belong: "[mysqld]"
}

// ignoredGroups finds the groups of one option file whose TLS options no
// server or client reads. TV002, TV006 and TV008 leave these groups to
// TV007: one finding says the whole group is ignored.
func ignoredGroups(p *model.Project, of *model.OptionFile) map[*model.Group]ignoredGroup {
	out := map[*model.Group]ignoredGroup{}
	servers, clients := of.Servers, of.Clients
	for _, g := range of.Groups {
		if ig, ok := groupIgnoredBy(g, servers, clients); ok {
			out[g] = ig
		}
	}
	return out
}

func groupIgnoredBy(g *model.Group, servers []*model.Server, clients []*model.Client) (ignoredGroup, bool) {
	move := "[mysqld]"
	if classOf(g.Readers) == clientClass && g.Readers != 0 {
		move = "[client]"
	}
	// MySQL keeps leading blanks of a group name, so "[ client]" names a
	// group no program reads (parsers/mycnf, checked with my_print_defaults).
	if trimmed := strings.TrimLeft(g.Written, " \t"); trimmed != g.Written {
		if facts.GroupReaders(trimmed)&(facts.Servers|facts.Clients) != 0 {
			return ignoredGroup{why: fmt.Sprintf("the leading space is part of the name, so no program reads it as [%s]", trimmed),
				move: "[" + trimmed + "]"}, true
		}
	}
	if g.Readers == 0 {
		return misspelledGroup(g.Name)
	}
	if g.Readers&(facts.Servers|facts.Clients) == 0 {
		// mysqld_safe, mysql.server and mysqld_multi read their groups for
		// their own settings and ignore other options there (MY80-OF;
		// https://dev.mysql.com/doc/refman/8.0/en/mysqld-safe.html).
		return ignoredGroup{why: fmt.Sprintf("it is read only by %s, never by the server", g.Readers),
			move: "[mysqld]"}, true
	}
	// The group is read by some flavour, but not by any server or client
	// the configured targets describe ([mariadb] with a MySQL target). A
	// flavour known only from a versioned group ([mysqld-8.0]) says nothing
	// about the other servers that may read the file.
	var targets []string
	seen := map[string]bool{}
	add := func(reads bool, t facts.Target, by string) bool {
		if reads || by == "" || strings.HasPrefix(by, "group [") {
			return true
		}
		s := t.String()
		if by != "" {
			s += " (" + by + ")"
		}
		if !seen[s] {
			seen[s] = true
			targets = append(targets, s)
		}
		return false
	}
	if g.Readers&facts.Servers != 0 {
		for _, s := range servers {
			if add(slices.Contains(s.Groups, g), s.Target, s.TargetBy) {
				return ignoredGroup{}, false
			}
		}
	}
	if g.Readers&facts.Clients != 0 {
		for _, c := range clients {
			if add(slices.Contains(c.Groups, g), c.Target, c.TargetBy) {
				return ignoredGroup{}, false
			}
		}
	}
	if len(targets) == 0 {
		return ignoredGroup{}, false
	}
	sort.Strings(targets)
	return ignoredGroup{why: fmt.Sprintf("it is read only by %s, not by %s", g.Readers&(facts.Servers|facts.Clients), strings.Join(targets, " or ")),
		move: move}, true
}

// tlsGroups are the groups that take TLS options, for "did you mean"
// (MY80-OF, MDB-OF).
var tlsGroups = []string{"client", "mysqld", "server", "mysql", "mariadb", "mariadbd",
	"client-server", "client-mariadb", "mariadb-client", "galera", "mysqldump", "mysqladmin"}

// versionGroup matches a versioned server group whose version is not a
// release series: mysqld reads "[mysqld-" + "8.0" + "]" only (MY80-OF).
var versionGroup = regexp.MustCompile(`^(mysqld|mariadb|mariadbd)-v?([0-9]+)(\.[0-9]+)?(\.[0-9.]*)?$`)

// misspelledGroup recognises a group no program reads that is one typo
// away from a TLS group, or a versioned group with a full version. Other
// unread groups may be an application's own (read_default_group) and are
// left alone.
func misspelledGroup(name string) (ignoredGroup, bool) {
	if m := versionGroup.FindStringSubmatch(name); m != nil {
		move := "[" + m[1] + "-" + m[2] + ".N] for the series you mean"
		if m[3] != "" {
			move = "[" + m[1] + "-" + m[2] + m[3] + "]"
		}
		return ignoredGroup{why: "versioned groups name a release series (major.minor), so no program reads this one", move: move}, true
	}
	for _, c := range tlsGroups {
		if oneEdit(name, c) {
			return ignoredGroup{why: fmt.Sprintf("no program reads a group of that name (did you mean [%s]?)", c), move: "[" + c + "]"}, true
		}
	}
	return ignoredGroup{}, false
}

// oneEdit reports whether a and b differ by one inserted, deleted or
// replaced byte, or by two swapped neighbours.
func oneEdit(a, b string) bool {
	if a == b {
		return false
	}
	if len(a) > len(b) {
		a, b = b, a
	}
	if len(b)-len(a) > 1 {
		return false
	}
	i := 0
	for i < len(a) && a[i] == b[i] {
		i++
	}
	if len(a) < len(b) {
		return a[i:] == b[i+1:]
	}
	return a[i+1:] == b[i+1:] ||
		i+1 < len(a) && a[i] == b[i+1] && a[i+1] == b[i] && a[i+2:] == b[i+2:]
}
