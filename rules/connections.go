package rules

import (
	"fmt"
	"strings"

	"github.com/tlsvet/tlsvet/internal/lint"
	"github.com/tlsvet/tlsvet/internal/model"
	"github.com/tlsvet/tlsvet/internal/source"
)

// Connections: the TV3xx verdicts on a connection string or an
// application's settings (model.Connection). The record says what the
// driver really does, so one verdict serves every dialect; the messages
// name the driver's own parameter and its effect.
//
// A connection whose mode the repository cannot tell (a Go TLS
// configuration registered in code, an unresolved ${VAR}, dialects that
// disagree) is judged by no rule that needs its mode. A mode the driver
// reaches by default is not reported: a string that says nothing about TLS
// is not where the mistake is written (TV303 reports a default that falls
// back to plaintext only when the string sets TLS up otherwise).

// judged calls fn for every connection whose mode is known.
func judged(pass *lint.Pass, fn func(c *model.Connection)) {
	for _, c := range pass.Project.Connections {
		if c.Mode != model.ModeUnknown && c.Transport == model.TCP {
			fn(c)
		}
	}
}

// said quotes a setting as its syntax writes it: `tls=skip-verify`,
// `ssl_mode: required` in YAML.
func said(s *model.Setting) string {
	switch {
	case !s.HasValue:
		return "`" + s.Key + "`"
	case strings.HasPrefix(s.Syntax(), "YAML"):
		return "`" + s.Key + ": " + s.Value + "`"
	}
	return "`" + s.Key + "=" + s.Value + "`"
}

// driverSays is the start of a message about setting s of connection c:
// "MariaDB Connector/J `sslMode=trust`".
func driverSays(c *model.Connection, s *model.Setting) string {
	return c.Driver + " " + said(s)
}

// considered names the dialects a generic URL was judged for.
func considered(c *model.Connection) string {
	if len(c.Candidates) < 2 {
		return ""
	}
	return " (the URL fits " + strings.Join(c.Candidates, ", ") + "; all of them read it so)"
}

// raiseFix is the fix that makes c verify the server, in the driver's own
// syntax. Raising verification is right only when the server certificate
// chains to a CA the client trusts: with a CA named in the string --fix
// applies it, without one it is a suggestion (JSON, SARIF, --diff).
func raiseFix(c *model.Connection) (*lint.Fix, string) {
	if c.SetMode == nil {
		return nil, ""
	}
	text, edits, ok := c.SetMode(model.ModeVerifyIdentity)
	if !ok {
		return nil, text
	}
	return &lint.Fix{Message: "set " + text, Edits: edits, Suggestion: c.CA == nil}, text
}

// verifyAdvice is the advice to verify the server, with the driver's
// spelling when it has one.
func verifyAdvice(c *model.Connection, text string) string {
	advice := "make the driver verify the server"
	if text != "" {
		advice = "set " + text
	}
	if c.CA == nil {
		advice += " (with the CA that signed the server certificate, unless it chains to the system's trust store)"
	}
	return advice
}

// connectionDisabled is TV301 for connections: the string turns TLS off.
func connectionDisabled(pass *lint.Pass) {
	judged(pass, func(c *model.Connection) {
		if c.Mode != model.ModeDisabled || c.By == nil {
			return
		}
		fix, text := raiseFix(c)
		what := driverSays(c, c.By) + " turns TLS off"
		if t := trapOf(c, c.By, model.StringTruthy); t != nil {
			what += " (the value reaches the driver as the string \"" + c.By.Value + "\", which it reads as true)"
		}
		pass.Report(lint.Diagnostic{Span: c.By.Span(), Fix: fix, Message: fmt.Sprintf(
			"%s%s: queries, results and the login exchange cross the network in plaintext; %s",
			what, considered(c), verifyAdvice(c, text))})
	})
}

// connectionDisabledIfUnset is TV301 for a mode a variable decides that
// compose substitutes by an empty string when it is unset at deploy time:
// the finding says what happens then.
func connectionDisabledIfUnset(pass *lint.Pass) {
	for _, c := range pass.Project.Connections {
		u := c.IfUnset
		if u == nil || u.Mode != model.ModeDisabled || u.By == nil || c.Transport != model.TCP {
			continue
		}
		advice := "give the variable a default that verifies the server (${NAME:-…})"
		if _, text := raiseFix(c); text != "" {
			advice = "give the variable a default that verifies the server (" + text + ")"
		}
		pass.Reportf(u.By.Span(), "%s %s: when %s is unset at deploy time, docker compose substitutes an empty "+
			"string and the driver turns TLS off, so the connection is plaintext; %s",
			c.Driver, said(u.By), strings.Join(c.Unresolved, " or "), advice)
	}
}

// connectionUnverified is TV302 for connections: encrypted, the server not
// authenticated. With a CA the string names, TV305 says the CA is ignored.
func connectionUnverified(pass *lint.Pass) {
	judged(pass, func(c *model.Connection) {
		// With a CA the mode ignores, TV305 says so as well: two mistakes.
		if !c.Encrypts || c.PlaintextFallback || c.VerifiesChain || c.By == nil {
			return
		}
		fix, text := raiseFix(c)
		what := "encrypts but does not verify the server certificate: anyone on the network path can impersonate the server"
		pass.Report(lint.Diagnostic{Span: c.By.Span(), Severity: verifySeverity(pass.Policy), Fix: fix,
			Message: fmt.Sprintf("%s %s%s; %s", driverSays(c, c.By), what, considered(c), verifyAdvice(c, text))})
	})
}

// connectionOpportunistic is TV303 for connections: TLS when the server
// offers it, plaintext silently otherwise.
func connectionOpportunistic(pass *lint.Pass) {
	judged(pass, func(c *model.Connection) {
		if !c.PlaintextFallback || caUnused(c) {
			return
		}
		at, what := c.By, ""
		switch {
		case at != nil:
			what = driverSays(c, at)
		case c.Cert != nil || c.Protocols != nil || c.Ciphers != nil:
			// The default is opportunistic, and the string sets TLS up.
			at = firstOf(c.Cert, c.Protocols, c.Ciphers)
			what = fmt.Sprintf("%s %s sets TLS up but no mode, so the driver's default (%s) applies", c.Driver, said(at), c.Mode)
		default:
			return
		}
		fix, text := raiseFix(c)
		pass.Report(lint.Diagnostic{Span: at.Span(), Severity: verifySeverity(pass.Policy), Fix: fix,
			Message: fmt.Sprintf("%s falls back to plaintext silently when the server offers no TLS, and does not verify the server%s; %s",
				what, considered(c), verifyAdvice(c, text))})
	})
}

// connectionNoCA is TV304 for connections: a verifying mode, no CA, and a
// driver without a system trust store to fall back on.
func connectionNoCA(pass *lint.Pass) {
	judged(pass, func(c *model.Connection) {
		if c.Mode < model.ModeVerifyCA || c.CA != nil || c.SystemStore || c.By == nil {
			return
		}
		pass.Reportf(c.By.Span(), "%s verifies the server but the string names no CA, and %s has no system "+
			"trust store to fall back on: the connection fails%s; add the CA that signed the server certificate",
			driverSays(c, c.By), c.Driver, considered(c))
	})
}

// caUnused reports a CA the connection's mode ignores (TV305's).
func caUnused(c *model.Connection) bool {
	return c.CA != nil && c.Encrypts && !c.VerifiesChain
}

// connectionCAIgnored is TV305 for connections.
func connectionCAIgnored(pass *lint.Pass) {
	judged(pass, func(c *model.Connection) {
		if !caUnused(c) {
			return
		}
		why := "the driver's default mode does not verify"
		var related []lint.Related
		if c.By != nil {
			why = said(c.By) + " does not verify"
			related = []lint.Related{{Span: c.By.ValueOrKey(), Message: "the mode that makes the driver ignore the CA"}}
		}
		effect := "the server is not authenticated"
		if c.PlaintextFallback {
			effect += ", and the driver falls back to plaintext silently when the server offers no TLS"
		}
		fix, text := raiseFix(c)
		pass.Report(lint.Diagnostic{Span: c.CA.KeySpan, Fix: fix, Related: related, Message: fmt.Sprintf(
			"%s ignores %s: %s, so %s%s; %s", c.Driver, said(c.CA), why, effect, considered(c), verifyAdvice(c, text))})
	})
}

// trapOf returns c's trap of kind k on setting s, or nil.
func trapOf(c *model.Connection, s *model.Setting, k model.TrapKind) *model.Trap {
	for i := range c.Traps {
		if t := &c.Traps[i]; t.Setting == s && t.Kind == k {
			return t
		}
	}
	return nil
}

// firstOf returns the first setting that is not nil.
func firstOf(ss ...*model.Setting) *model.Setting {
	for _, s := range ss {
		if s != nil {
			return s
		}
	}
	return nil
}

// renameKey is the edit that writes s's key as want, when the key's bytes
// are exactly the key.
func renameKey(s *model.Setting, want string) (source.Edit, bool) {
	if s.KeySpan.End-s.KeySpan.Start != len(s.Key) || s.KeySpan.Text() != s.Key {
		return source.Edit{}, false
	}
	return source.Edit{Span: s.KeySpan, New: want}, true
}
