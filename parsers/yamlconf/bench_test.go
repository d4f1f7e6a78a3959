package yamlconf

import (
	"os"
	"testing"

	"github.com/tlsvet/tlsvet/internal/source"
)

// BenchmarkParse reads a Helm-values-sized file with every scalar style,
// anchors and aliases.
func BenchmarkParse(b *testing.B) {
	data, err := os.ReadFile("testdata/bench/values.yaml")
	if err != nil {
		b.Fatal(err)
	}
	f := source.NewFile("values.yaml", data)
	if r := Parse(f, Options{}); len(r.Docs) == 0 || len(r.Problems) > 0 {
		b.Fatalf("unexpected parse: %d documents, problems %v", len(r.Docs), r.Problems)
	}
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		Parse(f, Options{})
	}
}
