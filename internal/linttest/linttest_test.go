package linttest

import (
	"fmt"
	"regexp"
	"runtime"
	"strings"
	"testing"

	"github.com/tlsvet/tlsvet/internal/lint"
	"github.com/tlsvet/tlsvet/internal/source"
	"github.com/tlsvet/tlsvet/internal/txtar"
)

// recorder collects what a fixture check reports instead of failing.
type recorder struct {
	testing.TB
	errs, logs []string
}

func (r *recorder) Helper() {}
func (r *recorder) Errorf(format string, args ...any) {
	r.errs = append(r.errs, fmt.Sprintf(format, args...))
}
func (r *recorder) Logf(format string, args ...any) {
	r.logs = append(r.logs, fmt.Sprintf(format, args...))
}
func (r *recorder) Fatalf(format string, args ...any) {
	r.Errorf(format, args...)
	runtime.Goexit()
}

// replaceRule fixes every match of re by replacing it with repl(match).
func replaceRule(id, re string, repl func(string) string) *lint.Rule {
	rx := regexp.MustCompile(re)
	return &lint.Rule{ID: id, Name: "test-" + strings.ToLower(id), Severity: lint.Warning, Run: func(p *lint.Pass) {
		for _, f := range p.Project.Files {
			for _, m := range rx.FindAllIndex(f.Content, -1) {
				s := f.Span(m[0], m[1])
				p.Report(lint.Diagnostic{Span: s, Message: "matches " + re,
					Fix: &lint.Fix{Message: "replace it", Edits: []source.Edit{{Span: s, New: repl(s.Text())}}}})
			}
		}
	}}
}

// checkArchive runs only the fix checks of a fixture.
func checkArchive(t *testing.T, archive string, rs ...*lint.Rule) *recorder {
	r := &recorder{TB: t}
	done := make(chan struct{})
	go func() {
		defer close(done)
		a := txtar.Parse([]byte(archive))
		p, ds, fixed := run(r, a, rs, nil)
		checkFixes(r, a, rs, p.Files, ds, fixed)
	}()
	<-done
	return r
}

func TestCheckFixes(t *testing.T) {
	upperAB := replaceRule("TV997", "ab", strings.ToUpper)
	upperBC := replaceRule("TV998", "(?i)bc", strings.ToUpper)
	grow := replaceRule("TV997", "tls1", func(s string) string { return s + "2" })
	toggle := replaceRule("TV997", "(?i)a", func(s string) string {
		if s == "a" {
			return "A"
		}
		return "a"
	})
	toB := replaceRule("TV998", "(?i)a", func(string) string { return "b" })
	broken := &lint.Rule{ID: "TV997", Name: "test-broken", Severity: lint.Warning, Run: func(p *lint.Pass) {
		f := p.Project.Files[0]
		p.Report(lint.Diagnostic{Span: f.Span(0, 1), Message: "broken",
			Fix: &lint.Fix{Message: "cut", Edits: []source.Edit{{Span: f.Span(0, len(f.Content)+1)}}}})
	}}
	for _, tc := range []struct {
		name    string
		archive string
		rules   []*lint.Rule
		errs    []string // each must start one reported error, in order
		log     string
	}{
		{"overlapping fixes converge in a second run",
			"-- my.cnf --\n[mysqld]\nabc=1\n-- @fixed/my.cnf --\n[mysqld]\nABC=1\n",
			[]*lint.Rule{upperAB, upperBC}, nil,
			"--fix run 1 skipped the fix of TV998 at my.cnf:2:2: overlaps the fix of TV997 at my.cnf:2:1"},
		{"files fixed in the first run stay fixed",
			"-- my.cnf --\n[mysqld]\nabc=1\n-- other.cnf --\n[client]\nab=1\n" +
				"-- @fixed/my.cnf --\n[mysqld]\nABC=1\n-- @fixed/other.cnf --\n[client]\nAB=1\n",
			[]*lint.Rule{upperAB, upperBC}, nil, ""},
		{"the first run's result is not enough",
			"-- my.cnf --\n[mysqld]\nabc=1\n-- @fixed/my.cnf --\n[mysqld]\nABc=1\n",
			[]*lint.Rule{upperAB, upperBC}, []string{"@fixed/my.cnf: after fixes got\n[mysqld]\nABC=1\n"}, ""},
		{"a fix that fires again",
			"-- my.cnf --\n[mysqld]\ntls1=on\n-- @fixed/my.cnf --\n[mysqld]\ntls12=on\n",
			[]*lint.Rule{grow}, []string{"a second --fix must change nothing, but my.cnf:2:1: TV997 still offers to replace it"}, ""},
		{"fixes that never settle",
			"-- my.cnf --\na\n-- @fixed/my.cnf --\na\n",
			[]*lint.Rule{toggle, toB}, []string{"5 --fix runs still skip overlapping fixes", "@fixed/my.cnf: after fixes got"}, ""},
		{"a fix outside its file",
			"-- my.cnf --\n[mysqld]\n",
			[]*lint.Rule{broken}, []string{"my.cnf:1:1: TV997 offers a broken fix: edit 0-10 lies outside my.cnf (9 bytes)"}, ""},
		{"a fix without @fixed",
			"-- my.cnf --\n[mysqld]\nab=1\n-- other.cnf --\n[client]\n-- @fixed/other.cnf --\n[client]\n",
			[]*lint.Rule{upperAB}, []string{"my.cnf: findings offer fixes but the fixture has no @fixed/my.cnf section"}, ""},
		{"a @fixed file that was not read",
			"-- my.cnf --\n[mysqld]\n-- @fixed/gone.cnf --\n",
			[]*lint.Rule{upperAB}, []string{"@fixed/gone.cnf: no such file was read"}, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := checkArchive(t, tc.archive, tc.rules...)
			if len(r.errs) != len(tc.errs) {
				t.Fatalf("errors:\n%s\nwant %d starting %q", strings.Join(r.errs, "\n"), len(tc.errs), tc.errs)
			}
			for i, e := range tc.errs {
				if !strings.HasPrefix(r.errs[i], e) {
					t.Errorf("error %q, want it to start %q", r.errs[i], e)
				}
			}
			if tc.log != "" && (len(r.logs) != 1 || r.logs[0] != tc.log) {
				t.Errorf("logs %q, want %q", r.logs, tc.log)
			}
		})
	}
}
