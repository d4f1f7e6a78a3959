package report_test

import (
	"bytes"
	"runtime"
	"strings"
	"testing"

	"github.com/tlsvet/tlsvet/internal/lint"
	"github.com/tlsvet/tlsvet/internal/report"
	"github.com/tlsvet/tlsvet/internal/source"
)

func TestEscape(t *testing.T) {
	for in, want := range map[string]string{
		"conf/my.cnf":            "conf/my.cnf",
		`C:\ssl\ca.pem`:          `C:\ssl\ca.pem`, // backslashes stay
		"é日😀":                    "é日😀",
		"a\n::error ::x":         `a\n::error ::x`,
		"\x1b]0;t\x07\x1b[31m":   `\x1b]0;t\x07\x1b[31m`,
		"\r\t\x00\x7f":           `\r\t\x00\x7f`,
		"\u0085\u009b":           `\u0085\u009b`, // C1: NEL, CSI
		"a\u202ecba\u2066\u2069": `a\u202ecba\u2066\u2069`,
		"\xff\xfe":               `\xff\xfe`, // invalid UTF-8
	} {
		if got := report.Escape(in); got != want {
			t.Errorf("Escape(%q) = %q, want %q", in, got, want)
		}
	}
}

// A 5 MB line shows as a window around the span, with its marks aligned,
// at a cost that does not grow with the line.
func TestTextLongLine(t *testing.T) {
	line := strings.Repeat("a", 5<<20)
	content := "[mysqld]\nssl_cipher=" + line[:2<<20] + "RC4-SHA" + line[2<<20:] + "\n"
	f := source.NewFile("x.cnf", []byte(content))
	s := spanOf(t, f, "RC4-SHA")
	r := &report.Report{Diagnostics: []lint.Diagnostic{diag(cipherRule, s, "msg")}, Rules: []*lint.Rule{cipherRule}}
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	out := text(t, r, false)
	runtime.ReadMemStats(&after)
	if n := after.TotalAlloc - before.TotalAlloc; n > 256<<10 {
		t.Errorf("rendering allocated %d bytes for a 5 MB line", n)
	}
	lines := strings.Split(out, "\n")
	src, marks := lines[1], lines[2]
	if len(src) > 400 {
		t.Fatalf("snippet of %d bytes", len(src))
	}
	if !strings.HasPrefix(src, "  2 | …") || !strings.HasSuffix(src, "…") {
		t.Errorf("no ellipsis at both ends: %q", src)
	}
	// The caret sits under R: columns count runes, "…" is one.
	col := strings.IndexRune(marks, '^')
	if r := []rune(src); col < 0 || string(r[col:col+7]) != "RC4-SHA" || marks[col:] != "^~~~~~~" {
		t.Errorf("marks not under the span:\n%s\n%s", src, marks)
	}
}

// Snippets, messages and fixes never show what a parser marked secret.
func TestSecretsMasked(t *testing.T) {
	content := "[client]\nssl-key-pass=hunter2 # x\n[mariadbd]\nssl_passphrase=hunter2#x\n"
	f := source.NewFile("x.cnf", []byte(content))
	for _, v := range []string{"hunter2 # x", "hunter2#x"} {
		s := spanOf(t, f, v)
		f.MarkSecret(s.Start, s.End)
	}
	key := spanOf(t, f, "ssl-key-pass")
	pass := spanOf(t, f, "hunter2#x")
	r := &report.Report{
		Files: []*source.File{f},
		Diagnostics: []lint.Diagnostic{
			diag(cipherRule, key, "unknown variable 'ssl-key-pass=hunter2'"),
			{RuleID: dupRule.ID, Span: pass, Message: "cut short at '#'",
				Fix: &lint.Fix{Message: "quote the value", Edits: []source.Edit{{Span: pass, New: `"hunter2#x"`}}}},
		},
		Rules: []*lint.Rule{cipherRule, dupRule},
	}
	out := text(t, r, false)
	for _, want := range []string{
		"x.cnf:2:1: error: unknown variable 'ssl-key-pass=***'",
		"  2 | ssl-key-pass=***\n    | ^~~~~~~~~~~~\n",
		"  4 | ssl_passphrase=***\n    |                ^~~\n",
		"= fix: quote the value",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("text lacks %q:\n%s", want, out)
		}
	}
	for format, write := range map[string]func(*bytes.Buffer) error{
		"json":   func(b *bytes.Buffer) error { return report.JSON(b, r) },
		"sarif":  func(b *bytes.Buffer) error { return report.SARIF(b, r) },
		"github": func(b *bytes.Buffer) error { return report.GitHub(b, r) },
	} {
		var b bytes.Buffer
		if err := write(&b); err != nil {
			t.Fatal(err)
		}
		if strings.Contains(b.String(), "hunter2") {
			t.Errorf("%s shows the secret:\n%s", format, b.String())
		}
		if strings.Contains(b.String(), "quote the value") != (format == "github") {
			t.Errorf("%s: the fix whose text holds the secret is not withheld (only github names it, without edits):\n%s", format, b.String())
		}
	}
	out = text(t, r, false)
	if strings.Contains(out, "hunter2") {
		t.Errorf("text shows the secret:\n%s", out)
	}
}
