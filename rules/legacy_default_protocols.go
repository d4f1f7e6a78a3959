package rules

import (
	"fmt"
	"strings"

	"github.com/tlsvet/tlsvet/internal/facts"
	"github.com/tlsvet/tlsvet/internal/lint"
	"github.com/tlsvet/tlsvet/internal/model"
	"github.com/tlsvet/tlsvet/internal/source"
)

// LegacyDefaultProtocols reports a server without tls_version whose
// version's default still allows TLSv1/TLSv1.1.
var LegacyDefaultProtocols = &lint.Rule{
	ID:               "TV108",
	Name:             "legacy-default-protocols",
	Severity:         lint.Warning,
	SecuritySeverity: "5.3",
	Tags:             []string{"security", "tls", "version"},
	Doc: lint.Doc{
		Title: "No tls_version on a server version whose default still allows TLSv1 or TLSv1.1",
		Why: "Without `tls_version` the server uses its version's default: MySQL 5.7 and 8.0 before 8.0.28 allow " +
			"TLSv1 and TLSv1.1 (`TLSv1,TLSv1.1,TLSv1.2[,TLSv1.3]`), MariaDB from 10.4.6 allowed TLSv1.1 until " +
			"10.6.16, 10.11.6 and 11.0.4 (MDEV-31369). A downgrade-capable client can then connect with a " +
			"deprecated protocol. This depends on the version, so it is reported only when the version is known " +
			"(`--target`, `.tlsvet.toml`, a versioned group with settings); for a range that crosses the boundary, " +
			"such as `[mysqld-8.0]`, the message says \"before 8.0.28\". Only servers that serve TLS are judged: " +
			"not one with `skip-ssl`, nor a MariaDB before 11.4 without `ssl_cert` and `ssl_key`, which starts " +
			"without TLS. The finding is about the server, not a file: it is reported once per server, at the " +
			"versioned group that made the version known, else at the first server group (`[mysqld]`, " +
			"`[server]`, `[mariadb]`…) in the order the server reads them; the files of one `conf.d` directory " +
			"are one server. MySQL before 5.7.10 and MariaDB before 10.4.6 have no `tls_version` (the server " +
			"refuses to start with it): nothing in the file can change their default, so they are not " +
			"reported, and for a range that starts before it the message names the first version that has " +
			"it and nothing is inserted.",
		Fix: "Set `tls_version=TLSv1.2,TLSv1.3` (`TLSv1.2` on MySQL 5.7) in the server group; the offered fix " +
			"inserts it after the group header, only where every version of the target knows `tls_version`. " +
			"On versions without it, upgrade.",
		Bad:  "[mysqld-8.0]\nssl_cert=/etc/mysql/server-cert.pem\nssl_key=/etc/mysql/server-key.pem\n",
		Good: "[mysqld-8.0]\ntls_version=TLSv1.2,TLSv1.3\nssl_cert=/etc/mysql/server-cert.pem\nssl_key=/etc/mysql/server-key.pem\n",
		Sources: []string{
			facts.SrcMY80PC,
			facts.SrcMY57PC,
			facts.SrcMDBSysV,
			"https://github.com/MariaDB/server/pull/2688",
		},
	},
	Requires: []*lint.Analysis{serverReadingsAnalysis},
	Run:      runLegacyDefaultProtocols,
}

func runLegacyDefaultProtocols(pass *lint.Pass) {
	min := minProtocol(pass.Policy)
	spec, _ := facts.LookupOption("tls_version")
	reported := map[string]bool{} // a server read with and without a group suffix is one server
	for _, s := range pass.Project.Servers {
		if !s.Target.VersionKnown() || s.Settings.Get("tls_version") != nil || len(s.Groups) == 0 {
			continue
		}
		rs := readingsOf(pass, s)
		t, ok := servesTLS(s, rs)
		if !ok {
			continue
		}
		legacy, until := legacyDefault(t)
		state, added := facts.OptionStateFor(spec, t, facts.Servers)
		missing := state.Status >= facts.StatusNotYet
		if len(legacy) == 0 || missing && state.Holds == facts.Yes {
			// No version of the target has tls_version (MySQL 5.6, MariaDB
			// 10.3): setting it stops the server (TV004), and nothing in
			// the file can change the default.
			continue
		}
		g := headerGroup(s)
		var names []string
		for _, p := range legacy {
			names = append(names, p.Spell(t.Flavor))
		}
		where := t.String()
		if len(until) > 0 {
			where += " before " + strings.Join(until, "/")
		}
		by := ""
		if s.TargetBy != "" {
			by = " (target from " + s.TargetBy + ")"
		}
		var want []string
		for _, p := range facts.Protocols {
			if p >= min && facts.Supports(t, p) != facts.No {
				want = append(want, p.Spell(t.Flavor))
			}
		}
		line := "tls_version=" + strings.Join(want, ",")
		msg := fmt.Sprintf("no tls_version is set and the default of %s%s allows %s", where, by, strings.Join(names, " and "))
		var fix *lint.Fix
		switch {
		case len(want) == 0:
			msg += fmt.Sprintf(": it supports no protocol from %s up to replace them; upgrade", min.Spell(t.Flavor))
		case missing:
			msg += fmt.Sprintf(": set %s on %s %s and later (earlier releases have no tls_version and refuse to start with it)",
				line, t.Flavor.Title(), added)
		default:
			msg += ": set " + line
			fix = &lint.Fix{Message: "add " + line + movesNote(s, rs, g), Edits: []source.Edit{insertAfterLine(g.Span, line)}}
		}
		key := fmt.Sprintf("%s:%d:%s", g.Span.File.Path, g.Span.Start, msg)
		if reported[key] {
			continue
		}
		reported[key] = true
		pass.Report(lint.Diagnostic{Span: g.Span, Message: msg, Fix: fix})
	}
}

// movesNote announces what the inserted tls_version changes elsewhere:
// TV602 points at the group where the server's TLS set-up starts, which
// is then g when the first TLS option lies in a later group.
func movesNote(s *model.Server, rs []serverReading, g *model.Group) string {
	if s.Settings.Get("require_secure_transport") != nil {
		return ""
	}
	for _, r := range rs {
		if r.Configured != nil && r.Configured.Group != g {
			return " (TV602 then points at [" + g.Written + "])"
		}
	}
	return ""
}

// servesTLS returns the versions of s's range on which the server sets TLS
// up (a certificate, key or CA) and serves it, from the first such version
// to the last: the default protocols do not matter on a server without TLS
// (skip-ssl, or a MariaDB before 11.4 without ssl_cert and ssl_key; TV601
// and TV603 say so), and a file that sets nothing about TLS (a tuning file
// in conf.d) is not where the protocols are chosen.
func servesTLS(s *model.Server, rs []serverReading) (facts.Target, bool) {
	var t facts.Target
	ok := false
	for _, r := range rs {
		if _, off := tlsCannotComeUp(r); !r.Runs || off || r.Configured == nil {
			continue
		}
		if !ok {
			t, ok = s.Target, true
			t.Min = r.Piece.Min
		}
		t.Max = r.Piece.Max
	}
	return t, ok
}

// legacyDefault returns the protocols below TLSv1.2 that t's default allows
// on some version (facts.DefaultHasLegacy), and, when that holds only for
// part of the range, the versions from which it stops ("8.0.28").
func legacyDefault(t facts.Target) (legacy []facts.Protocol, until []string) {
	if facts.DefaultHasLegacy(t) == facts.No {
		return nil, nil
	}
	var seen [facts.TLSv13 + 1]bool
	wasLegacy := false
	for _, seg := range segments(t, []facts.Protocol{facts.TLSv10, facts.TLSv11}) {
		has := facts.DefaultHasLegacy(seg) != facts.No
		if has {
			ps, _ := facts.DefaultProtocols(seg)
			for _, p := range ps {
				if p < facts.TLSv12 {
					seen[p] = true
				}
			}
		} else if wasLegacy {
			until = append(until, seg.Min.String())
		}
		wasLegacy = has
	}
	return protocolSet(seen), until
}

// headerGroup is the group a finding about what a server lacks points at,
// so that it is reported and fixed once per server: the versioned group
// that made the version known, else the first plain server group
// ([mysqld], [server], [mariadb]…) the server reads, in include order.
func headerGroup(s *model.Server) *model.Group {
	for _, g := range s.Groups {
		if _, ok := facts.GroupTarget(g.Name); ok {
			return g
		}
	}
	for _, g := range s.Groups {
		if _, _, suffixed := facts.GroupSuffix(g.Name); !suffixed {
			return g
		}
	}
	return s.Groups[0]
}

// insertAfterLine returns the edit that adds text as a new line after the
// line holding at.
func insertAfterLine(at source.Span, text string) source.Edit {
	f := at.File
	off := f.LineStart(f.Position(at.Start).Line + 1)
	eol := "\n"
	if off >= 2 && f.Content[off-2] == '\r' {
		eol = "\r\n"
	}
	if off == len(f.Content) && (off == 0 || f.Content[off-1] != '\n') {
		text = eol + text // the header is the last line and has no line end
	} else {
		text += eol
	}
	return source.Edit{Span: source.Span{File: f, Start: off, End: off}, New: text}
}
