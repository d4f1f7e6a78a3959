package rules

import (
	"fmt"
	"strings"

	"github.com/tlsvet/tlsvet/internal/facts"
	"github.com/tlsvet/tlsvet/internal/lint"
	"github.com/tlsvet/tlsvet/internal/source"
)

// WhitespaceInList reports blanks around a token of a protocol list.
var WhitespaceInList = &lint.Rule{
	ID:       "TV107",
	Name:     "whitespace-in-list",
	Severity: lint.Error,
	Tags:     []string{"tls", "correctness"},
	Doc: lint.Doc{
		Title: "A TLS protocol list has a space around a token",
		Why: "Protocol lists are split on commas and the pieces are not trimmed. MySQL compares `\" TLSv1.3\"` " +
			"with its leading space against its protocol names, finds nothing and drops it silently, so " +
			"`TLSv1.2, TLSv1.3` enables TLSv1.2 only (and if every token is padded, TLS is off: TV105). " +
			"MariaDB documents the list as \"comma-separated (with no whitespaces)\" and **refuses to start** " +
			"on it (\"Error while setting value 'TLSv1.2, TLSv1.3' to 'tls_version'\", observed on 10.11).\n\n" +
			"The blank is its own problem: the protocol inside the token is still judged by the other rules " +
			"(TV103 for TLSv1.1, TV106 for a name that is no protocol), because removing the space makes it " +
			"count.",
		Fix:  "Remove the spaces: `tls_version=TLSv1.2,TLSv1.3`.",
		Bad:  "[mysqld]\ntls_version=TLSv1.2, TLSv1.3\n",
		Good: "[mysqld]\ntls_version=TLSv1.2,TLSv1.3\n",
		Sources: []string{
			facts.SrcVIO,
			facts.SrcMDBSysV,
		},
	},
	Requires: []*lint.Analysis{protocolListsAnalysis},
	Run:      runWhitespaceInList,
}

func runWhitespaceInList(pass *lint.Pass) {
	protocolLists(pass, func(l *protoList) {
		for i := range l.Tokens {
			tok := &l.Tokens[i]
			if !tok.Padded {
				continue
			}
			var effects []string
			for _, r := range l.Readers {
				if r.Flavor == facts.MariaDB {
					effects = append(effects, l.unknownEffect(r))
					continue
				}
				e := l.unknownEffect(r)
				if p, ok := facts.ParseProtocol(r.Flavor, tok.Word); ok {
					e += fmt.Sprintf(", so %s is off", p.Spell(r.Flavor))
				}
				effects = append(effects, e)
			}
			d := lint.Diagnostic{
				Span:    tok.Span,
				Message: fmt.Sprintf("%q has a space around it: %s; remove the space", tok.Text, strings.Join(effects, "; ")),
			}
			if tok.Exact {
				lead := len(tok.Text) - len(strings.TrimLeft(tok.Text, blanks))
				trail := len(tok.Text) - len(strings.TrimRight(tok.Text, blanks))
				var edits []source.Edit
				if lead > 0 {
					edits = append(edits, source.Edit{Span: tok.Span.Sub(0, lead)})
				}
				if trail > 0 {
					edits = append(edits, source.Edit{Span: tok.Span.Sub(len(tok.Text)-trail, len(tok.Text))})
				}
				d.Fix = &lint.Fix{Message: "remove the space", Edits: edits}
			}
			pass.Report(d)
		}
	})
}
