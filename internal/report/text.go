package report

import (
	"bytes"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/tlsvet/tlsvet/internal/lint"
	"github.com/tlsvet/tlsvet/internal/source"
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
// A long line shows as a window around the span, cut with "…"; secret
// values (source.File.MarkSecret) show as source.Mask, in the snippet and
// in messages; paths and messages are escaped (Escape).
// Notifications follow the findings as "path: warning: message" lines.
func Text(w io.Writer, r *Report, color bool) error {
	rs := newRuleSet(r.Rules)
	p := painter(color)
	mask := r.secretMasker()
	for _, d := range r.Diagnostics {
		var b strings.Builder
		sev := rs.severity(d)
		if d.Span.IsValid() {
			start := d.Span.StartPos()
			b.WriteString(p(ansiBold, fmt.Sprintf("%s:%d:%d:", lineStart(Escape(r.path(d.Span.File.Path))), start.Line, start.Col)))
			b.WriteByte(' ')
			writeHeadline(&b, p, sev, mask(d.Message), d.RuleID, rs)
			writeSnippet(&b, p, d.Span, start)
		} else {
			writeHeadline(&b, p, sev, mask(d.Message), d.RuleID, rs)
		}
		if d.Fix != nil {
			msg := d.Fix.Message
			if msg == "" {
				msg = "an exact edit is available"
			}
			label := "= fix:"
			if d.Fix.Suggestion {
				label = "= suggestion (--diff shows it, --fix leaves it):"
			}
			fmt.Fprintf(&b, "  %s %s\n", p(ansiGreen, label), oneLine(mask(msg)))
		}
		for _, rel := range d.Related {
			fmt.Fprintf(&b, "  %s %s", p(ansiCyan, "= note:"), oneLine(mask(rel.Message)))
			if rel.Span.IsValid() {
				pos, _ := displayRange(rel.Span)
				fmt.Fprintf(&b, " (at %s:%d:%d)", Escape(r.path(rel.Span.File.Path)), pos.Line, pos.Col)
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
			b.WriteString(p(ansiBold, lineStart(Escape(r.path(n.Path)))+":") + " ")
		}
		color := ansiYellow
		if n.level() == "note" {
			color = ansiCyan
		}
		b.WriteString(p(color, n.level()+":") + " " + oneLine(mask(n.Message)) + "\n")
		if _, err := io.WriteString(w, b.String()); err != nil {
			return err
		}
	}
	return nil
}

func writeHeadline(b *strings.Builder, p func(code, s string) string, sev lint.Severity, msg, ruleID string, rs *ruleSet) {
	code := ansiCyan
	switch sev {
	case lint.Error:
		code = ansiRed
	case lint.Warning:
		code = ansiYellow
	}
	fmt.Fprintf(b, "%s %s %s\n", p(code, sev.String()+":"), oneLine(msg), p(ansiGray, "["+Escape(rs.title(ruleID))+"]"))
}

// Snippets show a window of a long line, so that a file of one 5 MB line
// neither floods the terminal nor costs memory: up to snippetBefore bytes
// before the span and snippetWidth bytes in all.
const (
	snippetBefore = 60
	snippetWidth  = 200
	ellipsis      = "…"
)

// writeSnippet writes a window of the span's first line with a gutter and
// the marker line under it. Secret values show as source.Mask.
func writeSnippet(b *strings.Builder, p func(code, s string) string, s source.Span, start source.Position) {
	f := s.File
	c := f.Content
	ls := f.LineStart(start.Line)
	le := len(c)
	if i := bytes.IndexByte(c[ls:], '\n'); i >= 0 {
		le = ls + i
	}
	if le > ls && c[le-1] == '\r' {
		le--
	}
	from := min(max(s.Start, ls), le)
	// Clipping to the line marks a span running over several lines to the
	// line's end.
	to := min(max(displayEnd(s), from), le)
	ws := max(ls, from-snippetBefore)
	for ws < from && !utf8.RuneStart(c[ws]) {
		ws++
	}
	we := min(le, ws+snippetWidth)
	for we > from && we < le && !utf8.RuneStart(c[we]) {
		we--
	}
	src, marks := renderLine(c, ws, we, from, min(to, we), f.SecretRanges(ws, we))
	if ws > ls {
		src, marks = ellipsis+src, " "+marks
	}
	if we < le {
		src += ellipsis
	}
	num := strconv.Itoa(start.Line)
	pad := strings.Repeat(" ", len(num))
	fmt.Fprintf(b, "  %s %s\n", p(ansiBlue, num+" |"), src)
	fmt.Fprintf(b, "  %s %s\n", p(ansiBlue, pad+" |"), p(ansiGreen, marks))
}

// renderLine renders bytes [ws, we) of c, a window of one line: it expands
// tabs, replaces control characters and bidirectional overrides, shows
// each secret range as source.Mask, and builds the marker line for bytes
// [from, to).
func renderLine(c []byte, ws, we, from, to int, secrets [][2]int) (src, marks string) {
	var sb, mb strings.Builder
	col := 0
	caret := false
	for a := ws; a < we; {
		r, size := utf8.DecodeRune(c[a:we])
		b := a + size
		w := runeWidth(r)
		switch {
		case len(secrets) > 0 && a >= secrets[0][0]:
			b = max(b, min(secrets[0][1], we))
			secrets = secrets[1:]
			w = len(source.Mask)
			sb.WriteString(source.Mask)
		case r == '\t':
			w = tabStop - col%tabStop
			sb.WriteString(strings.Repeat(" ", w))
		case unsafeRune(r):
			// Never send a file's control characters to a terminal.
			w = 1
			sb.WriteRune('?')
		default:
			sb.WriteRune(r)
		}
		switch {
		case a < to && b > from && w > 0:
			if !caret {
				mb.WriteByte('^')
				w--
				caret = true
			}
			mb.WriteString(strings.Repeat("~", w))
		case a < from:
			mb.WriteString(strings.Repeat(" ", w))
		}
		col += w
		a = b
	}
	if !caret {
		mb.WriteByte('^')
	}
	return breakLegacyCommands(sb.String()), mb.String()
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
// by editors' problem matchers, and escapes what is left (see Escape).
func oneLine(s string) string {
	return Escape(newlines.Replace(s))
}

// newlines turns line breaks into spaces; built once, since a Replacer
// builds its tables on first use.
var newlines = strings.NewReplacer("\r\n", " ", "\n", " ", "\r", " ")

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
	var counts [lint.Error + 1]int
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
	for _, sev := range []lint.Severity{lint.Error, lint.Warning, lint.Note} {
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

// lineStart makes a path safe to begin an output line with. The Actions
// runner reads every line of a job's output, trims leading white space,
// and runs it as a workflow command when it starts with "::" (or "##[",
// the old syntax): a committed file named "::error file=…::x.cnf" would
// otherwise forge an annotation. "./" keeps the path valid.
// https://github.com/actions/runner/blob/main/src/Runner.Worker/ActionCommandManager.cs
func lineStart(p string) string {
	if t := strings.TrimLeft(p, " \t\v\f"); t != p || strings.HasPrefix(t, ":") || strings.HasPrefix(t, "#") {
		return "./" + p
	}
	return p
}
