// Package fix applies the exact edits of findings to file contents.
package fix

import (
	"fmt"
	"sort"

	"github.com/tlsvet/tlsvet/internal/source"
)

// Apply returns content with the edits applied. Edits must not overlap;
// overlapping edits are an error so that the caller can skip the fix.
func Apply(content []byte, edits []source.Edit) ([]byte, error) {
	es := append([]source.Edit(nil), edits...)
	sort.SliceStable(es, func(i, j int) bool { return es[i].Span.Start < es[j].Span.Start })
	var out []byte
	last := 0
	for _, e := range es {
		if e.Span.Start < last || e.Span.End > len(content) || e.Span.Start > e.Span.End {
			return nil, fmt.Errorf("edit %d-%d overlaps another or lies outside the file", e.Span.Start, e.Span.End)
		}
		out = append(out, content[last:e.Span.Start]...)
		out = append(out, e.New...)
		last = e.Span.End
	}
	return append(out, content[last:]...), nil
}

// Overlaps reports whether two edit sets touch the same bytes of the same
// file (insertions at the same offset count as overlapping).
func Overlaps(a, b []source.Edit) bool {
	for _, x := range a {
		for _, y := range b {
			if x.Span.File.Path != y.Span.File.Path {
				continue
			}
			if x.Span.Start < y.Span.End && y.Span.Start < x.Span.End || x.Span.Start == y.Span.Start {
				return true
			}
		}
	}
	return false
}
