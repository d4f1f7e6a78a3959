package lint

import (
	"bytes"
	"fmt"
	"strings"

	"github.com/tlsvet/tlsvet/internal/model"
	"github.com/tlsvet/tlsvet/internal/source"
)

// directive is one "tlsvet:ignore ID[,ID] -- reason" comment.
type directive struct {
	span   source.Span
	ids    []string
	reason string
	lines  [2]int // the comment's own line, and the next line for a whole-line comment
	used   map[string]bool
}

const ignoreMarker = "tlsvet:ignore"

// MayHoldDirective reports whether a comment's text may hold a
// suppression directive, so that loaders can keep only those comments.
func MayHoldDirective(text []byte) bool { return bytes.Contains(text, []byte(ignoreMarker)) }

// parseDirectives finds suppression comments. A whole-line comment covers
// the line below it; a trailing comment covers its own line.
func parseDirectives(comments []source.Span) []*directive {
	var ds []*directive
	for _, c := range comments {
		text := c.Text()
		i := strings.Index(text, ignoreMarker)
		if i < 0 {
			continue
		}
		rest := text[i+len(ignoreMarker):]
		if rest != "" && rest[0] != ' ' && rest[0] != '\t' {
			continue
		}
		d := &directive{span: c.Sub(i, len(text)), used: map[string]bool{}}
		spec, reason, _ := strings.Cut(rest, "--")
		d.reason = strings.TrimSpace(reason)
		for _, f := range strings.FieldsFunc(spec, func(r rune) bool { return r == ',' || r == ' ' || r == '\t' }) {
			d.ids = append(d.ids, f)
		}
		pos := c.File.Position(c.Start)
		d.lines = [2]int{pos.Line, pos.Line}
		if strings.TrimSpace(c.File.Line(pos.Line)[:pos.Col-1]) == "" {
			d.lines[1] = pos.Line + 1
		}
		ds = append(ds, d)
	}
	return ds
}

// suppress drops findings covered by a directive and reports directives
// that lack a reason, name no known rule or match nothing (TV000).
func suppress(p *model.Project, ds []Diagnostic, enabled map[string]*Rule, catalog []*Rule) []Diagnostic {
	dirs := parseDirectives(p.Comments)
	if len(dirs) == 0 {
		return ds
	}
	byPlace := map[string][]*directive{}
	key := func(path string, line int) string { return fmt.Sprintf("%s:%d", path, line) }
	for _, d := range dirs {
		byPlace[key(d.span.File.Path, d.lines[0])] = append(byPlace[key(d.span.File.Path, d.lines[0])], d)
		if d.lines[1] != d.lines[0] {
			byPlace[key(d.span.File.Path, d.lines[1])] = append(byPlace[key(d.span.File.Path, d.lines[1])], d)
		}
	}
	out := ds[:0]
	for _, diag := range ds {
		suppressed := false
		if diag.Span.File != nil {
			line := diag.Span.StartPos().Line
			for _, d := range byPlace[key(diag.Span.File.Path, line)] {
				for _, id := range d.ids {
					if r := Lookup(catalog, id); r != nil && r.ID == diag.RuleID {
						d.used[r.ID] = true
						suppressed = true
					}
				}
			}
		}
		if !suppressed {
			out = append(out, diag)
		}
	}
	if _, on := enabled[UnusedSuppression.ID]; !on {
		return out
	}
	note := func(d *directive, format string, args ...any) {
		out = append(out, Diagnostic{RuleID: UnusedSuppression.ID, Severity: UnusedSuppression.Severity,
			Span: d.span, Message: fmt.Sprintf(format, args...)})
	}
	for _, d := range dirs {
		if len(d.ids) == 0 {
			note(d, "tlsvet:ignore names no rule: write `tlsvet:ignore TV103 -- reason`")
			continue
		}
		if d.reason == "" {
			note(d, "tlsvet:ignore %s has no reason: add `-- why this is safe`", strings.Join(d.ids, ","))
		}
		for _, id := range d.ids {
			r := Lookup(catalog, id)
			switch {
			case r == nil:
				note(d, "tlsvet:ignore names %s, which is not a tlsvet rule", id)
			case enabled[r.ID] == nil:
				// The rule did not run, so the directive cannot be judged.
			case !d.used[r.ID]:
				note(d, "tlsvet:ignore %s matches no %s finding on this line or the next", id, r.ID)
			}
		}
	}
	return out
}
