package rules

import (
	"fmt"
	"strings"

	"github.com/tlsvet/tlsvet/internal/facts"
	"github.com/tlsvet/tlsvet/internal/lint"
)

// DeprecatedProtocol reports TLSv1/TLSv1.1 (or anything below the policy
// minimum) in a protocol list.
var DeprecatedProtocol = &lint.Rule{
	ID:               "TV103",
	Name:             "deprecated-protocol",
	Severity:         lint.Warning,
	SecuritySeverity: "5.3",
	Tags:             []string{"security", "tls", "deprecated"},
	Doc: lint.Doc{
		Title: "A TLS protocol list allows TLSv1 or TLSv1.1, or a protocol below the policy minimum",
		Why: "TLSv1 and TLSv1.1 rely on SHA-1 and MD5 and are deprecated by RFC 8996. MySQL deprecated them in " +
			"5.7.35 and 8.0.26 (the server logs \"A deprecated TLS version TLSv1 is enabled\") and ignores them " +
			"from 8.0.28; MariaDB logs \"TLSv1.0 and TLSv1.1 are insecure\" and, with OpenSSL 3 at its default " +
			"security level, cannot complete such handshakes anyway (observed on MariaDB 10.11). When the " +
			"version is unknown the message gives these boundaries. `[policy] min_protocol` in `.tlsvet.toml` " +
			"raises the bar (e.g. TLSv1.3 makes TLSv1.2 a finding too).\n\n" +
			"One problem, one finding: when the target version is known and drops the protocol (TLSv1.1 on " +
			"8.0.30, or in `[mysqld-8.0]` from 8.0.28) TV104 reports the token instead, and a token that is not " +
			"a protocol name of the flavour (`TLSv1` on MariaDB) is TV106's. When MySQL and MariaDB may both " +
			"read the group, the message also says which of them rejects the spelling (`TLSv1` vs `TLSv1.0`).",
		Fix: "Allow only TLSv1.2 and TLSv1.3 (`tls_version=TLSv1.2,TLSv1.3`) after upgrading the clients that " +
			"still need the old protocols.",
		Bad:  "[mysqld]\ntls_version=TLSv1.1,TLSv1.2,TLSv1.3\n",
		Good: "[mysqld]\ntls_version=TLSv1.2,TLSv1.3\n",
		Sources: []string{
			facts.SrcMY80PC,
			facts.SrcMY57PC,
			facts.SrcMDBSysV,
			"https://github.com/MariaDB/server/pull/2688",
			"https://www.rfc-editor.org/rfc/rfc8996",
		},
	},
	Requires: []*lint.Analysis{protocolListsAnalysis},
	Run:      runDeprecatedProtocol,
}

func runDeprecatedProtocol(pass *lint.Pass) {
	min := minProtocol(pass.Policy)
	ownedTokens(pass, "TV103", func(l *protoList, _ int, tok *protoToken) {
		why := l.weakness(tok.Proto, min)
		if note := l.spellingNote(tok); note != "" {
			why += "; " + note
		}
		pass.Report(lint.Diagnostic{
			Span:    tok.WordSpan,
			Message: fmt.Sprintf("%s allows %s (%s): allow only %s and later", l.Name(), tok.Word, why, min.Spell(l.Flavor())),
		})
	})
}

// weakness says why p is a finding: for TLSv1/TLSv1.1 their deprecation
// per reader, for a newer protocol the policy.
func (l *protoList) weakness(p, min facts.Protocol) string {
	if p >= facts.TLSv12 {
		return fmt.Sprintf("below the policy minimum %s", min.Spell(l.Flavor()))
	}
	var parts []string
	for _, r := range l.Readers {
		var h []string
		for _, part := range history(r, p) {
			if !strings.HasPrefix(part, "supported from") {
				h = append(h, part)
			}
		}
		if len(h) == 0 {
			continue
		}
		s := strings.Join(h, ", ")
		if len(l.Readers) > 1 && r.Flavor != facts.MariaDB {
			s = r.Flavor.Title() + ": " + s
		}
		parts = append(parts, s)
	}
	if len(parts) == 0 {
		return "an insecure protocol (RFC 8996)"
	}
	return strings.Join(parts, "; ")
}

// spellingNote explains a spelling only some readers accept (MySQL and
// MariaDB may both read the group): "TLSv1" stops MariaDB from starting,
// "TLSv1.0" is ignored by MySQL.
func (l *protoList) spellingNote(tok *protoToken) string {
	if tok.Spelled != facts.Maybe {
		return ""
	}
	var notes []string
	for _, r := range l.Readers {
		if _, ok := facts.ParseProtocol(r.Flavor, tok.Word); ok {
			continue
		}
		notes = append(notes, fmt.Sprintf("%s spells it %s and %s %q", r.Flavor.Title(), tok.Proto.Spell(r.Flavor),
			l.rejects(r), tok.Word))
	}
	return strings.Join(notes, "; ")
}

// rejects says what reader r does with a token it does not know.
func (l *protoList) rejects(r facts.Target) string {
	if r.Flavor == facts.MariaDB {
		return "refuses to start on"
	}
	return "ignores"
}
