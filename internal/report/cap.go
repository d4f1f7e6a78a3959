package report

import (
	"fmt"

	"github.com/tlsvet/tlsvet/internal/lint"
)

// Default output caps. GitHub code scanning keeps only the first 5,000
// results of a run and rejects a run with more than 25,000
// (https://docs.github.com/en/code-security/code-scanning/integrating-with-code-scanning/sarif-support-for-code-scanning#validating-your-sarif-file);
// a person reads no more than that either.
const (
	DefaultPerRuleFile = 100  // findings of one rule in one file
	DefaultMaxFindings = 5000 // findings in one report
)

// Cap keeps the first perRule findings of each rule in each file and the
// first max findings overall (0 means no limit) of ds, which is sorted,
// and records what it left out in r: a notification per capped rule and
// file, one for the whole run, and the count in r.Omitted. Caps bound the
// output only: callers decide the exit status on every finding.
func (r *Report) Cap(ds []lint.Diagnostic, perRule, max int) {
	type key struct{ path, rule string }
	seen := map[key]int{}
	var order []key // capped rule and file pairs, in report order
	var shown []lint.Diagnostic
	for _, d := range ds {
		k := key{rule: d.RuleID}
		if d.Span.IsValid() {
			k.path = d.Span.File.Path
		}
		seen[k]++
		if perRule > 0 && seen[k] > perRule {
			if seen[k] == perRule+1 {
				order = append(order, k)
			}
			continue
		}
		shown = append(shown, d)
	}
	for _, k := range order {
		r.Notifications = append(r.Notifications, Notification{Path: k.path, Message: fmt.Sprintf(
			"%d more %s findings in this file not shown (at most %d per rule and file; --max-findings 0 shows all)", seen[k]-perRule, k.rule, perRule)})
	}
	if max > 0 && len(shown) > max {
		r.Notifications = append(r.Notifications, Notification{Message: fmt.Sprintf(
			"%d more findings not shown (at most %d per report; --max-findings 0 shows all)", len(shown)-max, max)})
		shown = shown[:max]
	}
	r.Omitted = len(ds) - len(shown)
	r.Diagnostics = shown
}
