package properties

import (
	"testing"

	"github.com/tlsvet/tlsvet/internal/source"
)

// FuzzParse checks that Parse never panics, that every span lies in the
// file, and that the decoded-to-file mappings of keys and values are
// monotonic and stay inside their spans.
func FuzzParse(f *testing.F) {
	for _, s := range []string{
		"", "a=1", "a\\=b : c", "# c\\\na=1", "a=x\\\n  y\\", "k=\\u0041\\ud83d\\ude00\\u12", "\\\n#x\n", "a=b\\\r\n\r\n",
		"spring.datasource.url=jdbc:mysql://db/app?useSSL=false", "clé=\\é\r!c",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		file := source.NewFile("a.properties", b)
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
		}
		prev := -1
		for i := range r.Entries {
			e := &r.Entries[i]
			in("key", e.KeySpan)
			in("value", e.ValueSpan)
			if e.KeySpan.Start <= prev || e.ValueSpan.Start < e.KeySpan.End {
				t.Fatalf("entry %d out of order: key %v value %v", i, e.KeySpan, e.ValueSpan)
			}
			prev = e.KeySpan.Start
			monotonic(t, "key", e.Key, e.KeySpan, e.KeyPart)
			monotonic(t, "value", e.Value, e.ValueSpan, e.Span)
		}
	})
}

// monotonic checks that spans of growing decoded ranges [0, d) and
// [d, len) move forward and stay inside the text's span.
func monotonic(t *testing.T, what, text string, span source.Span, sub func(int, int) source.Span) {
	prevS, prevE := -1, -1
	for d := 0; d <= len(text); d++ {
		head, tail := sub(0, d), sub(d, len(text))
		if head.End < prevE || tail.Start < prevS || head.Start < span.Start || tail.End > span.End || head.End > span.End || tail.Start < span.Start {
			t.Fatalf("%s %q of %q: offset %d maps to %v/%v (before %d/%d, span %v)", what, text, span.Text(), d, head, tail, prevS, prevE, span)
		}
		prevS, prevE = tail.Start, head.End
	}
}
