package report

import (
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode"

	"github.com/tlsvet/tlsvet/internal/source"
	"github.com/tlsvet/tlsvet/rules"
)

// tabStop is the width tabs in a source line are expanded to, as gcc does
// by default, so that the marks line up under the snippet.
const tabStop = 8

// ANSI colours, used only when the caller asks (it decides from NO_COLOR
// and whether the output is a terminal).
const (
	ansiReset  = "\x1b[0m"
	ansiBold   = "\x1b[1m"
	ansiRed    = "\x1b[1;31m"
	ansiYellow = "\x1b[1;33m"
	ansiCyan   = "\x1b[1;36m"
	ansiGreen  = "\x1b[1;32m"
	ansiBlue   = "\x1b[34m"
	ansiGray   = "\x1b[90m"
)

// Text writes one block per finding, in the style of compilers and
// actionlint:
//
//	conf/my.cnf:2:13: warning: tls_version has a hole: … [TV101 tls-version-hole]
//	  2 | tls_version=TLSv1,TLSv1.2
//	    |             ^~~~~~~~~~~~~
//	  = fix: remove TLSv1
//	  = note: first set here (at conf/base.cnf:4:1)
//
// Columns count code points. The caret marks the span's first character
// and tildes the rest of it on that line; a span running over several lines
// is marked to the end of its first line, an empty span gets a lone caret.
// Tabs are expanded to multiples of 8 columns and wide East Asian
// characters take two columns, so the marks line up in a terminal.
// Notifications follow the findings as "path: warning: message" lines.
func Text(w io.Writer, r *Report, color bool) error {
	rs := newRuleSet(r.Rules)
	p := painter(color)
	for _, d := range r.Diagnostics {
		var b strings.Builder
		sev := rs.severity(d)
		if d.Span.IsValid() {
			start := d.Span.StartPos()
			b.WriteString(p(ansiBold, fmt.Sprintf("%s:%d:%d:", r.path(d.Span.File.Path), start.Line, start.Col)))
			b.WriteByte(' ')
			writeHeadline(&b, p, sev, d, rs)
			writeSnippet(&b, p, d.Span, start)
		} else {
			writeHeadline(&b, p, sev, d, rs)
		}
		if d.Fix != nil {
			msg := d.Fix.Message
			if msg == "" {
				msg = "an exact edit is available"
			}
			fmt.Fprintf(&b, "  %s %s\n", p(ansiGreen, "= fix:"), oneLine(msg))
		}
		for _, rel := range d.Related {
			fmt.Fprintf(&b, "  %s %s", p(ansiCyan, "= note:"), oneLine(rel.Message))
			if rel.Span.IsValid() {
				pos, _ := displayRange(rel.Span)
				fmt.Fprintf(&b, " (at %s:%d:%d)", r.path(rel.Span.File.Path), pos.Line, pos.Col)
			}
			b.WriteByte('\n')
		}
		if _, err := io.WriteString(w, b.String()); err != nil {
			return err
		}
	}
	for _, n := range r.Notifications {
		var b strings.Builder
		if n.Path != "" {
			b.WriteString(p(ansiBold, r.path(n.Path)+":") + " ")
		}
		b.WriteString(p(ansiYellow, "warning:") + " " + oneLine(n.Message) + "\n")
		if _, err := io.WriteString(w, b.String()); err != nil {
			return err
		}
	}
	return nil
}

func writeHeadline(b *strings.Builder, p func(code, s string) string, sev rules.Severity, d rules.Diagnostic, rs *ruleSet) {
	code := ansiCyan
	switch sev {
	case rules.Error:
		code = ansiRed
	case rules.Warning:
		code = ansiYellow
	}
	fmt.Fprintf(b, "%s %s %s\n", p(code, sev.String()+":"), oneLine(d.Message), p(ansiGray, "["+rs.title(d.RuleID)+"]"))
}

// writeSnippet writes the span's first line with a gutter and the marker
// line under it.
func writeSnippet(b *strings.Builder, p func(code, s string) string, s source.Span, start source.Position) {
	f := s.File
	text := f.Line(start.Line)
	lineStart := f.LineStart(start.Line)
	from := min(max(s.Start-lineStart, 0), len(text))
	// Clipping to the line marks a span running over several lines to the
	// line's end.
	to := min(max(displayEnd(s)-lineStart, from), len(text))
	src, marks := renderLine(text, from, to)
	num := strconv.Itoa(start.Line)
	pad := strings.Repeat(" ", len(num))
	fmt.Fprintf(b, "  %s %s\n", p(ansiBlue, num+" |"), src)
	fmt.Fprintf(b, "  %s %s\n", p(ansiBlue, pad+" |"), p(ansiGreen, marks))
}

// renderLine expands tabs, replaces control characters and builds the
// marker line for bytes [from, to) of line.
func renderLine(line string, from, to int) (src, marks string) {
	var sb, mb strings.Builder
	col := 0
	caret := false
	for i, r := range line {
		w := runeWidth(r)
		switch {
		case r == '\t':
			w = tabStop - col%tabStop
			sb.WriteString(strings.Repeat(" ", w))
		case r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0):
			// Never send a file's control characters to a terminal.
			w = 1
			sb.WriteRune('?')
		default:
			sb.WriteRune(r)
		}
		switch {
		case i < from:
			mb.WriteString(strings.Repeat(" ", w))
		case i < to && w > 0:
			if !caret {
				mb.WriteByte('^')
				w--
				caret = true
			}
			mb.WriteString(strings.Repeat("~", w))
		}
		col += w
	}
	if !caret {
		mb.WriteByte('^')
	}
	return sb.String(), mb.String()
}

// runeWidth approximates how many terminal columns r takes: none for
// combining marks and invisible format characters, two for East Asian wide
// and fullwidth characters and emoji, one otherwise.
func runeWidth(r rune) int {
	switch {
	case unicode.In(r, unicode.Mn, unicode.Me, unicode.Cf):
		return 0
	case r >= 0x1100 && r <= 0x115f, // Hangul Jamo
		r >= 0x2e80 && r <= 0x303e, // CJK radicals, punctuation
		r >= 0x3041 && r <= 0x33ff, // kana, CJK compatibility
		r >= 0x3400 && r <= 0x4dbf, // CJK extension A
		r >= 0x4e00 && r <= 0x9fff, // CJK unified ideographs
		r >= 0xa000 && r <= 0xa4cf, // Yi
		r >= 0xac00 && r <= 0xd7a3, // Hangul syllables
		r >= 0xf900 && r <= 0xfaff, // CJK compatibility ideographs
		r >= 0xfe30 && r <= 0xfe4f, // CJK compatibility forms
		r >= 0xff00 && r <= 0xff60, // fullwidth forms
		r >= 0xffe0 && r <= 0xffe6,
		r >= 0x1f300 && r <= 0x1f64f, // pictographs, emoticons
		r >= 0x1f900 && r <= 0x1f9ff,
		r >= 0x20000 && r <= 0x3fffd: // CJK extensions B and later
		return 2
	}
	return 1
}

// oneLine keeps a message on its line so that every block stays parseable
// by editors' problem matchers.
func oneLine(s string) string {
	return strings.NewReplacer("\r\n", " ", "\n", " ", "\r", " ").Replace(s)
}

func painter(color bool) func(code, s string) string {
	if !color {
		return func(_, s string) string { return s }
	}
	return func(code, s string) string { return code + s + ansiReset }
}

// Summary writes one line such as "3 findings (1 error, 2 warnings) in 2
// of 5 files", or "no findings in 5 files".
func Summary(w io.Writer, r *Report) {
	rs := newRuleSet(r.Rules)
	var counts [rules.Error + 1]int
	files := map[string]bool{}
	for _, d := range r.Diagnostics {
		counts[rs.severity(d)]++
		if d.Span.IsValid() {
			files[d.Span.File.Path] = true
		}
	}
	checked := plural(len(r.Files), "file", "files")
	if len(r.Diagnostics) == 0 {
		fmt.Fprintf(w, "no findings in %s\n", checked)
		return
	}
	var parts []string
	for _, sev := range []rules.Severity{rules.Error, rules.Warning, rules.Note} {
		if n := counts[sev]; n > 0 {
			parts = append(parts, plural(n, sev.String(), sev.String()+"s"))
		}
	}
	where := plural(len(files), "file", "files")
	if len(r.Files) > 0 {
		where = fmt.Sprintf("%d of %s", len(files), checked)
	}
	fmt.Fprintf(w, "%s (%s) in %s\n", plural(len(r.Diagnostics), "finding", "findings"), strings.Join(parts, ", "), where)
}

func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return strconv.Itoa(n) + " " + many
}
