package report_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/tlsvet/tlsvet/internal/lint"
	"github.com/tlsvet/tlsvet/internal/report"
	"github.com/tlsvet/tlsvet/internal/source"
)

// Rules built by hand so that these tests do not depend on the catalog.
var (
	holeRule = &lint.Rule{
		ID: "TV101", Name: "tls-version-hole", Severity: lint.Warning,
		SecuritySeverity: "5.3", Tags: []string{"protocol"},
		Doc: lint.Doc{
			Title:   "The tls_version list skips a protocol version",
			Why:     "Servers treat a list with a hole as the versions written.\n\nSecond paragraph with `code`.",
			Fix:     "List every version between the lowest and the highest.",
			Bad:     "[mysqld]\ntls_version=TLSv1,TLSv1.2\n",
			Good:    "[mysqld]\ntls_version=TLSv1.2\n",
			Sources: []string{"https://dev.mysql.com/doc/refman/8.0/en/encrypted-connection-protocols-ciphers.html"},
		},
	}
	dupRule = &lint.Rule{
		ID: "TV009", Name: "duplicate-setting", Severity: lint.Note, Tags: []string{"maintainability"},
		Doc: lint.Doc{Title: "The same TLS option is set twice", Why: "The last one wins."},
	}
	cipherRule = &lint.Rule{
		ID: "TV201", Name: "restricted-cipher", Severity: lint.Error, SecuritySeverity: "7.5",
		Doc: lint.Doc{Title: "A restricted cipher is allowed", Why: "RC4 is broken."},
	}
)

func diag(rule *lint.Rule, s source.Span, msg string) lint.Diagnostic {
	return lint.Diagnostic{RuleID: rule.ID, Span: s, Message: msg}
}

// spanOf returns the span of the first occurrence of sub in f.
func spanOf(t *testing.T, f *source.File, sub string) source.Span {
	t.Helper()
	i := bytes.Index(f.Content, []byte(sub))
	if i < 0 {
		t.Fatalf("%q not in %s", sub, f.Path)
	}
	return f.Span(i, i+len(sub))
}

func text(t *testing.T, r *report.Report, color bool) string {
	t.Helper()
	var b bytes.Buffer
	if err := report.Text(&b, r, color); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

func TestTextDesignExample(t *testing.T) {
	f := source.NewFile("conf/my.cnf", []byte("[mysqld]\ntls_version=TLSv1,TLSv1.2\n"))
	d := diag(holeRule, spanOf(t, f, "TLSv1,TLSv1.2"), "tls_version has a hole: TLSv1.1 is missing between TLSv1 and TLSv1.2")
	d.Fix = &lint.Fix{Message: "tls_version=TLSv1.2 (or list every version between the lowest and the highest)"}
	got := text(t, &report.Report{Diagnostics: []lint.Diagnostic{d}, Rules: []*lint.Rule{holeRule}}, false)
	want := `conf/my.cnf:2:13: warning: tls_version has a hole: TLSv1.1 is missing between TLSv1 and TLSv1.2 [TV101 tls-version-hole]
  2 | tls_version=TLSv1,TLSv1.2
    |             ^~~~~~~~~~~~~
  = fix: tls_version=TLSv1.2 (or list every version between the lowest and the highest)
`
	if got != want {
		t.Errorf("got:\n%s\nwant:\n%s", got, want)
	}
}

func TestTextSnippets(t *testing.T) {
	tests := []struct {
		name    string
		content string
		span    func(f *source.File) source.Span
		want    string // header position, then snippet lines
	}{
		{
			name:    "tab before the span",
			content: "[mysqld]\n\tssl_cipher =\tRC4-SHA\n",
			span:    func(f *source.File) source.Span { return f.Span(23, 30) },
			// Columns count the tab as one; the snippet expands tabs to 8.
			want: "x.cnf:2:15:\n" +
				"  2 |         ssl_cipher =    RC4-SHA\n" +
				"    |                         ^~~~~~~\n",
		},
		{
			name:    "non-ASCII and wide characters before the span",
			content: "# café 日本\nssl_ca=/é/日/ca.pem\n",
			span: func(f *source.File) source.Span {
				i := bytes.Index(f.Content, []byte("ca.pem"))
				return f.Span(i, i+len("ca.pem"))
			},
			// ssl_ca=/é/日/ is 12 code points but 13 terminal columns.
			want: "x.cnf:2:13:\n" +
				"  2 | ssl_ca=/é/日/ca.pem\n" +
				"    |              ^~~~~~\n",
		},
		{
			name:    "wide characters inside the span",
			content: "ssl_ca=日本.pem\n",
			span:    func(f *source.File) source.Span { return f.Span(7, 13) },
			want: "x.cnf:1:8:\n" +
				"  1 | ssl_ca=日本.pem\n" +
				"    |        ^~~~\n",
		},
		{
			name:    "zero-length span at the end of a line",
			content: "[client]\nssl-mode=\n",
			span:    func(f *source.File) source.Span { return f.Span(18, 18) },
			want: "x.cnf:2:10:\n" +
				"  2 | ssl-mode=\n" +
				"    |          ^\n",
		},
		{
			name:    "span over several lines is marked to the end of its first",
			content: "[mysqld]\nssl_cert=a.pem\nssl_key=b.pem\n",
			span:    func(f *source.File) source.Span { return f.Span(18, 33) },
			want: "x.cnf:2:10:\n" +
				"  2 | ssl_cert=a.pem\n" +
				"    |          ^~~~~\n",
		},
		{
			name:    "span of a whole line with its CRLF",
			content: "[mysqld]\r\nskip-ssl\r\nport=3306\r\n",
			span:    func(f *source.File) source.Span { return f.Span(10, 20) },
			want: "x.cnf:2:1:\n" +
				"  2 | skip-ssl\n" +
				"    | ^~~~~~~~\n",
		},
		{
			name:    "control characters are not sent to the terminal",
			content: "ssl_ca=\x1b[31mx\n",
			span:    func(f *source.File) source.Span { return f.Span(12, 13) },
			want: "x.cnf:1:13:\n" +
				"  1 | ssl_ca=?[31mx\n" +
				"    |             ^\n",
		},
		{
			name:    "line number ten and beyond widen the gutter",
			content: strings.Repeat("\n", 11) + "ssl=0\n",
			span:    func(f *source.File) source.Span { return f.Span(11, 14) },
			want: "x.cnf:12:1:\n" +
				"  12 | ssl=0\n" +
				"     | ^~~\n",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := source.NewFile("x.cnf", []byte(tt.content))
			d := diag(holeRule, tt.span(f), "msg")
			got := text(t, &report.Report{Diagnostics: []lint.Diagnostic{d}, Rules: []*lint.Rule{holeRule}}, false)
			header, snippet, _ := strings.Cut(got, "\n")
			pos, _, _ := strings.Cut(header, " ")
			if pos+"\n"+snippet != tt.want {
				t.Errorf("got:\n%s\nwant:\n%s", pos+"\n"+snippet, tt.want)
			}
		})
	}
}

func TestTextRelatedSeverityAndNotifications(t *testing.T) {
	base := source.NewFile("conf/base.cnf", []byte("[mysqld]\nssl_ca=a.pem\n"))
	over := source.NewFile("conf/over.cnf", []byte("[mysqld]\nssl_ca=b.pem\n"))
	d := diag(dupRule, spanOf(t, over, "ssl_ca=b.pem"), "ssl_ca is set twice; this one wins")
	d.Related = []lint.Related{{Span: spanOf(t, base, "ssl_ca=a.pem"), Message: "first set here\n(ignored)"}}
	d.Severity = lint.Error // a config override beats the rule's note
	r := &report.Report{
		Diagnostics:   []lint.Diagnostic{d},
		Rules:         []*lint.Rule{dupRule},
		Notifications: []report.Notification{{Path: "conf/secret.cnf", Message: "cannot read: permission denied"}},
	}
	want := `conf/over.cnf:2:1: error: ssl_ca is set twice; this one wins [TV009 duplicate-setting]
  2 | ssl_ca=b.pem
    | ^~~~~~~~~~~~
  = note: first set here (ignored) (at conf/base.cnf:2:1)
conf/secret.cnf: warning: cannot read: permission denied
`
	if got := text(t, r, false); got != want {
		t.Errorf("got:\n%s\nwant:\n%s", got, want)
	}
}

func TestTextColor(t *testing.T) {
	f := source.NewFile("a.cnf", []byte("ssl=0\n"))
	r := &report.Report{Diagnostics: []lint.Diagnostic{diag(cipherRule, f.Span(0, 5), "m")}, Rules: []*lint.Rule{cipherRule}}
	plain, colored := text(t, r, false), text(t, r, true)
	if strings.Contains(plain, "\x1b") {
		t.Errorf("escape codes without color:\n%q", plain)
	}
	if !strings.Contains(colored, "\x1b[1;31merror:\x1b[0m") {
		t.Errorf("error severity not red:\n%q", colored)
	}
	// Stripping the colours gives the plain text back.
	stripped := colored
	for _, code := range []string{"\x1b[0m", "\x1b[1m", "\x1b[1;31m", "\x1b[1;33m", "\x1b[1;36m", "\x1b[1;32m", "\x1b[34m", "\x1b[90m"} {
		stripped = strings.ReplaceAll(stripped, code, "")
	}
	if stripped != plain {
		t.Errorf("colored text differs from plain:\n%q\n%q", stripped, plain)
	}
}

func TestTextUnknownRuleAndNoFile(t *testing.T) {
	d := lint.Diagnostic{RuleID: "TV999", Message: "no place"}
	got := text(t, &report.Report{Diagnostics: []lint.Diagnostic{d}}, false)
	if want := "warning: no place [TV999]\n"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

func TestSummary(t *testing.T) {
	a := source.NewFile("a.cnf", []byte("ssl=0\n"))
	b := source.NewFile("b.cnf", []byte("ssl=0\n"))
	c := source.NewFile("c.cnf", []byte("ssl=0\n"))
	ds := []lint.Diagnostic{
		diag(cipherRule, a.Span(0, 1), "x"),
		diag(holeRule, a.Span(1, 2), "x"),
		diag(holeRule, b.Span(0, 1), "x"),
	}
	rs := []*lint.Rule{cipherRule, holeRule}
	tests := []struct {
		r    *report.Report
		want string
	}{
		{&report.Report{Diagnostics: ds, Rules: rs, Files: []*source.File{a, b, c}}, "3 findings (1 error, 2 warnings) in 2 of 3 files\n"},
		{&report.Report{Diagnostics: ds[2:], Rules: rs}, "1 finding (1 warning) in 1 file\n"},
		{&report.Report{Rules: rs, Files: []*source.File{a}}, "no findings in 1 file\n"},
	}
	for _, tt := range tests {
		var buf bytes.Buffer
		report.Summary(&buf, tt.r)
		if buf.String() != tt.want {
			t.Errorf("got %q, want %q", buf.String(), tt.want)
		}
	}
}
