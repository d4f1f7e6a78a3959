package rules

import (
	"fmt"
	"strings"

	"github.com/tlsvet/tlsvet/internal/facts"
	"github.com/tlsvet/tlsvet/internal/lint"
	"github.com/tlsvet/tlsvet/internal/model"
)

// ClientLegacyProtocols reports a connection that allows TLSv1 or TLSv1.1.
var ClientLegacyProtocols = &lint.Rule{
	ID:               "TV307",
	Name:             "client-legacy-protocols",
	Severity:         lint.Warning,
	SecuritySeverity: "5.3",
	Tags:             []string{"security", "tls"},
	Doc: lint.Doc{
		Title: "A connection allows TLSv1 or TLSv1.1",
		Why: "TLSv1 and TLSv1.1 are deprecated (RFC 8996). MySQL removed them from the server and from its " +
			"connectors in 8.0.28, and MySQL 8.4 accepts only TLSv1.2 and TLSv1.3: a connection string that " +
			"still lists them keeps a downgrade path open on old servers, and one that lists nothing else " +
			"cannot connect to a current server or with a current connector at all (an error then).",
		Fix:  "List only TLSv1.2 and TLSv1.3.",
		Bad:  "-- application.properties --\nspring.datasource.url=jdbc:mysql://db/shop?sslMode=VERIFY_IDENTITY&tlsVersions=TLSv1.1,TLSv1.2\n",
		Good: "-- application.properties --\nspring.datasource.url=jdbc:mysql://db/shop?sslMode=VERIFY_IDENTITY&tlsVersions=TLSv1.2,TLSv1.3\n",
		Sources: []string{
			"https://www.rfc-editor.org/rfc/rfc8996",
			facts.SrcMY80PC,
			"https://dev.mysql.com/doc/relnotes/connector-j/en/news-8-0-28.html",
			"https://dev.mysql.com/doc/connector-j/en/connector-j-connp-props-security.html",
		},
	},
	Run: runClientLegacyProtocols,
}

func runClientLegacyProtocols(pass *lint.Pass) {
	for _, c := range pass.Project.Connections {
		s := c.Protocols
		if s == nil || !s.HasValue || s.Unknown || c.Transport != model.TCP {
			continue
		}
		var legacy, modern []model.Item
		for _, it := range s.List(",") {
			w := strings.Trim(it.Text, " \t[]\"'")
			p, ok := facts.AnyProtocol(w)
			switch {
			case !ok:
			case p < facts.TLSv12:
				legacy = append(legacy, it)
			default:
				modern = append(modern, it)
			}
		}
		if len(legacy) == 0 {
			continue
		}
		names := make([]string, len(legacy))
		for i, it := range legacy {
			names[i] = strings.Trim(it.Text, " \t[]\"'")
		}
		d := lint.Diagnostic{Span: s.Span()}
		if len(modern) == 0 {
			d.Severity = lint.Error
			d.Message = fmt.Sprintf("%s allows only %s, which current servers (MySQL 8.0.28 and later, 8.4) and %s from 8.0.28 no longer speak: the connection fails; list TLSv1.2,TLSv1.3",
				driverSays(c, s), strings.Join(names, " and "), c.Driver)
			pass.Report(d)
			continue
		}
		d.Message = fmt.Sprintf("%s allows %s, deprecated (RFC 8996) and removed from MySQL 8.0.28 on: an old server can be made to use it; remove %s",
			driverSays(c, s), strings.Join(names, " and "), strings.Join(names, " and "))
		d.Fix = setValueFix(s, keepOnly(s.Value, modern), "remove "+strings.Join(names, " and "))
		pass.Report(d)
	}
}

// keepOnly rewrites a protocol list to the items kept, keeping the
// brackets of an X DevAPI list ("[TLSv1.2,TLSv1.3]").
func keepOnly(value string, kept []model.Item) string {
	words := make([]string, len(kept))
	for i, it := range kept {
		words[i] = strings.Trim(it.Text, " \t[]")
	}
	out := strings.Join(words, ",")
	if v := strings.TrimSpace(value); strings.HasPrefix(v, "[") && strings.HasSuffix(v, "]") {
		out = "[" + out + "]"
	}
	return out
}
