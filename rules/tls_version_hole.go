package rules

import (
	"fmt"
	"strings"

	"github.com/tlsvet/tlsvet/internal/facts"
	"github.com/tlsvet/tlsvet/internal/lint"
)

// TLSVersionHole reports a protocol list that skips a version.
var TLSVersionHole = &lint.Rule{
	ID:               "TV101",
	Name:             "tls-version-hole",
	Severity:         lint.Warning,
	SecuritySeverity: "3.7",
	Tags:             []string{"security", "tls", "correctness"},
	Doc: lint.Doc{
		Title: "A TLS protocol list skips a version between its lowest and its highest",
		Why: "The server enables exactly the protocols listed. A list with a hole such as `TLSv1,TLSv1.2` " +
			"leaves TLSv1.1 off between two enabled versions: the MySQL manual says such lists should not be " +
			"used, and a client whose newest protocol falls into the hole fails or falls back to an older " +
			"protocol (observed on MariaDB 10.11 with `TLSv1.0,TLSv1.2`: the `mariadb` client limited to " +
			"TLSv1.1 fails with ERROR 2026 \"inappropriate fallback\", a Go client negotiates TLSv1). The list is judged as written, even on versions that drop some " +
			"of its tokens (MySQL 8.0.28 and later ignore TLSv1 and TLSv1.1), because the hole shows a list " +
			"that needs rewriting either way. The old tokens themselves are TV103's (deprecated) or " +
			"TV104's (unsupported by the target) to report; TV101 judges the list as a whole. It applies " +
			"to `tls_version`, `admin_tls_version`, `group_replication_recovery_tls_version` and the " +
			"clients' `tls-version`.",
		Fix: "Make the list contiguous. The offered fix keeps the highest version and starts at the policy " +
			"minimum (TLSv1.2 unless `.tlsvet.toml` sets `min_protocol`), which drops the old versions instead " +
			"of filling the hole with another old one: `TLSv1,TLSv1.2` becomes `TLSv1.2` and `TLSv1,TLSv1.3` " +
			"becomes `TLSv1.2,TLSv1.3`; with `min_protocol = \"TLSv1\"` it fills the hole instead.",
		Bad:  "[mysqld]\ntls_version=TLSv1,TLSv1.2\n",
		Good: "[mysqld]\ntls_version=TLSv1.2,TLSv1.3\n",
		Sources: []string{
			facts.SrcMY80PC,
			facts.SrcMY57PC,
			"https://dev.mysql.com/doc/refman/8.0/en/group-replication-system-variables.html",
			"https://github.com/MariaDB/server/blob/main/mysql-test/main/tls_version.test",
		},
	},
	Requires: []*lint.Analysis{protocolListsAnalysis},
	Run:      runTLSVersionHole,
}

func runTLSVersionHole(pass *lint.Pass) {
	protocolLists(pass, func(l *protoList) {
		var written [facts.TLSv13 + 1]*protoToken
		lo, hi := facts.Protocol(0), facts.Protocol(0)
		for i := range l.Tokens {
			tok := &l.Tokens[i]
			if tok.Proto == 0 {
				continue
			}
			if written[tok.Proto] == nil {
				written[tok.Proto] = tok
			}
			if lo == 0 || tok.Proto < lo {
				lo = tok.Proto
			}
			hi = max(hi, tok.Proto)
		}
		var missing []string
		for p := lo + 1; p < hi; p++ {
			if written[p] == nil {
				missing = append(missing, spellOr(l, p))
			}
		}
		if len(missing) == 0 {
			return
		}
		from := max(lo, minProtocol(pass.Policy))
		if from > hi {
			from = lo
		}
		var want []string
		for p := from; p <= hi; p++ {
			if written[p] != nil {
				want = append(want, written[p].Word)
			} else {
				want = append(want, spellOr(l, p))
			}
		}
		is := "is"
		if len(missing) > 1 {
			is = "are"
		}
		d := lint.Diagnostic{
			Span: l.Opt.ValueOrKey(),
			Message: fmt.Sprintf("%s has a hole: %s %s missing between %s and %s, so a client whose newest "+
				"protocol is %s fails (ERROR %d) or falls back to an older one; use %s (or list every version between the lowest and the highest)",
				l.Name(), strings.Join(missing, " and "), is, written[lo].Word, written[hi].Word,
				missing[len(missing)-1], facts.ErrSSLConnection, strings.Join(want, ",")),
		}
		if holeFixable(l, from) && supportsAdded(l, from, hi, written) {
			v := strings.Join(want, ",")
			d.Fix = setValueFix(l.Opt, v, "replace the list with "+v)
		}
		pass.Report(d)
	})
}

// holeFixable: the list can be rewritten from protocol from upwards
// without guessing: the value's bytes are exact, every token is a
// protocol without blanks, and every token kept is spelled the way all
// readers accept.
func holeFixable(l *protoList, from facts.Protocol) bool {
	if !l.Opt.ValueExact() {
		return false
	}
	for _, tok := range l.Tokens {
		if tok.Proto == 0 || tok.Padded || tok.Proto >= from && tok.Spelled != facts.Yes {
			return false
		}
	}
	return true
}

// supportsAdded reports whether every protocol the fix would add between
// from and hi is supported and not deprecated on every version of the
// list's target (when the version is known), and the
// new list keeps one that some version supports: a fix must not write a
// protocol the target ignores (TV104) or deprecates (TV103), or leave none
// usable (TV105).
func supportsAdded(l *protoList, from, hi facts.Protocol, written [facts.TLSv13 + 1]*protoToken) bool {
	usable := false
	for p := from; p <= hi; p++ {
		s := facts.Supports(l.Target, p)
		if written[p] == nil && (s == facts.No || l.VersionKnown() && (s == facts.Maybe || facts.Deprecated(l.Target, p) != facts.No)) {
			return false
		}
		usable = usable || s != facts.No
	}
	return usable
}

// spellOr spells p for the list's readers, or neutrally when they disagree.
func spellOr(l *protoList, p facts.Protocol) string {
	if s := l.spell(p); s != "" {
		return s
	}
	return p.String()
}
