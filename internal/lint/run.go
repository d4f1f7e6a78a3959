package lint

import (
	"fmt"
	"sort"
	"strings"
	"sync"

	"github.com/tlsvet/tlsvet/internal/model"
	"github.com/tlsvet/tlsvet/internal/source"
)

// Options configure a Run.
type Options struct {
	Policy   Policy
	Severity map[string]Severity // per-rule overrides from the config
	// Catalog is every rule tlsvet knows, enabled or not, so that a
	// suppression naming a disabled rule is not taken for a typo. Nil
	// means the rules given to Run.
	Catalog []*Rule
}

// Run runs the rules over the project, applies suppressions and severity
// overrides, and returns the findings sorted by file, position and rule.
// The driver chooses the rules, as a go/analysis driver is given its
// analyzers; Run knows no catalogue of its own.
func Run(p *model.Project, rs []*Rule, opt Options) []Diagnostic {
	var (
		mu  sync.Mutex
		out []Diagnostic
		wg  sync.WaitGroup
	)
	enabled := map[string]*Rule{}
	results := analyse(p, rs, opt.Policy)
	for _, r := range rs {
		enabled[r.ID] = r
		if r.Run == nil {
			continue
		}
		wg.Add(1)
		go func(r *Rule) {
			defer wg.Done()
			var local []Diagnostic
			pass := &Pass{Rule: r, Project: p, Policy: opt.Policy, results: results, report: func(d Diagnostic) {
				d.RuleID = r.ID
				if d.Severity == SeverityDefault {
					d.Severity = r.Severity
				}
				local = append(local, d)
			}}
			r.Run(pass)
			mu.Lock()
			out = append(out, local...)
			mu.Unlock()
		}(r)
	}
	wg.Wait()
	catalog := opt.Catalog
	if catalog == nil {
		catalog = rs
	}
	out = suppress(p, out, enabled, catalog)
	for i := range out {
		if s, ok := opt.Severity[out[i].RuleID]; ok && s != SeverityDefault {
			out[i].Severity = s
		}
	}
	assumed(p, out)
	conditional(p, out)
	Sort(out)
	return collapse(dedup(out))
}

// Sort orders diagnostics by file path, start, end, rule ID and message.
func Sort(ds []Diagnostic) {
	sort.SliceStable(ds, func(i, j int) bool {
		a, b := ds[i], ds[j]
		ap, bp := path(a), path(b)
		if ap != bp {
			return ap < bp
		}
		if a.Span.Start != b.Span.Start {
			return a.Span.Start < b.Span.Start
		}
		if a.RuleID != b.RuleID {
			return a.RuleID < b.RuleID
		}
		if a.Span.End != b.Span.End {
			return a.Span.End < b.Span.End
		}
		return a.Message < b.Message
	})
}

func path(d Diagnostic) string {
	if d.Span.File == nil {
		return ""
	}
	return d.Span.File.Path
}

// dedup drops a finding identical to the one before it: the same rule at
// the same place with the same message. A file included by two top-level
// files, or a [mysqld] group read by two server variants, is checked twice
// but reported once.
func dedup(ds []Diagnostic) []Diagnostic {
	out := ds[:0]
	for i, d := range ds {
		if i > 0 {
			p := out[len(out)-1]
			if p.RuleID == d.RuleID && path(p) == path(d) && p.Span.Start == d.Span.Start &&
				p.Span.End == d.Span.End && p.Message == d.Message {
				continue
			}
		}
		out = append(out, d)
	}
	return out
}

// collapse reports a problem that repeats in one value once: findings of
// the same rule with the same message on the same line (one option line,
// such as tls_version=,,,,… or a cipher list naming one unknown cipher
// many times) become the first of them, with the count in its message and
// the edits of all their fixes in one fix. Without this, 82 KB of commas
// made 81,600 findings. ds must be sorted; the order is kept.
func collapse(ds []Diagnostic) []Diagnostic {
	type key struct {
		rule, path, msg string
		line            int
	}
	first := map[key]int{} // index in out
	more := map[int][]Diagnostic{}
	out := ds[:0]
	for _, d := range ds {
		if !d.Span.IsValid() {
			out = append(out, d)
			continue
		}
		k := key{d.RuleID, d.Span.File.Path, d.Message, d.Span.StartLine()}
		if i, ok := first[k]; ok {
			more[i] = append(more[i], d)
			continue
		}
		first[k] = len(out)
		out = append(out, d)
	}
	for i, rest := range more {
		d := &out[i]
		d.Message += fmt.Sprintf(" (and %s more like it on this line)", thousands(len(rest)))
		d.Fix = mergeFixes(d.Fix, rest)
	}
	return out
}

// mergeFixes joins the fix of a collapsed finding with those of the
// findings it stands for: one fix with every distinct edit, or none when
// one of them has no fix or a different one (a partial fix would claim to
// resolve all of them).
func mergeFixes(f *Fix, rest []Diagnostic) *Fix {
	if f == nil {
		return nil
	}
	merged := &Fix{Message: f.Message, Edits: append([]source.Edit(nil), f.Edits...)}
	seen := map[source.Edit]bool{}
	for _, e := range f.Edits {
		seen[e] = true
	}
	for _, d := range rest {
		if d.Fix == nil || d.Fix.Message != f.Message {
			return nil
		}
		for _, e := range d.Fix.Edits {
			if !seen[e] {
				seen[e] = true
				merged.Edits = append(merged.Edits, e)
			}
		}
	}
	if n := len(rest) + 1; n > 1 {
		merged.Message += fmt.Sprintf(" (%s places)", thousands(n))
	}
	return merged
}

// thousands spells n with commas between groups of three digits.
func thousands(n int) string {
	s := fmt.Sprint(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

// assumed says, on a finding about a setting that names a file by a
// relative path, which repository file tlsvet took to be the deployed one.
func assumed(p *model.Project, ds []Diagnostic) {
	how := map[source.Span]string{}
	for _, r := range p.FileRefs {
		if r.Assumed {
			how[r.Setting.ValueOrKey()] = r.How
		}
	}
	if len(how) == 0 {
		return
	}
	for i := range ds {
		if h, ok := how[ds[i].Span]; ok && !strings.Contains(ds[i].Message, h) {
			ds[i].Message += " (" + h + ")"
		}
	}
}

// conditional says when a finding holds whose place applies only under a
// template condition: " (when .Values.tls.enabled)", " (under {{ else }})".
func conditional(p *model.Project, ds []Diagnostic) {
	if len(p.Conditions) == 0 {
		return
	}
	for i := range ds {
		d := &ds[i]
		var when []string
		for _, c := range p.Conditions {
			if c.Span.File == d.Span.File && c.Span.Start <= d.Span.Start && d.Span.End <= c.Span.End {
				if cond, ok := strings.CutPrefix(c.When, "if "); ok {
					when = append(when, "when "+cond)
				} else {
					when = append(when, "under {{ "+c.When+" }}")
				}
			}
		}
		if len(when) > 0 {
			d.Message += " (" + strings.Join(when, ", ") + ")"
		}
	}
}
