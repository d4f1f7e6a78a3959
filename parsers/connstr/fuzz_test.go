package connstr

import (
	"testing"

	"github.com/tlsvet/tlsvet/internal/source"
)

// fuzzNames picks the file kind from the fuzzer's first byte.
var fuzzNames = []string{".env", "a.properties", "application.properties", "a.yml", "application.yml",
	"config/database.yml", "a.json", "a.toml", "a.go"}

// FuzzScan checks that Scan never panics on any kind, that every span
// lies in the file and every string's mapped ranges lie inside its span
// in order (checkResult), and that an exact span of a whole value holds
// a text that Quote can write back.
func FuzzScan(f *testing.F) {
	for i, s := range []string{
		"DSN=\"u:p\\\"w@tcp(h)/d?tls=skip-verify\" # c\nX=${A:-mysql://h/d}\n",
		"spring.datasource.url=jdbc:mysql://h/d?\\\n useSSL\\=false\n",
		"spring.datasource.url=jdbc:mysql://${H:h}/d\n",
		"a: [\"mysqlx://u@h/d\", 'jdbc:mariadb://h/d?useSsl=true']\nb: >-\n  u@tcp(h)/d?\n  tls=true\n",
		"spring:\n  r2dbc:\n    url: r2dbc:mysql://h/d\n",
		"d: &d\n  adapter: mysql2\n  sslca: /ca\nproduction:\n  <<: *d\n  url: <%= ENV['U'] %>\n",
		"{\"a\": [\"mysql://u:p@h/d\\u003f\", {\"b\": \"Server=h;SslMode=None\"}]}",
		"[t]\nu = \"\"\"\nmysql+pymysql://u@h/d?\\\n  ssl_ca=x\"\"\"\n[[a]]\nb = { c = 'u@tcp(h)/' }\n",
		"package a\nconst d = \"u@tcp(h)/d?tls=\\x41\"\nvar e = `u@unix(/s)/\r`\n",
	} {
		f.Add(byte(i), []byte(s))
	}
	f.Fuzz(func(t *testing.T, kind byte, b []byte) {
		name := fuzzNames[int(kind)%len(fuzzNames)]
		r := Scan(source.NewFile(name, b), Detect(name), nil)
		checkResult(t, r)
	})
}
