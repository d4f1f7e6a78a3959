package sqlrepl

import (
	"testing"

	"github.com/tlsvet/tlsvet/internal/source"
)

// FuzzParse: any text, read as a .sql file and as a shell script, gives
// spans inside the file, in order, and options whose value spans cover
// their string literals.
func FuzzParse(f *testing.F) {
	for _, s := range []string{
		"CHANGE REPLICATION SOURCE TO SOURCE_SSL=1, SOURCE_SSL_CA='/ca.pem' FOR CHANNEL 'a';",
		"/*!80023 CHANGE MASTER 'c' TO MASTER_PASSWORD='p''w\\'', MASTER_SSL=0 */;",
		"DELIMITER //\nCREATE USER a@b IDENTIFIED BY 'x' REQUIRE SUBJECT 's' AND ISSUER 'i'//\n",
		"mysql <<-EOF\n\tCHANGE MASTER TO MASTER_SSL=$X;\n\tEOF\nmariadb -e \"GRANT ALL ON *.* TO u REQUIRE SSL\"\n",
		"CHANGE MASTER TO MASTER_PASSWORD='unterminated\n", "/* open", "mysql <<'E'\nCHANGE MASTER TO",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		for _, parse := range []func(*source.File) *Result{
			func(f *source.File) *Result { return ParseSQL(f, nil) }, ParseShell,
		} {
			file := source.NewFile("x", []byte(text))
			r := parse(file)
			valid := func(what string, s source.Span) {
				if s.File != file || s.Start < 0 || s.Start > s.End || s.End > len(text) {
					t.Fatalf("%s: bad span %+v in %q", what, s, text)
				}
			}
			for _, c := range r.Changes {
				valid("change", c.Span)
				if len(c.Options) == 0 {
					t.Fatalf("a change without options in %q", text)
				}
				for _, o := range c.Options {
					valid("key", o.KeySpan)
					valid("value", o.ValueSpan)
					if o.KeySpan.End > o.ValueSpan.Start || o.KeySpan.Text() != o.Key {
						t.Fatalf("option %+v in %q", o, text)
					}
					if o.Quote != 0 && o.ValueSpan.Text()[0] != o.Quote {
						t.Fatalf("quoted value %q does not start with its quote", o.ValueSpan.Text())
					}
				}
			}
			for _, a := range r.Accounts {
				valid("account", a.Span)
				valid("require", a.RequireSpan)
			}
			for _, p := range r.Problems {
				valid("problem", p.Span)
			}
		}
	})
}
