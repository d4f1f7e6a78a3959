package compose

import (
	"strings"
	"testing"

	"github.com/tlsvet/tlsvet/internal/source"
)

// FuzzParse checks that Parse never panics, that every span of a text
// lies inside the file, and that an exact span of a text with nothing
// decoded in it (no quote, escape, fold or reference) reads back its
// value. The seeds are in testdata/fuzz/FuzzParse.
func FuzzParse(f *testing.F) {
	f.Add([]byte("services:\n  db:\n    image: mysql:${TAG:-8.0}\n    command: --tls-version=TLSv1 'x y' \"a\\\"b\"\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		sf := source.NewFile("compose.yaml", b)
		cf := Parse(sf, Options{Env: env{"A": "a b", "E": ""}, TakesValue: func(string) bool { return true }})
		check := func(x *Text) {
			if x == nil {
				return
			}
			for i := 0; i <= len(x.Value); i++ {
				for _, j := range []int{i, len(x.Value)} {
					sp, ok := x.SpanOf(i, j)
					if sp.Start < 0 || sp.End < sp.Start || sp.End > len(b) {
						t.Fatalf("%q [%d:%d] spans %d-%d of %d bytes", x.Value, i, j, sp.Start, sp.End, len(b))
					}
					if ok && !strings.ContainsAny(sp.Text(), "\"'\\$\n\r\t ") && sp.Text() != x.Value[i:j] {
						t.Fatalf("%q [%d:%d] exact at %q", x.Value, i, j, sp.Text())
					}
				}
			}
		}
		for _, s := range cf.Services {
			check(s.Image)
			for _, c := range []*Command{s.Command, s.Entrypoint, s.Healthcheck} {
				if c == nil {
					continue
				}
				for _, a := range c.Args {
					check(a)
				}
				for i := range c.Flags {
					fl := &c.Flags[i]
					fl.Offset(len(fl.Value))
					fl.Removal()
					fl.Spell("TLSv1.2")
				}
			}
			for _, v := range s.Volumes {
				check(v.Source)
				check(v.Target)
			}
			for _, e := range s.Environment {
				check(e.Value)
			}
		}
	})
}
