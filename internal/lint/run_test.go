package lint

import (
	"strings"
	"testing"

	"github.com/tlsvet/tlsvet/internal/source"
)

// TestCollapse: findings of one rule with one message on one line become
// the first with a count and every distinct edit; a different message, rule
// or line stays apart, and a fix is dropped when one of the findings has
// none (it would not resolve them all).
func TestCollapse(t *testing.T) {
	f := source.NewFile("my.cnf", []byte("tls_version=,,,,\nssl_cipher=a:a\n"))
	at := func(i int) source.Span { return f.Span(i, i+1) }
	fix := func(i int) *Fix { return &Fix{Message: "remove the stray comma", Edits: []source.Edit{{Span: at(i)}}} }
	ds := []Diagnostic{
		{RuleID: "TV106", Span: at(12), Message: "empty", Fix: fix(12)},
		{RuleID: "TV106", Span: at(13), Message: "empty", Fix: fix(13)},
		{RuleID: "TV107", Span: at(13), Message: "empty"},
		{RuleID: "TV106", Span: at(14), Message: "empty", Fix: fix(13)}, // the same edit again
		{RuleID: "TV106", Span: at(15), Message: "other"},
		{RuleID: "TV207", Span: at(28), Message: "a", Fix: &Fix{Message: "x"}},
		{RuleID: "TV207", Span: at(30), Message: "a"},
		{RuleID: "TV106", Span: at(28), Message: "empty"}, // another line
	}
	got := collapse(ds)
	if len(got) != 5 {
		t.Fatalf("collapse left %d findings, want 5: %+v", len(got), got)
	}
	d := got[0]
	if d.Span != at(12) || !strings.HasSuffix(d.Message, "empty (and 2 more like it on this line)") {
		t.Errorf("first = %v %q", d.Span, d.Message)
	}
	if d.Fix == nil || len(d.Fix.Edits) != 2 || d.Fix.Message != "remove the stray comma (3 places)" {
		t.Errorf("merged fix = %+v, want the 2 distinct edits", d.Fix)
	}
	if got[1].RuleID != "TV107" || got[2].Message != "other" {
		t.Errorf("other rule or message merged: %+v", got[1:3])
	}
	if got[3].Fix != nil || !strings.Contains(got[3].Message, "(and 1 more") {
		t.Errorf("TV207 = %q with fix %+v, want a count and no fix", got[3].Message, got[3].Fix)
	}
	if got[4].Message != "empty" {
		t.Errorf("finding on another line merged: %q", got[4].Message)
	}
	if thousands(4999) != "4,999" || thousands(1234567) != "1,234,567" || thousands(12) != "12" {
		t.Error("thousands")
	}
}
