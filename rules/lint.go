package rules

import "github.com/tlsvet/tlsvet/internal/lint"

// The engine's types under the names the rule files use. A step, not the
// end state: the rule files are to be rewritten to say lint.Rule,
// lint.Diagnostic… directly (as staticcheck's checks use analysis/lint),
// and these aliases then deleted.
type (
	Rule       = lint.Rule
	Doc        = lint.Doc
	Pass       = lint.Pass
	Policy     = lint.Policy
	Diagnostic = lint.Diagnostic
	Related    = lint.Related
	Fix        = lint.Fix
	Severity   = lint.Severity
)

const (
	Note    = lint.Note
	Warning = lint.Warning
	Error   = lint.Error
)
