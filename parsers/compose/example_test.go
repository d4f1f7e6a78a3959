package compose_test

import (
	"fmt"

	"github.com/tlsvet/tlsvet/internal/source"
	"github.com/tlsvet/tlsvet/parsers/compose"
)

func Example() {
	f := source.NewFile("deploy/compose.yaml", []byte(`services:
  db:
    image: mysql:${MYSQL_TAG:-5.7.30}
    command: ["--log-error-verbosity", "--require_secure_transport=ON", "--tls-version=TLSv1,TLSv1.1"]
    volumes:
      - ./conf/tls.cnf:/etc/mysql/conf.d/tls.cnf:ro
`))
	cf := compose.Parse(f, compose.Options{TakesValue: func(name string) bool { return name == "log-error-verbosity" || name == "tls-version" }})
	db := cf.Service("db")
	fmt.Println("image:", db.Image.Value)
	for _, fl := range db.Command.Flags {
		pos := fl.ValueSpan.StartPos()
		fmt.Printf("--%s = %q at %d:%d swallowed=%v\n", fl.Name, fl.Value, pos.Line, pos.Col, fl.Swallowed)
	}
	v := db.Volumes[0]
	fmt.Println(v.Type, v.Host, "->", v.Target.Value, "ro:", v.ReadOnly)
	// Output:
	// image: mysql:5.7.30
	// --log-error-verbosity = "--require_secure_transport=ON" at 4:41 swallowed=true
	// --tls-version = "TLSv1,TLSv1.1" at 4:88 swallowed=false
	// bind deploy/conf/tls.cnf -> /etc/mysql/conf.d/tls.cnf ro: true
}
