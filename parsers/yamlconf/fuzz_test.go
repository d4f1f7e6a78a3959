package yamlconf

import (
	"testing"

	"github.com/tlsvet/tlsvet/internal/source"
)

// FuzzParse checks that Parse never panics, that every span lies inside
// the file, and that each scalar's decoded-to-source mapping is monotonic
// and verbatim where it says so (checkResult).
func FuzzParse(f *testing.F) {
	for _, s := range []string{
		"", "k: v\n", "k: \"a\\x41\\u00e9\\\n  b\"\n", "k: 'it''s'\n", "k: |2-\n    x\n   y\n", "k: >+\n  a\n\n  b\n\n",
		"a: &a [x, *a]\n", "- &x {a: b}\n- *x\n", "a: 1\n---\nb: 2\n...\n", "k: a\r\n  b\r\n", "\xef\xbb\xbfk: é\tü\n",
		"k: a\u2028 b\x85c\n", "{a: [b, {c: d}], e: 'f'}\n", "? [a]\n: b\n", "password: x\nsecret: *y\n",
	} {
		f.Add([]byte(s))
	}
	f.Add([]byte(aliasBomb()))
	f.Fuzz(func(t *testing.T, b []byte) {
		r := Parse(source.NewFile("f.yaml", b), Options{MaxAliasNodes: 1000})
		checkResult(t, r)
	})
}
