package envfile

import (
	"strings"
	"testing"

	"github.com/tlsvet/tlsvet/internal/source"
)

// FuzzParse checks that Parse never panics, that every span lies in the
// file, that keys are their span's text, and that the decoded-to-file
// mapping of every value is monotonic and stays inside the value.
func FuzzParse(f *testing.F) {
	for _, s := range []string{
		"", "A=1", "export A='x'", "A=\"a\\n\\\"b\" # c", "A=\"\n", "A='\\'", "A=${X:-${Y}}$$Z$W",
		"A=\"\\0101\\0\"", "\xef\xbb\xbfA B=1\n=2\nC", "A=v # c\r\nB: \"é\\t\"\r\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		file := source.NewFile(".env", b)
		r := Parse(file)
		in := func(what string, s source.Span) {
			if s.File != file || s.Start < 0 || s.Start > s.End || s.End > len(b) {
				t.Fatalf("%s span %d-%d out of file (len %d)", what, s.Start, s.End, len(b))
			}
		}
		for _, p := range r.Problems {
			in("problem", p.Span)
		}
		for _, c := range r.Comments {
			in("comment", c)
			if !strings.HasPrefix(c.Text(), "#") {
				t.Fatalf("comment %q", c.Text())
			}
		}
		for i := range r.Entries {
			e := &r.Entries[i]
			in("key", e.KeySpan)
			if e.KeySpan.Text() != e.Key {
				t.Fatalf("key %q, span text %q", e.Key, e.KeySpan.Text())
			}
			if !e.HasValue {
				continue
			}
			in("value", e.ValueSpan)
			prevS, prevE := -1, -1
			for d := 0; d <= len(e.Value); d++ {
				s, en := e.m.Start(d), e.m.End(d)
				if s < prevS || en < prevE || s < e.ValueSpan.Start || en > e.ValueSpan.End {
					t.Fatalf("value %q of %q: offset %d maps to %d/%d (before %d/%d, span %v)",
						e.Value, e.ValueSpan.Text(), d, s, en, prevS, prevE, e.ValueSpan)
				}
				prevS, prevE = s, en
			}
			for _, ref := range e.Refs {
				in("ref", ref.Span)
				if e.Value[ref.Start:ref.End] != ref.Span.Text() {
					t.Fatalf("ref %q: value text %q, file text %q", ref.Name, e.Value[ref.Start:ref.End], ref.Span.Text())
				}
			}
		}
	})
}
