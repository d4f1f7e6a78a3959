package rules

import (
	"fmt"
	"strings"

	"github.com/tlsvet/tlsvet/internal/facts"
	"github.com/tlsvet/tlsvet/internal/lint"
	"github.com/tlsvet/tlsvet/internal/source"
)

// UnsupportedProtocol reports a protocol the target version drops.
var UnsupportedProtocol = &lint.Rule{
	ID:       "TV104",
	Name:     "unsupported-protocol",
	Severity: lint.Warning,
	Tags:     []string{"tls", "correctness", "version"},
	Doc: lint.Doc{
		Title: "A TLS protocol list names a protocol the target version does not support",
		Why: "MySQL reads the list token by token and silently drops protocols its version does not have: " +
			"TLSv1 and TLSv1.1 from 8.0.28 (and in 8.4 and 9.x), TLSv1.3 on 5.7 and before 8.0.16. The " +
			"server starts as if the token were not there, so the file says something the server does not do " +
			"(and a runtime `SET GLOBAL tls_version` with the same value is rejected). When nothing is left, " +
			"TV105 reports that as well.\n\n" +
			"This holds only for some versions, so it is reported only when the version is known: from " +
			"`--target`, `.tlsvet.toml` or a versioned group. A range that crosses the boundary gives the " +
			"boundary: a `[mysqld-8.0]` group is read by every 8.0.x, so TLSv1.1 there is reported as ignored " +
			"\"from 8.0.28\". A protocol that only the oldest releases of the range lack (TLSv1.3 in " +
			"`[mysqld-8.0]`, added in 8.0.16) is not reported. One problem, one finding: such a token is " +
			"TV104's and not also TV103's; the message says that it was deprecated first. On an unknown " +
			"version TV103 reports TLSv1/TLSv1.1 with \"ignored from 8.0.28\" instead.",
		Fix:  "Remove the protocol from the list; the offered fix does so when another usable protocol remains.",
		Bad:  "-- .tlsvet.toml --\ntarget = [\"mysql-8.0.36\"]\n-- my.cnf --\n[mysqld]\ntls_version=TLSv1.1,TLSv1.2,TLSv1.3\n",
		Good: "-- .tlsvet.toml --\ntarget = [\"mysql-8.0.36\"]\n-- my.cnf --\n[mysqld]\ntls_version=TLSv1.2,TLSv1.3\n",
		Sources: []string{
			facts.SrcMY80PC,
			"https://dev.mysql.com/doc/refman/8.4/en/encrypted-connection-protocols-ciphers.html",
			facts.SrcMY57PC,
			facts.SrcVIO,
		},
	},
	Requires: []*lint.Analysis{protocolListsAnalysis},
	Run:      runUnsupportedProtocol,
}

func runUnsupportedProtocol(pass *lint.Pass) {
	// Per list, not per token (quadratic in a long list).
	var (
		list   *protoList
		drop   func(*protoToken) bool
		usable bool
	)
	ownedTokens(pass, "TV104", func(l *protoList, i int, tok *protoToken) {
		if l != list {
			list, drop = l, l.dropSet(minProtocol(pass.Policy))
			usable = l.keepsUsable(drop)
		}
		d := lint.Diagnostic{Span: tok.WordSpan, Message: l.unsupportedMessage(tok)}
		if usable {
			if s, ok := l.droppedComma(i, drop); ok {
				d.Fix = &lint.Fix{Message: "remove " + tok.Word, Edits: []source.Edit{{Span: s}}}
			}
		}
		pass.Report(d)
	})
}

// unsupportedMessage says where tok is dropped: on the whole range, or from
// a boundary inside it.
func (l *protoList) unsupportedMessage(tok *protoToken) string {
	var where, hist []string
	partial := false
	for _, r := range l.Readers {
		if !droppedAtTopOf(r, tok.Proto) {
			continue
		}
		from := droppedFrom(r, tok.Proto)
		if !from.IsZero() {
			partial = true
			where = append(where, fmt.Sprintf("from %s %s on", r.Flavor.Title(), from))
		} else {
			where = append(where, "on "+r.String())
		}
		for _, h := range history(r, tok.Proto) {
			if rest, ok := strings.CutPrefix(h, "ignored from "); ok {
				if from.IsZero() {
					hist = append(hist, "removed in "+rest)
				}
				continue
			}
			hist = append(hist, h)
		}
	}
	switch {
	case l.TargetBy == "":
	case partial:
		hist = append(hist, fmt.Sprintf("target %s from %s", l.Target, l.TargetBy))
	default:
		hist = append(hist, "target from "+l.TargetBy)
	}
	note := ""
	if len(hist) > 0 {
		note = " (" + strings.Join(hist, "; ") + ")"
	}
	return fmt.Sprintf("%s is not supported %s%s: %s ignores it silently; remove it",
		tok.Word, strings.Join(where, " and "), note, l.channel())
}

// dropSet says which tokens the offered fixes remove: TV104's unsupported
// protocols, and TV106's empty elements and misspellings of a protocol the
// target does not have either. Both rules use it so that their edits never overlap.
func (l *protoList) dropSet(min facts.Protocol) func(*protoToken) bool {
	return func(tok *protoToken) bool {
		switch l.tokenRule(tok, min) {
		case "TV104":
			return true
		case "TV106":
			return tok.Empty() ||
				tok.Proto != 0 && l.triOf(func(r facts.Target) facts.Tri { return facts.Supports(r, tok.Proto) }) == facts.No
		}
		return false
	}
}

// keepsUsable reports whether a token that every reader reads as a
// protocol it supports is left after removing the drop set.
func (l *protoList) keepsUsable(drop func(*protoToken) bool) bool {
	for i := range l.Tokens {
		tok := &l.Tokens[i]
		if !tok.Empty() && !drop(tok) && !tok.Padded && tok.Spelled == facts.Yes && tok.Supported != facts.No {
			return true
		}
	}
	return false
}
