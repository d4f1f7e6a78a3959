package rules

import (
	"strings"

	"github.com/tlsvet/tlsvet/internal/facts"
	"github.com/tlsvet/tlsvet/internal/lint"
	"github.com/tlsvet/tlsvet/internal/model"
	"github.com/tlsvet/tlsvet/internal/source"
)

// Version pieces. What a client or server does with its TLS settings
// depends on the flavour and version that reads the group: MySQL 8.0
// clients reject the ssl option that 5.7 clients read, MariaDB clients
// verify the server from 11.4 on. The TV3xx and TV6xx rules therefore
// split a target into pieces on which the reading does not change, judge
// every piece, and report a finding when
//   - it holds on every version of some flavour that reads the group, or
//   - the target says something (a flavour or a version range) and it holds
//     on part of it; the message then names where ("MariaDB before 11.4").
//
// Findings that hold only on some versions of a completely unknown target
// wait until the version is known, as the notes on version awareness ask.
// A reading skips the options its version rejects (TV002/TV004 report
// them), so a finding says what holds once those are fixed; versions that
// reject an option do not count when the message names where a finding
// holds.

// family is the flavour whose behaviour f has: Percona Server is MySQL.
func family(f facts.Flavor) facts.Flavor {
	if f == facts.Percona {
		return facts.MySQL
	}
	return f
}

// flavourRanges splits t into one single-flavour range for each flavour
// whose program (mysql or mariadb, program bits of one kind) reads at least
// one of groups. An unknown flavour is MySQL below 10.0 and MariaDB from
// 10.0, as facts splits it (MySQL has no 10.x).
func flavourRanges(t facts.Target, groups []*model.Group, mysql, mariadb facts.Program) []facts.Target {
	reads := func(p facts.Program) bool {
		for _, g := range groups {
			if g.Readers&p != 0 {
				return true
			}
		}
		return false
	}
	var out []facts.Target
	add := func(f facts.Flavor, lo, hi facts.Version) {
		if fl, ok := facts.SupportFloor[family(f)]; ok && !t.VersionKnown() && lo.Less(fl) {
			lo = fl
		}
		if !hi.Less(lo) {
			out = append(out, facts.Target{Flavor: f, Min: lo, Max: hi, Spec: t.Spec})
		}
	}
	split := facts.V(10, 0, 0)
	switch t.Flavor {
	case facts.MySQL, facts.Percona:
		if reads(mysql) {
			add(t.Flavor, t.Min, t.Max)
		}
	case facts.MariaDB:
		if reads(mariadb) {
			add(t.Flavor, t.Min, t.Max)
		}
	case facts.FlavorUnknown:
		if reads(mysql) && t.Min.Less(split) {
			hi := t.Max
			if !hi.Less(split) {
				hi = before(split)
			}
			add(facts.MySQL, t.Min, hi)
		}
		if reads(mariadb) && !t.Max.Less(split) {
			lo := t.Min
			if lo.Less(split) {
				lo = split
			}
			add(facts.MariaDB, lo, t.Max)
		}
	}
	return out
}

// optionPoints lists the versions where the options in opts appear, are
// deprecated or disappear for program p of flavour f.
func optionPoints(opts []*model.Setting, p facts.Program) []facts.Version {
	var ps []facts.Version
	for _, o := range opts {
		if spec, ok := facts.LookupOption(o.Name); ok {
			if l, ok := spec.Lifecycle(p); ok {
				ps = append(ps, lifecyclePoints(l)...)
			}
		}
	}
	return ps
}

// knownTo reports whether program p (one flavour's bit) at version v has
// option o. Options outside the TLS catalogue are not judged (true).
func knownTo(o *model.Setting, p facts.Program, v facts.Version) bool {
	spec, ok := facts.LookupOption(o.Name)
	if !ok {
		return true
	}
	if spec.Programs&p == 0 {
		return false
	}
	l, ok := spec.Lifecycle(p)
	return ok && l.AvailableAt(v)
}

// judgement is a finding that holds on some pieces.
type judgement[K comparable, D any] struct {
	Key  K
	Data D // what the rule concluded on the first piece where it holds
	// Where is "" when the finding holds wherever the programs run, else
	// where it holds: "MariaDB before 11.4".
	Where   string
	Flavors []facts.Flavor // the flavours it holds on, in piece order
}

// judge evaluates a rule on every piece and groups the pieces by the
// finding (key) the rule returns; see the comment at the top of this file
// for when a finding is reported. eval(i) judges pieces[i]: runs=false where
// the program rejects one of the settings, ok=false where nothing is wrong.
func judge[K comparable, D any](t facts.Target, pieces []facts.Target,
	eval func(i int) (runs bool, key K, data D, ok bool)) []judgement[K, D] {
	type result struct {
		runs, ok bool
		key      K
		data     D
	}
	res := make([]result, len(pieces))
	var keys []K
	seen := map[K]bool{}
	for i := range pieces {
		r := &res[i]
		r.runs, r.key, r.data, r.ok = eval(i)
		if r.ok && !seen[r.key] {
			seen[r.key] = true
			keys = append(keys, r.key)
		}
	}
	var out []judgement[K, D]
	for _, k := range keys {
		hit := func(i int) bool { return res[i].ok && res[i].key == k }
		// everywhere[f]: the finding holds on every piece of flavour f.
		everywhere := map[facts.Flavor]bool{}
		for i, p := range pieces {
			prev, seen := everywhere[p.Flavor]
			everywhere[p.Flavor] = (!seen || prev) && hit(i)
		}
		report := t.Known()
		for _, all := range everywhere {
			report = report || all
		}
		if !report {
			continue
		}
		j := judgement[K, D]{Key: k}
		for i, p := range pieces {
			if !hit(i) {
				continue
			}
			if len(j.Flavors) == 0 {
				j.Data = res[i].data
			}
			if len(j.Flavors) == 0 || j.Flavors[len(j.Flavors)-1] != p.Flavor {
				j.Flavors = append(j.Flavors, p.Flavor)
			}
		}
		j.Where = where(pieces, func(i int) bool { return res[i].runs }, hit)
		out = append(out, j)
	}
	return out
}

// where describes the pieces where hit holds, or "" when it holds on every
// piece where runs holds: "MariaDB before 11.4", "MySQL 8.4 and later".
// Pieces of one flavour are contiguous and in version order.
func where(pieces []facts.Target, runs, hit func(int) bool) string {
	all := true
	for i := range pieces {
		if runs(i) && !hit(i) {
			all = false
		}
	}
	if all {
		return ""
	}
	var parts []string
	for i := 0; i < len(pieces); {
		f := pieces[i].Flavor
		end := i
		for end < len(pieces) && pieces[end].Flavor == f {
			end++
		}
		lo, hi := pieces[i].Min, pieces[end-1].Max
		for a := i; a < end; {
			if !hit(a) {
				a++
				continue
			}
			b := a
			for b+1 < end && hit(b+1) {
				b++
			}
			name := f.Title()
			switch from, to := pieces[a].Min, pieces[b].Max; {
			case from == lo && to == hi:
				parts = append(parts, name)
			case from == lo:
				parts = append(parts, name+" before "+shortVersion(pieces[b+1].Min))
			case to == hi:
				parts = append(parts, name+" "+shortVersion(from)+" and later")
			default:
				parts = append(parts, name+" "+shortVersion(from)+"–"+pieces[b].Max.String())
			}
			a = b + 1
		}
		i = end
	}
	return strings.Join(parts, " and ")
}

// qualify adds where a finding holds to a message: " (MariaDB before 11.4)".
func qualify(where string) string {
	if where == "" {
		return ""
	}
	return " (" + where + ")"
}

// shortVersion prints 11.4.0 as "11.4" and 8.0.28 as "8.0.28".
func shortVersion(v facts.Version) string {
	if v.Patch == 0 {
		return v.Series()
	}
	return v.String()
}

// hasValue reports an option with a non-empty value: a bare or empty path
// option is TV006's (the program refuses it or reads nothing).
func hasValue(o *model.Setting) bool { return o.HasValue && strings.TrimSpace(o.Value) != "" }

// optText is an option as a message names it: the key as written and, for
// the TLS options these rules name, its value.
func optText(o *model.Setting) string {
	if !o.HasValue {
		return o.Key
	}
	return o.Key + "=" + o.Value
}

// Client readings.

// parseMode reads an ssl-mode value; MySQL compares it case-insensitively
// and exits on anything else (SRC-SSLOPT57 find_type_or_exit,
// https://github.com/mysql/mysql-server/blob/5.7/include/sslopt-case.h).
func parseMode(s string) (model.Mode, bool) {
	for m := model.ModeDisabled; m <= model.ModeVerifyIdentity; m++ {
		if strings.EqualFold(strings.TrimSpace(s), m.String()) {
			return m, true
		}
	}
	return model.ModeUnknown, false
}

// Client option names, canonical. mariadbImpliesSSL are the options after
// which MariaDB clients turn --ssl on ("Enable use of SSL if we are using
// any ssl option"; MariaDB include/sslopt-case.h,
// https://github.com/MariaDB/server/blob/main/include/sslopt-case.h).
// tlsSettings are options that configure TLS without choosing a mode.
var (
	mariadbImpliesSSL = map[string]bool{"ssl_ca": true, "ssl_capath": true, "ssl_cert": true, "ssl_key": true,
		"ssl_cipher": true, "ssl_crl": true, "ssl_crlpath": true, "tls_version": true, "ssl_fp": true, "ssl_fplist": true}
	tlsSettings = map[string]bool{"ssl_cert": true, "ssl_key": true, "ssl_cipher": true, "ssl_crl": true,
		"ssl_crlpath": true, "tls_version": true, "tls_ciphersuites": true}
	caOptions = map[string]bool{"ssl_ca": true, "ssl_capath": true}
)

// clientReading is how one client program, on one piece of versions, reads
// a client's TLS settings.
type clientReading struct {
	Piece facts.Target
	// Runs is false when the program rejects one of the TLS options and
	// exits (TV002/TV004 report that); the reading skips that option.
	Runs bool
	// The record: Mode, and By, the option that decided it (nil for the
	// default); From is Explicit when By is ssl-mode, after which a CA no
	// longer changes the mode (MySQL); CA is the effective ssl-ca or
	// ssl-capath. PlaintextFallback: the client connects in plaintext,
	// silently, when the server offers no TLS; VerifiesChain and
	// VerifiesHost: what it checks of the server certificate.
	model.ClientTLS
	// Configured is the first option that sets up TLS without choosing a
	// mode (ssl-cert, tls-version; on MariaDB also ssl-ca): it shows the
	// group means to use TLS.
	Configured *model.Setting
	// VerifyOff is MariaDB's effective ssl-verify-server-cert when it
	// turns verification off (disable-ssl-verify-server-cert).
	VerifyOff *model.Setting
	// Unknown: a template decides a value the reading turns on
	// (decidesReading), so the reading is not judged.
	Unknown bool
}

// decidesReading are the options whose values, not just their presence,
// decide a client's or server's reading.
var decidesReading = map[string]bool{"ssl": true, "ssl_mode": true, "ssl_verify_server_cert": true,
	"require_secure_transport": true, "auto_generate_certs": true}

// clientPoints are the versions where a client's reading may change
// besides the options' own lifecycles.
var clientPoints = map[facts.Flavor][]facts.Version{
	facts.MariaDB: {facts.MariaDBClientSSLDefault, facts.MariaDBClientVerifyDefault},
}

// genericClientGroups are read by every client program of a vendor; any
// other client group ([mysql], [mysqldump], [mariadb-dump]) by one tool,
// which reads the generic groups too (MY80-OF
// https://dev.mysql.com/doc/refman/8.0/en/option-files.html; MDB-OF
// https://mariadb.com/docs/server/server-management/install-and-upgrade-mariadb/configuring-mariadb/configuring-mariadb-with-option-files).
var genericClientGroups = map[string]bool{"client": true, "client-mariadb": true, "mariadb-client": true, "client-server": true}

// clientTools splits c's groups into what each client program reads: the
// generic groups alone, and the generic groups with each tool's group.
// A setting in [client] that [mysql] overrides still holds for mysqldump.
func clientTools(c *model.Client) [][]*model.Group {
	var generic []*model.Group
	tools := map[string][]*model.Group{}
	var names []string
	for _, g := range c.Groups {
		if genericClientGroups[g.Name] {
			generic = append(generic, g)
			continue
		}
		if tools[g.Name] == nil {
			names = append(names, g.Name)
		}
		tools[g.Name] = append(tools[g.Name], g)
	}
	out := [][]*model.Group{generic}
	for _, n := range names {
		out = append(out, append(append([]*model.Group(nil), generic...), tools[n]...))
	}
	return out
}

// clientReadings reads, on every piece of c's target, the options of
// groups (one client program's view).
func clientReadings(c *model.Client, groups []*model.Group) []clientReading {
	in := map[*model.Group]bool{}
	for _, g := range groups {
		in[g] = true
	}
	var view []*model.Setting
	for _, o := range c.Options {
		if in[o.Group] {
			view = append(view, o)
		}
	}
	var out []clientReading
	for _, r := range flavourRanges(c.Target, groups, facts.MySQLClient, facts.MariaDBClient) {
		prog := clientProgram(r.Flavor)
		opts := optionsReadBy(view, prog)
		for _, piece := range cutAt(r, append(optionPoints(opts, prog), clientPoints[family(r.Flavor)]...)) {
			if family(piece.Flavor) == facts.MariaDB {
				out = append(out, readMariaDBClient(opts, piece))
			} else {
				out = append(out, readMySQLClient(opts, piece))
			}
		}
	}
	return out
}

// clientFinding is a client rule's finding: where it points and the
// reading of the first piece where it holds.
type clientFinding = judgement[place, clientReading]

// clientReadingsAnalysis reads every client of the run, once: for each
// client program (the generic groups alone, and with each tool's group),
// its readings on every piece of the client's target.
var clientReadingsAnalysis = &lint.Analysis{
	Name: "client-readings",
	Doc:  "how each version of each client program reads each option-file client's TLS settings: its mode, what it verifies, whether it falls back to plaintext",
	Run: func(p *lint.AnalysisPass) any {
		m := make(map[*model.Client][][]clientReading, len(p.Project.Clients))
		for _, c := range p.Project.Clients {
			for _, groups := range clientTools(c) {
				m[c] = append(m[c], clientReadings(c, groups))
			}
		}
		return m
	},
}

// eachClientFinding judges a client rule for every client program of every
// client and calls report once per finding. at says where a reading is
// wrong. The rule must require clientReadingsAnalysis.
func eachClientFinding(pass *lint.Pass, at func(clientReading) (place, bool), report func(*model.Client, clientFinding)) {
	for _, c := range pass.Project.Clients {
		clientFindings(pass, c, at, func(j clientFinding) { report(c, j) })
	}
}

// clientFindings is eachClientFinding for one client.
func clientFindings(pass *lint.Pass, c *model.Client, at func(clientReading) (place, bool), report func(clientFinding)) {
	readings := pass.ResultOf(clientReadingsAnalysis).(map[*model.Client][][]clientReading)
	seen := map[place]bool{}
	for _, rs := range readings[c] {
		js := judgeReadings(c.Target, rs, func(r clientReading) (place, clientReading, bool) {
			p, ok := at(r)
			return p, r, ok
		})
		for _, j := range js {
			if !seen[j.Key] {
				seen[j.Key] = true
				report(j)
			}
		}
	}
}

// clientProgram is the client program bit of flavour f.
func clientProgram(f facts.Flavor) facts.Program {
	if family(f) == facts.MariaDB {
		return facts.MariaDBClient
	}
	return facts.MySQLClient
}

// optionsReadBy keeps the options of the groups program p reads.
func optionsReadBy(opts []*model.Setting, p facts.Program) []*model.Setting {
	var out []*model.Setting
	for _, o := range opts {
		if o.Group != nil && o.Group.Readers&p != 0 {
			out = append(out, o)
		}
	}
	return out
}

// readMySQLClient follows MySQL's client option handling in read order
// (SRC-SSLOPT57 https://github.com/mysql/mysql-server/blob/5.7/include/sslopt-case.h;
// MY80-CO https://dev.mysql.com/doc/refman/8.0/en/connection-options.html):
//   - the default mode is PREFERRED;
//   - ssl-mode sets the mode and marks it explicit;
//   - ssl-ca/ssl-capath switch the mode to VERIFY_CA unless it is explicit;
//   - 5.7 only (removed in 8.0.0): ssl turns DISABLED or at least REQUIRED,
//     ssl-verify-server-cert turns VERIFY_IDENTITY, and its negation lowers
//     VERIFY_IDENTITY to VERIFY_CA.
func readMySQLClient(opts []*model.Setting, piece facts.Target) clientReading {
	r := clientReading{Piece: piece, Runs: true, ClientTLS: model.ClientTLS{Mode: model.ModePreferred, From: model.DriverDefault}}
	for _, o := range opts {
		if !knownTo(o, facts.MySQLClient, piece.Min) {
			r.Runs = r.Runs && o.Loose // loose-: ignored with a warning
			continue
		}
		if o.Unknown && decidesReading[o.Name] {
			r.Unknown = true
		}
		switch {
		case o.Name == "ssl_mode":
			m, ok := parseMode(o.Value)
			if !ok || o.Skip || o.Enable {
				r.Runs = false // the client exits (TV006)
				continue
			}
			r.Mode, r.By, r.From = m, o, model.Explicit
		case o.Name == "ssl":
			on, valid := boolValue(o)
			switch {
			case !valid:
			case !on:
				r.Mode, r.By, r.From = model.ModeDisabled, o, model.LegacyAlias
			case r.Mode < model.ModeRequired:
				r.Mode, r.By, r.From = model.ModeRequired, o, model.LegacyAlias
			}
		case o.Name == "ssl_verify_server_cert":
			on, valid := boolValue(o)
			switch {
			case !valid:
			case on:
				r.Mode, r.By, r.From = model.ModeVerifyIdentity, o, model.LegacyAlias
			case r.Mode >= model.ModeVerifyIdentity:
				r.Mode, r.By, r.From = model.ModeVerifyCA, o, model.LegacyAlias
			}
		case caOptions[o.Name] && hasValue(o):
			r.CA = o
			if !r.Explicit() {
				r.Mode, r.By, r.From = model.ModeVerifyCA, o, model.Derived
			}
		case tlsSettings[o.Name] && hasValue(o) && r.Configured == nil:
			r.Configured = o
		}
	}
	r.Encrypts = r.Mode >= model.ModePreferred
	r.PlaintextFallback = r.Mode == model.ModePreferred
	r.VerifiesChain = r.Mode >= model.ModeVerifyCA && r.CA != nil
	r.VerifiesHost = r.Mode == model.ModeVerifyIdentity && r.CA != nil
	return r
}

// readMariaDBClient follows MariaDB's client (Connector/C) in read order:
//   - --ssl is on by default from 10.10 and turned on by any other TLS
//     option; ssl=0/skip-ssl turns it off until the next TLS option
//     (include/sslopt-case.h);
//   - --ssl-verify-server-cert is on by default from 11.4; with it the
//     client checks chain and host name and refuses a server without TLS
//     (MDB-CLI; https://mariadb.org/state-ssl-mariadb/);
//   - without it the client falls back to plaintext silently and checks
//     the chain only when ssl-ca is given, never the host name (observed on
//     10.11.19, docs/mariadb-observations.md §4d);
//   - ssl-fp/ssl-fplist pin the certificate (MDB-CLI).
func readMariaDBClient(opts []*model.Setting, piece facts.Target) clientReading {
	r := clientReading{Piece: piece, Runs: true}
	useSSL := !piece.Min.Less(facts.MariaDBClientSSLDefault)
	verify := !piece.Min.Less(facts.MariaDBClientVerifyDefault)
	var sslBy, verifyBy, pinned *model.Setting
	for _, o := range opts {
		if !knownTo(o, facts.MariaDBClient, piece.Min) {
			r.Runs = r.Runs && o.Loose
			continue
		}
		if o.Unknown && decidesReading[o.Name] {
			r.Unknown = true
		}
		switch {
		case o.Name == "ssl":
			if on, valid := boolValue(o); valid {
				useSSL, sslBy = on, o
			}
		case o.Name == "ssl_verify_server_cert":
			if on, valid := boolValue(o); valid {
				verify, verifyBy = on, o
			}
		case mariadbImpliesSSL[o.Name] && hasValue(o):
			useSSL, sslBy = true, o
			if r.Configured == nil {
				r.Configured = o
			}
			switch {
			case caOptions[o.Name]:
				r.CA = o
			case o.Name == "ssl_fp" || o.Name == "ssl_fplist":
				pinned = o
			}
		}
	}
	switch {
	case !useSSL:
		r.Mode, r.By = model.ModeDisabled, sslBy
	case verify || pinned != nil:
		r.Mode, r.By = model.ModeVerifyIdentity, verifyBy
		r.Behaviour = model.BehaviourOf(model.ModeVerifyIdentity)
	default:
		r.Mode, r.By = model.ModePreferred, sslBy
		r.Behaviour = model.BehaviourOf(model.ModePreferred)
		r.VerifiesChain = r.CA != nil
		r.VerifyOff = verifyBy
	}
	r.From = model.DriverDefault
	if r.By != nil {
		r.From = model.Derived // MariaDB has no ssl-mode: options turn TLS and verification on or off
	}
	return r
}

// clientAdvice is how to make the client require TLS and verify the
// server, for the flavours a finding holds on.
func clientAdvice(fs []facts.Flavor) string {
	mysql, mariadb := flavoursOf(fs)
	switch {
	case mysql && mariadb:
		return "set loose-ssl-mode=VERIFY_IDENTITY and loose-ssl-verify-server-cert with ssl-ca " +
			"(loose- keeps each vendor's clients from rejecting the other's option)"
	case mariadb:
		return "set ssl-verify-server-cert (and ssl-ca for a private CA)"
	}
	return "set ssl-mode=VERIFY_IDENTITY and ssl-ca"
}

// place is where a finding points: an option, or a group header when the
// problem is an option the group lacks.
type place struct {
	Opt   *model.Setting
	Group *model.Group
}

// Span is the option's value (or key when it has none), or the group name.
func (p place) Span() source.Span {
	if p.Opt != nil {
		return p.Opt.ValueOrKey()
	}
	return p.Group.Span
}

// reading is one piece's reading of a client or server.
type reading interface {
	piece() facts.Target
	runs() bool
	unknown() bool
}

func (r clientReading) piece() facts.Target { return r.Piece }
func (r clientReading) runs() bool          { return r.Runs }
func (r clientReading) unknown() bool       { return r.Unknown }

// judgeReadings judges a rule on every reading of a client or server of
// target t.
func judgeReadings[R reading, D any](t facts.Target, rs []R, eval func(r R) (place, D, bool)) []judgement[place, D] {
	pieces := make([]facts.Target, len(rs))
	for i, r := range rs {
		pieces[i] = r.piece()
	}
	return judge(t, pieces, func(i int) (bool, place, D, bool) {
		if rs[i].unknown() {
			// A template decides the reading: no finding, and the piece
			// does not count when a message names where one holds.
			var d D
			return false, place{}, d, false
		}
		k, d, ok := eval(rs[i])
		return rs[i].runs(), k, d, ok
	})
}

// verifySeverity is the severity of TV302/TV303 findings: errors when the
// policy requires clients to verify the server.
func verifySeverity(p lint.Policy) lint.Severity {
	if p.RequireVerification {
		return lint.Error
	}
	return lint.SeverityDefault
}

// unverified is where TV302 reports a reading that encrypts but does not
// authenticate the server, asked for explicitly: MySQL ssl-mode=REQUIRED
// (or 5.7's ssl) without a CA — with one, TV305 reports the ignored CA —,
// MariaDB's ssl without ssl-ca, or disable-ssl-verify-server-cert. TV303
// reports the rest of the opportunistic readings, so each is reported once.
func unverified(r clientReading) (place, bool) {
	if family(r.Piece.Flavor) == facts.MariaDB {
		switch {
		case r.Mode != model.ModePreferred:
		case r.VerifyOff != nil:
			return place{Opt: r.VerifyOff}, true
		case r.By != nil && r.By.Name == "ssl" && r.CA == nil:
			return place{Opt: r.By}, true
		}
		return place{}, false
	}
	if r.Mode == model.ModeRequired && !(r.Explicit() && r.CA != nil) {
		return place{Opt: r.By}, true
	}
	return place{}, false
}

// caIgnored reports a MySQL reading whose explicit ssl-mode does not verify
// while a CA is given (TV305).
func caIgnored(r clientReading) bool {
	return family(r.Piece.Flavor) != facts.MariaDB && r.Explicit() && r.CA != nil &&
		(r.Mode == model.ModePreferred || r.Mode == model.ModeRequired)
}

// checks says what a reading checks of the server certificate.
func checks(r clientReading) string {
	if r.VerifiesChain {
		return "checks the certificate chain but not the server's host name"
	}
	return "does not verify the server certificate"
}

// flavoursOf says which vendors' clients fs are: mysql, mariadb.
func flavoursOf(fs []facts.Flavor) (mysql, mariadb bool) {
	for _, f := range fs {
		if family(f) == facts.MariaDB {
			mariadb = true
		} else {
			mysql = true
		}
	}
	return mysql, mariadb
}
