package lint

import (
	"fmt"
	"time"

	"github.com/tlsvet/tlsvet/internal/facts"
	"github.com/tlsvet/tlsvet/internal/model"
	"github.com/tlsvet/tlsvet/internal/source"
)

// Policy is what the user's .tlsvet.toml [policy] table asks for.
type Policy struct {
	MinProtocol         facts.Protocol // protocols below it are findings (TV103); default TLSv1.2
	RequireVerification bool           // clients must verify the server (TV302/TV303 become errors)
	CertExpiryDays      int            // TV502 window
	// OpenSSLSecurityLevel is the security level (0–5) of the OpenSSL the
	// servers and clients run with: TV504 and TV508 are errors where it
	// refuses a key or signature. Default 2, the level Debian and Ubuntu
	// build OpenSSL with (docs/mariadb-observations.md, Appendix D).
	OpenSSLSecurityLevel int
	// Now is the time certificates are judged at; zero means the clock.
	// Tests set it, so that fixtures with fixed dates never age.
	Now time.Time
}

// Clock returns the time certificates are judged at.
func (p Policy) Clock() time.Time {
	if p.Now.IsZero() {
		return time.Now()
	}
	return p.Now
}

// DefaultPolicy is the policy when the config says nothing.
var DefaultPolicy = Policy{MinProtocol: facts.TLSv12, CertExpiryDays: 30, OpenSSLSecurityLevel: 2}

// Pass is what a rule's Run receives.
type Pass struct {
	Rule    *Rule
	Project *model.Project
	Policy  Policy
	report  func(Diagnostic)
	results map[*Analysis]any
}

// Diagnostic is one finding.
type Diagnostic struct {
	RuleID   string   // filled in by the engine
	Severity Severity // the rule's default unless the rule or the config says otherwise
	Span     source.Span
	Message  string // lower-case start, no trailing period; says what happens at run time
	Related  []Related
	Fix      *Fix
}

// Related points at another place that explains a finding (the other side
// of a mismatch, an earlier setting that was overridden).
type Related struct {
	Span    source.Span
	Message string
}

// Fix is an exact edit that resolves a finding.
type Fix struct {
	Message string // verb phrase: "remove TLSv1.1"
	Edits   []source.Edit
	// Suggestion marks a fix that is right only if something the
	// repository cannot show holds (raising a client to VERIFY_IDENTITY
	// without a CA it names: the server's certificate must then chain to
	// the system store). JSON, SARIF and --diff show it; --fix leaves it.
	Suggestion bool
}

// Report records a diagnostic.
func (p *Pass) Report(d Diagnostic) { p.report(d) }

// Reportf records a diagnostic with the rule's default severity.
func (p *Pass) Reportf(at source.Span, format string, args ...any) {
	p.report(Diagnostic{Span: at, Message: fmt.Sprintf(format, args...)})
}
