// Package fix plans and applies the exact edits of findings: which fixes
// can be written together, the new file contents, and a unified diff of
// them for --diff.
package fix

import (
	"bytes"
	"fmt"
	"sort"

	"github.com/tlsvet/tlsvet/internal/lint"
	"github.com/tlsvet/tlsvet/internal/source"
)

// Plan is the set of fixes that can be written in one pass.
type Plan struct {
	// Changes holds one entry per file whose bytes change, in path order.
	Changes []Change
	// Fixed lists the findings whose fixes were accepted, in input order.
	Fixed []lint.Diagnostic
	// Skipped lists the fixes left out. A later pass over the fixed files
	// may offer them again on the new content.
	Skipped []Skip
}

// Change is the new content of one file.
type Change struct {
	File  *source.File
	Edits []source.Edit // sorted by offset; no two overlap
	New   []byte
}

// Skip is a fix that was left out of a Plan.
type Skip struct {
	Diagnostic lint.Diagnostic
	// Conflict is the finding whose accepted fix this one overlaps; another
	// --fix run may then apply it. Nil means the fix itself is broken (an
	// edit outside its file, edits overlapping each other) and never applies.
	Conflict *lint.Diagnostic
	Reason   string // "overlaps the fix of TV101 at my.cnf:3:13", "edit 7-3 lies outside my.cnf (20 bytes)"
}

// NewPlan walks the findings in the given order (lint.Run's sorted order)
// and accepts each fix whose edits lie inside their files and overlap no
// edit accepted before; the others are skipped with the reason. An edit
// identical to an accepted one is shared rather than counted as a
// conflict, and edits that would not change a byte are dropped, so a fix
// that changes nothing is neither fixed nor skipped. A suggestion is left
// out: --diff turns the ones it shows into plain fixes first.
func NewPlan(ds []lint.Diagnostic) *Plan {
	p := &Plan{}
	type owned struct {
		edit source.Edit
		by   *lint.Diagnostic
	}
	accepted := map[string][]owned{}
	files := map[string]*source.File{}
next:
	for i := range ds {
		d := &ds[i]
		if d.Fix == nil || d.Fix.Suggestion {
			continue // a suggestion is shown, never applied (lint.Fix.Suggestion)
		}
		var edits []source.Edit
		for _, e := range d.Fix.Edits {
			if err := check(e); err != nil {
				p.Skipped = append(p.Skipped, Skip{Diagnostic: *d, Reason: err.Error()})
				continue next
			}
			if f := files[e.Span.File.Path]; f != nil && f != e.Span.File {
				p.Skipped = append(p.Skipped, Skip{Diagnostic: *d, Reason: "edits another copy of " + f.Path})
				continue next
			}
			if e.Span.Text() != e.New {
				edits = append(edits, e)
			}
		}
		if len(edits) == 0 {
			continue
		}
		if err := conflicts(edits); err != nil {
			p.Skipped = append(p.Skipped, Skip{Diagnostic: *d, Reason: err.Error()})
			continue
		}
		var fresh []source.Edit
		for _, e := range edits {
			dup := false
			for _, a := range accepted[e.Span.File.Path] {
				if a.edit == e {
					dup = true
					break
				}
				if overlap(a.edit, e) {
					pos := a.by.Span.StartPos()
					p.Skipped = append(p.Skipped, Skip{Diagnostic: *d, Conflict: a.by, Reason: fmt.Sprintf(
						"overlaps the fix of %s at %s:%d:%d", a.by.RuleID, a.by.Span.File.Path, pos.Line, pos.Col)})
					continue next
				}
			}
			if !dup {
				fresh = append(fresh, e)
			}
		}
		by := *d // Skip.Conflict must not alias the caller's slice
		for _, e := range fresh {
			accepted[e.Span.File.Path] = append(accepted[e.Span.File.Path], owned{e, &by})
			files[e.Span.File.Path] = e.Span.File
		}
		p.Fixed = append(p.Fixed, *d)
	}
	for path, owns := range accepted {
		c := Change{File: files[path]}
		for _, o := range owns {
			c.Edits = append(c.Edits, o.edit)
		}
		sortEdits(c.Edits)
		c.New = apply(c.File.Content, c.Edits)
		if !bytes.Equal(c.New, c.File.Content) {
			p.Changes = append(p.Changes, c)
		}
	}
	sort.Slice(p.Changes, func(i, j int) bool { return p.Changes[i].File.Path < p.Changes[j].File.Path })
	return p
}

// Apply returns content with the edits applied. Edits must lie inside
// content and must not overlap; otherwise Apply returns an error so that
// the caller can skip the fix.
func Apply(content []byte, edits []source.Edit) ([]byte, error) {
	es := append([]source.Edit(nil), edits...)
	for _, e := range es {
		if e.Span.Start < 0 || e.Span.Start > e.Span.End || e.Span.End > len(content) {
			return nil, fmt.Errorf("edit %d-%d lies outside the content", e.Span.Start, e.Span.End)
		}
	}
	if err := conflicts(es); err != nil {
		return nil, err
	}
	sortEdits(es)
	return apply(content, es), nil
}

// Overlaps reports whether two edit sets touch the same bytes of the same
// file (insertions at the same offset count as overlapping).
func Overlaps(a, b []source.Edit) bool {
	for _, x := range a {
		for _, y := range b {
			if x.Span.File.Path == y.Span.File.Path && overlap(x, y) {
				return true
			}
		}
	}
	return false
}

// overlap reports whether two edits of one file touch the same bytes or
// start at the same offset, where their order would be ambiguous (an
// insertion before or after the other edit). Edits that only meet, one
// ending where the other starts, do not overlap.
func overlap(x, y source.Edit) bool {
	return x.Span.Start < y.Span.End && y.Span.Start < x.Span.End || x.Span.Start == y.Span.Start
}

// conflicts reports whether edits of one fix overlap each other.
func conflicts(es []source.Edit) error {
	for i, x := range es {
		for _, y := range es[i+1:] {
			if (x.Span.File == nil || y.Span.File == nil || x.Span.File.Path == y.Span.File.Path) && overlap(x, y) {
				return fmt.Errorf("its edits %d-%d and %d-%d overlap", x.Span.Start, x.Span.End, y.Span.Start, y.Span.End)
			}
		}
	}
	return nil
}

// check reports an edit whose span does not lie inside its file.
func check(e source.Edit) error {
	s := e.Span
	if s.File == nil {
		return fmt.Errorf("edit %d-%d names no file", s.Start, s.End)
	}
	if s.Start < 0 || s.Start > s.End || s.End > len(s.File.Content) {
		return fmt.Errorf("edit %d-%d lies outside %s (%d bytes)", s.Start, s.End, s.File.Path, len(s.File.Content))
	}
	return nil
}

func sortEdits(es []source.Edit) {
	sort.Slice(es, func(i, j int) bool { return es[i].Span.Start < es[j].Span.Start })
}

// apply applies sorted, non-overlapping edits that lie inside content.
func apply(content []byte, es []source.Edit) []byte {
	out := make([]byte, 0, len(content))
	last := 0
	for _, e := range es {
		out = append(out, content[last:e.Span.Start]...)
		out = append(out, e.New...)
		last = e.Span.End
	}
	return append(out, content[last:]...)
}
