package rules

import (
	"fmt"
	"strings"

	"github.com/tlsvet/tlsvet/internal/facts"
	"github.com/tlsvet/tlsvet/internal/lint"
)

// DeprecatedOption is TV005.
var DeprecatedOption = &lint.Rule{
	ID:       "TV005",
	Name:     "deprecated-option",
	Severity: lint.Warning,
	Tags:     []string{"tls", "deprecated"},
	Doc: lint.Doc{
		Title: "TLS option deprecated in the target version",
		Why: "A deprecated option still works but is on its way out, and the next upgrade turns it into " +
			"a startup failure. The server options `ssl`, `skip-ssl` and `admin-ssl` are deprecated " +
			"since MySQL 8.0.26 and removed in 8.4.0 (`mysqld` 8.4 refuses to start); `ssl_fips_mode` is " +
			"deprecated since 8.0.34; the client options `ssl` and `ssl-verify-server-cert` were " +
			"deprecated in 5.7.11 and removed in 8.0.0 (MySQL 8 clients exit). When the version is not " +
			"known the message names the boundary, and says which flavour keeps the option; when it is " +
			"known and the option is already gone, TV004 reports it instead.",
		Fix: "Replace the option before upgrading: `tls_version=''` instead of `skip-ssl` on the server, " +
			"`ssl-mode=REQUIRED` instead of the client `ssl`, `ssl-mode=VERIFY_IDENTITY` instead of " +
			"`ssl-verify-server-cert`. With `tls_certificates_enforced_validation=ON` an empty `tls_version` " +
			"makes MySQL exit at startup, so turn that off too (the message says so and offers no fix).",
		Bad:  "-- .tlsvet.toml --\ntarget = [\"mysql-8.0.36\"]\n-- my.cnf --\n[mysqld]\nskip-ssl\n",
		Good: "-- .tlsvet.toml --\ntarget = [\"mysql-8.0.36\"]\n-- my.cnf --\n[mysqld]\ntls_version=''\n",
		Sources: []string{srcServerOptions, srcWL14481, srcConnOpts57, srcWL9091, srcServerVars,
			"https://dev.mysql.com/doc/mysqld-version-reference/en/optvar-changes-8-0.html", facts.SrcEnforcedValidation},
	},
	Run: runDeprecatedOption,
}

func runDeprecatedOption(pass *lint.Pass) {
	eachVariantOption(pass.Project, func(v variantOption) {
		if _, gone := v.removed(); gone {
			return // TV004's, and its message names the deprecation
		}
		lives := v.lives()
		min := v.target.Min
		var parts, keeps []string
		flavour := facts.FlavorUnknown
		for _, l := range lives {
			if l.absent || l.deprecated == facts.No && l.removed == facts.No {
				if !l.absent && len(lives) > 1 {
					keeps = append(keeps, programsOf(v.class, l.flavor))
				}
				continue
			}
			flavour = l.flavor
			d, r := l.at(facts.Deprecation, min), l.at(facts.Removal, min)
			var s string
			switch {
			case d.IsZero():
				s = fmt.Sprintf("removed from %s in %s", programsOf(v.class, l.flavor), r)
			case r.IsZero():
				s = fmt.Sprintf("deprecated in %s since %s", programsOf(v.class, l.flavor), d)
			default:
				s = fmt.Sprintf("deprecated in %s since %s and removed in %s", programsOf(v.class, l.flavor), d, r)
			}
			if l.removed != facts.No {
				s += ", where " + v.failsOn(l.flavor)
			}
			parts = append(parts, s)
		}
		if len(parts) == 0 {
			return
		}
		msg := v.opt.Key + " is " + strings.Join(parts, "; it is ")
		if len(keeps) > 0 {
			msg += " (it remains in " + strings.Join(keeps, " and ") + ")"
		}
		var fix *lint.Fix
		if len(parts) == 1 {
			var hint string
			if hint, fix = v.replacement(flavour); hint != "" {
				msg += "; " + hint
			}
			if len(lives) > 1 {
				fix = nil // the edit would break the flavour that keeps the option
			}
		}
		pass.Report(lint.Diagnostic{Span: v.opt.KeySpan, Message: msg, Fix: fix})
	})
}
