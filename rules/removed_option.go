package rules

import (
	"fmt"

	"github.com/tlsvet/tlsvet/internal/facts"
	"github.com/tlsvet/tlsvet/internal/lint"
)

// RemovedOption is TV004.
var RemovedOption = &lint.Rule{
	ID:       "TV004",
	Name:     "removed-option",
	Severity: lint.Error,
	Tags:     []string{"tls", "correctness"},
	Doc: lint.Doc{
		Title: "TLS option that the target version does not have",
		Why: "MySQL removed the client options `ssl`, `skip-ssl` and `ssl-verify-server-cert` in 8.0.0: " +
			"a MySQL 8 client reading them exits with `mysql: [ERROR] unknown option '--ssl'`. MySQL 8.4 " +
			"removed the server options `ssl`, `skip-ssl` and `admin-ssl`, so `mysqld` 8.4 refuses to " +
			"start with `[ERROR] [MY-000068] unknown option '--skip-ssl'`. `tls_ciphersuites` exists only " +
			"from MySQL 8.0.16 and never in MariaDB, and MariaDB clients have no `ssl-mode` " +
			"(`unknown variable 'ssl-mode=REQUIRED'`). The rule needs to know the flavour, and for " +
			"version boundaries the version: from `--target`, `.tlsvet.toml` or a versioned group such " +
			"as `[mysqld-8.4]`; without it TV005 names the boundary as a warning. With `loose-` the " +
			"program only warns, and the finding is a warning.",
		Fix: "Use the replacement the message names: `ssl-mode=REQUIRED` for the client `ssl`, " +
			"`ssl-mode=VERIFY_IDENTITY` for `ssl-verify-server-cert`, nothing for the server `ssl` " +
			"(TLS is on by default) and `tls_version=''` for `skip-ssl` (with " +
			"`tls_certificates_enforced_validation=ON` an empty `tls_version` makes MySQL exit at startup, so " +
			"turn that off too; the message says so and offers no fix).",
		Bad:  "-- .tlsvet.toml --\ntarget = [\"mysql-8.0.36\"]\n-- my.cnf --\n[client]\nssl=1\n",
		Good: "-- .tlsvet.toml --\ntarget = [\"mysql-8.0.36\"]\n-- my.cnf --\n[client]\nssl-mode=REQUIRED\n",
		Sources: []string{srcConnOpts57, srcWL9091, srcVitess5556, srcServerOptions, srcWL14481,
			srcDockerMy1053, "https://dev.mysql.com/doc/mysqld-version-reference/en/optvar-changes-8-4.html",
			srcServerVars, srcMariaDBTLS13, srcSqlboiler117, srcMariaDBCLI, facts.SrcEnforcedValidation},
	},
	Run: runRemovedOption,
}

func runRemovedOption(pass *lint.Pass) {
	eachVariantOption(pass.Project, func(v variantOption) {
		if msg, ok := v.removed(); ok {
			l := v.lives()[0]
			hint, fix := flavourReplacement(v.spec.Name, l.flavor), (*lint.Fix)(nil)
			if !l.absent {
				hint, fix = v.replacement(l.flavor)
			}
			if hint != "" {
				msg += "; " + hint
			}
			sev := severityFor(v.opt)
			if l.lc.Note != "" {
				// The lifecycle itself is uncertain: say so, and do not claim a failure.
				msg += " (" + l.lc.Note + ")"
				sev = lint.Warning
			}
			pass.Report(lint.Diagnostic{Span: v.opt.KeySpan, Severity: sev, Message: msg, Fix: fix})
		}
	})
}

// removed says whether the option does not exist on the variant's target,
// following the version-awareness rules: only for a single known flavour;
// a boundary inside the range only when the range is a known version
// (TV005 words the rest as a warning).
func (v variantOption) removed() (string, bool) {
	lives := v.lives()
	if len(lives) != 1 {
		return "", false
	}
	l := lives[0]
	key, on := v.opt.Key, ""
	known := v.target.VersionKnown()
	if known || v.by != "" {
		on = "on " + targetPhrase(v.target, v.by) + ", "
	}
	min := v.target.Min
	switch {
	case l.absent:
		return fmt.Sprintf("%s does not exist in %s: %s%s", key, programsOf(v.class, l.flavor), on, v.failsOn(l.flavor)), true
	case l.removed == facts.Yes || l.removed == facts.Maybe && known:
		r := l.at(facts.Removal, min)
		msg := fmt.Sprintf("%s was removed from %s in %s", key, programsOf(v.class, l.flavor), r)
		if d := l.at(facts.Deprecation, min); !d.IsZero() {
			msg += fmt.Sprintf(" (deprecated since %s)", d)
		}
		if l.removed == facts.Maybe {
			return msg + fmt.Sprintf(": %sfrom %s %s", on, r, v.failsOn(l.flavor)), true
		}
		return msg + fmt.Sprintf(": %s%s", on, v.failsOn(l.flavor)), true
	case l.notYet == facts.Yes || l.notYet == facts.Maybe && known:
		a := l.at(facts.Added, min)
		msg := fmt.Sprintf("%s does not exist before %s %s", key, l.flavor.Title(), a)
		if l.notYet == facts.Maybe {
			return msg + fmt.Sprintf(": %sbefore %s %s", on, a, v.failsOn(l.flavor)), true
		}
		return msg + fmt.Sprintf(": %s%s", on, v.failsOn(l.flavor)), true
	}
	return "", false
}
