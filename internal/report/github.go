package report

import (
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/tlsvet/tlsvet/internal/lint"
)

// GitHub writes one GitHub Actions workflow command per finding, which the
// runner turns into an annotation on the pull request:
//
//	::warning file=conf/my.cnf,line=2,col=13,endLine=2,endColumn=25,title=TV101 tls-version-hole::tls_version has a hole: …
//
// Notes become ::notice. Columns count code points and endColumn is the
// column of the last character (it defaults to col, so a one-character
// span has endColumn = col). GitHub takes columns only when the annotation
// starts and ends on the same line, so a span over several lines gets
// line and endLine alone. The fix and related places follow the message
// on lines of their own. Notifications become ::warning commands. file= is
// relative to r.GitHubDir, the workspace the runner resolves it against.
//
// Escaping follows @actions/core: % CR LF in the message, and also : and ,
// in property values.
// https://github.com/actions/toolkit/blob/main/packages/core/src/command.ts
func GitHub(w io.Writer, r *Report) error {
	rs := newRuleSet(r.Rules)
	mask := r.secretMasker()
	path := func(p string) string { return RelPath(r.GitHubDir, r.Root, p) }
	for _, d := range r.Diagnostics {
		cmd := "warning"
		switch rs.severity(d) {
		case lint.Error:
			cmd = "error"
		case lint.Note:
			cmd = "notice"
		}
		var props []string
		if d.Span.IsValid() {
			start, end := displayRange(d.Span)
			props = append(props, "file="+escapeProperty(path(d.Span.File.Path)), "line="+strconv.Itoa(start.Line))
			if start.Line == end.Line {
				last := max(end.Col-1, start.Col)
				props = append(props, "col="+strconv.Itoa(start.Col), "endLine="+strconv.Itoa(end.Line), "endColumn="+strconv.Itoa(last))
			} else {
				props = append(props, "endLine="+strconv.Itoa(end.Line))
			}
		}
		props = append(props, "title="+escapeProperty(rs.title(d.RuleID)))
		msg := d.Message
		if d.Fix != nil && d.Fix.Message != "" {
			msg += "\nfix: " + d.Fix.Message
		}
		for _, rel := range d.Related {
			msg += "\nnote: " + rel.Message
			if rel.Span.IsValid() {
				pos, _ := displayRange(rel.Span)
				msg += fmt.Sprintf(" (at %s:%d:%d)", path(rel.Span.File.Path), pos.Line, pos.Col)
			}
		}
		if _, err := fmt.Fprintf(w, "::%s %s::%s\n", cmd, strings.Join(props, ","), escapeData(mask(msg))); err != nil {
			return err
		}
	}
	for _, n := range r.Notifications {
		props := "title=tlsvet"
		if n.Path != "" {
			props = "file=" + escapeProperty(path(n.Path)) + "," + props
		}
		cmd := "warning"
		if n.level() == "note" {
			cmd = "notice"
		}
		if _, err := fmt.Fprintf(w, "::%s %s::%s\n", cmd, props, escapeData(mask(n.Message))); err != nil {
			return err
		}
	}
	return nil
}

var (
	dataEscaper     = strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A")
	propertyEscaper = strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C")
)

// escapeData escapes a workflow command's message.
func escapeData(s string) string { return dataEscaper.Replace(s) }

// escapeProperty escapes a workflow command's property value.
func escapeProperty(s string) string { return propertyEscaper.Replace(s) }
