package rules

import (
	"fmt"
	"strings"

	"github.com/tlsvet/tlsvet/internal/facts"
	"github.com/tlsvet/tlsvet/internal/lint"
	"github.com/tlsvet/tlsvet/internal/model"
)

// TLSVersionEmpty reports an empty protocol list.
var TLSVersionEmpty = &lint.Rule{
	ID:               "TV102",
	Name:             "tls-version-empty",
	Severity:         lint.Warning,
	SecuritySeverity: "5.9",
	Tags:             []string{"security", "tls", "correctness"},
	Doc: lint.Doc{
		Title: "A TLS protocol list is empty",
		Why: "On MySQL an empty `tls_version` (or `admin_tls_version`, `group_replication_recovery_tls_version`, " +
			"client `tls-version`) means no protocol at all: \"encrypted connections cannot be established\" on " +
			"that channel. Since 8.0.26 that is the documented way to turn TLS off, so on its own it is a " +
			"warning; it is an **error** when the same server sets `require_secure_transport=ON` (every TCP " +
			"client then gets ERROR 3159) or a client in the same file requires TLS with `ssl-mode=REQUIRED`, " +
			"`VERIFY_CA` or `VERIFY_IDENTITY` (ERROR 2026). MariaDB ignores an empty `tls_version` and keeps " +
			"its default protocols (observed on MariaDB 10.11: TLSv1.2 and TLSv1.3 still work), so there the " +
			"line is a no-op that looks like it disables TLS, and the finding is a warning. With " +
			"`tls_certificates_enforced_validation=ON` (MySQL 8.1.0+) an empty `tls_version` is a TLS setup " +
			"error that makes the server **exit** at startup instead (`TLS_channel::singleton_init`), an error.",
		Fix: "List the protocols to allow (`TLSv1.2,TLSv1.3`); to turn TLS off on purpose on MySQL, keep the empty " +
			"value with a `tlsvet:ignore TV102 -- reason` comment and drop `require_secure_transport` (and " +
			"`tls_certificates_enforced_validation=ON`, with which the server would not start).",
		Bad:  "[mysqld]\nrequire_secure_transport=ON\ntls_version=\n",
		Good: "[mysqld]\nrequire_secure_transport=ON\ntls_version=TLSv1.2,TLSv1.3\n",
		Sources: []string{
			facts.SrcMY80PC,
			facts.SrcMY80SO,
			facts.SrcMY80SV,
			facts.SrcMDBSysV,
			facts.SrcEnforcedValidation,
		},
	},
	Requires: []*lint.Analysis{protocolListsAnalysis},
	Run:      runTLSVersionEmpty,
}

func runTLSVersionEmpty(pass *lint.Pass) {
	protocolLists(pass, func(l *protoList) {
		if !l.Empty() {
			return
		}
		var parts []string
		sev := lint.Warning
		both := l.has(facts.MySQL) && l.has(facts.MariaDB)
		if l.has(facts.MySQL) {
			who := ""
			if both {
				who = "on MySQL "
			}
			parts = append(parts, fmt.Sprintf("%s%s permits no encrypted connections "+
				"(\"encrypted connections cannot be established\")", who, l.channel()))
			if l.enforced() {
				parts[len(parts)-1] = fmt.Sprintf("%sthe server has no protocol to set up TLS with, and %s", who, enforcedExit)
				sev = lint.Error
			} else if why := emptyListConflict(pass.Project, l); why != "" {
				parts[len(parts)-1] += ", yet " + why
				sev = lint.Error
			}
		}
		if l.has(facts.MariaDB) {
			parts = append(parts, "MariaDB ignores the empty value and keeps its default protocols, so the line does nothing")
		}
		pass.Report(lint.Diagnostic{
			Span:     l.Opt.ValueOrKey(),
			Severity: sev,
			Message: fmt.Sprintf("%s is empty: %s; list the protocols to allow, e.g. TLSv1.2,TLSv1.3",
				l.Name(), strings.Join(parts, "; ")),
		})
	})
}

// emptyListConflict says what in the same file needs the TLS that an empty
// list turns off: require_secure_transport=ON on that server (ERROR 3159
// for every TCP client, MY80-SV), or a client that requires TLS (ERROR
// 2026). "" when nothing does.
func emptyListConflict(p *model.Project, l *protoList) string {
	if l.Client != nil {
		if m := requiredSSLMode(l.Client); m != "" {
			return fmt.Sprintf("ssl-mode=%s requires TLS: connections fail with ERROR %d", m, facts.ErrSSLConnection)
		}
		return ""
	}
	if l.Opt.Name != "tls_version" {
		return ""
	}
	if set := l.Server.Settings.Get("require_secure_transport"); set != nil && optionOn(set.Setting) {
		return fmt.Sprintf("require_secure_transport=ON rejects every TCP client (ERROR %d)", facts.ErrSecureTransportRequired)
	}
	for _, c := range l.Server.File.Clients {
		if m := requiredSSLMode(c); m != "" {
			return fmt.Sprintf("the client ssl-mode=%s in this file requires TLS and fails with ERROR %d", m, facts.ErrSSLConnection)
		}
	}
	return ""
}

// requiredSSLMode returns the client's ssl-mode when it insists on TLS
// (REQUIRED, VERIFY_CA, VERIFY_IDENTITY; MY80-CO), else "".
func requiredSSLMode(c *model.Client) string {
	set := c.Settings.Get("ssl_mode")
	if set == nil || set.Skip {
		return ""
	}
	switch m := strings.ToUpper(strings.TrimSpace(set.Value)); m {
	case "REQUIRED", "VERIFY_CA", "VERIFY_IDENTITY":
		return m
	}
	return ""
}

// optionOn reports whether a boolean option is on as MySQL reads it: a bare
// option or ON/TRUE/1 (case-insensitive); skip-/disable- turn it off, and
// any other word is OFF (MySQL warns and uses OFF: get_bool_argument in SRC-GETOPT).
func optionOn(o *model.Setting) bool {
	if o.Skip {
		return false
	}
	if !o.HasValue {
		return true
	}
	switch strings.ToUpper(strings.TrimSpace(o.Value)) {
	case "ON", "TRUE", "1":
		return true
	}
	return false
}
