package cli

import (
	"bytes"
	"fmt"
	"path"
	"sort"

	"github.com/tlsvet/tlsvet/internal/fix"
	"github.com/tlsvet/tlsvet/internal/lint"
	"github.com/tlsvet/tlsvet/internal/model"
	"github.com/tlsvet/tlsvet/internal/report"
	"github.com/tlsvet/tlsvet/internal/rootfs"
	"github.com/tlsvet/tlsvet/internal/source"
)

// maxFixPasses bounds the fix loop: each pass applies the fixes that do
// not overlap, and the next sees the content they produced, where a fix
// skipped for overlapping is either gone or found again at its new place.
const maxFixPasses = 5

// fixed is what the fix loop produced: the root as the fixes left it,
// checked again.
type fixed struct {
	proj    *model.Project
	ds      []lint.Diagnostic // findings of the fixed content, narrowed for the report
	changes []fix.Change      // per file: original content and edits from it to the final content
	applied int               // fixes applied over all passes
	skipped []fix.Skip        // fixes a pass left out, in pass order
}

// fixAll applies every exact fix in memory, pass after pass, and returns
// the final contents; nothing is written. Only the findings the run would
// report are fixed (focus, baseline, new-from-rev), and only in files
// inside the root: files read through --allow-outside-root are never
// written.
//
// proj and ds are the check of base as reported: the first pass.
// suggestions adds the fixes marked Suggestion, for --diff to show.
func (s *session) fixAll(base *rootfs.FS, proj *model.Project, ds []lint.Diagnostic, suggestions bool) (*fixed, error) {
	ov := &overlay{base: base, files: map[string][]byte{}}
	orig := map[string]*source.File{}
	passes := map[string]int{}      // how many passes changed each file
	last := map[string]fix.Change{} // the last pass's change of each file
	r := &fixed{proj: proj, ds: ds}
	for pass := 0; ; pass++ {
		if pass > 0 {
			proj, all, err := s.analyze(ov)
			if err != nil {
				return nil, err
			}
			r.proj = proj
			r.ds = s.report(all)
		}
		var fixable []lint.Diagnostic
		for _, d := range r.ds {
			if d.Fix != nil && (suggestions || !d.Fix.Suggestion) && insideRoot(d.Fix) {
				if d.Fix.Suggestion {
					f := *d.Fix // --diff shows a suggestion as a change
					f.Suggestion = false
					d.Fix = &f
				}
				fixable = append(fixable, d)
			}
		}
		plan := fix.NewPlan(fixable)
		r.skipped = append(r.skipped, plan.Skipped...)
		if len(plan.Changes) == 0 || pass == maxFixPasses {
			break
		}
		r.applied += len(plan.Fixed)
		for _, c := range plan.Changes {
			if orig[c.File.Path] == nil {
				orig[c.File.Path] = c.File
			}
			passes[c.File.Path]++
			last[c.File.Path] = c
			ov.files[c.File.Path] = c.New
		}
	}
	for p, f := range orig {
		c := last[p] // one pass changed the file: its edits are on the original
		if passes[p] > 1 {
			// Several passes: one edit over the lines that differ.
			c = fix.Change{File: f, Edits: []source.Edit{lineEdit(f, ov.files[p])}, New: ov.files[p]}
		}
		r.changes = append(r.changes, c)
	}
	sort.Slice(r.changes, func(i, j int) bool { return r.changes[i].File.Path < r.changes[j].File.Path })
	return r, nil
}

// insideRoot reports whether every edit of a fix is in a root-relative file.
func insideRoot(f *lint.Fix) bool {
	for _, e := range f.Edits {
		if !e.Span.IsValid() || path.IsAbs(e.Span.File.Path) || len(e.Span.File.Path) > 1 && e.Span.File.Path[1] == ':' {
			return false
		}
	}
	return true
}

// lineEdit is the single edit that turns f's content into new, spanning
// whole lines from the first line that differs to the last.
func lineEdit(f *source.File, new []byte) source.Edit {
	old := f.Content
	pre := 0
	for pre < len(old) && pre < len(new) && old[pre] == new[pre] {
		pre++
	}
	pre = bytes.LastIndexByte(old[:pre], '\n') + 1
	suf := 0
	for suf < len(old)-pre && suf < len(new)-pre && old[len(old)-1-suf] == new[len(new)-1-suf] {
		suf++
	}
	// Keep whole lines at the end too: move the cut to just after a LF.
	for suf > 0 && len(old)-suf > 0 && old[len(old)-suf-1] != '\n' {
		suf--
	}
	return source.Edit{Span: f.Span(pre, len(old)-suf), New: string(new[pre : len(new)-suf])}
}

// summary is what --fix and --diff print on stderr; show names a file
// (relative to the working directory).
func (r *fixed) summary(verb string, show func(string) string) string {
	files := len(r.changes)
	msg := "tlsvet: nothing to fix"
	if r.applied > 0 {
		msg = fmt.Sprintf("tlsvet: %s %d %s in %d %s", verb, r.applied, plural(r.applied, "fix", "fixes"), files, plural(files, "file", "files"))
	}
	for _, sk := range r.skipped {
		pos := sk.Diagnostic.Span.StartPos()
		msg += fmt.Sprintf("\ntlsvet: skipped the fix of %s at %s:%d:%d: %s", sk.Diagnostic.RuleID, report.Escape(show(sk.Diagnostic.Span.File.Path)), pos.Line, pos.Col, report.Escape(sk.Reason))
	}
	return msg
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
