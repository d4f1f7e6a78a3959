package rules

import (
	"fmt"
	"strings"

	"github.com/tlsvet/tlsvet/internal/facts"
	"github.com/tlsvet/tlsvet/internal/lint"
	"github.com/tlsvet/tlsvet/internal/model"
	"github.com/tlsvet/tlsvet/internal/secret"
	"github.com/tlsvet/tlsvet/internal/source"
)

// Options: helpers about one option line and the programs that read it,
// shared by the option-file rules.

// Sources the option-file family cites (keys as in docs/sources.md).
const (
	srcOptionFiles   = "https://dev.mysql.com/doc/refman/8.0/en/option-files.html"           // MY80-OF
	srcModifiers     = "https://dev.mysql.com/doc/refman/8.0/en/option-modifiers.html"       // MY80-OM
	srcDefaultsEqual = "https://dev.mysql.com/doc/refman/8.0/en/option-defaults-equals.html" // MY80-ODE
	srcPrefixes57    = "https://dev.mysql.com/doc/refman/5.7/en/program-variables.html"      // MY57-PV
	srcServerOptions = facts.SrcMY80SO                                                       // MY80-SO
	srcServerVars    = facts.SrcMY80SV
	srcConnOpts57    = facts.SrcMY57CO // MY57-CO
	srcConnOpts80    = facts.SrcMY80CO // MY80-CO
	srcMyDefault     = "https://github.com/mysql/mysql-server/blob/8.0/mysys/my_default.cc"
	srcMyGetopt      = "https://github.com/mysql/mysql-server/blob/8.0/mysys/my_getopt.cc"
	srcSSLOptCase57  = facts.SrcSSLOpt57
	srcMariaDBOF     = "https://mariadb.com/docs/server/server-management/install-and-upgrade-mariadb/configuring-mariadb/configuring-mariadb-with-option-files"
	srcMariaDBTLS13  = facts.SrcMDBTLS13
	srcMariaDBCLI    = facts.SrcMDBCLI
	srcDockerMy1053  = "https://github.com/docker-library/mysql/issues/1053" // 8.4: unknown option '--skip-ssl', unknown variable 'ssl-mode=…'
	srcVitess5556    = "https://github.com/vitessio/vitess/issues/5556"      // 8.0 client: unknown option '--ssl'
	srcSqlboiler117  = "https://github.com/aarondl/sqlboiler/issues/117"     // MariaDB client: unknown variable 'ssl-mode=…'
	srcWL9091        = "https://dev.mysql.com/worklog/task/?id=9091"
	srcWL14481       = "https://dev.mysql.com/worklog/task/?id=14481"
)

// optName is the option's catalogue name. The model keeps the case as
// written, because MySQL matches option names case-sensitively; the
// catalogue is lower case.
func optName(o *model.Setting) string { return strings.ToLower(o.Name) }

// tlsOption reports whether the option is one the family judges: only
// TLS-looking names, so that innodb_* and friends are never flagged.
func tlsOption(o *model.Setting) bool { return facts.TLSLooking(optName(o)) }

// getoptText is the complaint my_getopt prints for an option it does not
// know: "unknown option '--ssl'" for a bare option and "unknown variable
// 'ssl=1'" for one with a value (SRC-GETOPT: EE_UNKNOWN_OPTION and
// EE_UNKNOWN_VARIABLE).
func getoptText(o *model.Setting) string {
	if !o.HasValue {
		return fmt.Sprintf("unknown option '--%s'", o.Key)
	}
	return fmt.Sprintf("unknown variable '%s=%s'", o.Key, shownValue(o))
}

// shownValue is the option's value for messages: never a secret's.
func shownValue(o *model.Setting) string {
	if secret.Name(o.Key) { // the one definition every output uses
		return "…"
	}
	return o.Value
}

// programClass is the servers or the clients among a group's readers:
// each reacts to an option it does not know in its own way.
type programClass struct {
	progs facts.Program
	noun  string // "server", "client"
}

var (
	serverClass    = programClass{facts.Servers, "server"}
	clientClass    = programClass{facts.Clients, "client"}
	programClasses = []programClass{serverClass, clientClass}
)

// classOf is the class of the programs in readers (servers win: a group
// read by both, such as [client-server], is judged for the server first).
func classOf(readers facts.Program) programClass {
	if readers&facts.Servers != 0 {
		return serverClass
	}
	return clientClass
}

// who names the programs of class c among readers for messages: "the
// server", "the MariaDB server", "client programs", "MySQL client programs".
func (c programClass) who(readers facts.Program) string {
	r := readers & c.progs
	vendor := ""
	switch {
	case r&(facts.MySQLServer|facts.MySQLClient) == 0:
		vendor = "MariaDB "
	case r&(facts.MariaDBServer|facts.MariaDBClient) == 0 && c.noun == "client":
		vendor = "MySQL "
	}
	if c.noun == "server" {
		return "the " + vendor + "server"
	}
	return vendor + "client programs"
}

// fails says what the programs of class c do with an option they do not
// know: my_getopt aborts, or with loose- only warns (MY80-OM, SRC-GETOPT).
func (c programClass) fails(readers facts.Program, loose bool) string {
	w := c.who(readers)
	switch {
	case loose && c == serverClass:
		return w + " ignores it with a warning"
	case loose:
		return w + " ignore it with a warning"
	case c == serverClass:
		return w + " refuses to start"
	}
	return w + " exit"
}

// severityFor is the finding's severity for an option the programs will
// not accept: an error, but only a warning with loose-.
func severityFor(o *model.Setting) lint.Severity {
	if o.Loose {
		return lint.Warning
	}
	return lint.SeverityDefault
}

// boolValue reads a boolean option as my_getopt does (SRC-GETOPT, MY80-OM):
// a bare option is ON; skip-/disable- mean OFF and enable- ON, unless the
// value is exactly "0", which inverts them; otherwise the value must be
// ON/OFF/TRUE/FALSE/1/0 in any case. ok is false for any other value,
// which MySQL and MariaDB turn into OFF with only a warning, and for a
// templated value (model.Setting.Unknown), which is unknown.
func boolValue(o *model.Setting) (on, ok bool) {
	zero := o.HasValue && o.Value == "0"
	switch {
	case o.Unknown:
		return false, false
	case o.Skip:
		return zero, true
	case o.Enable:
		return !zero, true
	case !o.HasValue:
		return true, true
	}
	switch strings.ToLower(o.Value) {
	case "on", "true", "1":
		return true, true
	case "off", "false", "0":
		return false, true
	}
	return false, false
}

// eachFileOption calls f for every TLS-looking option of every option
// file, except those in groups TV007 reports as read by no program that
// uses them: one finding there says the whole group is ignored.
func eachFileOption(p *model.Project, f func(o *model.Setting)) {
	for _, of := range p.OptionFiles {
		ign := ignoredGroups(p, of)
		for _, o := range of.Options {
			if _, skip := ign[o.Group]; !skip && tlsOption(o) {
				f(o)
			}
		}
	}
}

// flavourReplacement says what flavour f's programs take instead of an
// option they do not have ("" when there is nothing to say).
func flavourReplacement(name string, f facts.Flavor) string {
	switch {
	case name == "tls_ciphersuites" && f == facts.MariaDB:
		// MariaDB has no tls_ciphersuites; TLSv1.3 suites go in ssl_cipher (MDB-TLS13).
		return "MariaDB takes TLSv1.3 suites in ssl_cipher"
	case name == "ssl_mode" && f == facts.MariaDB:
		// MariaDB clients have --ssl and --ssl-verify-server-cert instead (MDB-CLI).
		return "MariaDB clients use ssl and ssl-verify-server-cert instead (loose-ssl-mode keeps it for MySQL clients that share the file)"
	}
	return ""
}

// variantOption is one option as one server or client variant reads it.
type variantOption struct {
	opt      *model.Setting
	spec     facts.OptionSpec
	class    programClass
	target   facts.Target
	by       string // where the target comes from
	settings model.Settings
	file     *model.OptionFile
	life     []optionLife // lives(), shared by the options of one (option, programs, target)
}

// eachVariantOption calls f for every catalogued TLS option that a server
// or client variant reads and that some program reading its group knows
// (TV002 reports the rest).
func eachVariantOption(p *model.Project, f func(v variantOption)) {
	// Thousands of options share a few lifecycles: evaluate each once.
	type key struct {
		name     string
		progs    facts.Program
		flavor   facts.Flavor
		min, max facts.Version
	}
	lives := map[key][]optionLife{}
	visit := func(c programClass, opts []*model.Setting, t facts.Target, by string, set model.Settings, of *model.OptionFile) {
		for _, o := range opts {
			spec, ok := facts.LookupOption(optName(o))
			if !ok || spec.ReadOnly || o.Name != spec.Name || spec.Programs&o.Group.Readers&c.progs == 0 {
				continue
			}
			v := variantOption{opt: o, spec: spec, class: c, target: t, by: by, settings: set, file: of}
			k := key{spec.Name, c.progs, t.Flavor, t.Min, t.Max}
			l, ok := lives[k]
			if !ok {
				l = v.evalLives()
				lives[k] = l
			}
			v.life = l
			f(v)
		}
	}
	for _, s := range p.Servers {
		visit(serverClass, s.Options, s.Target, s.TargetBy, s.Settings, s.File)
	}
	for _, c := range p.Clients {
		visit(clientClass, c.Options, c.Target, c.TargetBy, c.Settings, c.File)
	}
}

// optionLife is how an option stands for one program class of one flavour
// over a target's versions.
type optionLife struct {
	flavor facts.Flavor
	absent bool // the flavour never had it
	lc     facts.Lifecycle
	// removed, notYet and deprecated say on which versions of the range
	// the option is removed, not yet added, deprecated.
	removed, notYet, deprecated facts.Tri
}

// lifeFlavours splits a target into the flavours whose lifecycles apply:
// Percona is MySQL; an unknown flavour is both, unless a version names
// one (facts.NumberingFlavor); TiDB reads no option files.
func lifeFlavours(t facts.Target) []facts.Flavor {
	switch t.Flavor {
	case facts.MySQL, facts.Percona:
		return []facts.Flavor{facts.MySQL}
	case facts.MariaDB:
		return []facts.Flavor{facts.MariaDB}
	case facts.FlavorUnknown:
		if lo := facts.NumberingFlavor(t.Min); t.VersionKnown() && lo == facts.NumberingFlavor(t.Max) {
			return []facts.Flavor{lo}
		}
		return []facts.Flavor{facts.MySQL, facts.MariaDB}
	}
	return nil
}

// vendorPrograms is every program of flavour f.
func vendorPrograms(f facts.Flavor) facts.Program {
	if f == facts.MariaDB {
		return facts.MariaDBPrograms
	}
	return facts.MySQLPrograms
}

// lives is the option's lifecycle for v's class on each flavour of its
// target.
func (v variantOption) lives() []optionLife { return v.life }

// evalLives evaluates lives. A lifecycle changes only at its own versions,
// so checking the range's start and every such version inside it is
// exhaustive.
func (v variantOption) evalLives() []optionLife {
	var out []optionLife
	for _, f := range lifeFlavours(v.target) {
		l := optionLife{flavor: f}
		lc, ok := v.spec.Lifecycle(v.class.progs & vendorPrograms(f))
		if !ok {
			l.absent = true
			out = append(out, l)
			continue
		}
		l.lc = lc
		pts := []facts.Version{v.target.Min}
		for _, p := range lifecyclePoints(lc) {
			if v.target.Contains(p) {
				pts = append(pts, p)
			}
		}
		l.removed = triAt(pts, lc.RemovedAt)
		l.notYet = triAt(pts, func(x facts.Version) bool { return !lc.AddedAt(x) })
		l.deprecated = triAt(pts, lc.DeprecatedAt)
		out = append(out, l)
	}
	return out
}

// triAt asks pred at every point: Yes when it holds at all, No at none.
func triAt(pts []facts.Version, pred func(facts.Version) bool) facts.Tri {
	n := 0
	for _, p := range pts {
		if pred(p) {
			n++
		}
	}
	if n == 0 {
		return facts.No
	}
	if n == len(pts) {
		return facts.Yes
	}
	return facts.Maybe
}

// at is the version where event e happens for a target starting at min:
// a backport in min's release series, else the mainline version.
func (l optionLife) at(e facts.Event, min facts.Version) facts.Version {
	for _, b := range l.lc.Backports {
		if b.Event == e && b.Version.Series() == min.Series() {
			return b.Version
		}
	}
	switch e {
	case facts.Added:
		return l.lc.Added
	case facts.Deprecation:
		return l.lc.Deprecated
	}
	return l.lc.Removed
}

// programsOf names class c of flavour f: "the MySQL server", "MySQL clients".
func programsOf(c programClass, f facts.Flavor) string {
	if c == serverClass {
		return "the " + f.Title() + " server"
	}
	return f.Title() + " clients"
}

// failsOn is what the programs of flavour f do with an option they do not
// have: refuse to start or exit with my_getopt's complaint, or only warn
// with loose-.
func (v variantOption) failsOn(f facts.Flavor) string {
	readers := v.opt.Group.Readers & v.class.progs & vendorPrograms(f)
	s := v.class.fails(readers, v.opt.Loose)
	if v.opt.Loose {
		return s + ", so the setting has no effect"
	}
	return s + fmt.Sprintf(" with %q", getoptText(v.opt))
}

// replacement says what to write instead of a deprecated or removed
// option, with an exact edit where the intent is plain: server ssl on is
// the default (remove it), off is an empty tls_version (two single quotes); client ssl is
// ssl-mode=REQUIRED or DISABLED; ssl-verify-server-cert is
// ssl-mode=VERIFY_IDENTITY (MY80-SO, MY57-CO, WL9091, WL14481). Edits are offered only for MySQL targets, whose syntax they use,
// and not when the replacement option is already set.
func (v variantOption) replacement(f facts.Flavor) (hint string, fix *lint.Fix) {
	on, ok := boolValue(v.opt)
	var line, alt string
	del := false
	switch {
	case v.opt.Unknown:
		// What to write depends on what the template renders to.
	case v.spec.Name == "ssl" && v.class == serverClass && on:
		hint, del = "TLS is on by default, so remove it", true
	case v.spec.Name == "ssl" && v.class == serverClass && enforcedSetting(v.settings):
		// An empty tls_version is a TLS setup error there, and the server
		// exits (facts.SrcEnforcedValidation): no fix.
		return "tls_version='' turns TLS off, but with tls_certificates_enforced_validation=ON the server then " +
			"exits at startup, so set that OFF as well", nil
	case v.spec.Name == "ssl" && v.class == serverClass:
		hint, line, alt = "write tls_version='' to turn TLS off", "tls_version=''", "tls_version"
	case v.spec.Name == "ssl" && on:
		hint, line, alt = "write ssl-mode=REQUIRED", "ssl-mode=REQUIRED", "ssl_mode"
	case v.spec.Name == "ssl":
		hint, line, alt = "write ssl-mode=DISABLED", "ssl-mode=DISABLED", "ssl_mode"
	case v.spec.Name == "admin_ssl" && on:
		hint, del = "the admin interface uses TLS by default, so remove it", true
	case v.spec.Name == "admin_ssl":
		hint, line, alt = "write admin_tls_version='' to turn TLS off on the admin interface", "admin_tls_version=''", "admin_tls_version"
	case v.spec.Name == "ssl_verify_server_cert" && on:
		hint, line, alt = "write ssl-mode=VERIFY_IDENTITY", "ssl-mode=VERIFY_IDENTITY", "ssl_mode"
	case v.spec.Name == "ssl_verify_server_cert":
		hint = "remove it; ssl-mode says how much to verify"
	}
	if hint == "" {
		if hint = flavourReplacement(v.spec.Name, f); hint == "" && v.spec.Replacement != "" {
			hint = "instead: " + v.spec.Replacement
		}
	}
	if !ok || f != facts.MySQL || (alt != "" && v.settings.Get(alt) != nil) || (alt != "" && !v.knownEverywhere(alt)) {
		return hint, nil
	}
	if alt == "tls_version" && v.tlsRequired() {
		// TLS is off and something requires it: the outage stays, and
		// tls_version='' would only move its report (TV603 to TV102).
		return hint, nil
	}
	if line == "ssl-mode=VERIFY_IDENTITY" && v.settings.Get("ssl_ca") == nil && v.settings.Get("ssl_capath") == nil {
		// Without a CA the client refuses every connection (TV304): the
		// edit would turn a warning into an outage.
		return hint + " and set ssl-ca", nil
	}
	if set := v.settings.Get(v.spec.Name); del && set != nil && len(set.Earlier) > 0 {
		// ssl after skip-ssl: removing it would bring the earlier one back.
		return hint, nil
	}
	if set := v.settings.Get("ssl_verify_server_cert"); v.spec.Name == "ssl" && v.class != serverClass && set != nil {
		// Both become ssl-mode, and the VERIFY_IDENTITY written for
		// ssl-verify-server-cert (with a CA) says more: one line, not two.
		if !on || !optionOn(set.Setting) || v.settings.Get("ssl_ca") == nil && v.settings.Get("ssl_capath") == nil {
			return hint, nil
		}
		return hint, removeFix(v.opt, "remove "+v.opt.Key+" (ssl-mode=VERIFY_IDENTITY replaces it too)")
	}
	switch {
	case del:
		return hint, removeFix(v.opt, "remove "+v.opt.Key)
	case line != "":
		msg := "write " + line
		if v.opt.Loose {
			line = "loose-" + line
			msg = "write " + line
		}
		// The same setting in today's syntax: the rules that judge it
		// (TLS off, no verification) then report what it always did.
		switch alt {
		case "tls_version", "admin_tls_version":
			msg += " (TLS stays off: TV102 says what that costs)"
		case "ssl_mode":
			if line != "ssl-mode=VERIFY_IDENTITY" {
				msg += " (the same TLS as before: TV301/TV302 say what it lacks)"
			}
		}
		key, value, _ := strings.Cut(line, "=")
		edit, ok := v.opt.SetLine(key, strings.Trim(value, "'"))
		if !ok {
			return hint, nil
		}
		return hint, &lint.Fix{Message: msg, Edits: []source.Edit{edit}}
	}
	return hint, nil
}

// tlsRequired reports whether the server's require_secure_transport is set
// and not plainly off (another fix may turn a bad value into ON), or a
// client of the same file asks for TLS (ssl-mode, or the old ssl and
// ssl-verify-server-cert that TV004 turns into ssl-mode).
func (v variantOption) tlsRequired() bool {
	if set := v.settings.Get("require_secure_transport"); set != nil {
		if on, valid := boolValue(set.Setting); on || !valid {
			return true
		}
	}
	for _, c := range v.file.Clients {
		if requiredSSLMode(c) != "" {
			return true
		}
		for _, name := range []string{"ssl", "ssl_verify_server_cert"} {
			if set := c.Settings.Get(name); set != nil && optionOn(set.Setting) {
				return true
			}
		}
	}
	return false
}

// knownEverywhere reports whether every version of v's target has the
// option name: a replacement that some of them reject is no fix.
func (v variantOption) knownEverywhere(name string) bool {
	spec, ok := facts.LookupOption(name)
	if !ok {
		return false
	}
	prog := facts.Servers
	if v.class != serverClass {
		prog = facts.Clients
	}
	state, _ := facts.OptionStateFor(spec, v.target, prog)
	return state.Status < facts.StatusNotYet
}

// targetPhrase names a target for messages: "MySQL 8.0.36 (.tlsvet.toml)".
func targetPhrase(t facts.Target, by string) string {
	if by == "" {
		return t.String()
	}
	return t.String() + " (" + by + ")"
}

// setValueFix is the fix that makes o's value v, spelled in o's own
// syntax, or nil when that syntax cannot say v exactly there.
func setValueFix(o *model.Setting, v, msg string) *lint.Fix {
	e, ok := o.SetValue(v)
	if !ok {
		return nil
	}
	return &lint.Fix{Message: msg, Edits: []source.Edit{e}}
}

// removeFix is the fix that removes o in its own syntax, or nil.
func removeFix(o *model.Setting, msg string) *lint.Fix {
	e, ok := o.Remove()
	if !ok {
		return nil
	}
	return &lint.Fix{Message: msg, Edits: []source.Edit{e}}
}
