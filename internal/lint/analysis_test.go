package lint

import (
	"sync/atomic"
	"testing"

	"github.com/tlsvet/tlsvet/internal/model"
)

// TestAnalysesRunOnce checks the promise of Analysis: an analysis two rules
// need is computed once per run, after the analyses it requires, and both
// rules read the same result.
func TestAnalysesRunOnce(t *testing.T) {
	var baseRuns, derivedRuns atomic.Int32
	base := &Analysis{Name: "base", Run: func(*AnalysisPass) any {
		baseRuns.Add(1)
		return 20
	}}
	derived := &Analysis{Name: "derived", Requires: []*Analysis{base}, Run: func(p *AnalysisPass) any {
		derivedRuns.Add(1)
		return p.ResultOf(base).(int) + 1
	}}
	got := make(chan any, 2)
	rule := func(id string) *Rule {
		return &Rule{ID: id, Requires: []*Analysis{derived}, Run: func(p *Pass) { got <- p.ResultOf(derived) }}
	}
	Run(&model.Project{}, []*Rule{rule("TVA1"), rule("TVA2")}, Options{})
	if baseRuns.Load() != 1 || derivedRuns.Load() != 1 {
		t.Fatalf("base ran %d times, derived %d; want once each", baseRuns.Load(), derivedRuns.Load())
	}
	for range 2 {
		if r := <-got; r != 21 {
			t.Fatalf("rule read %v, want 21", r)
		}
	}
}

// TestUndeclaredAnalysisPanics: a rule reading an analysis it does not
// require is a programming error, caught by every fixture test.
func TestUndeclaredAnalysisPanics(t *testing.T) {
	a := &Analysis{Name: "a", Run: func(*AnalysisPass) any { return 1 }}
	p := &Pass{Rule: &Rule{ID: "TVX"}, results: map[*Analysis]any{a: 1}}
	defer func() {
		if recover() == nil {
			t.Fatal("ResultOf of an undeclared analysis did not panic")
		}
	}()
	p.ResultOf(a)
}
