package envfile

import (
	"strings"
	"testing"
	"time"

	"github.com/tlsvet/tlsvet/internal/source"
)

// entry is what a test expects of one Entry: the key, the decoded value
// and the file text under the value span.
type entry struct {
	key, value, raw string
}

func TestParse(t *testing.T) {
	for _, tc := range []struct {
		name, in string
		want     []entry
		problems []string // texts under the problem spans
	}{
		{"plain", "A=1\nB=two words\n", []entry{{"A", "1", "1"}, {"B", "two words", "two words"}}, nil},
		{"export", "export DSN=x\nexport\tB=2", []entry{{"DSN", "x", "x"}, {"B", "2", "2"}}, nil},
		{"yaml style and spaces", "  A : v  \nB= w", []entry{{"A", "v", "v"}, {"B", "w", "w"}}, nil},
		{"comments", "# c\n  # d\nA=v # c\nB=v#not\nC=v\t# tab is not a comment", []entry{
			{"A", "v", "v"}, {"B", "v#not", "v#not"}, {"C", "v\t# tab is not a comment", "v\t# tab is not a comment"}}, nil},
		{"blank lines", "\n\n  \nA=\n\nB=''\n", []entry{{"A", "", ""}, {"B", "", "''"}}, nil},
		{"single quotes literal", `A='x\ty $B #c' # c`, []entry{{"A", `x\ty $B #c`, `'x\ty $B #c'`}}, nil},
		{"single quote escape", `A='Let\'s go'`, []entry{{"A", "Let's go", `'Let\'s go'`}}, nil},
		{"double escapes", `A="a\nb\t\"c\"\\d\$e\qf\0101"`, []entry{{"A", "a\nb\t\"c\"\\d$e\\qfA", `"a\nb\t\"c\"\\d\$e\qf\0101"`}}, nil},
		{"octal not decoded", `A="\012\0999"`, []entry{{"A", `\012\0999`, `"\012\0999"`}}, nil},
		{"multi-line", "A=\"line1\nline2\"\nB='x\ny' # c\nC=3", []entry{
			{"A", "line1\nline2", "\"line1\nline2\""}, {"B", "x\ny", "'x\ny'"}, {"C", "3", "3"}}, nil},
		{"inherited", "A\nB=1\nC", []entry{{"A", "", ""}, {"B", "1", "1"}, {"C", "", ""}}, nil},
		{"dollar", "A=$$B\nB=\"p$$\"", []entry{{"A", "$B", "$$B"}, {"B", "p$", `"p$$"`}}, nil},
		{"crlf", "A=1\r\nB=\"x\"\r\nC=v # c\r\n# d\r\n", []entry{{"A", "1", "1"}, {"B", "x", `"x"`}, {"C", "v", "v"}}, nil},
		{"multi-byte", "CLÉ=mot de passé # c\nB=\"é\\té\"", []entry{{"CLÉ", "mot de passé", "mot de passé"}, {"B", "é\té", `"é\té"`}}, nil},
		{"bom", "\xef\xbb\xbfA=1", []entry{{"A", "1", "1"}}, nil},
		{"bad key goes on", "A B=1\nC$=2\n=3\nD=4", []entry{{"D", "4", "4"}}, []string{"A B", "$", "="}},
		{"unterminated", "A=\"x\nB=1\nC='y", []entry{{"B", "1", "1"}}, []string{`"`, `'`}},
		{"text after quote", `A="x" y`, []entry{{"A", "x", `"x"`}}, []string{"y"}},
		{"bad reference", "A=${\nB=${1}", []entry{{"A", "${", "${"}, {"B", "${1}", "${1}"}}, []string{"${", "${1}"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := source.NewFile(".env", []byte(tc.in))
			r := Parse(f)
			var got []entry
			for _, e := range r.Entries {
				if e.KeySpan.Text() != e.Key {
					t.Errorf("key %q, span text %q", e.Key, e.KeySpan.Text())
				}
				got = append(got, entry{e.Key, e.Value, e.ValueSpan.Text()})
			}
			if !equal(got, tc.want) {
				t.Errorf("entries\n got %q\nwant %q", got, tc.want)
			}
			var probs []string
			for _, p := range r.Problems {
				probs = append(probs, p.Span.Text())
			}
			if strings.Join(probs, "|") != strings.Join(tc.problems, "|") {
				t.Errorf("problems %q, want %q (%v)", probs, tc.problems, r.Problems)
			}
		})
	}
}

func equal(a, b []entry) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestFlags(t *testing.T) {
	f := source.NewFile(".env", []byte("export A=1\nB=\"x\" # note\nC='y'\nD"))
	r := Parse(f)
	if len(r.Entries) != 4 {
		t.Fatalf("entries %+v", r.Entries)
	}
	a, b, c, d := r.Entries[0], r.Entries[1], r.Entries[2], r.Entries[3]
	if !a.Export || b.Export || a.Quote != 0 || b.Quote != '"' || c.Quote != '\'' || d.HasValue || !c.HasValue {
		t.Errorf("flags wrong: %+v", r.Entries)
	}
	if b.Comment.Text() != "# note" {
		t.Errorf("comment %q", b.Comment.Text())
	}
	if len(r.Comments) != 1 || r.Comments[0] != b.Comment {
		t.Errorf("comments %v", r.Comments)
	}
}

// TestSpan checks the decoded-to-file mapping: a DSN parameter inside a
// quoted, escaped value gets the span of its bytes in the file.
func TestSpan(t *testing.T) {
	in := "# x\nDSN=\"u:p\\\"w@tcp(db)/app?\\tx=1&tls=skip-verify\" # c\n"
	f := source.NewFile(".env", []byte(in))
	e := Parse(f).Entries[0]
	if e.Value != "u:p\"w@tcp(db)/app?\tx=1&tls=skip-verify" {
		t.Fatalf("value %q", e.Value)
	}
	for _, sub := range []string{"tls=skip-verify", "skip-verify", "u:p", "tcp(db)"} {
		i := strings.Index(e.Value, sub)
		if got := e.Span(i, i+len(sub)); got.Text() != sub {
			t.Errorf("Span of %q = %q", sub, got.Text())
		}
	}
	// Escapes are atomic: the decoded '"' maps to the two bytes \".
	i := strings.IndexByte(e.Value, '"')
	if got := e.Span(i, i+1).Text(); got != `\"` {
		t.Errorf("escaped quote maps to %q", got)
	}
	if got := e.Span(i-1, i+2).Text(); got != `p\"w` {
		t.Errorf("range across escape maps to %q", got)
	}
	if got := e.Span(3, 3); got.Start != got.End || got.Start != e.Offset(3) {
		t.Errorf("empty span %v", got)
	}
	// The column of "tls" is where the file has it.
	if pos := e.Span(strings.Index(e.Value, "tls"), 0).StartPos(); pos.Line != 2 || pos.Col != strings.Index(in[4:], "tls")+1 {
		t.Errorf("tls at %+v", pos)
	}
}

func TestRefs(t *testing.T) {
	in := `URL="mysql://u:${DB_PASS}@${HOST:-db}:$PORT/x?a=${X:-${Y}}&b=\${NO}&c=$$Z"` + "\nS='${NO}'"
	r := Parse(source.NewFile(".env", []byte(in)))
	e := r.Entries[0]
	var got []string
	for _, ref := range e.Refs {
		if e.Value[ref.Start:ref.End] != ref.Span.Text() {
			t.Errorf("ref %q: value text %q, span text %q", ref.Name, e.Value[ref.Start:ref.End], ref.Span.Text())
		}
		got = append(got, ref.Name+ref.Op+ref.Arg)
	}
	if want := "DB_PASS HOST:-db PORT X:-${Y}"; strings.Join(got, " ") != want {
		t.Errorf("refs %q, want %q", got, want)
	}
	if e.Value != "mysql://u:${DB_PASS}@${HOST:-db}:$PORT/x?a=${X:-${Y}}&b=${NO}&c=$Z" {
		t.Errorf("value %q", e.Value)
	}
	if len(r.Entries[1].Refs) != 0 || len(r.Problems) != 0 {
		t.Errorf("single quotes: refs %v, problems %v", r.Entries[1].Refs, r.Problems)
	}
}

func TestSecrets(t *testing.T) {
	in := "DB_PASSWORD=\"hunter22\"\nMYSQL_PWD=abcd # c\nUSER=root\nPASS\n"
	f := source.NewFile(".env", []byte(in))
	Parse(f)
	if got := f.Redact(0, len(in)); got != "DB_PASSWORD=***\nMYSQL_PWD=*** # c\nUSER=root\nPASS\n" {
		t.Errorf("redacted:\n%s", got)
	}
}

// TestHostile checks the costs stay linear: a 10 MB line, and a file
// whose every line opens a quote that never closes.
func TestHostile(t *testing.T) {
	for name, in := range map[string]string{
		"long line":           "DSN=" + strings.Repeat("a", 10<<20) + "\n",
		"long quoted line":    "DSN=\"" + strings.Repeat(`a\n$$`, 10<<18) + "\"\n",
		"unterminated first":  "A=\"" + strings.Repeat("B=1\n", 1<<20),
		"unterminated each":   strings.Repeat("A=\"x\n", 1<<20),
		"unclosed refs":       "A=" + strings.Repeat("${", 1<<20),
		"many unclosed lines": strings.Repeat("A=${x\n", 1<<19),
	} {
		t.Run(name, func(t *testing.T) {
			start := time.Now()
			r := Parse(source.NewFile(".env", []byte(in)))
			if d := time.Since(start); d > 5*time.Second {
				t.Errorf("took %v", d)
			}
			if len(r.Entries)+len(r.Problems) == 0 {
				t.Error("read nothing")
			}
		})
	}
}

// TestSpanMultiByteCRLF maps through multi-byte text and escapes in a
// CRLF file, and checks the column counts code points.
func TestSpanMultiByteCRLF(t *testing.T) {
	in := "A=1\r\nURL=\"mysql://ü:pä\\$s@h/d?ssl-mode=DISABLED\" # c\r\n"
	f := source.NewFile(".env", []byte(in))
	r := Parse(f)
	e := r.Entries[1]
	if e.Value != "mysql://ü:pä$s@h/d?ssl-mode=DISABLED" || len(r.Problems) != 0 {
		t.Fatalf("value %q, problems %v", e.Value, r.Problems)
	}
	for sub, want := range map[string]string{"pä$s": `pä\$s`, "ssl-mode=DISABLED": "ssl-mode=DISABLED", "ü": "ü"} {
		i := strings.Index(e.Value, sub)
		if got := e.Span(i, i+len(sub)).Text(); got != want {
			t.Errorf("Span of %q = %q, want %q", sub, got, want)
		}
	}
	i := strings.Index(e.Value, "ssl-mode")
	if pos := e.Span(i, i).StartPos(); pos.Line != 2 || pos.Col != 26 {
		t.Errorf("ssl-mode at %+v, want 2:26", pos)
	}
	if e.Comment.Text() != "# c" {
		t.Errorf("comment %q", e.Comment.Text())
	}
}

// TestMaxEntries: reading stops, with a problem where it stopped, after
// MaxEntries variables.
func TestMaxEntries(t *testing.T) {
	src := strings.Repeat("A=1\n", MaxEntries) + "B=2\nC=3\n"
	r := Parse(source.NewFile(".env", []byte(src)))
	if len(r.Entries) != MaxEntries || len(r.Problems) != 1 || r.Problems[0].Span.StartPos().Line != MaxEntries+1 {
		t.Errorf("%d entries, problems %v", len(r.Entries), r.Problems)
	}
}
