package connstr_test

import (
	"fmt"

	"github.com/tlsvet/tlsvet/internal/source"
	"github.com/tlsvet/tlsvet/parsers/connstr"
	"github.com/tlsvet/tlsvet/parsers/dsn"
	"github.com/tlsvet/tlsvet/parsers/envfile"
)

// Example shows what the loader does with a file: read it with the
// project's .env, parse each string as its dialect, and turn a
// parameter's new value into an edit of the file's bytes.
func Example() {
	env := connstr.NewEnv(envfile.Parse(source.NewFile(".env", []byte("DB_HOST=db.internal\n"))))
	f := source.NewFile("deploy/app.env", []byte("DSN=\"app:s3cret@tcp(${DB_HOST})/app?tls=skip-verify\"\n"))
	r := connstr.Scan(f, connstr.Detect(f.Path), env)
	for _, s := range r.Strings {
		fmt.Println(s.Key, s.Dialect, s.Value)
		d, err := dsn.Parse(s.Dialect, s.Value)
		if err != nil {
			continue
		}
		for i := range d.Params {
			p := &d.Params[i]
			if p.Key != "tls" {
				continue
			}
			sp, exact := s.ParamSpan(p, 0, len(p.Value))
			text, ok := s.Container.Quote("true")
			if exact && ok {
				pos := sp.StartPos()
				fmt.Printf("%d:%d replace %q with %q\n", pos.Line, pos.Col, sp.Text(), text)
			}
		}
	}
	fmt.Println("secret marked:", f.HasSecret(9, 15), f.HasSecret(8, 9))
	// Output:
	// DSN go-sql-driver/mysql app:******@tcp(db.internal)/app?tls=skip-verify
	// 1:41 replace "skip-verify" with "true"
	// secret marked: true false
}
