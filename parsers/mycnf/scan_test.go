package mycnf

import (
	"fmt"
	"strings"
	"testing"

	"github.com/tlsvet/tlsvet/internal/source"
)

// sp prints a span as "line:col-line:col".
func sp(s source.Span) string {
	if !s.IsValid() {
		return "-"
	}
	a, b := s.StartPos(), s.EndPos()
	return fmt.Sprintf("%d:%d-%d:%d", a.Line, a.Col, b.Line, b.Col)
}

// dumpEntry prints an entry with its group, spans, value and comment.
func dumpEntry(e *Entry) string {
	s := fmt.Sprintf("%s [%s] %q@%s", e.KeySpan.File.Path, e.Group.Name, e.Key, sp(e.KeySpan))
	if e.HasValue {
		s += fmt.Sprintf(" = %q@%s", e.Value, sp(e.ValueSpan))
		if e.Quote != 0 {
			s += " quote=" + string(e.Quote)
		}
	}
	if e.Comment.IsValid() {
		s += fmt.Sprintf(" #%q@%s", e.Comment.Text(), sp(e.Comment))
	}
	return s
}

func dumpEntries(r *Result) []string {
	var out []string
	for i := range r.Entries {
		out = append(out, dumpEntry(&r.Entries[i]))
	}
	return out
}

func dumpErrors(r *Result) []string {
	var out []string
	for _, e := range r.Errors {
		io := ""
		if e.IO {
			io = " io"
		}
		out = append(out, fmt.Sprintf("%s@%s fatal=%v%s: %s", e.Path, sp(e.Span), e.Fatal, io, e.Msg))
	}
	return out
}

func parse(s string) *Result { return Parse(source.NewFile("my.cnf", []byte(s))) }

func eq(t *testing.T, what string, got, want []string) {
	t.Helper()
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("%s:\ngot:\n\t%s\nwant:\n\t%s", what, strings.Join(got, "\n\t"), strings.Join(want, "\n\t"))
	}
}

func TestEntries(t *testing.T) {
	for _, tc := range []struct {
		name, in string
		want     []string
	}{
		{"key value spans", "[client]\nssl-mode = REQUIRED\n  ssl_ca=/etc/ca.pem  \n", []string{
			`my.cnf [client] "ssl-mode"@2:1-2:9 = "REQUIRED"@2:12-2:20`,
			`my.cnf [client] "ssl_ca"@3:3-3:9 = "/etc/ca.pem"@3:10-3:21`,
		}},
		{"bare options", "[mysqld]\nssl\n\tskip-ssl\t\n", []string{
			`my.cnf [mysqld] "ssl"@2:1-2:4`,
			`my.cnf [mysqld] "skip-ssl"@3:2-3:10`,
		}},
		{"name value without = is one option name", "[client]\nuser jon\nkey ; x = 1\n", []string{
			`my.cnf [client] "user jon"@2:1-2:9`,
			`my.cnf [client] "key ; x"@3:1-3:8 = "1"@3:11-3:12`,
		}},
		{"value keeps further =", "[client]\nssl-cipher=a=b=c\n", []string{
			`my.cnf [client] "ssl-cipher"@2:1-2:11 = "a=b=c"@2:12-2:17`,
		}},
		{"empty values", "[client]\nssl-ca=\nssl-key =   \nssl-cert=  # none\n= novalue\n=\n", []string{
			`my.cnf [client] "ssl-ca"@2:1-2:7 = ""@2:8-2:8`,
			`my.cnf [client] "ssl-key"@3:1-3:8 = ""@3:13-3:13`,
			`my.cnf [client] "ssl-cert"@4:1-4:9 = ""@4:12-4:12 #"# none"@4:12-4:18`,
			`my.cnf [client] ""@5:1-5:1 = "novalue"@5:3-5:10`,
			`my.cnf [client] ""@6:1-6:1 = ""@6:2-6:2`,
		}},
		{"inline hash comments", "[client]\ntls-version=TLSv1.2,TLSv1.3#nospace\nssl-cert = /c.pem ; not a comment\nssl # bare\n", []string{
			`my.cnf [client] "tls-version"@2:1-2:12 = "TLSv1.2,TLSv1.3"@2:13-2:28 #"#nospace"@2:28-2:36`,
			`my.cnf [client] "ssl-cert"@3:1-3:9 = "/c.pem ; not a comment"@3:12-3:34`,
			`my.cnf [client] "ssl"@4:1-4:4 #"# bare"@4:5-4:11`,
		}},
		{"quotes", "[client]\n" +
			"a=\"/etc/my sql/ca.pem\"   # c\n" +
			"b = '/k#1.pem'\n" +
			"c=\"REQUIRED\n" +
			"d=\"\n" +
			"e=\"\" \n" +
			"f=\"a\" \"b\"\n" +
			"g='x\"\n" +
			"k'ey = a#b' # c\n", []string{
			`my.cnf [client] "a"@2:1-2:2 = "/etc/my sql/ca.pem"@2:3-2:23 quote=" #"# c"@2:26-2:29`,
			`my.cnf [client] "b"@3:1-3:2 = "/k#1.pem"@3:5-3:15 quote='`,
			`my.cnf [client] "c"@4:1-4:2 = "\"REQUIRED"@4:3-4:12`,
			`my.cnf [client] "d"@5:1-5:2 = "\""@5:3-5:4`,
			`my.cnf [client] "e"@6:1-6:2 = ""@6:3-6:5 quote="`,
			`my.cnf [client] "f"@7:1-7:2 = "a\" \"b"@7:3-7:10 quote="`,
			`my.cnf [client] "g"@8:1-8:2 = "'x\""@8:3-8:6`,
			`my.cnf [client] "k'ey"@9:1-9:5 = "a#b'"@9:8-9:12 #"# c"@9:13-9:16`,
		}},
		{"escapes", "[client]\n" +
			`password = "p\"a\\ss\tword"` + "\n" +
			`a=\s\S\x\\\"\'\n\t\r\b` + "\n" +
			`b=C:\certs\ca.pem` + "\n" +
			`c=C:\\certs\\` + "\n" +
			`d="abc\"` + "\n" +
			`e=x\#y` + "\n" +
			`f="\#"#c` + "\n" +
			`g='it\'s#x'` + "\n", []string{
			`my.cnf [client] "password"@2:1-2:9 = "p\"a\\ss\tword"@2:12-2:28 quote="`,
			`my.cnf [client] "a"@3:1-3:2 = " \\S\\x\\\"'\n\t\r\b"@3:3-3:23`,
			`my.cnf [client] "b"@4:1-4:2 = "C:\\certs\\ca.pem"@4:3-4:18`,
			`my.cnf [client] "c"@5:1-5:2 = "C:\\certs\\"@5:3-5:14`,
			`my.cnf [client] "d"@6:1-6:2 = "abc\\"@6:3-6:9 quote="`,
			`my.cnf [client] "e"@7:1-7:2 = "x\\"@7:3-7:5 #"#y"@7:5-7:7`,
			`my.cnf [client] "f"@8:1-8:2 = "\\#"@8:3-8:7 quote=" #"#c"@8:7-8:9`,
			`my.cnf [client] "g"@9:1-9:2 = "it's#x"@9:3-9:12 quote='`,
		}},
		{"trailing backslash is literal", "[client]\nd=\\\nssl-mode = REQUIRED\n", []string{
			`my.cnf [client] "d"@2:1-2:2 = "\\"@2:3-2:4`,
			`my.cnf [client] "ssl-mode"@3:1-3:9 = "REQUIRED"@3:12-3:20`,
		}},
		{"CRLF", "[client]\r\nssl-mode = REQUIRED \r\nssl\r\nx=1 # c\r\n", []string{
			`my.cnf [client] "ssl-mode"@2:1-2:9 = "REQUIRED"@2:12-2:20`,
			`my.cnf [client] "ssl"@3:1-3:4`,
			`my.cnf [client] "x"@4:1-4:2 = "1"@4:3-4:4 #"# c"@4:5-4:8`,
		}},
		{"latin1 whitespace: VT, FF, NBSP byte", "[client]\n\va=1\f\n\xa0b=\xa0x\xa0\n", []string{
			`my.cnf [client] "a"@2:2-2:3 = "1"@2:4-2:5`,
			`my.cnf [client] "b"@3:2-3:3 = "x"@3:5-3:6`,
		}},
		{"trailing à loses its 0xA0 byte", "[client]\na=voilà\n", []string{
			`my.cnf [client] "a"@2:1-2:2 = "voil\xc3"@2:3-2:8`,
		}},
		{"non-ASCII", "[client]\nssl-ca = /etc/zertifikate/grüße/ca.pem # ü\n", []string{
			`my.cnf [client] "ssl-ca"@2:1-2:7 = "/etc/zertifikate/grüße/ca.pem"@2:10-2:39 #"# ü"@2:40-2:43`,
		}},
		{"NUL ends the line", "[client]\na=1\x00b=2\nc=3\n", []string{
			`my.cnf [client] "a"@2:1-2:2 = "1"@2:3-2:4`,
			`my.cnf [client] "c"@3:1-3:2 = "3"@3:3-3:4`,
		}},
		{"no final newline", "[client]\nssl-mode=REQUIRED", []string{
			`my.cnf [client] "ssl-mode"@2:1-2:9 = "REQUIRED"@2:10-2:18`,
		}},
		{"group headers", "[client] trailing junk\na=1\n[ mysqld ]\nb=2\n[MySQLd]]\nc=3\n[]\nd=4\n[cli#ent]\ne=5\n", []string{
			`my.cnf [client] "a"@2:1-2:2 = "1"@2:3-2:4`,
			`my.cnf [ mysqld] "b"@4:1-4:2 = "2"@4:3-4:4`,
			`my.cnf [MySQLd] "c"@6:1-6:2 = "3"@6:3-6:4`,
			`my.cnf [] "d"@8:1-8:2 = "4"@8:3-8:4`,
			`my.cnf [cli#ent] "e"@10:1-10:2 = "5"@10:3-10:4`,
		}},
		{"repeated keys and groups kept in order", "[client]\nssl-mode=A\n[mysqld]\nx=1\n[client]\nssl-mode=B\nssl_mode=C\n", []string{
			`my.cnf [client] "ssl-mode"@2:1-2:9 = "A"@2:10-2:11`,
			`my.cnf [mysqld] "x"@4:1-4:2 = "1"@4:3-4:4`,
			`my.cnf [client] "ssl-mode"@6:1-6:9 = "B"@6:10-6:11`,
			`my.cnf [client] "ssl_mode"@7:1-7:9 = "C"@7:10-7:11`,
		}},
		{"unknown ! lines are ignored", "[client]\n!foo bar\n!includex x.cnf\n!include\n", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := parse(tc.in)
			eq(t, "entries", dumpEntries(r), tc.want)
			if strings.HasSuffix(tc.in, "!include\n") {
				return // the last case checks its error in TestErrors
			}
			eq(t, "errors", dumpErrors(r), nil)
		})
	}
}

func TestGroups(t *testing.T) {
	r := parse("# c\n[client]\n  [ mysqld-8.0 ]   # tlsvet:ignore\n[mariadb-10.11]\n[client-server]\n")
	var got []string
	for _, g := range r.Groups {
		got = append(got, fmt.Sprintf("%q name@%s header@%s", g.Name, sp(g.Span), sp(g.Header)))
	}
	eq(t, "groups", got, []string{
		`"client" name@2:2-2:8 header@2:1-2:9`,
		`" mysqld-8.0" name@3:4-3:15 header@3:3-3:17`,
		`"mariadb-10.11" name@4:2-4:15 header@4:1-4:16`,
		`"client-server" name@5:2-5:15 header@5:1-5:16`,
	})
	var cs []string
	for _, c := range r.Comments {
		cs = append(cs, sp(c)+" "+c.Text())
	}
	eq(t, "comments", cs, []string{"1:1-1:4 # c", "3:20-3:35 # tlsvet:ignore"})
	if !r.Groups[0].Is("CLIENT") || r.Groups[1].Is("mysqld-8.0") || !r.Groups[3].Is("Client-Server") {
		t.Error("Group.Is: case-insensitive whole-name match expected, leading space significant")
	}
}

func TestComments(t *testing.T) {
	r := parse("# top\n[client]\n  ; semi\n\t# hash\nssl-ca=/a # inline\nx='#in quotes'\n;\r\n")
	var got []string
	for _, c := range r.Comments {
		got = append(got, fmt.Sprintf("%s %q", sp(c), c.Text()))
	}
	eq(t, "comments", got, []string{
		`1:1-1:6 "# top"`,
		`3:3-3:9 "; semi"`,
		`4:2-4:8 "# hash"`,
		`5:11-5:19 "# inline"`,
		`7:1-7:2 ";"`,
	})
}

func TestErrors(t *testing.T) {
	for _, tc := range []struct {
		name, in string
		entries  []string
		errs     []string
	}{
		{"option before any group", "# c\nssl-mode=REQUIRED\n[client]\nssl\n", nil, []string{
			`my.cnf@2:1-2:18 fatal=true: option without preceding group (MySQL: "Found option without preceding group in config file")`,
		}},
		{"BOM", "\ufeff[client]\nssl\n", nil, []string{
			`my.cnf@1:1-1:10 fatal=true: the file starts with a UTF-8 byte-order mark, which MySQL does not skip: option without preceding group (MySQL: "Found option without preceding group in config file")`,
		}},
		{"[group without ]", "[client]\na=1\n[mysqld\nb=2\n", []string{`my.cnf [client] "a"@2:1-2:2 = "1"@2:3-2:4`}, []string{
			`my.cnf@3:1-3:8 fatal=true: wrong group definition: '[' without ']' (MySQL: "Wrong group definition in config file")`,
		}},
		{"include without path", "[client]\n!include   \nssl\n", nil, []string{
			`my.cnf@2:1-2:9 fatal=true: '!include' directive without a path (MySQL: "Wrong '!include' directive in config file")`,
		}},
		{"one-letter include path on the last line without newline", "[client]\n!includedir x", nil, []string{
			`my.cnf@2:1-2:14 fatal=true: '!includedir' directive loses its path: the line has no newline, so MySQL drops its last character (MySQL: "Wrong '!includedir' directive in config file")`,
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := parse(tc.in)
			eq(t, "entries", dumpEntries(r), tc.entries)
			eq(t, "errors", dumpErrors(r), tc.errs)
			if !r.Fatal() {
				t.Error("Fatal() = false")
			}
		})
	}
}

func TestLongLines(t *testing.T) {
	// fgets() returns at most 4094 bytes; the rest of a line is read as the
	// next line (checked with my_print_defaults, see testdata/diff).
	long := "k=" + strings.Repeat("x", 4092) + "yz=3\n"
	r := parse("[client]\n" + long + "#" + strings.Repeat("c", 5000) + "\nq=1\n")
	eq(t, "entries", dumpEntries(r), []string{
		`my.cnf [client] "k"@2:1-2:2 = "` + strings.Repeat("x", 4092) + `"@2:3-2:4095`,
		`my.cnf [client] "yz"@2:4095-2:4097 = "3"@2:4098-2:4099`,
		`my.cnf [client] "` + strings.Repeat("c", 5001-4094) + `"@3:4095-3:5002`,
		`my.cnf [client] "q"@4:1-4:2 = "1"@4:3-4:4`,
	})
}

func TestParseIncludes(t *testing.T) {
	r := parse("!include base.cnf\n[client]\n! include\tconf.d/a.cnf  \n!includedir   /etc/mysql/conf.d/\n!include  x.cnf # not a comment\n!include last.cnf")
	var got []string
	for _, inc := range r.Includes {
		got = append(got, fmt.Sprintf("dir=%v %q@%s opened=%q span=%s problem=%v files=%v", inc.Dir, inc.Target, sp(inc.TargetSpan), inc.Opened, sp(inc.Span), inc.Problem, inc.Files))
	}
	eq(t, "includes", got, []string{
		`dir=false "base.cnf"@1:10-1:18 opened="base.cnf" span=1:1-1:18 problem=none files=[]`,
		`dir=false "conf.d/a.cnf"@3:11-3:23 opened="conf.d/a.cnf" span=3:1-3:23 problem=none files=[]`,
		`dir=true "/etc/mysql/conf.d/"@4:15-4:33 opened="/etc/mysql/conf.d/" span=4:1-4:33 problem=none files=[]`,
		`dir=false "x.cnf # not a comment"@5:11-5:32 opened="x.cnf # not a comment" span=5:1-5:32 problem=none files=[]`,
		`dir=false "last.cnf"@6:10-6:18 opened="last.cn" span=6:1-6:18 problem=none files=[]`,
	})
	eq(t, "errors", dumpErrors(r), nil)
	if len(r.Comments) != 0 {
		t.Errorf("comments = %v, want none: '#' in a directive is part of the path", r.Comments)
	}
}

func TestUnescape(t *testing.T) {
	for in, want := range map[string]string{
		``: ``, `plain`: `plain`, `\`: `\`, `a\`: `a\`, `\\`: `\`, `\\\`: `\\`,
		`\s`: ` `, `\"`: `"`, `\'`: `'`, `\n\t\r\b`: "\n\t\r\b", `\x\N`: `\x\N`, `C:\ssl\ca`: `C: sl\ca`,
	} {
		if got := unescape([]byte(in)); got != want {
			t.Errorf("unescape(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestGroupNameEqual(t *testing.T) {
	for _, tc := range []struct {
		a, b string
		want bool
	}{
		{"client", "CLIENT", true},
		{"mysqld-8.0", "MYSQLD-8.0", true},
		{"client", "client ", false},
		{"clie", "client", false},
		{"\xe9x", "\xc9X", true},   // latin1 é/É
		{"\xf7", "\xd7", false},    // ÷ has no case
		{"grüße", "GRÜSSE", false}, // no Unicode folding
		{"\xff", "\xdf", false},    // ÿ stays
	} {
		if got := GroupNameEqual(tc.a, tc.b); got != tc.want {
			t.Errorf("GroupNameEqual(%q, %q) = %v", tc.a, tc.b, got)
		}
	}
}

func TestArg(t *testing.T) {
	r := parse("[client]\nssl\nssl-ca = \"/a b\"\nx=\n")
	var got []string
	for i := range r.Entries {
		got = append(got, r.Entries[i].Arg())
	}
	eq(t, "args", got, []string{"--ssl", "--ssl-ca=/a b", "--x="})
}
