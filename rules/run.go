package rules

import (
	"sort"
	"sync"

	"github.com/tlsvet/tlsvet/internal/model"
)

// Options configure a Run.
type Options struct {
	Policy   Policy
	Severity map[string]Severity // per-rule overrides from the config
}

// Run runs the rules over the project, applies suppressions and severity
// overrides, and returns the findings sorted by file, position and rule.
func Run(p *model.Project, rs []*Rule, opt Options) []Diagnostic {
	var (
		mu  sync.Mutex
		out []Diagnostic
		wg  sync.WaitGroup
	)
	enabled := map[string]*Rule{}
	for _, r := range rs {
		enabled[r.ID] = r
		if r.Run == nil {
			continue
		}
		wg.Add(1)
		go func(r *Rule) {
			defer wg.Done()
			var local []Diagnostic
			pass := &Pass{Rule: r, Project: p, Policy: opt.Policy, report: func(d Diagnostic) {
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
	out = suppress(p, out, enabled)
	for i := range out {
		if s, ok := opt.Severity[out[i].RuleID]; ok && s != SeverityDefault {
			out[i].Severity = s
		}
	}
	Sort(out)
	return dedup(out)
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
