package appini

import (
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/tlsvet/tlsvet/internal/source"
)

// BenchmarkParse parses the Router fixture grown to 103 routes, the ini.v1
// cross-check and the route readings included.
func BenchmarkParse(b *testing.B) {
	conf, err := os.ReadFile("testdata/mysqlrouter.conf")
	if err != nil {
		b.Fatal(err)
	}
	var sb strings.Builder
	sb.Write(conf)
	for i := range 100 {
		sb.WriteString("\n[routing:r" + strconv.Itoa(i) + "]\nbind_port=6500\ndestinations=db1:3306\n" +
			"server_ssl_mode=REQUIRED\nserver_ssl_verify=VERIFY_CA\nserver_ssl_ca=/ca.pem\n")
	}
	f := source.NewFile("mysqlrouter.conf", []byte(sb.String()))
	if r := Parse(f, Router); len(r.Routes) != 103 || len(r.Problems) > 0 {
		b.Fatalf("unexpected parse: %d routes, problems %v", len(r.Routes), r.Problems)
	}
	b.SetBytes(int64(len(f.Content)))
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		Parse(f, Router)
	}
}
