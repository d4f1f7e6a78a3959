package properties

import (
	"strings"
	"testing"
	"time"

	"github.com/tlsvet/tlsvet/internal/source"
)

// entry is what a test expects of one Entry: decoded key and value, and
// the file text under the key and value spans.
type entry struct {
	key, value, rawKey, rawValue string
}

func TestParse(t *testing.T) {
	for _, tc := range []struct {
		name, in string
		want     []entry
		problems []string // texts under the problem spans
	}{
		{"separators", "a=1\nb:2\nc 3\nd = 4\ne\t:  5\nf  =  =6\n", []entry{
			{"a", "1", "a", "1"}, {"b", "2", "b", "2"}, {"c", "3", "c", "3"},
			{"d", "4", "d", "4"}, {"e", "5", "e", "5"}, {"f", "=6", "f", "=6"}}, nil},
		{"trailing blanks kept", "a = v  \n", []entry{{"a", "v  ", "a", "v  "}}, nil},
		{"no value", "a\nb=\nc :\n", []entry{{"a", "", "a", ""}, {"b", "", "b", ""}, {"c", "", "c", ""}}, nil},
		{"comments and blanks", "# c\n! d\n\n   \n  # e\nk=v # not a comment\n", []entry{
			{"k", "v # not a comment", "k", "v # not a comment"}}, nil},
		{"escaped separators in key", `a\=b\:c\ d=e` + "\n", []entry{{"a=b:c d", "e", `a\=b\:c\ d`, "e"}}, nil},
		{"escapes", `k=a\tb\nc\rd\fe\\f\qg\u0041\u00e9` + "\n", []entry{
			{"k", "a\tb\nc\rd\fe\\fqgAé", "k", `a\tb\nc\rd\fe\\f\qg\u0041\u00e9`}}, nil},
		{"surrogate pair", `k=\ud83d\ude00`, []entry{{"k", "😀", "k", `\ud83d\ude00`}}, nil},
		{"continuation", "url=jdbc:mysql://db/app?\\\n    useSSL=false&\\\n\t  x=1\nnext=2", []entry{
			{"url", "jdbc:mysql://db/app?useSSL=false&x=1", "url", "jdbc:mysql://db/app?\\\n    useSSL=false&\\\n\t  x=1"},
			{"next", "2", "next", "2"}}, nil},
		{"even backslashes do not continue", "a=x\\\\\nb=y", []entry{{"a", `x\`, "a", `x\\`}, {"b", "y", "b", "y"}}, nil},
		{"continued comment is not", "# c \\\na=1", []entry{{"a", "1", "a", "1"}}, nil},
		{"hash after continuation is content", "a=1\\\n#2", []entry{{"a", "1#2", "a", "1\\\n#2"}}, nil},
		{"continuation into key", "ke\\\n  y=v", []entry{{"key", "v", "ke\\\n  y", "v"}}, nil},
		{"backslash at eof", "a=b\\", []entry{{"a", "b", "a", "b"}}, nil},
		{"crlf", "a=1\r\nb=x\\\r\n  y\r\n# c\r\n", []entry{{"a", "1", "a", "1"}, {"b", "xy", "b", "x\\\r\n  y"}}, nil},
		{"cr only", "a=1\rb=2\r", []entry{{"a", "1", "a", "1"}, {"b", "2", "b", "2"}}, nil},
		{"multi-byte", "clé=passé\ncl\\é=v", []entry{{"clé", "passé", "clé", "passé"}, {"clé", "v", `cl\é`, "v"}}, nil},
		{"malformed unicode goes on", `a=\u12G4x` + "\nb=\\u00", []entry{{"a", "u12G4x", "a", `\u12G4x`}, {"b", "u00", "b", `\u00`}},
			[]string{`\u12G4`, `\u00`}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := Parse(source.NewFile("application.properties", []byte(tc.in)))
			var got []entry
			for _, e := range r.Entries {
				got = append(got, entry{e.Key, e.Value, e.KeySpan.Text(), e.ValueSpan.Text()})
			}
			if len(got) != len(tc.want) {
				t.Fatalf("entries\n got %q\nwant %q", got, tc.want)
			}
			for i := range got {
				if got[i] != tc.want[i] {
					t.Errorf("entry %d\n got %q\nwant %q", i, got[i], tc.want[i])
				}
			}
			var probs []string
			for _, p := range r.Problems {
				probs = append(probs, p.Span.Text())
			}
			if strings.Join(probs, "|") != strings.Join(tc.problems, "|") {
				t.Errorf("problems %q, want %q", probs, tc.problems)
			}
		})
	}
}

func TestComments(t *testing.T) {
	r := Parse(source.NewFile("a.properties", []byte("# one\r\n  ! two\n#---\nk=v")))
	var got []string
	for _, c := range r.Comments {
		got = append(got, c.Text())
	}
	if strings.Join(got, "|") != "# one|! two|#---" {
		t.Errorf("comments %q", got)
	}
}

// TestSpan checks the decoded-to-file mapping across escapes and a
// continuation: the parameter useSSL=false, split over two lines, maps
// to its bytes in the file.
func TestSpan(t *testing.T) {
	in := "spring.datasource.url=jdbc:mysql://db/app?a=\\u0031&use\\\n    SSL=false\n"
	f := source.NewFile("application.properties", []byte(in))
	e := Parse(f).Entries[0]
	if e.Value != "jdbc:mysql://db/app?a=1&useSSL=false" {
		t.Fatalf("value %q", e.Value)
	}
	for sub, want := range map[string]string{
		"useSSL=false": "use\\\n    SSL=false", "SSL": "SSL", "use": "use", "a=1": `a=\u0031`, "1": `\u0031`,
		"jdbc:mysql://": "jdbc:mysql://",
	} {
		i := strings.Index(e.Value, sub)
		if got := e.Span(i, i+len(sub)).Text(); got != want {
			t.Errorf("Span of %q = %q, want %q", sub, got, want)
		}
	}
	if pos := e.Span(strings.Index(e.Value, "SSL"), 0).StartPos(); pos.Line != 2 || pos.Col != 5 {
		t.Errorf("SSL at %+v, want 2:5", pos)
	}
	k := Parse(source.NewFile("x.properties", []byte(`a\:b=1`))).Entries[0]
	if got := k.KeyPart(1, 3).Text(); got != `\:b` {
		t.Errorf("KeyPart = %q", got)
	}
}

func TestSecrets(t *testing.T) {
	in := "spring.datasource.password=hunter22\nspring.datasource.username=root\n"
	f := source.NewFile("application.properties", []byte(in))
	Parse(f)
	if got := f.Redact(0, len(in)); got != "spring.datasource.password=***\nspring.datasource.username=root\n" {
		t.Errorf("redacted:\n%s", got)
	}
}

// TestHostile checks the costs stay linear: a 10 MB line, a line
// continued a million times, and a million escapes.
func TestHostile(t *testing.T) {
	for name, in := range map[string]string{
		"long line":         "k=" + strings.Repeat("a", 10<<20),
		"long continuation": "k=" + strings.Repeat("ab\\\n  ", 1<<20),
		"many escapes":      "k=" + strings.Repeat(`\u0041\t`, 1<<19),
		"many lines":        strings.Repeat("k=v\n", 1<<20),
	} {
		t.Run(name, func(t *testing.T) {
			start := time.Now()
			r := Parse(source.NewFile("a.properties", []byte(in)))
			if d := time.Since(start); d > 5*time.Second {
				t.Errorf("took %v", d)
			}
			if len(r.Entries) == 0 {
				t.Error("read nothing")
			}
		})
	}
}

// TestMaxEntries: reading stops, with a problem where it stopped, after
// MaxEntries entries.
func TestMaxEntries(t *testing.T) {
	src := strings.Repeat("a=1\n", MaxEntries) + "b=2\nc=3\n"
	r := Parse(source.NewFile("a.properties", []byte(src)))
	if len(r.Entries) != MaxEntries || len(r.Problems) != 1 || r.Problems[0].Span.StartPos().Line != MaxEntries+1 {
		t.Errorf("%d entries, problems %v", len(r.Entries), r.Problems)
	}
}
