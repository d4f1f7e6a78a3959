package rules_test

import (
	"strings"
	"testing"

	"github.com/tlsvet/tlsvet/internal/facts"
	"github.com/tlsvet/tlsvet/internal/fix"
	"github.com/tlsvet/tlsvet/internal/lint"
	"github.com/tlsvet/tlsvet/internal/model"
	"github.com/tlsvet/tlsvet/internal/source"
	"github.com/tlsvet/tlsvet/rules"
)

// flagInYAML is the origin of a server flag written as an element of a
// YAML flow sequence in double quotes (a compose `command:`): a value is
// spelled with YAML's escapes, and removing it removes the element.
type flagInYAML struct{ element source.Span }

func (flagInYAML) Syntax() string { return "command-line flag in YAML" }
func (flagInYAML) Offset(s *model.Setting, i int) (int, bool) {
	return s.ValueSpan.Start + i, s.ValueSpan.Text() == s.Value
}
func (flagInYAML) Spell(_ *model.Setting, v string) (string, bool) {
	return strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(v), true
}
func (o flagInYAML) Removal(*model.Setting) (source.Span, bool) { return o.element, true }

// TestRulesRunOnAnyOrigin: the protocol-list rules read a setting, not an
// option-file line. A tls_version given as a flag inside a YAML list is
// judged as the same line of my.cnf would be, and the fixes land on its
// bytes in the YAML, spelled by its origin.
func TestRulesRunOnAnyOrigin(t *testing.T) {
	text := `command: ["mysqld", "--tls-version=TLSv1,TLSv1.2"]` + "\n"
	f := source.NewFile("compose.yaml", []byte(text))
	key := strings.Index(text, "tls-version")
	val := strings.Index(text, "TLSv1,")
	end := strings.Index(text, `"]`)
	g := &model.Group{Name: "mysqld", Written: "mysqld", Span: f.Span(0, 7), Readers: facts.MySQLServer}
	s := &model.Setting{Origin: flagInYAML{element: f.Span(strings.Index(text, `, "--`), end+1)}, Group: g,
		Key: "tls-version", Name: "tls_version", HasValue: true, Value: "TLSv1,TLSv1.2",
		KeySpan: f.Span(key, key+len("tls-version")), ValueSpan: f.Span(val, end)}
	target, err := facts.ParseTarget("mysql-8.0.36")
	if err != nil {
		t.Fatal(err)
	}
	srv := &model.Server{Target: target, TargetBy: "--target", Groups: []*model.Group{g}, Options: []*model.Setting{s},
		Settings: model.Settings{"tls_version": {Setting: s}}}
	p := &model.Project{Files: []*source.File{f}, Servers: []*model.Server{srv}}
	ds := lint.Run(p, rules.All, lint.Options{Policy: lint.DefaultPolicy})
	var got []string
	for _, d := range ds {
		got = append(got, d.RuleID+" "+d.Span.Text())
	}
	if !strings.Contains(strings.Join(got, "\n"), "TV104 TLSv1") {
		t.Fatalf("no TV104 on the YAML bytes of TLSv1; findings:\n%s", strings.Join(got, "\n"))
	}
	plan := fix.NewPlan(ds)
	if len(plan.Changes) != 1 {
		t.Fatalf("want one changed file, got %d (skipped %v)", len(plan.Changes), plan.Skipped)
	}
	if got, want := string(plan.Changes[0].New), `command: ["mysqld", "--tls-version=TLSv1.2"]`+"\n"; got != want {
		t.Errorf("fixed YAML:\n%s\nwant:\n%s", got, want)
	}
}
