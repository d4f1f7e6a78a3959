package rules

import (
	"fmt"
	"strings"

	"github.com/tlsvet/tlsvet/internal/facts"
	"github.com/tlsvet/tlsvet/internal/lint"
	"github.com/tlsvet/tlsvet/internal/source"
)

// UnknownProtocolName reports a token that is not a protocol name of the
// flavour reading the list.
var UnknownProtocolName = &lint.Rule{
	ID:       "TV106",
	Name:     "unknown-protocol-name",
	Severity: lint.Error,
	Tags:     []string{"tls", "correctness"},
	Doc: lint.Doc{
		Title: "A TLS protocol list holds a name that is not a protocol of this flavour",
		Why: "MySQL knows `TLSv1`, `TLSv1.1`, `TLSv1.2` and `TLSv1.3` (any case) and silently drops every other " +
			"token, so `TLSv1.4`, `TLS1.2`, `SSLv3` or MariaDB's `TLSv1.0` enable nothing. MariaDB knows `TLSv1.0` " +
			"to `TLSv1.3` (any case) and **refuses to start** on anything else, MySQL's `TLSv1` and an empty " +
			"element from a stray comma (`TLSv1.2,TLSv1.3,`) included (\"Error while setting value 'TLSv1' to " +
			"'tls_version'\", observed on 10.11); MySQL skips empty elements, so those are reported only when " +
			"MariaDB may read the list.\n\n" +
			"A name that is no protocol anywhere is always reported. A spelling of the other flavour (`TLSv1` " +
			"vs `TLSv1.0`) is reported here only when the flavour is known; when MySQL and MariaDB may both read " +
			"the group, TV103 reports the (deprecated) protocol and says which of them rejects the spelling. One " +
			"problem, one finding: a token reported here is not also reported by TV103 or TV104.",
		Fix: "Write the protocol as the flavour spells it; the offered fix does so when the intended protocol is " +
			"clear (`TLS1.2` → `TLSv1.2`, `TLSv1` → `TLSv1.0` on MariaDB), removes a misspelt protocol the " +
			"version does not have anyway, and removes a stray comma.",
		Bad:  "[mysqld]\ntls_version=TLSv1.2,TLSv1.4\n",
		Good: "[mysqld]\ntls_version=TLSv1.2,TLSv1.3\n",
		Sources: []string{
			facts.SrcVIO,
			facts.SrcMY80PC,
			facts.SrcMDBSysV,
		},
	},
	Requires: []*lint.Analysis{protocolListsAnalysis},
	Run:      runUnknownProtocolName,
}

func runUnknownProtocolName(pass *lint.Pass) {
	min := minProtocol(pass.Policy)
	// The drop set and whether it leaves a usable protocol are per list;
	// computing them per token was quadratic in a long list.
	var (
		list   *protoList
		drop   func(*protoToken) bool
		usable bool
	)
	ownedTokens(pass, "TV106", func(l *protoList, i int, tok *protoToken) {
		if l != list {
			list, drop = l, l.dropSet(min)
			usable = l.keepsUsable(drop)
		}
		d := lint.Diagnostic{Span: tok.WordSpan}
		var effects []string
		for _, r := range l.Readers {
			effects = append(effects, l.unknownEffect(r))
		}
		effect := strings.Join(effects, ", ")
		want := facts.Protocol(0)
		switch {
		case tok.Empty():
			d.Span = l.Opt.ValueOrKey()
			if s, ok := l.droppedComma(i, func(t *protoToken) bool { return t == tok }); ok {
				d.Span = s // the stray comma
			}
			d.Message = fmt.Sprintf("%s has an empty element (a stray comma): %s; remove the comma", l.Name(), l.emptyEffect())
		case tok.Proto == 0:
			d.Message = fmt.Sprintf("%q is not a TLS protocol name: %s", tok.Word, effect)
			if p, ok := guessProtocol(tok.Word); ok && l.spell(p) != "" &&
				l.triOf(func(r facts.Target) facts.Tri { return facts.Supports(r, p) }) != facts.No {
				want = p
				d.Message += "; did you mean " + l.spell(p) + "?"
			} else {
				d.Message += "; use TLSv1.2,TLSv1.3"
			}
		default:
			f := l.Flavor()
			d.Message = fmt.Sprintf("%s spells TLS %s %q, not %q: %s", f.Title(),
				strings.TrimPrefix(tok.Proto.String(), "TLSv"), tok.Proto.Spell(f), tok.Word, effect)
			if tok.Proto < min {
				d.Message += fmt.Sprintf("; %s is insecure anyway, allow only %s and later", tok.Proto, min.Spell(f))
			}
			want = tok.Proto
		}
		switch {
		case !tok.Exact:
		case drop(tok):
			if s, ok := l.droppedComma(i, drop); ok && usable {
				what := tok.Word
				if tok.Empty() {
					what = "the stray comma"
				}
				d.Fix = &lint.Fix{Message: "remove " + what, Edits: []source.Edit{{Span: s}}}
			}
		case want != 0 && l.spell(want) != "":
			w := l.spell(want)
			// The right spelling is then judged like any other: say so.
			msg := "write " + w
			if want < min || l.triOf(func(r facts.Target) facts.Tri { return facts.Deprecated(r, want) }) != facts.No {
				msg += " (insecure: TV103 then reports it)"
			}
			if l.triOf(func(r facts.Target) facts.Tri { return facts.Supports(r, want) }) != facts.Yes {
				msg += " (not on every version: TV104 then reports it)"
			}
			d.Fix = &lint.Fix{Message: msg, Edits: []source.Edit{{Span: tok.WordSpan, New: w}}}
		}
		pass.Report(d)
	})
}

// emptyEffect is what the readers do with an empty element.
func (l *protoList) emptyEffect() string {
	var effects []string
	for _, r := range l.Readers {
		if r.Flavor == facts.MariaDB {
			effects = append(effects, l.unknownEffect(r))
		} else {
			effects = append(effects, r.Flavor.Title()+" skips it")
		}
	}
	return strings.Join(effects, ", ")
}

// unknownEffect is what reader r does with a token it does not know.
func (l *protoList) unknownEffect(r facts.Target) string {
	if r.Flavor == facts.MariaDB {
		return fmt.Sprintf("MariaDB refuses to start (\"Error while setting value … to '%s'\")", l.Opt.Name)
	}
	who := "MySQL"
	if l.Client != nil {
		who = "the MySQL client"
	}
	return who + " ignores the token silently"
}
