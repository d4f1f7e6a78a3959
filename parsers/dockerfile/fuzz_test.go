package dockerfile

import (
	"strings"
	"testing"

	"github.com/tlsvet/tlsvet/internal/source"
)

// FuzzParse checks that Parse never panics, that every span lies in the
// file, that a Literal word is its span's text, and that the
// decoded-to-file maps of words and written files are monotonic and stay
// in the file (words: inside their own span). The seed corpus is under
// testdata/fuzz/FuzzParse.
func FuzzParse(f *testing.F) {
	for _, s := range []string{
		"", "FROM mysql:8.0\n", "ARG V=5.7\nFROM mysql:${V} AS db\nCOPY conf/ /etc/mysql/conf.d/\n",
		"FROM a\nCMD [\"mysqld\", \"--ssl-cipher=A\\u003aB\"]\n",
		"FROM a\nRUN printf '[mysqld]\\nssl=1\\n' > /etc/my.cnf\n",
		"FROM a\nRUN cat <<-EOF > /f\n\tx\n\tEOF\n", "# escape=`\nFROM a `\n AS b\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		file := source.NewFile("Dockerfile", b)
		r := Parse(file)
		in := func(what string, s source.Span) {
			if s.File != file || s.Start < 0 || s.Start > s.End || s.End > len(b) {
				t.Fatalf("%s span %d-%d out of file (len %d)", what, s.Start, s.End, len(b))
			}
		}
		word := func(what string, w *Word) {
			in(what, w.Span)
			if w.Literal && w.Span.Text() != w.Text {
				t.Fatalf("%s: literal %q, span text %q", what, w.Text, w.Span.Text())
			}
			prevS, prevE := -1, -1
			for d := 0; d <= len(w.Text); d++ {
				s, e := w.m.Start(d), w.m.End(d)
				if s < prevS || e < prevE || s < w.Span.Start || e > w.Span.End {
					t.Fatalf("%s %q of %q: offset %d maps to %d/%d (before %d/%d, span %v)",
						what, w.Text, w.Span.Text(), d, s, e, prevS, prevE, w.Span)
				}
				prevS, prevE = s, e
			}
		}
		for _, p := range r.Problems {
			in("problem", p.Span)
		}
		for i := range r.Args {
			in("arg name", r.Args[i].NameSpan)
			if r.Args[i].HasDefault {
				word("arg default", &r.Args[i].Default)
			}
		}
		for _, st := range r.Stages {
			in("stage", st.Span)
			word("image", &st.Image)
			if st.Platform != nil {
				word("platform", st.Platform)
			}
			for _, c := range st.Copies {
				in("copy", c.Span)
				word("dest", &c.Dest)
				for _, s := range c.Sources {
					word("source", &s.Path)
					if s.Context && (s.ContextPath == ".." || strings.HasPrefix(s.ContextPath, "../") || strings.HasPrefix(s.ContextPath, "/")) {
						t.Fatalf("context path %q of %q leaves the context", s.ContextPath, s.Path.Text)
					}
				}
			}
			for _, c := range []*Command{st.Cmd, st.Entrypoint} {
				if c != nil {
					in("command", c.Span)
					for k := range c.Args {
						word("command arg", &c.Args[k])
					}
				}
			}
			for k := range st.Env {
				in("env key", st.Env[k].KeySpan)
				word("env", &st.Env[k].Value)
			}
			for _, w := range st.Files {
				in("file", w.Span)
				word("file path", &w.Path)
				prevS, prevE := -1, -1
				for d := 0; d <= len(w.Content); d++ {
					s, e := w.m.Start(d), w.m.End(d)
					if s < prevS || e < prevE || s < 0 || e > len(b) {
						t.Fatalf("content %q: offset %d maps to %d/%d (before %d/%d)", w.Content, d, s, e, prevS, prevE)
					}
					prevS, prevE = s, e
				}
			}
		}
	})
}
