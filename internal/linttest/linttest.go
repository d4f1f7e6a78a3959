// Package linttest runs rule fixtures: txtar archives whose files carry
// their expectations in comments, in the spirit of go/analysis's
// analysistest.
//
// A comment "want ID…" expects findings of those rules on its own line when
// it trails a line, or on the next line that is not itself a want comment
// when it stands alone ("want +N" counts N lines down from the comment).
// Each ID may carry an exact column (TV101@13), the exact text the finding
// points at (TV101="TLSv1,TLSv1.2") and a regexp its message must match
// (TV101:"hole"). Matching is one to one: an unexpected finding and an
// unmet want both fail. "-- @fixed/<path> --" sections hold a file as it
// must read after --fix, run again while it skips fixes that overlap
// others; one more --fix must then change nothing. A ".tlsvet.toml" member
// configures the run (target, policy).
package linttest

import (
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/tlsvet/tlsvet/internal/config"
	"github.com/tlsvet/tlsvet/internal/facts"
	"github.com/tlsvet/tlsvet/internal/fix"
	"github.com/tlsvet/tlsvet/internal/lint"
	"github.com/tlsvet/tlsvet/internal/load"
	"github.com/tlsvet/tlsvet/internal/model"
	"github.com/tlsvet/tlsvet/internal/pkitest"
	"github.com/tlsvet/tlsvet/internal/source"
	"github.com/tlsvet/tlsvet/internal/txtar"
	"github.com/tlsvet/tlsvet/rules"
)

// want is one expected finding.
type want struct {
	file   string
	line   int
	id     string
	col    int
	text   *string
	re     *regexp.Regexp
	source string // where the want was written, for messages
	met    bool
}

// Result is what a fixture run produced, for extra assertions.
type Result struct {
	Diagnostics []lint.Diagnostic
	Files       []*source.File // every file read, sorted by path
}

// FixtureNow is the time fixtures are judged at unless the archive's
// comment has a line "now: YYYY-MM-DD": a fixed clock, so that no fixture
// starts failing because time passed.
var FixtureNow = time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)

// Archive reads a rule example or fixture (see Files) and makes the
// certificates, keys and CRLs its "!pki" directives describe (package
// pkitest) at the archive's clock.
func Archive(t testing.TB, data []byte) *txtar.Archive {
	t.Helper()
	a := Files(data)
	in := map[string][]byte{}
	for _, f := range a.Files {
		in[f.Name] = f.Data
	}
	out, err := pkitest.Expand(in, Now(t, a))
	if err != nil {
		t.Fatalf("fixture certificates: %v", err)
	}
	b := &txtar.Archive{Comment: a.Comment, Files: make([]txtar.File, len(a.Files))}
	for i, f := range a.Files {
		b.Files[i] = txtar.File{Name: f.Name, Data: out[f.Name]}
	}
	return b
}

// Now returns the clock an archive is judged at.
func Now(t testing.TB, a *txtar.Archive) time.Time {
	t.Helper()
	for _, line := range strings.Split(a.Comment, "\n") {
		if v, ok := strings.CutPrefix(line, "now: "); ok {
			now, err := time.Parse("2006-01-02", strings.TrimSpace(v))
			if err != nil {
				t.Fatalf("fixture clock: %v", err)
			}
			return now
		}
	}
	return FixtureNow
}

// Files reads a rule example or fixture: a txtar archive, or plain text
// that is a single my.cnf.
func Files(data []byte) *txtar.Archive {
	a := txtar.Parse(data)
	if len(a.Files) == 0 {
		a = &txtar.Archive{Files: []txtar.File{{Name: "my.cnf", Data: data}}}
	}
	return a
}

// run loads an archive and runs the rules over it, for targets in place
// of the configured ones when targets is not nil.
func run(t testing.TB, a *txtar.Archive, rs []*lint.Rule, targets []facts.Target) (*model.Project, []lint.Diagnostic, map[string][]byte) {
	t.Helper()
	fsys := fstest.MapFS{}
	fixed := map[string][]byte{}
	for _, f := range a.Files {
		if name, ok := strings.CutPrefix(f.Name, "@fixed/"); ok {
			fixed[name] = f.Data
			continue
		}
		fsys[f.Name] = &fstest.MapFile{Data: f.Data}
	}
	// The whole catalogue, not just rs, names the rules a fixture's
	// config and suppressions may mention.
	opt := lint.Options{Policy: lint.DefaultPolicy, Catalog: rules.All}
	lo := load.Options{FS: fsys, Paths: []string{"."}}
	if cf, ok := fsys[config.FileName]; ok {
		c, err := config.Parse(config.FileName, cf.Data, rules.All)
		if err != nil {
			t.Fatalf("fixture config: %v", err)
		}
		res, err := c.Resolve(rules.All)
		if err != nil {
			t.Fatalf("fixture config: %v", err)
		}
		lo.Targets, lo.TargetBy = res.Targets, config.FileName
		opt.Policy, opt.Severity = res.Policy, res.Severity
	}
	opt.Policy.Now = Now(t, a)
	if targets != nil {
		lo.Targets, lo.TargetBy = targets, "--target"
	}
	p, err := load.Load(lo)
	if err != nil {
		t.Fatalf("load: %v", err)
	}
	return p, lint.Run(p, rs, opt), fixed
}

// Check runs the rules over an example (see Files) and returns the
// findings without judging them.
func Check(t *testing.T, data []byte, rs []*lint.Rule) *Result {
	t.Helper()
	p, ds, _ := run(t, Archive(t, data), rs, nil)
	return &Result{Diagnostics: ds, Files: p.Files}
}

// RunArchive checks one txtar archive against the given rules.
func RunArchive(t *testing.T, data []byte, rs []*lint.Rule) *Result {
	t.Helper()
	a := Archive(t, data)
	p, ds, fixed := run(t, a, rs, nil)

	var wants []*want
	for _, c := range p.Comments {
		ws, err := parseWant(c)
		if err != nil {
			t.Errorf("%v", err)
		}
		wants = append(wants, ws...)
	}
	for _, d := range ds {
		pos := d.Span.StartPos()
		matched := false
		for _, w := range wants {
			if w.met || w.file != d.Span.File.Path || w.line != pos.Line || w.id != d.RuleID {
				continue
			}
			if w.col != 0 && w.col != pos.Col || w.text != nil && *w.text != d.Span.Text() ||
				w.re != nil && !w.re.MatchString(d.Message) {
				continue
			}
			w.met, matched = true, true
			break
		}
		if !matched {
			t.Errorf("%s:%d:%d: unexpected %s: %s (span %q)", d.Span.File.Path, pos.Line, pos.Col, d.RuleID, d.Message, d.Span.Text())
		}
	}
	for _, w := range wants {
		if !w.met {
			t.Errorf("%s: no %s finding on %s:%d matched (want col=%d text=%v re=%v)", w.source, w.id, w.file, w.line, w.col, deref(w.text), w.re)
		}
	}
	checkFixes(t, a, rs, p.Files, ds, fixed)
	return &Result{Diagnostics: ds, Files: p.Files}
}

func deref(s *string) string {
	if s == nil {
		return "-"
	}
	return strconv.Quote(*s)
}

// maxPasses bounds the --fix runs a fixture may need when fixes overlap.
const maxPasses = 5

// checkFixes runs --fix the way the CLI does, over and over while fixes
// are skipped for overlapping others, and compares the files with their
// @fixed sections. Once a run skips nothing, a further run must change
// nothing: the fixed files are loaded again and no finding may still offer
// a fix that changes a byte.
func checkFixes(t testing.TB, a *txtar.Archive, rs []*lint.Rule, files []*source.File, ds []lint.Diagnostic, fixed map[string][]byte) {
	t.Helper()
	changed := map[string][]byte{} // every changed file as the last run left it
	plan := fix.NewPlan(ds)
	for pass := 1; ; pass++ {
		overlapped := 0
		for _, s := range plan.Skipped {
			d := s.Diagnostic
			pos := d.Span.StartPos()
			if s.Conflict == nil {
				t.Errorf("%s:%d:%d: %s offers a broken fix: %s", d.Span.File.Path, pos.Line, pos.Col, d.RuleID, s.Reason)
				continue
			}
			overlapped++
			t.Logf("--fix run %d skipped the fix of %s at %s:%d:%d: %s", pass, d.RuleID, d.Span.File.Path, pos.Line, pos.Col, s.Reason)
		}
		if len(plan.Changes) == 0 {
			break
		}
		for _, c := range plan.Changes {
			changed[c.File.Path] = c.New
		}
		again := runWith(t, a, rs, nil, changed)
		next := fix.NewPlan(again)
		if overlapped == 0 {
			// Fixed lists the findings whose fixes change bytes; Skipped
			// holds the rest of them.
			for _, d := range next.Fixed {
				t.Errorf("a second --fix must change nothing, but %s", stillFixes(d))
			}
			for _, s := range next.Skipped {
				t.Errorf("a second --fix must change nothing, but %s", stillFixes(s.Diagnostic))
			}
			break
		}
		if pass == maxPasses {
			t.Errorf("%d --fix runs still skip overlapping fixes", pass)
			break
		}
		plan = next
	}

	names := make([]string, 0, len(fixed))
	for n := range fixed {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, name := range names {
		got, ok := changed[name]
		if !ok {
			i := slices.IndexFunc(files, func(f *source.File) bool { return f.Path == name })
			if i < 0 {
				t.Errorf("@fixed/%s: no such file was read", name)
				continue
			}
			got = files[i].Content
		}
		if string(got) != string(fixed[name]) {
			t.Errorf("@fixed/%s: after fixes got\n%s\nwant\n%s", name, got, fixed[name])
		}
	}
	var unexpected []string
	for name := range changed {
		if _, ok := fixed[name]; !ok {
			unexpected = append(unexpected, name)
		}
	}
	sort.Strings(unexpected)
	for _, name := range unexpected {
		t.Errorf("%s: findings offer fixes but the fixture has no @fixed/%s section", name, name)
	}
}

// runWith runs the rules over the archive with the changed files' new
// contents in place of the old.
func runWith(t testing.TB, a *txtar.Archive, rs []*lint.Rule, targets []facts.Target, changed map[string][]byte) []lint.Diagnostic {
	t.Helper()
	b := &txtar.Archive{Comment: a.Comment, Files: append([]txtar.File(nil), a.Files...)}
	for name, data := range changed {
		i := slices.IndexFunc(b.Files, func(f txtar.File) bool { return f.Name == name })
		if i < 0 {
			t.Fatalf("%s: a fix changed a file that is no archive member", name)
		}
		b.Files[i].Data = data
	}
	_, ds, _ := run(t, b, rs, targets)
	return ds
}

// FixRun is what applying every fix to a fixture did.
type FixRun struct {
	Before  []lint.Diagnostic // the findings of the first run
	After   []lint.Diagnostic // the findings once no fix changes a byte
	Applied []lint.Diagnostic // the findings whose fixes were written
	Passes  [][]fix.Change    // each pass's changes, on the files as the pass before left them
	Files   map[string][]byte // the files the fixes changed, as they end
}

// RunFixes runs the rules over an archive (its @fixed sections are
// ignored) for targets in place of the configured ones, writes every fix
// pass after pass the way --fix does until a pass changes nothing (at most
// maxPasses), and runs the rules over the result.
func RunFixes(t testing.TB, data []byte, rs []*lint.Rule, targets []facts.Target) FixRun {
	t.Helper()
	a := Archive(t, data)
	_, ds, _ := run(t, a, rs, targets)
	r := FixRun{Before: ds, After: ds, Files: map[string][]byte{}}
	for pass := 0; pass < maxPasses; pass++ {
		plan := fix.NewPlan(r.After)
		if len(plan.Changes) == 0 {
			break
		}
		r.Applied = append(r.Applied, plan.Fixed...)
		r.Passes = append(r.Passes, plan.Changes)
		for _, c := range plan.Changes {
			r.Files[c.File.Path] = c.New
		}
		r.After = runWith(t, a, rs, targets, r.Files)
	}
	return r
}

func stillFixes(d lint.Diagnostic) string {
	pos := d.Span.StartPos()
	return fmt.Sprintf("%s:%d:%d: %s still offers to %s: %s\n%s", d.Span.File.Path, pos.Line, pos.Col, d.RuleID, d.Fix.Message, d.Message, d.Span.File.Content)
}

var wantItem = regexp.MustCompile(`^(TV\d{3})(?:@(\d+))?(?:=("(?:[^"\\]|\\.)*"))?(?::("(?:[^"\\]|\\.)*"|` + "`[^`]*`" + `))?$`)

// parseWant reads the want expectations of one comment.
func parseWant(c source.Span) ([]*want, error) {
	text := strings.TrimLeft(c.Text(), "#; \t")
	rest, ok := strings.CutPrefix(text, "want ")
	if !ok {
		return nil, nil
	}
	pos := c.File.Position(c.Start)
	where := fmt.Sprintf("%s:%d", c.File.Path, pos.Line)
	standalone := strings.TrimSpace(c.File.Line(pos.Line)[:pos.Col-1]) == ""
	line := pos.Line
	fields := splitFields(rest)
	if len(fields) > 0 && strings.HasPrefix(fields[0], "+") {
		n, err := strconv.Atoi(fields[0][1:])
		if err != nil {
			return nil, fmt.Errorf("%s: bad want offset %q", where, fields[0])
		}
		line += n
		fields = fields[1:]
	} else if standalone {
		line++
		for strings.HasPrefix(strings.TrimSpace(c.File.Line(line)), "# want ") {
			line++
		}
	}
	var out []*want
	for _, f := range fields {
		m := wantItem.FindStringSubmatch(f)
		if m == nil {
			return nil, fmt.Errorf("%s: cannot read want item %q", where, f)
		}
		w := &want{file: c.File.Path, line: line, id: m[1], source: where}
		if m[2] != "" {
			w.col, _ = strconv.Atoi(m[2])
		}
		if m[3] != "" {
			s, err := strconv.Unquote(m[3])
			if err != nil {
				return nil, fmt.Errorf("%s: %v", where, err)
			}
			w.text = &s
		}
		if m[4] != "" {
			s, err := strconv.Unquote(m[4])
			if err != nil {
				return nil, fmt.Errorf("%s: %v", where, err)
			}
			if w.re, err = regexp.Compile(s); err != nil {
				return nil, fmt.Errorf("%s: %v", where, err)
			}
		}
		out = append(out, w)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("%s: want names no rule", where)
	}
	return out, nil
}

// splitFields splits on spaces outside quotes.
func splitFields(s string) []string {
	var out []string
	var cur strings.Builder
	var quote rune
	for _, r := range s {
		switch {
		case quote != 0:
			if r == quote {
				quote = 0
			}
			cur.WriteRune(r)
		case r == '"' || r == '`':
			quote = r
			cur.WriteRune(r)
		case r == ' ' || r == '\t' || r == '\r' || r == '\n':
			if cur.Len() > 0 {
				out = append(out, cur.String())
				cur.Reset()
			}
		default:
			cur.WriteRune(r)
		}
	}
	if cur.Len() > 0 {
		out = append(out, cur.String())
	}
	return out
}
