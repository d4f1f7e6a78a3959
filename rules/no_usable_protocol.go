package rules

import (
	"fmt"
	"strings"

	"github.com/tlsvet/tlsvet/internal/facts"
	"github.com/tlsvet/tlsvet/internal/lint"
)

// NoUsableProtocol reports a protocol list that leaves nothing the program
// can use.
var NoUsableProtocol = &lint.Rule{
	ID:               "TV105",
	Name:             "no-usable-protocol",
	Severity:         lint.Error,
	SecuritySeverity: "7.5",
	Tags:             []string{"security", "tls", "correctness"},
	Doc: lint.Doc{
		Title: "No protocol in a TLS protocol list is usable",
		Why: "When every token of the list is dropped (misspelt, padded with a space, or a protocol the version " +
			"does not have), MySQL still starts but the channel runs **without TLS**: the log says \"Failed to " +
			"set up SSL because of the following SSL library error: TLS version is invalid\", and clients that " +
			"require TLS fail with ERROR 2026. MariaDB refuses to start when no element is one of its protocol " +
			"names (\"Error while setting value … to 'tls_version'\", observed on 10.11). With " +
			"`tls_certificates_enforced_validation=ON` (MySQL 8.1.0+) the MySQL server **exits** at startup " +
			"instead of running without TLS (`TLS_channel::singleton_init` stops on any TLS setup error).\n\n" +
			"TV105 judges the list as a whole and is reported next to the token findings (TV104, TV106, TV107) " +
			"that explain each dropped token. When nothing is usable on every version of the flavours that may " +
			"read the list it is always reported; when that holds only from some version on (TLSv1.1 alone in " +
			"`[mysqld-8.0]`: from 8.0.28), only with a known version, and the message gives the boundary. An " +
			"empty list is TV102's.",
		Fix:  "List at least one protocol the version supports, normally `TLSv1.2,TLSv1.3`.",
		Bad:  "[mysqld-8.0]\ntls_version=TLSv1.1\n",
		Good: "[mysqld-8.0]\ntls_version=TLSv1.2,TLSv1.3\n",
		Sources: []string{
			facts.SrcMY80PC,
			facts.SrcMY80UEC,
			"https://github.com/docker-library/mysql/issues/567",
			"https://github.com/mysql/mysql-server/blob/8.0/sql/ssl_acceptor_context_data.cc",
			facts.SrcEnforcedValidation,
		},
	},
	Requires: []*lint.Analysis{protocolListsAnalysis},
	Run:      runNoUsableProtocol,
}

func runNoUsableProtocol(pass *lint.Pass) {
	protocolLists(pass, func(l *protoList) {
		if l.Empty() {
			return
		}
		var effects []string
		for _, r := range l.Readers {
			lost, from := l.lostFrom(r)
			whole := from == r.Min
			if !lost || !whole && !l.VersionKnown() {
				continue
			}
			where := ""
			switch {
			case !whole:
				where = fmt.Sprintf("from %s %s on ", r.Flavor.Title(), from)
			case l.VersionKnown():
				where = "on " + r.String() + " "
			case len(l.Readers) > 1 && r.Flavor != facts.MariaDB:
				where = "on " + r.Flavor.Title() + " "
			}
			effects = append(effects, where+l.noTLSEffect(r))
		}
		// With several possible flavours, report only what holds for all.
		if len(effects) == 0 || len(effects) < len(l.Readers) {
			return
		}
		by := ""
		if l.TargetBy != "" {
			by = fmt.Sprintf(" (target %s from %s)", l.Target, l.TargetBy)
		}
		pass.Report(lint.Diagnostic{
			Span:    l.Opt.ValueOrKey(),
			Message: fmt.Sprintf("no protocol in %s is usable%s: %s; list TLSv1.2,TLSv1.3", l.Name(), by, strings.Join(effects, "; ")),
		})
	})
}

// noTLSEffect is what reader r does when nothing in the list is usable.
func (l *protoList) noTLSEffect(r facts.Target) string {
	if r.Flavor == facts.MariaDB {
		return fmt.Sprintf("MariaDB refuses to start (\"Error while setting value … to '%s'\")", l.Opt.Name)
	}
	if l.Client != nil {
		return fmt.Sprintf("the client cannot use TLS, so connections that require it fail with ERROR %d", facts.ErrSSLConnection)
	}
	if l.enforced() {
		return "the server cannot set up TLS (\"TLS version is invalid\"), and " + enforcedExit
	}
	return fmt.Sprintf("%s runs without TLS (\"TLS version is invalid\") and clients that require TLS fail with ERROR %d",
		l.channel(), facts.ErrSSLConnection)
}
