package rules

import (
	"sort"
	"strings"

	"github.com/tlsvet/tlsvet/internal/facts"
	"github.com/tlsvet/tlsvet/internal/lint"
	"github.com/tlsvet/tlsvet/internal/model"
	"github.com/tlsvet/tlsvet/internal/source"
)

// Protocol lists: every TV1xx rule reads the same analysis (protoList) so
// that the rules agree on what each token is and which rule owns it.
//
// How the programs read a list (SRC-VIO process_tls_version, MDB-T-TLS, docs/mariadb-observations.md §4a):
//   - MySQL/Percona split the value on ',' without trimming and compare each
//     token case-insensitively with {TLSv1, TLSv1.1, TLSv1.2, TLSv1.3};
//     tokens that match nothing (a misspelling, " TLSv1.3" with its space,
//     a protocol the version no longer has) are dropped silently, and when
//     nothing is left the channel runs without TLS ("TLS version is
//     invalid"). SRC-VIO process_tls_version,
//     https://github.com/mysql/mysql-server/blob/trunk/vio/viosslfactories.cc
//   - MariaDB's tls_version is a SET of TLSv1.0…TLSv1.3 (any case): any
//     element it does not know, a space or an empty element included, makes
//     the server refuse to start
//     ("Error while setting value … to 'tls_version'", observed on 10.11,
//     docs/mariadb-observations.md §4a).

// Options holding a comma-separated protocol list, by canonical name
// (MY80-SV https://dev.mysql.com/doc/refman/8.0/en/server-system-variables.html,
// MY80-GRV https://dev.mysql.com/doc/refman/8.0/en/group-replication-system-variables.html,
// MY80-CO https://dev.mysql.com/doc/refman/8.0/en/connection-options.html).
var (
	serverProtocolOptions = []string{"tls_version", "admin_tls_version", "group_replication_recovery_tls_version"}
	clientProtocolOptions = []string{"tls_version"}
)

// blanks are what TV107 calls whitespace around a token.
const blanks = " \t"

// protoToken is one element of a protocol list as written.
type protoToken struct {
	model.Item
	Index    int         // position in the list (the cipher family maps its tokens back by it)
	Word     string      // Text without surrounding blanks
	WordSpan source.Span // the Word's bytes (exact when Item.Exact)
	// Padded: blanks around the word; MySQL drops the token and MariaDB
	// refuses to start (TV107).
	Padded bool
	// Proto is the protocol Word names in any flavour's spelling ("TLSv1"
	// and "TLSv1.0" both name TLS 1.0); 0 when it names none (TV106).
	Proto facts.Protocol
	// Spelled: whether the readers accept Word's spelling (Yes: all, Maybe:
	// some, e.g. "TLSv1" when MySQL and MariaDB may both read the group).
	Spelled facts.Tri
	// Supported and Deprecated on the list's target (No when Proto is 0).
	Supported, Deprecated facts.Tri
}

// Empty reports a token with nothing in it (",," or a stray comma at either
// end). MySQL's tokenizer skips it (SRC-VIO uses strtok); MariaDB refuses
// to start ("Error while setting value 'TLSv1.2,TLSv1.3,' to
// 'tls_version'", observed on 10.11.19 for ",,", a leading and a trailing
// comma).
func (t *protoToken) Empty() bool { return t.Word == "" }

// protoList is the analysis of one protocol-list option on one target.
type protoList struct {
	Opt    *model.Setting
	Target facts.Target
	// Readers splits Target into the flavours that read the option, each a
	// single-flavour target: MySQL (also for Percona) below 10.0 and MariaDB
	// from 10.0 when the flavour is unknown, as facts does. A MySQL-only
	// option (admin_tls_version) has no MariaDB reader.
	Readers []facts.Target
	// TargetBy says where the version came from ("group [mysqld-8.0]").
	TargetBy string
	// Server or Client is the program reading the list.
	Server *model.Server
	Client *model.Client
	Tokens []protoToken
}

// analyzeProtocols splits and classifies a protocol-list option for target
// t; client says whether client programs (not servers) read it. It returns
// nil for an option without a value (TV006 reports a missing value), with
// a templated value (unknown, never judged) or a target no reader of this
// kind has (TiDB does not read option files).
func analyzeProtocols(o *model.Setting, t facts.Target, client bool) *protoList {
	if o == nil || !o.HasValue || o.Unknown {
		return nil
	}
	l := &protoList{Opt: o, Target: t, Readers: protocolReaders(o.Name, t, client)}
	if len(l.Readers) == 0 {
		return nil
	}
	if o.Value == "" {
		return l
	}
	for i, it := range o.List(",") {
		tok := protoToken{Item: it, Index: i, Word: strings.Trim(it.Text, blanks), WordSpan: it.Span}
		if it.Exact {
			lead := len(it.Text) - len(strings.TrimLeft(it.Text, blanks))
			tok.WordSpan = it.Span.Sub(lead, lead+len(tok.Word))
		}
		tok.Padded = tok.Word != "" && tok.Word != it.Text
		tok.Proto, _ = facts.AnyProtocol(tok.Word)
		if tok.Proto != 0 {
			tok.Spelled = l.triOver(func(r facts.Target) bool {
				_, ok := facts.ParseProtocol(r.Flavor, tok.Word)
				return ok
			})
			tok.Supported = l.triOf(func(r facts.Target) facts.Tri { return facts.Supports(r, tok.Proto) })
			tok.Deprecated = l.triOf(func(r facts.Target) facts.Tri { return facts.Deprecated(r, tok.Proto) })
		}
		l.Tokens = append(l.Tokens, tok)
	}
	return l
}

// protocolReaders splits t into the flavours whose programs read option
// name. MariaDB's clients (Connector/C) read tls-version with their own
// substring matching, which tlsvet does not model yet, so a MariaDB client
// reader is left out.
func protocolReaders(name string, t facts.Target, client bool) []facts.Target {
	mysql, mariadb := facts.MySQLServer, facts.MariaDBServer
	if client {
		mysql, mariadb = facts.MySQLClient, 0
	}
	// reads: the option exists for program p at some version (TV002/TV004
	// report it where it does not).
	reads := func(p facts.Program) bool {
		if p == 0 {
			return false
		}
		spec, ok := facts.LookupOption(name)
		if !ok {
			return true
		}
		_, ok = spec.Lifecycle(p)
		return ok
	}
	split := facts.V(10, 0, 0)
	var rs []facts.Target
	switch t.Flavor {
	case facts.MySQL, facts.Percona:
		if reads(mysql) {
			rs = append(rs, t)
		}
	case facts.MariaDB:
		if reads(mariadb) {
			rs = append(rs, t)
		}
	case facts.FlavorUnknown:
		if t.Min.Less(split) && reads(mysql) {
			r := t
			r.Flavor = facts.MySQL
			if !t.Max.Less(split) {
				r.Max = before(split)
			}
			rs = append(rs, r)
		}
		if !t.Max.Less(split) && reads(mariadb) {
			r := t
			r.Flavor = facts.MariaDB
			if t.Min.Less(split) {
				r.Min = split
			}
			rs = append(rs, r)
		}
	}
	return rs
}

// triOver asks pred of every reader: Yes when all say yes, No when none.
func (l *protoList) triOver(pred func(facts.Target) bool) facts.Tri {
	return l.triOf(func(r facts.Target) facts.Tri {
		if pred(r) {
			return facts.Yes
		}
		return facts.No
	})
}

// triOf combines a per-reader answer over every reader.
func (l *protoList) triOf(f func(facts.Target) facts.Tri) facts.Tri {
	yes, no := false, false
	for _, r := range l.Readers {
		switch f(r) {
		case facts.Yes:
			yes = true
		case facts.No:
			no = true
		default:
			yes, no = true, true
		}
	}
	switch {
	case yes && no:
		return facts.Maybe
	case yes:
		return facts.Yes
	}
	return facts.No
}

// Empty reports an empty value: MySQL then permits no encrypted
// connections on that channel, MariaDB ignores it (TV102).
func (l *protoList) Empty() bool { return l.Opt.Value == "" }

// Name is the option as written, without a loose- prefix, for messages.
func (l *protoList) Name() string {
	k := l.Opt.Key
	for _, p := range []string{"loose-", "loose_"} {
		if len(k) > len(p) && strings.EqualFold(k[:len(p)], p) {
			return k[len(p):]
		}
	}
	return k
}

// VersionKnown reports whether findings that hold only for some versions
// (TV104, TV105) may be reported: the target names a version range, from
// --target, .tlsvet.toml or a versioned group such as [mysqld-8.0].
func (l *protoList) VersionKnown() bool { return l.Target.VersionKnown() }

// Flavor is the single flavour reading the list, or FlavorUnknown when
// MySQL and MariaDB may both read it.
func (l *protoList) Flavor() facts.Flavor {
	if len(l.Readers) == 1 {
		if l.Readers[0].Flavor == facts.Percona {
			return facts.MySQL
		}
		return l.Readers[0].Flavor
	}
	return facts.FlavorUnknown
}

// usable returns the protocols reader r enables on at least one version of
// its range, lowest first; nil when none (the channel has no TLS on
// MySQL, the server does not start on MariaDB). An empty list is not judged
// here (see allowedProtocols).
func (l *protoList) usable(r facts.Target) []facts.Protocol {
	if r.Flavor == facts.MariaDB {
		for _, tok := range l.Tokens {
			if _, ok := facts.ParseProtocol(r.Flavor, tok.Word); tok.Padded || !ok {
				return nil // one bad element and mariadbd refuses to start
			}
		}
	}
	return l.named(r)
}

// named returns the protocols that tokens name in r's spelling, without
// blanks, and that some version of r's range supports, lowest first.
func (l *protoList) named(r facts.Target) []facts.Protocol {
	var seen [facts.TLSv13 + 1]bool
	for _, tok := range l.Tokens {
		if p, ok := facts.ParseProtocol(r.Flavor, tok.Word); ok && !tok.Padded && facts.Supports(r, p) != facts.No {
			seen[p] = true
		}
	}
	return protocolSet(seen)
}

// lostFrom reports whether nothing is left (see named) on the newest
// versions of r's range, and from which version on: r.Min when nothing is
// left anywhere. It checks each stretch between the versions where support
// of a listed protocol changes. A list that only the oldest releases of
// the range cannot use (TLSv1.3 alone in [mysqld-8.0]) is not lost.
func (l *protoList) lostFrom(r facts.Target) (lost bool, from facts.Version) {
	segs := segments(r, l.protocols())
	for i := len(segs) - 1; i >= 0 && len(l.named(segs[i])) == 0; i-- {
		lost, from = true, segs[i].Min
	}
	return lost, from
}

// protocols are the protocols named by the tokens in any spelling.
func (l *protoList) protocols() []facts.Protocol {
	var ps []facts.Protocol
	for _, tok := range l.Tokens {
		if tok.Proto != 0 {
			ps = append(ps, tok.Proto)
		}
	}
	return ps
}

// segments cuts t at every version where support of one of ps changes
// (added, deprecated, removed, and their backports), so that facts.Supports
// is constant on each piece.
func segments(t facts.Target, ps []facts.Protocol) []facts.Target {
	var cuts []facts.Version
	for _, p := range ps {
		cuts = append(cuts, lifecyclePoints(facts.ProtocolLifecycle(t.Flavor, p))...)
	}
	return cutAt(t, cuts)
}

// cutAt splits r at every point inside it, so that r's pieces start at
// r.Min and at each such point.
func cutAt(r facts.Target, points []facts.Version) []facts.Target {
	ps := append([]facts.Version(nil), points...)
	sort.Slice(ps, func(i, j int) bool { return ps[i].Less(ps[j]) })
	var out []facts.Target
	cur := r
	for _, p := range ps {
		if !cur.Min.Less(p) || cur.Max.Less(p) {
			continue
		}
		piece := cur
		piece.Max = before(p)
		out = append(out, piece)
		cur.Min = p
	}
	return append(out, cur)
}

// lifecyclePoints lists the versions where a lifecycle changes state: each
// event, and the start of the series after a backport (where the backport
// stops applying).
func lifecyclePoints(lc facts.Lifecycle) []facts.Version {
	var ps []facts.Version
	for _, v := range []facts.Version{lc.Added, lc.Deprecated, lc.Removed} {
		if !v.IsZero() {
			ps = append(ps, v)
		}
	}
	for _, b := range lc.Backports {
		ps = append(ps, b.Version, facts.V(b.Version.Major, b.Version.Minor+1, 0))
	}
	return ps
}

// before is the last version before v.
func before(v facts.Version) facts.Version {
	switch {
	case v.Patch > 0:
		return facts.V(v.Major, v.Minor, v.Patch-1)
	case v.Minor > 0:
		return facts.V(v.Major, v.Minor-1, facts.Any)
	}
	return facts.V(v.Major-1, facts.Any, facts.Any)
}

// droppedComma returns the span of a token together with one comma next to
// it, so that deleting it leaves a well-formed list. drop says which tokens
// are being removed together: a token takes the comma after it while a kept
// token follows, else the comma before it, so the deletions never overlap.
// ok is false unless the token's bytes are exact.
func (l *protoList) droppedComma(i int, drop func(*protoToken) bool) (source.Span, bool) {
	tok := l.Tokens[i]
	if !tok.Exact {
		return source.Span{}, false
	}
	// From the end, stopping at the first kept token: usually the last
	// one, so that calling this for every token of a long list is linear.
	keptAfter := false
	for j := len(l.Tokens) - 1; j > i && !keptAfter; j-- {
		keptAfter = !drop(&l.Tokens[j])
	}
	s := tok.Span
	switch {
	case keptAfter:
		s.End++ // the comma after it
	case i > 0:
		s.Start-- // the comma before it
	default:
		return source.Span{}, false // it is the whole list
	}
	return s, true
}

// allowedProtocols returns the protocols server s allows on its main
// channel (tls_version), lowest first: the written list after dropping what
// the version ignores, or the version's default (facts.DefaultProtocols)
// when tls_version is not set. When the version or flavour is not known
// exactly it is the union over the range, so a caller that finds nothing in
// common with it is right for every version. It is empty when the list
// leaves nothing usable or is empty on MySQL (TLS is off: TV102/TV105 say
// so, and on MariaDB every bad element stops the server); an empty list on
// MariaDB keeps the default (docs/mariadb-observations.md §4a).
func allowedProtocols(s *model.Server) []facts.Protocol {
	set := s.Settings.Get("tls_version")
	if set == nil || !set.HasValue {
		ps, _ := facts.DefaultProtocols(s.Target)
		return ps
	}
	if set.Unknown {
		// A template decides: any protocol may be allowed.
		return []facts.Protocol{facts.TLSv10, facts.TLSv11, facts.TLSv12, facts.TLSv13}
	}
	l := analyzeProtocols(set.Setting, s.Target, false)
	if l == nil {
		ps, _ := facts.DefaultProtocols(s.Target)
		return ps
	}
	var seen [facts.TLSv13 + 1]bool
	for _, r := range l.Readers {
		ps := l.usable(r)
		if l.Empty() && r.Flavor == facts.MariaDB {
			ps, _ = facts.DefaultProtocols(r)
		}
		for _, p := range ps {
			seen[p] = true
		}
	}
	return protocolSet(seen)
}

// protocolListsAnalysis is every protocol-list setting that servers and
// clients read (the effective setting of each), analysed once per run.
var protocolListsAnalysis = &lint.Analysis{
	Name: "protocol-lists",
	Doc:  "every effective protocol-list setting (tls_version and its kin) of every server and client, split into classified tokens",
	Run: func(p *lint.AnalysisPass) any {
		var out []*protoList
		collectProtocolLists(p.Project, func(l *protoList) { out = append(out, l) })
		return out
	},
}

// protocolLists runs fn on every protocol list of the run; the rule must
// require protocolListsAnalysis.
func protocolLists(pass *lint.Pass, fn func(l *protoList)) {
	for _, l := range pass.ResultOf(protocolListsAnalysis).([]*protoList) {
		fn(l)
	}
}

// collectProtocolLists analyses the protocol lists of p.
func collectProtocolLists(p *model.Project, fn func(l *protoList)) {
	for _, s := range p.Servers {
		for _, name := range serverProtocolOptions {
			if set := s.Settings.Get(name); set != nil {
				if l := analyzeProtocols(set.Setting, s.Target, false); l != nil {
					l.Server, l.TargetBy = s, s.TargetBy
					fn(l)
				}
			}
		}
	}
	for _, c := range p.Clients {
		for _, name := range clientProtocolOptions {
			if set := c.Settings.Get(name); set != nil {
				if l := analyzeProtocols(set.Setting, c.Target, true); l != nil {
					l.Client, l.TargetBy = c, c.TargetBy
					fn(l)
				}
			}
		}
	}
}

// ownedTokens runs fn on every token of every protocol list that rule id
// owns (see tokenRule).
func ownedTokens(pass *lint.Pass, id string, fn func(l *protoList, i int, tok *protoToken)) {
	min := minProtocol(pass.Policy)
	protocolLists(pass, func(l *protoList) {
		for i := range l.Tokens {
			if tok := &l.Tokens[i]; l.tokenRule(tok, min) == id {
				fn(l, i, tok)
			}
		}
	})
}

// protocolSet turns a membership table into a list, lowest first.
func protocolSet(seen [facts.TLSv13 + 1]bool) []facts.Protocol {
	var out []facts.Protocol
	for _, p := range facts.Protocols {
		if seen[p] {
			out = append(out, p)
		}
	}
	return out
}

// minProtocol is the policy's lowest acceptable protocol (TLSv1.2 unless
// .tlsvet.toml says otherwise).
func minProtocol(p lint.Policy) facts.Protocol {
	if p.MinProtocol == 0 {
		return lint.DefaultPolicy.MinProtocol
	}
	return p.MinProtocol
}

// tokenRule says which rule reports a token, so that one problem gives one
// finding (the rule docs repeat this):
//   - a name no reader knows, or a spelling of another flavour when the
//     flavour is known ("TLSv1" on MariaDB, "TLSv1.0" on MySQL): TV106;
//   - an empty element (a stray comma): TV106 when MariaDB may read the
//     list (it refuses to start), nothing when only MySQL does;
//   - a protocol the target drops, when the version is known and the
//     newest versions of the range drop it (TLSv1.1 on 8.0.30, or in
//     [mysqld-8.0] "from 8.0.28"): TV104, whose message also says it was
//     deprecated;
//   - otherwise a protocol below the policy minimum or deprecated on some
//     version of the range: TV103 (on an unknown version its message says
//     "ignored from 8.0.28").
//
// Blanks around a token are a separate problem (TV107). List-level rules (TV101 hole, TV105 nothing usable) may report
// the same list as well.
func (l *protoList) tokenRule(tok *protoToken, min facts.Protocol) string {
	switch {
	case tok.Empty():
		if l.has(facts.MariaDB) {
			return "TV106"
		}
		return ""
	case tok.Proto == 0 || tok.Spelled == facts.No:
		return "TV106"
	case l.VersionKnown() && l.droppedAtTop(tok.Proto):
		return "TV104"
	case tok.Proto < min || tok.Deprecated != facts.No:
		return "TV103"
	}
	return ""
}

// droppedAtTop reports whether p is unsupported on the newest version of
// some reader's range: every version of the range lacks it, or it was
// removed inside the range. A protocol only old releases of the range
// lack (TLSv1.3 in [mysqld-8.0], added in 8.0.16) does not count: current
// releases of that range have it.
func (l *protoList) droppedAtTop(p facts.Protocol) bool {
	for _, r := range l.Readers {
		if droppedAtTopOf(r, p) {
			return true
		}
	}
	return false
}

// droppedAtTopOf is droppedAtTop for one reader.
func droppedAtTopOf(r facts.Target, p facts.Protocol) bool {
	top := r
	top.Min = r.Max
	return facts.Supports(r, p) == facts.No || facts.Supports(top, p) == facts.No
}

// droppedFrom returns the first version of r's range from which p is not
// supported, or the zero Version when no version of the range has it.
func droppedFrom(r facts.Target, p facts.Protocol) facts.Version {
	segs := segments(r, []facts.Protocol{p})
	from := facts.Version{}
	for i := len(segs) - 1; i >= 0 && facts.Supports(segs[i], p) == facts.No; i-- {
		from = segs[i].Min
	}
	if from == r.Min {
		return facts.Version{}
	}
	return from
}

// history describes p's lifecycle on the reader's flavour for messages,
// limited to the release series the range touches: "deprecated since
// 5.7.35/8.0.26", "ignored from 8.0.28", "supported from 8.0.16".
func history(r facts.Target, p facts.Protocol) []string {
	lc := facts.ProtocolLifecycle(r.Flavor, p)
	var parts []string
	if r.Flavor == facts.MariaDB {
		if !lc.Deprecated.IsZero() {
			// MDEV-31369: the server warns at startup (MDB-SYSV,
			// https://github.com/MariaDB/server/pull/2688).
			parts = append(parts, `MariaDB logs "TLSv1.0 and TLSv1.1 are insecure"`)
		}
		return parts
	}
	var dep []string
	for _, b := range lc.Backports {
		if b.Event == facts.Deprecation && touchesSeries(r, b.Version) {
			dep = append(dep, b.Version.String())
		}
	}
	if !lc.Deprecated.IsZero() && r.AnyAtLeast(facts.V(lc.Deprecated.Major, lc.Deprecated.Minor, 0)) {
		dep = append(dep, lc.Deprecated.String())
	}
	if len(dep) > 0 {
		parts = append(parts, "deprecated since "+strings.Join(dep, "/"))
	}
	if !lc.Removed.IsZero() && (r.AnyAtLeast(lc.Removed) || touchesSeries(r, lc.Removed)) {
		parts = append(parts, "ignored from "+lc.Removed.String())
	}
	if lc.Deprecated.IsZero() && !lc.Added.IsZero() && r.AnyBelow(lc.Added) {
		parts = append(parts, "supported from "+lc.Added.String())
	}
	return parts
}

// touchesSeries reports whether r includes some version of v's series.
func touchesSeries(r facts.Target, v facts.Version) bool {
	return r.AnyAtLeast(facts.V(v.Major, v.Minor, 0)) && r.AnyBelow(facts.V(v.Major, v.Minor+1, 0))
}

// channel names what a list governs, for messages: "the server",
// "the admin interface", "group replication recovery", "the client".
// enforced reports whether the list is the main channel's tls_version of a
// server with tls_certificates_enforced_validation=ON, which then exits
// where it would run without TLS (enforcedExit). The admin and recovery
// channels are left out: only the main one is known to go through that check
// whatever else is set.
func (l *protoList) enforced() bool {
	return l.Opt.Name == "tls_version" && enforcesValidation(l.Server)
}

func (l *protoList) channel() string {
	switch {
	case l.Client != nil:
		return "the client"
	case l.Opt.Name == "admin_tls_version":
		return "the admin interface"
	case l.Opt.Name == "group_replication_recovery_tls_version":
		return "group replication recovery"
	}
	return "the server"
}

// spell writes p the way every reader accepts, or "" when the readers
// disagree (TLS 1.0 when MySQL and MariaDB may both read the list).
func (l *protoList) spell(p facts.Protocol) string {
	s := ""
	for _, r := range l.Readers {
		w := p.Spell(r.Flavor)
		if s != "" && s != w {
			return ""
		}
		s = w
	}
	return s
}

// guessProtocol reads a misspelt protocol name the way people write it
// elsewhere: "TLS1.2", "tlsv12", "TLSv1_2" (OpenSSL), "TLS 1.3".
func guessProtocol(word string) (facts.Protocol, bool) {
	w := strings.NewReplacer("_", ".", "-", ".", " ", "").Replace(strings.ToLower(word))
	w, ok := strings.CutPrefix(w, "tls")
	if !ok {
		return 0, false
	}
	w = strings.TrimPrefix(w, "v")
	if len(w) == 2 && w[0] == '1' && w[1] >= '0' && w[1] <= '3' {
		w = w[:1] + "." + w[1:]
	}
	return facts.AnyProtocol("TLSv" + w)
}

// has reports whether a reader of flavour f (Percona counting as MySQL)
// reads the list.
func (l *protoList) has(f facts.Flavor) bool {
	for _, r := range l.Readers {
		if r.Flavor == f || f == facts.MySQL && r.Flavor == facts.Percona {
			return true
		}
	}
	return false
}
