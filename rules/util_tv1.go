package rules

import (
	"sort"
	"strings"

	"github.com/tlsvet/tlsvet/internal/facts"
	"github.com/tlsvet/tlsvet/internal/model"
	"github.com/tlsvet/tlsvet/internal/source"
)

// Protocol lists: every TV1xx rule reads the same analysis (protoList) so
// that the rules agree on what each token is and which rule owns it.
//
// How the programs read a list (facts/mysql-tls.md §1b, facts/oracle.md §4a):
//   - MySQL/Percona split the value on ',' without trimming and compare each
//     token case-insensitively with {TLSv1, TLSv1.1, TLSv1.2, TLSv1.3};
//     tokens that match nothing (a misspelling, " TLSv1.3" with its space,
//     a protocol the version no longer has) are dropped silently, and when
//     nothing is left the channel runs without TLS ("TLS version is
//     invalid"). SRC-VIO process_tls_version,
//     https://github.com/mysql/mysql-server/blob/trunk/vio/viosslfactories.cc
//   - MariaDB's tls_version is a SET of TLSv1.0…TLSv1.3: any element it
//     does not know, a space included, makes the server refuse to start
//     ("Error while setting value … to 'tls_version'", observed on 10.11,
//     facts/oracle.md §4a).

// Options holding a comma-separated protocol list, by canonical name
// (MY80-SV https://dev.mysql.com/doc/refman/8.0/en/server-system-variables.html,
// MY80-GRV https://dev.mysql.com/doc/refman/8.0/en/group-replication-system-variables.html,
// MY80-CO https://dev.mysql.com/doc/refman/8.0/en/connection-options.html).
var (
	serverProtocolOptions = []string{"tls_version", "admin_tls_version", "group_replication_recovery_tls_version"}
	clientProtocolOptions = []string{"tls_version"}
)

// protoToken is one element of a protocol list as written.
type protoToken struct {
	model.Item
	Index    int
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

// Empty reports a token with nothing in it (",," or a trailing comma).
// MySQL's tokenizer skips it; it is no protocol and no finding.
func (t *protoToken) Empty() bool { return t.Word == "" }

// protoList is the analysis of one protocol-list option on one target.
type protoList struct {
	Opt    *model.Option
	Target facts.Target
	// Readers splits Target into the flavours that read the option, each a
	// single-flavour target: MySQL (also for Percona) below 10.0 and MariaDB
	// from 10.0 when the flavour is unknown, as facts does. A MySQL-only
	// option (admin_tls_version) has no MariaDB reader.
	Readers []facts.Target
	Client  bool
	Tokens  []protoToken
}

// analyzeProtocols splits and classifies a protocol-list option for target
// t; client says whether client programs (not servers) read it. It returns
// nil for an option without a value (TV006 reports a missing value) or a
// target no reader of this kind has (TiDB does not read option files).
func analyzeProtocols(o *model.Option, t facts.Target, client bool) *protoList {
	if o == nil || !o.HasValue {
		return nil
	}
	l := &protoList{Opt: o, Target: t, Client: client, Readers: protocolReaders(o.Name, t, client)}
	if len(l.Readers) == 0 {
		return nil
	}
	if o.Value == "" {
		return l
	}
	for i, it := range o.List(",") {
		tok := protoToken{Item: it, Index: i, Word: strings.TrimSpace(it.Text), WordSpan: it.Span}
		if it.Exact {
			lead := len(it.Text) - len(strings.TrimLeft(it.Text, " \t"))
			tok.WordSpan = it.Span.Sub(lead, lead+len(tok.Word))
		}
		tok.Padded = tok.Word != "" && tok.Word != it.Text
		tok.Proto, _ = facts.AnyProtocol(tok.Word)
		if tok.Proto != 0 {
			tok.Spelled = l.triOver(func(r facts.Target) bool {
				_, ok := facts.ParseProtocol(r.Flavor, tok.Word)
				return ok
			})
			tok.Supported = facts.Supports(t, tok.Proto)
			tok.Deprecated = facts.Deprecated(t, tok.Proto)
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
	yes, no := false, false
	for _, r := range l.Readers {
		if pred(r) {
			yes = true
		} else {
			no = true
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
	var seen [facts.TLSv13 + 1]bool
	for _, tok := range l.Tokens {
		if tok.Empty() {
			continue
		}
		p, ok := facts.ParseProtocol(r.Flavor, tok.Word)
		if tok.Padded || !ok {
			if r.Flavor == facts.MariaDB {
				return nil // one bad element and mariadbd refuses to start
			}
			continue
		}
		if facts.Supports(r, p) != facts.No {
			seen[p] = true
		}
	}
	var out []facts.Protocol
	for _, p := range facts.Protocols {
		if seen[p] {
			out = append(out, p)
		}
	}
	return out
}

// usableEverywhere reports whether reader r keeps at least one protocol on
// every version of its range: it checks each stretch between the versions
// where support of a listed protocol changes. It returns the first version
// from which nothing is usable when that happens only for part of the range.
func (l *protoList) usableEverywhere(r facts.Target) (ok bool, from facts.Version) {
	for _, seg := range segments(r, l.protocols()) {
		if len(l.usable(seg)) == 0 {
			return false, seg.Min
		}
	}
	return true, facts.Version{}
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
	sort.Slice(cuts, func(i, j int) bool { return cuts[i].Less(cuts[j]) })
	var out []facts.Target
	cur := t
	for _, c := range cuts {
		if !cur.Min.Less(c) || cur.Max.Less(c) {
			continue
		}
		piece := cur
		piece.Max = before(c)
		out = append(out, piece)
		cur.Min = c
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
	keptAfter := false
	for j := i + 1; j < len(l.Tokens); j++ {
		if !drop(&l.Tokens[j]) {
			keptAfter = true
		}
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
// so); an empty list on MariaDB keeps the default (facts/oracle.md §4a).
func allowedProtocols(s *model.Server) []facts.Protocol {
	set := s.Settings.Get("tls_version")
	if set == nil || !set.HasValue {
		ps, _ := facts.DefaultProtocols(s.Target)
		return ps
	}
	l := analyzeProtocols(set.Option, s.Target, false)
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
	var out []facts.Protocol
	for _, p := range facts.Protocols {
		if seen[p] {
			out = append(out, p)
		}
	}
	return out
}

// protocolLists runs fn on every protocol-list option that servers and
// clients read (the effective setting of each).
func protocolLists(pass *Pass, fn func(l *protoList)) {
	for _, s := range pass.Project.Servers {
		for _, name := range serverProtocolOptions {
			if set := s.Settings.Get(name); set != nil {
				if l := analyzeProtocols(set.Option, s.Target, false); l != nil {
					fn(l)
				}
			}
		}
	}
	for _, c := range pass.Project.Clients {
		for _, name := range clientProtocolOptions {
			if set := c.Settings.Get(name); set != nil {
				if l := analyzeProtocols(set.Option, c.Target, true); l != nil {
					fn(l)
				}
			}
		}
	}
}

// minProtocol is the policy's lowest acceptable protocol (TLSv1.2 unless
// .tlsvet.toml says otherwise).
func minProtocol(p Policy) facts.Protocol {
	if p.MinProtocol == 0 {
		return DefaultPolicy.MinProtocol
	}
	return p.MinProtocol
}
