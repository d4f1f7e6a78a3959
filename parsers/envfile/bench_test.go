package envfile

import (
	"strings"
	"testing"

	"github.com/tlsvet/tlsvet/internal/source"
)

// BenchmarkParse parses a 300-line .env of the usual mix: plain, quoted,
// escaped and interpolated values, and comments.
func BenchmarkParse(b *testing.B) {
	data := []byte(strings.Repeat(`# database
export DB_HOST=db.internal
DB_PASSWORD='s3cr3t#x'
DATABASE_URL="mysql://app:${DB_PASSWORD}@${DB_HOST:-db}:3306/app?tls=true&x=\"y\""
APP_NAME=shop # the name
`, 60))
	f := source.NewFile(".env", data)
	if r := Parse(f); len(r.Entries) != 240 || len(r.Problems) > 0 {
		b.Fatalf("unexpected parse: %d entries, problems %v", len(r.Entries), r.Problems)
	}
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		Parse(f)
	}
}
