// Package lint is tlsvet's engine: the types a check is written in (Rule,
// Pass, Diagnostic, Severity, Fix) and Run, which runs a set of rules.
//
// It is to package rules, the catalogue of checks, what go/analysis is to
// go/analysis/passes and staticcheck's analysis/lint to its checks: the
// rules are given to Run as an argument, so that report, fix, baseline,
// config and gitdiff depend on these types and not on every rule. A rule
// is a value (ID, Name, Severity, Doc, Run), modelled on
// go/analysis.Analyzer: it reads the model and facts through a Pass and
// reports Diagnostics; the engine fills in IDs and severities, applies
// configuration and suppressions, sorts, removes duplicates and reports a
// problem repeated on one line once, with a count. The two rules the
// engine itself owns live here: TV000 (suppressions, which Run judges)
// and TV001 (files that cannot be read, which the driver must know about
// to report them another way when the rule is off).
package lint

import (
	"fmt"
	"strings"
)

// Severity of a finding. The zero value means "the rule's default".
type Severity uint8

const (
	SeverityDefault Severity = iota
	Note
	Warning
	Error
)

func (s Severity) String() string {
	switch s {
	case Note:
		return "note"
	case Warning:
		return "warning"
	case Error:
		return "error"
	}
	return "default"
}

// ParseSeverity reads "error", "warning" or "note".
func ParseSeverity(s string) (Severity, error) {
	switch strings.ToLower(s) {
	case "note", "info":
		return Note, nil
	case "warning", "warn":
		return Warning, nil
	case "error":
		return Error, nil
	}
	return SeverityDefault, fmt.Errorf("unknown severity %q (want error, warning or note)", s)
}

// Doc is a rule's documentation. docs/rules/<ID>.md and `tlsvet explain`
// are generated from it.
type Doc struct {
	Title   string   // one line, no trailing period
	Why     string   // why it matters, with the runtime effect; Markdown
	Fix     string   // how to fix it; ends with a period
	Bad     string   // an option file that makes the rule fire
	Good    string   // the same file fixed; the rule stays silent
	Sources []string // URLs behind the facts the rule relies on
}

// Rule is one check.
type Rule struct {
	ID       string // "TV101": stable forever
	Name     string // "tls-version-hole": kebab-case
	Severity Severity
	// SecuritySeverity is the CVSS-like score GitHub code scanning shows
	// ("0.1"–"10.0"); empty for rules that are not about security.
	SecuritySeverity string
	Tags             []string
	Doc              Doc
	// Requires are the analyses the rule reads with Pass.ResultOf.
	Requires []*Analysis
	Run      func(*Pass) // nil for rules the engine itself reports (TV000)
}

// Lookup finds a rule of rs by ID ("TV101", case-insensitive) or name
// ("tls-version-hole").
func Lookup(rs []*Rule, idOrName string) *Rule {
	for _, r := range rs {
		if strings.EqualFold(r.ID, idOrName) || r.Name == idOrName {
			return r
		}
	}
	return nil
}
