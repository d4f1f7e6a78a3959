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
// must read after every fix is applied. A ".tlsvet.toml" member configures
// the run (target, policy).
package linttest

import (
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/tlsvet/tlsvet/internal/config"
	"github.com/tlsvet/tlsvet/internal/fix"
	"github.com/tlsvet/tlsvet/internal/load"
	"github.com/tlsvet/tlsvet/internal/model"
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
	Diagnostics []rules.Diagnostic
	Files       []*source.File // every file read, sorted by path
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

// run loads an archive and runs the rules over it.
func run(t *testing.T, a *txtar.Archive, rs []*rules.Rule) (*model.Project, []rules.Diagnostic, map[string][]byte) {
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
	opt := rules.Options{Policy: rules.DefaultPolicy}
	lo := load.Options{FS: fsys, Paths: []string{"."}}
	if cf, ok := fsys[config.FileName]; ok {
		c, err := config.Parse(config.FileName, cf.Data)
		if err != nil {
			t.Fatalf("fixture config: %v", err)
		}
		res, err := c.Resolve()
		if err != nil {
			t.Fatalf("fixture config: %v", err)
		}
		lo.Targets, lo.TargetBy = res.Targets, config.FileName
		opt.Policy, opt.Severity = res.Policy, res.Severity
	}
	p, err := load.Load(lo)
	if err != nil {
		t.Fatalf("load: %v", err)
	}
	return p, rules.Run(p, rs, opt), fixed
}

// Check runs the rules over an example (see Files) and returns the
// findings without judging them.
func Check(t *testing.T, data []byte, rs []*rules.Rule) *Result {
	t.Helper()
	p, ds, _ := run(t, Files(data), rs)
	return &Result{Diagnostics: ds, Files: p.Files}
}

// RunArchive checks one txtar archive against the given rules.
func RunArchive(t *testing.T, data []byte, rs []*rules.Rule) *Result {
	t.Helper()
	p, ds, fixed := run(t, txtar.Parse(data), rs)

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
	checkFixes(t, p.Files, ds, fixed)
	return &Result{Diagnostics: ds, Files: p.Files}
}

func deref(s *string) string {
	if s == nil {
		return "-"
	}
	return strconv.Quote(*s)
}

// checkFixes applies every fix and compares the files with @fixed sections.
func checkFixes(t *testing.T, files []*source.File, ds []rules.Diagnostic, fixed map[string][]byte) {
	t.Helper()
	edits := map[string][]source.Edit{}
	for _, d := range ds {
		if d.Fix != nil {
			for _, e := range d.Fix.Edits {
				edits[e.Span.File.Path] = append(edits[e.Span.File.Path], e)
			}
		}
	}
	byPath := map[string]*source.File{}
	for _, f := range files {
		byPath[f.Path] = f
	}
	names := make([]string, 0, len(fixed))
	for n := range fixed {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, name := range names {
		f := byPath[name]
		if f == nil {
			t.Errorf("@fixed/%s: no such file was read", name)
			continue
		}
		got, err := fix.Apply(f.Content, edits[name])
		if err != nil {
			t.Errorf("@fixed/%s: %v", name, err)
			continue
		}
		if string(got) != string(fixed[name]) {
			t.Errorf("@fixed/%s: after fixes got\n%s\nwant\n%s", name, got, fixed[name])
		}
	}
	for name, es := range edits {
		if _, ok := fixed[name]; !ok && len(es) > 0 {
			t.Errorf("%s: findings offer fixes but the fixture has no @fixed/%s section", name, name)
		}
	}
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
