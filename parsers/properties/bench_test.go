package properties

import (
	"strings"
	"testing"

	"github.com/tlsvet/tlsvet/internal/source"
)

// BenchmarkParse parses a 300-line Spring application.properties with
// comments, escapes and continuations.
func BenchmarkParse(b *testing.B) {
	data := []byte(strings.Repeat(`# datasource
spring.datasource.url=jdbc:mysql://db:3306/app?sslMode=VERIFY_IDENTITY&\
    trustCertificateKeyStoreUrl=file:/etc/ca.jks
spring.datasource.username = app
spring.datasource.password: s3cr3t
app.greeting=Gr\u00fc\u00dfe\tand welcome
logging.level.root INFO
`, 50))
	f := source.NewFile("application.properties", data)
	if r := Parse(f); len(r.Entries) != 250 || len(r.Problems) > 0 {
		b.Fatalf("unexpected parse: %d entries, problems %v", len(r.Entries), r.Problems)
	}
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		Parse(f)
	}
}
