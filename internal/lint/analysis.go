package lint

import (
	"fmt"
	"sync"

	"github.com/tlsvet/tlsvet/internal/model"
)

// Analysis is a result that several rules read, computed once per run:
// the protocol lists every server and client reads, their cipher lists,
// how each version of a program reads a group. It is to a Rule what an
// Analyzer listed in go/analysis's Requires is to the analyzers that read
// its ResultOf: a rule names the analyses it needs, Run computes each
// needed analysis once, before the rules, and every rule reads the same
// result. A result is shared, so rules must not change it.
type Analysis struct {
	Name     string // "protocol-lists": what it computes
	Doc      string
	Requires []*Analysis
	Run      func(*AnalysisPass) any
}

// AnalysisPass is what an analysis's Run receives.
type AnalysisPass struct {
	Project *model.Project
	Policy  Policy // what the user's .tlsvet.toml asks for (the assumed OpenSSL level)
	results map[*Analysis]any
}

// ResultOf returns the result of an analysis a declared in Requires.
func (p *AnalysisPass) ResultOf(a *Analysis) any { return resultOf(p.results, a) }

func resultOf(results map[*Analysis]any, a *Analysis) any {
	r, ok := results[a]
	if !ok {
		panic(fmt.Sprintf("lint: analysis %q read but not required", a.Name))
	}
	return r
}

// ResultOf returns the result of an analysis the rule lists in Requires.
func (p *Pass) ResultOf(a *Analysis) any {
	for _, r := range p.Rule.Requires {
		if r == a {
			return resultOf(p.results, a)
		}
	}
	panic(fmt.Sprintf("lint: rule %s reads analysis %q without requiring it", p.Rule.ID, a.Name))
}

// analyse computes every analysis the rules need, each once, those with
// no dependency between them in parallel.
func analyse(p *model.Project, rs []*Rule, policy Policy) map[*Analysis]any {
	results := map[*Analysis]any{}
	var mu sync.Mutex
	done := map[*Analysis]chan struct{}{}
	var wg sync.WaitGroup
	var start func(a *Analysis) chan struct{}
	// start is called with mu held.
	start = func(a *Analysis) chan struct{} {
		if ch, ok := done[a]; ok {
			return ch
		}
		ch := make(chan struct{})
		done[a] = ch
		deps := make([]chan struct{}, 0, len(a.Requires))
		for _, d := range a.Requires {
			deps = append(deps, start(d))
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer close(ch)
			for _, d := range deps {
				<-d
			}
			mu.Lock()
			pass := &AnalysisPass{Project: p, Policy: policy, results: make(map[*Analysis]any, len(a.Requires))}
			for _, d := range a.Requires {
				pass.results[d] = results[d]
			}
			mu.Unlock()
			r := a.Run(pass)
			mu.Lock()
			results[a] = r
			mu.Unlock()
		}()
		return ch
	}
	mu.Lock()
	for _, r := range rs {
		if r.Run == nil {
			continue
		}
		for _, a := range r.Requires {
			start(a)
		}
	}
	mu.Unlock()
	wg.Wait()
	return results
}
