package mycnf

import (
	"os"
	"testing"

	"github.com/tlsvet/tlsvet/internal/source"
)

// BenchmarkParse parses a realistic 200-line production my.cnf.
func BenchmarkParse(b *testing.B) {
	data, err := os.ReadFile("testdata/bench/my.cnf")
	if err != nil {
		b.Fatal(err)
	}
	f := source.NewFile("my.cnf", data)
	if r := Parse(f); len(r.Entries) < 120 || len(r.Errors) > 0 {
		b.Fatalf("unexpected parse: %d entries, errors %v", len(r.Entries), r.Errors)
	}
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		Parse(f)
	}
}
