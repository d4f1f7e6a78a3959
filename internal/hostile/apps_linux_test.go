//go:build linux

package hostile

import (
	"fmt"
	"strings"
	"testing"
)

// underCap is a file size just below the loader's 4 MiB cap on one file:
// a file of this size is read and parsed, not refused as too large.
const underCap = 4<<20 - 64<<10

// goDSN is a Go driver DSN that TV302 reports (tls=skip-verify); pw is its
// password.
func goDSN(pw string) string { return "app:" + pw + "@tcp(db:3306)/app?tls=skip-verify" }

// billionLaughs is a YAML alias bomb: nine levels of nine aliases, 9^9
// nodes when expanded, in about 400 bytes.
func billionLaughs() string {
	var b strings.Builder
	b.WriteString(`a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]` + "\n")
	for c := 'b'; c <= 'i'; c++ {
		fmt.Fprintf(&b, "%c: &%c [%s]\n", c, c, strings.TrimSuffix(strings.Repeat("*"+string(c-1)+",", 9), ","))
	}
	return b.String()
}

// fill returns n bytes of unit repeated (cut to n).
func fill(unit string, n int) string {
	return strings.Repeat(unit, n/len(unit)+1)[:n]
}

// appTrees are hostile application files (issue 9): the readers of .env,
// properties, YAML, JSON, TOML and Go files behind parsers/connstr. Each
// run keeps e.run's properties (bounded memory and time, no crash, no
// secret of the environment or outside the root); each tree also holds a
// password of its own that must appear in no output.
var appTrees = []struct {
	name string
	test func(t *testing.T, e *env)
}{
	{"env-line-of-10MB", func(t *testing.T, e *env) {
		pw := token(t, "PW-")
		e.write(".env", "BIG=\""+strings.Repeat("A", 10<<20)+"\"\nDB=\""+goDSN(pw)+"\"\n")
		// Under the cap the value is read: the DSN after it is judged and
		// the snippet stays a window.
		e.write("under/.env", "BIG=\""+strings.Repeat("A", underCap)+"\"\nDB=\""+goDSN(pw)+"\"\n")
		e.write("under/one.env", "DB=\""+goDSN(pw)+"&x="+strings.Repeat("A", underCap)+"\"\n")
		r := e.run()
		wantCode(t, r, 1)
		wantIn(t, r, r.stdout, ".env:1:1: error: cannot read: too large", "under/.env:2:", "under/one.env:1:", "[TV302 ")
		if len(r.stdout) > 64<<10 {
			t.Errorf("text report is %d bytes; snippets of long lines must show a bounded window", len(r.stdout))
		}
		for _, f := range formats {
			r := e.run("--format", f)
			e.noLeak(r.args, "output", r.all(), pw)
		}
		e.noLeak(r.args, "output", r.all(), pw)
	}},
	{"one-secret-of-4MiB", func(t *testing.T, e *env) {
		// The only secret of the run, megabytes long and periodic: a
		// masker built for one string (Boyer-Moore) takes time in the
		// square of its length. The DSN's password is too short to count.
		long := "x" + fill(", k: v", underCap)
		e.write(".env", "DB_PASSWORD="+long+"\nDB=\"app:pw@tcp(db)/app?tls=skip-verify\"\n")
		r := e.run()
		wantCode(t, r, 1)
		wantIn(t, r, r.stdout, ".env:2:", "[TV302 ")
		e.run("--format", "sarif")
		e.write(".env", "DB=\"app:pw@tcp(db)/app?tls=skip-verify\"\n")
		e.write("my.cnf", "[client]\nssl-mode=DISABLED\npassword="+long+"\n")
		r = e.run()
		wantCode(t, r, 1)
		wantIn(t, r, r.stdout, "my.cnf:2:", "[TV301 ")
	}},
	{"env-unterminated-quote", func(t *testing.T, e *env) {
		pw, pw2 := token(t, "PW-"), token(t, "PW-")
		// compose reads a double-quoted value across lines; this one never
		// closes, over 200 000 lines.
		e.write(".env", "DB=\""+goDSN(pw)+"\n"+strings.Repeat("X=1\n", 200000))
		// Here a later quote closes it, and the text after that quote is a
		// password.
		e.write("b/.env", "A=\"x\nDB_PASSWORD=\""+pw2+"\nDB=jdbc:mysql://db/app?useSSL=false\n")
		r := e.run()
		wantCode(t, r, 1)
		wantIn(t, r, r.stdout, ".env:1:4: error: unterminated quoted value", "b/.env:2:", "[TV001 ")
		for _, f := range formats {
			r := e.run("--format", f)
			wantCode(t, r, 1)
			e.noLeak(r.args, "output", r.all(), pw, pw2)
		}
		r = e.run("--diff")
		e.noLeak(r.args, "output", r.all(), pw, pw2)
	}},
	{"yaml-alias-bomb", func(t *testing.T, e *env) {
		pw := token(t, "PW-")
		tail := "url: \"jdbc:mysql://app:" + pw + "@db/app?useSSL=false\"\n"
		// Spring refuses its file: a TV001 error. A plain YAML file gets
		// a notice, and what was read before the bomb is still judged.
		e.write("application.yml", billionLaughs()+tail)
		e.write("chart/values.yaml", billionLaughs()+tail)
		// The bomb after the DSN, in a flow sequence of aliases.
		e.write("k8s/app.yaml", tail+"x: &x [*x]\n"+billionLaughs())
		r := e.run()
		wantCode(t, r, 1)
		wantIn(t, r, r.stdout, "application.yml:", "alias", "chart/values.yaml:10:", "[TV301 ")
		wantIn(t, r, r.all(), "chart/values.yaml (not read as YAML: alias expansion exceeds")
		for _, f := range formats {
			r := e.run("--format", f)
			wantCode(t, r, 1)
			e.noLeak(r.args, "output", r.all(), pw)
		}
	}},
	{"yaml-flow-mapping-4MiB", func(t *testing.T, e *env) {
		pw := token(t, "PW-")
		tail := `, url: "jdbc:mysql://app:` + pw + `@db/app?useSSL=false"}` + "\n"
		body := "{" + fill("k: v, ", underCap-len(tail)-1) + "k: v" + tail
		// Every key is k: a duplicate-key check must stay linear too.
		e.write("values.yaml", body)
		e.write("application.yml", body)
		// A flow mapping nested 100 000 deep.
		e.write("deep.yaml", strings.Repeat("{a: ", 100000)+"tls"+strings.Repeat("}", 100000)+"\n")
		r := e.run()
		wantCode(t, r, 1)
		wantIn(t, r, r.all(), "values.yaml", "application.yml", "deep.yaml")
		if len(r.stdout) > 64<<10 {
			t.Errorf("text report is %d bytes; snippets of long lines must show a bounded window", len(r.stdout))
		}
		for _, f := range formats {
			r := e.run("--format", f)
			e.noLeak(r.args, "output", r.all(), pw)
		}
	}},
	{"json-huge-string", func(t *testing.T, e *env) {
		pw := token(t, "PW-")
		e.write("big.json", `{"db": "jdbc:mysql://app:`+pw+`@db/app?useSSL=false&x=`+strings.Repeat("A", 10<<20)+`"}`)
		e.write("under.json", `{"db": "jdbc:mysql://app:`+pw+`@db/app?useSSL=false&x=`+strings.Repeat("A", underCap)+`"}`)
		// Many short strings that each might be a DSN.
		e.write("many.json", "["+fill(`"mysql://a:b@h/d?ssl-mode=DISABLED",`, underCap)+`"x"]`)
		// An escape in every byte of a string.
		e.write("esc.json", `{"db": "`+fill(`\u0041`, underCap)+`mysql"}`)
		r := e.run()
		wantCode(t, r, 1)
		wantIn(t, r, r.stdout, "big.json:1:1: error: cannot read: too large", "under.json:1:", "[TV301 ")
		if len(r.stdout) > 64<<10 {
			t.Errorf("text report is %d bytes; findings in one file must stay bounded", len(r.stdout))
		}
		for _, f := range formats {
			r := e.run("--format", f)
			e.noLeak(r.args, "output", r.all(), pw)
		}
	}},
	{"go-string-4MiB", func(t *testing.T, e *env) {
		pw := token(t, "PW-")
		e.write("big.go", "package main\n\nconst s = \""+strings.Repeat("A", underCap)+"\"\n\nconst dsn = \""+goDSN(pw)+"\"\n")
		e.write("raw.go", "package main\n\nconst s = `"+fill("mysql\n", underCap)+"`\n\nconst dsn = `"+goDSN(pw)+"`\n")
		e.write("concat.go", "package main\n\nconst s = "+fill(`"tls" + `, underCap)+"\"\"\n")
		e.write("huge.go", "package main\n\nconst s = \""+strings.Repeat("A", 10<<20)+"\"\n")
		r := e.run()
		wantCode(t, r, 1)
		wantIn(t, r, r.stdout, "big.go:5:", "raw.go:", "[TV302 ", "huge.go:1:1: error: cannot read: too large")
		for _, f := range formats {
			r := e.run("--format", f)
			e.noLeak(r.args, "output", r.all(), pw)
		}
	}},
	{"properties-endless-continuations", func(t *testing.T, e *env) {
		pw := token(t, "PW-")
		head := "spring.datasource.url=jdbc:mysql://app:" + pw + "@db/app?useSSL=false\\\n"
		e.write("application.properties", head+fill("\\\n", underCap-len(head)))
		e.write("indented.properties", head+fill("   \\\n", underCap-len(head)))
		r := e.run()
		wantCode(t, r, 1)
		wantIn(t, r, r.all(), "application.properties:1:", "indented.properties:1:")
		if len(r.stdout) > 64<<10 {
			t.Errorf("text report is %d bytes; a value over many lines must be shown as a bounded window", len(r.stdout))
		}
		for _, f := range formats {
			r := e.run("--format", f)
			e.noLeak(r.args, "output", r.all(), pw)
		}
		r = e.run("--diff")
		e.noLeak(r.args, "output", r.all(), pw)
	}},
	{"properties-continuation-per-character", func(t *testing.T, e *env) {
		// One character per continued line, to the end of the file, the
		// last line without a newline: each line is a piece of the value
		// with its own offset. Alone in its tree: the properties parser's
		// pieces and offset maps cost about 30 times the file's size, so a
		// few such files read in parallel exceed the harness's limit.
		pw := token(t, "PW-")
		head := "spring.datasource.url=jdbc:mysql://app:" + pw + "@db/app?useSSL=false\\\n"
		e.write("application.properties", head+fill("x\\\n", underCap-len(head)-1)+"\\")
		for _, f := range formats {
			r := e.run("--format", f)
			wantCode(t, r, 0, 1)
			e.noLeak(r.args, "output", r.all(), pw)
		}
	}},
	{"toml-huge-string", func(t *testing.T, e *env) {
		pw := token(t, "PW-")
		e.write("big.toml", "a = \""+strings.Repeat("mysql", underCap/5)+"\"\n[db]\ndsn = \""+goDSN(pw)+"\"\n")
		e.write("list.toml", "a = ["+fill(`"tls",`, underCap)+"\"x\"]\n")
		e.write("multi.toml", "a = '''"+fill("mysql\n", underCap)+"'''\ndsn = '"+goDSN(pw)+"'\n")
		r := e.run()
		wantCode(t, r, 1)
		wantIn(t, r, r.stdout, "big.toml:3:", "multi.toml:", "[TV302 ")
		for _, f := range formats {
			r := e.run("--format", f)
			e.noLeak(r.args, "output", r.all(), pw)
		}
	}},
	{"ini-line-of-10MB", func(t *testing.T, e *env) {
		pw := token(t, "PW-")
		dsn := "[shop]\nDriver=MySQL ODBC 8.0 Unicode Driver\nSERVER=db\nPWD=" + pw + "\nSSLMODE=PREFERRED\n"
		e.write("odbc.ini", dsn+"X="+strings.Repeat("A", 10<<20)+"\n")
		e.write("under/odbc.ini", dsn+"X="+strings.Repeat("A", underCap)+"\n")
		e.write("one/odbc.ini", "[shop]\nDriver=MySQL ODBC 8.0 Unicode Driver\nSERVER=db\nSSLMODE=PREFERRED\nPWD="+pw+strings.Repeat("A", underCap)+"\n")
		e.write("conf/grafana.ini", "[database]\ntype = mysql\npassword = "+pw+"\nssl_mode = disable\nx = "+strings.Repeat("A", underCap)+"\n")
		r := e.run()
		wantCode(t, r, 1)
		wantIn(t, r, r.stdout, "odbc.ini:1:1: error: cannot read: too large", "under/odbc.ini:5:", "one/odbc.ini:4:",
			"conf/grafana.ini:4:", "[TV303 ", "[TV301 ")
		if len(r.stdout) > 64<<10 {
			t.Errorf("text report is %d bytes; snippets of long lines must show a bounded window", len(r.stdout))
		}
		for _, f := range formats {
			r := e.run("--format", f)
			e.noLeak(r.args, "output", r.all(), pw)
		}
	}},
	{"ini-unclosed-quotes", func(t *testing.T, e *env) {
		// ini.v1 joins every line after an unclosed """ or ` into the
		// value, one append at a time: 200 000 lines must not cost their
		// square.
		pw := token(t, "PW-")
		rest := strings.Repeat("ssl_mode = disable\n", 200000)
		e.write("conf/grafana.ini", "[database]\ntype = mysql\npassword = \"\"\""+pw+"\n"+rest)
		e.write("custom/conf/app.ini", "[database]\nDB_TYPE = mysql\nPASSWD = `"+pw+"\n"+strings.ToUpper(rest))
		// Closed at the very end: the same length, read as one value.
		e.write("closed/conf/grafana.ini", "[database]\ntype = mysql\npassword = \"\"\""+pw+"\n"+rest+"\"\"\"\nssl_mode = disable\n")
		e.write("odbc.ini", "[shop]\nDriver=MySQL ODBC 8.0 Unicode Driver\nSERVER=db\nSSLMODE=DISABLED\nPWD={"+pw+"\n"+
			strings.Repeat("PWD={x\n", 200000))
		r := e.run()
		wantCode(t, r, 1)
		wantIn(t, r, r.stdout, "conf/grafana.ini:3:12: error: missing closing \"\"\"", "custom/conf/app.ini:3:10: error: missing closing `",
			"odbc.ini:4:", "[TV301 ")
		for _, f := range formats {
			r := e.run("--format", f)
			wantCode(t, r, 1)
			e.noLeak(r.args, "output", r.all(), pw)
		}
		r = e.run("--diff")
		e.noLeak(r.args, "output", r.all(), pw)
	}},
	{"ini-many-sections", func(t *testing.T, e *env) {
		// Just under the size cap: parsers/appini reads at most MaxItems
		// sections and keys (84,000 short sections held 315 MB before).
		var odbc strings.Builder
		for i := 0; odbc.Len() < underCap; i++ {
			fmt.Fprintf(&odbc, "[s%d]\nDriver=MySQL\nSERVER=db\nSSLMODE=DISABLED\n", i)
		}
		e.write("odbc.ini", odbc.String())
		r := e.run()
		wantCode(t, r, 1)
		wantIn(t, r, r.all(), "odbc.ini:4:1:", "more TV301 findings in this file not shown", "did not check the rest")
		if len(r.stdout) > 1<<20 {
			t.Errorf("text report is %d bytes; findings per rule and file must be bounded", len(r.stdout))
		}
		e.run("--format", "sarif")
	}},
	{"router-default-fan-out", func(t *testing.T, e *env) {
		// Every route inherits [DEFAULT]'s settings, up to MaxItems.
		var router strings.Builder
		router.WriteString("[DEFAULT]\nclient_ssl_mode=DISABLED\nserver_ssl_mode=DISABLED\n")
		for i := 0; router.Len() < underCap; i++ {
			fmt.Fprintf(&router, "[routing:r%d]\ndestinations=db:3306\n", i)
		}
		e.write("mysqlrouter.conf", router.String())
		r := e.run()
		wantCode(t, r, 1)
		wantIn(t, r, r.all(), "mysqlrouter.conf:3:1:", "[TV301 ")
		if len(r.stdout) > 1<<20 {
			t.Errorf("text report is %d bytes; findings per rule and file must be bounded", len(r.stdout))
		}
		e.run("--format", "sarif")
	}},
}
