//go:build linux

package hostile

import (
	"strings"
	"testing"
)

// sqlTrees are hostile .sql files and shell scripts (issue 12, parsers/sqlrepl):
// files just under the size cap made of one token kind, statements and
// heredocs that never end, quotes that never close before a password.
// Each run keeps e.run's bounds (memory, time, nothing outside the root)
// and shows no password.
var sqlTrees = []struct {
	name string
	test func(t *testing.T, e *env)
}{
	{"sql-huge-and-unclosed", func(t *testing.T, e *env) {
		pw, pw2, pw3 := token(t, "PW-"), token(t, "PW-"), token(t, "PW-")
		change := "CHANGE MASTER TO MASTER_PASSWORD='" + pw + "', MASTER_SSL=1;\n"
		// A dump's giant INSERT, then the statement tlsvet judges.
		e.write("dump.sql", "INSERT INTO t VALUES "+fill("(1),", underCap-200)+"(1);\n"+change)
		// One statement of single-byte tokens and one of nested parentheses.
		e.write("commas.sql", "CHANGE MASTER TO MASTER_SSL=0"+fill(",", underCap)+";\n")
		e.write("parens.sql", "CHANGE MASTER TO IGNORE_SERVER_IDS="+fill("(", underCap/2)+fill(")", underCap/2)+", MASTER_SSL=0;\n")
		// Comments and quotes that never close; a heredoc without its end.
		e.write("comment.sql", "CHANGE MASTER TO MASTER_SSL=0; /* "+fill("x", underCap)+"\nCHANGE MASTER TO MASTER_PASSWORD='"+pw2+"';\n")
		e.write("quote.sql", "CHANGE MASTER TO MASTER_SSL=1, MASTER_PASSWORD='"+pw3+fill(" x", underCap)+"\n")
		e.write("repl.sh", "mysql <<EOF\n"+strings.Repeat("CHANGE MASTER TO MASTER_SSL=0;\n", 20000)+"mysql -e \"CHANGE MASTER TO MASTER_PASSWORD='"+pw+"'\n")
		e.write("many.sh", strings.Repeat("mysql -e \"x\n", 100000))
		// A dump over the size cap is a notice, not a parse error.
		e.write("seed.sql", fill("INSERT INTO t VALUES (1);\n", 5<<20))
		r := e.run()
		wantCode(t, r, 1)
		wantIn(t, r, r.all(), "seed.sql: warning: not read: too large")
		if strings.Contains(r.stdout, "seed.sql:1:1") {
			t.Errorf("a SQL dump over the cap is a finding:\n%s", head(r.stdout))
		}
		wantIn(t, r, r.stdout, "dump.sql:2:", "commas.sql:", "parens.sql:", "comment.sql:1:32: error: comment /* is never closed",
			"quote.sql:1:48: error: string quote ' is never closed", "repl.sh:2:", "[TV408 ")
		for _, f := range formats {
			r := e.run("--format", f)
			e.noLeak(r.args, "output", r.all(), pw, pw2, pw3)
		}
		r = e.run("--diff")
		e.noLeak(r.args, "--diff", r.all(), pw, pw2, pw3)
	}},
}
