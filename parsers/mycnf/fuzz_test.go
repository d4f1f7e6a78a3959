package mycnf

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tlsvet/tlsvet/internal/source"
)

// FuzzParse checks that Parse never panics, that every span lies inside
// the file and is ordered, and that the parts of a line come in order.
func FuzzParse(f *testing.F) {
	seeds, _ := filepath.Glob("testdata/diff/*.cnf")
	for _, s := range seeds {
		if b, err := os.ReadFile(s); err == nil {
			f.Add(b)
		}
	}
	for _, s := range []string{
		"", "[", "]", "[client", "=", "  = x", "!include", "!include ", "!include x", "!includedir \n",
		"[client]\n\"", "[client]\na='\\", "[client]\nk\\'=\"#\"#", "\xef\xbb\xbf[client]", "[c]\x00\n=\x00",
		"[client]\r\n\r\n\ra=\r", "[client]\n" + strings.Repeat("x", 5000) + "=1\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		file := source.NewFile("f.cnf", b)
		r := Parse(file)
		check := func(what string, s source.Span) {
			if s.File != file || s.Start < 0 || s.Start > s.End || s.End > len(b) {
				t.Fatalf("%s span %d-%d out of file (len %d)", what, s.Start, s.End, len(b))
			}
		}
		for _, g := range r.Groups {
			check("group", g.Span)
			check("header", g.Header)
			if g.Span.Start <= g.Header.Start || g.Span.End >= g.Header.End || g.Span.Text() != g.Name {
				t.Fatalf("group %q: name %v not inside header %v", g.Name, g.Span, g.Header)
			}
		}
		prev := -1
		for i := range r.Entries {
			e := &r.Entries[i]
			if e.Group == nil {
				t.Fatal("entry without group")
			}
			check("key", e.KeySpan)
			if e.KeySpan.Text() != e.Key {
				t.Fatalf("key %q but span text %q", e.Key, e.KeySpan.Text())
			}
			if e.KeySpan.Start <= prev {
				t.Fatalf("entries out of order at %d", e.KeySpan.Start)
			}
			prev = e.KeySpan.Start
			if e.HasValue {
				check("value", e.ValueSpan)
				if e.ValueSpan.Start <= e.KeySpan.End {
					t.Fatalf("value %v does not follow key %v", e.ValueSpan, e.KeySpan)
				}
			} else if e.ValueSpan.IsValid() || e.Value != "" {
				t.Fatal("bare option with a value")
			}
			if e.Comment.IsValid() {
				check("comment", e.Comment)
				if e.Comment.Start < e.KeySpan.End || e.HasValue && e.Comment.Start < e.ValueSpan.End || b[e.Comment.Start] != '#' {
					t.Fatalf("comment %v misplaced", e.Comment)
				}
			}
			if strings.ContainsAny(e.Key, "\n\x00") {
				t.Fatalf("key %q spans lines", e.Key)
			}
		}
		for _, c := range r.Comments {
			check("comment", c)
			if m := b[c.Start]; m != '#' && m != ';' {
				t.Fatalf("comment starts with %q", m)
			}
		}
		for _, inc := range r.Includes {
			check("include", inc.Span)
			check("target", inc.TargetSpan)
			if inc.TargetSpan.Start < inc.Span.Start || inc.TargetSpan.End > inc.Span.End || inc.TargetSpan.Text() != inc.Target {
				t.Fatalf("include target %v outside directive %v", inc.TargetSpan, inc.Span)
			}
			if !strings.HasPrefix(inc.Target, inc.Opened) {
				t.Fatalf("opened %q is not a prefix of target %q", inc.Opened, inc.Target)
			}
		}
		for _, e := range r.Errors {
			check("error", e.Span)
			if !e.Fatal {
				t.Fatal("an error in a parsed file is fatal")
			}
		}
		if len(r.Errors) > 1 {
			t.Fatal("the first error ends the file")
		}
	})
}

// FuzzEndComment checks endComment against a direct port of
// remove_end_comment() from my_default.cc.
func FuzzEndComment(f *testing.F) {
	for _, s := range []string{"a=b#c", "a='#'#", `a="\"#"#`, `k'ey=a#b' #c`, `"\`, `a="b'#"`, `\#`, `'\'#'#`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, line []byte) {
		want := len(line)
		var quote byte
		escape := false
		for i, c := range line {
			if (c == '\'' || c == '"') && !escape {
				if quote == 0 {
					quote = c
				} else if quote == c {
					quote = 0
				}
			}
			if quote == 0 && c == '#' {
				want = i
				break
			}
			escape = quote != 0 && c == '\\' && !escape
		}
		if got := endComment(line, 0, len(line)); got != want {
			t.Fatalf("endComment(%q) = %d, want %d", line, got, want)
		}
	})
}
