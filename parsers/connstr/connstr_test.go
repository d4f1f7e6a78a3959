package connstr

import (
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/tlsvet/tlsvet/internal/source"
	"github.com/tlsvet/tlsvet/parsers/dsn"
	"github.com/tlsvet/tlsvet/parsers/envfile"
)

func pos(sp source.Span) string {
	p := sp.StartPos()
	return fmt.Sprintf("%d:%d", p.Line, p.Col)
}

func scan(t testing.TB, name, src string, env *Env) *Result {
	t.Helper()
	r := Scan(source.NewFile(name, []byte(src)), Detect(name), env)
	checkResult(t, r)
	return r
}

// checkResult asserts what holds for every file: spans lie in the file,
// a string's mapped ranges lie inside its span and in order, and its
// whole value maps to its span's text less the quotes.
func checkResult(t testing.TB, r *Result) {
	t.Helper()
	in := func(what string, s source.Span) {
		if s.File == nil {
			return
		}
		if s.Start < 0 || s.Start > s.End || s.End > len(s.File.Content) {
			t.Fatalf("%s span %d-%d outside the file (%d bytes)", what, s.Start, s.End, len(s.File.Content))
		}
	}
	for _, p := range r.Problems {
		in("problem", p.Span)
	}
	for _, u := range r.Unknown {
		in("unknown", u.Span)
	}
	for i := range r.Strings {
		s := &r.Strings[i]
		in("key", s.KeySpan)
		in("value", s.Span)
		last := s.Span.Start
		for d := 0; d <= len(s.Value); d++ {
			sp, _ := s.SpanOf(d, min(d+1, len(s.Value)))
			if sp.Start < last || sp.End > s.Span.End || sp.Start > sp.End {
				t.Fatalf("%s: byte %d of %q maps to %d-%d (after %d, span %d-%d)", s.Key, d, s.Value, sp.Start, sp.End, last, s.Span.Start, s.Span.End)
			}
			last = sp.Start
		}
	}
	for i := range r.Settings {
		in("setting key", r.Settings[i].KeySpan)
		in("setting", r.Settings[i].Span)
	}
}

type want struct {
	key, value string
	dialect    dsn.Dialect
	generic    bool
	raw        string // the file text of Span
	at         string // line:col of Span
	c          Container
}

func TestFind(t *testing.T) {
	for _, tc := range []struct {
		name, src string
		want      []want
	}{
		{".env", "# c\nexport DSN=\"u:pw@tcp(db:3306)/app?tls=skip-verify\" # c\nOTHER=hello\nURL=mysql://u@h/db?sslaccept=strict\nPG=postgres://u@h/db?sslmode=disable\n", []want{
			{"DSN", "u:**@tcp(db:3306)/app?tls=skip-verify", dsn.GoMySQL, false, `"u:pw@tcp(db:3306)/app?tls=skip-verify"`, "2:12", EnvDouble},
			{"URL", "mysql://u@h/db?sslaccept=strict", dsn.Unknown, true, "mysql://u@h/db?sslaccept=strict", "4:5", EnvUnquoted},
		}},
		{"prod.env", "A='jdbc:mysql://h/db?useSSL=false'\nB=u@/db\nC=root@tcp(h)/\n", []want{
			{"A", "jdbc:mysql://h/db?useSSL=false", dsn.ConnectorJ, false, "'jdbc:mysql://h/db?useSSL=false'", "1:3", EnvSingle},
			{"C", "root@tcp(h)/", dsn.GoMySQL, false, "root@tcp(h)/", "3:3", EnvUnquoted},
		}},
		{"src/main/resources/application-prod.properties", "spring.datasource.url : jdbc:mysql://h:3306/db?\\\n    useSSL=false\nspring.r2dbc.url=r2dbc:mysql://h/db\nspring.r2dbc.password=x\nother=r2dbc:mysql://h/db\n", []want{
			{"spring.datasource.url", "jdbc:mysql://h:3306/db?useSSL=false", dsn.ConnectorJ, false, "jdbc:mysql://h:3306/db?\\\n    useSSL=false", "1:25", PropertiesValue},
			{"spring.r2dbc.url", "r2dbc:mysql://h/db", dsn.Unknown, false, "r2dbc:mysql://h/db", "3:18", PropertiesValue},
		}},
		{"application.yml", "spring:\n  datasource:\n    url: >-\n      jdbc:mariadb://h/db?useSsl=true\n      &trustServerCertificate=true\n---\nspring.r2dbc.url: 'r2dbc:mariadb://h/db'\n", []want{
			{"spring.datasource.url", "jdbc:mariadb://h/db?useSsl=true &trustServerCertificate=true", dsn.MariaDBJ, false, ">-\n      jdbc:mariadb://h/db?useSsl=true\n      &trustServerCertificate=true", "3:10", YAMLFolded},
			{"spring.r2dbc.url", "r2dbc:mariadb://h/db", dsn.Unknown, false, "'r2dbc:mariadb://h/db'", "7:19", YAMLSingle},
		}},
		{"values.yaml", "db:\n  hosts: [\"mysqlx://u@h/db?ssl-mode=REQUIRED\", other]\n  url: mysql+mysqlconnector://u@h/db?ssl_disabled=false\n  n: 5\n", []want{
			{"db.hosts[0]", "mysqlx://u@h/db?ssl-mode=REQUIRED", dsn.MySQLShell, false, `"mysqlx://u@h/db?ssl-mode=REQUIRED"`, "2:11", YAMLDouble},
			{"db.url", "mysql+mysqlconnector://u@h/db?ssl_disabled=false", dsn.SQLAlchemyConnector, false, "mysql+mysqlconnector://u@h/db?ssl_disabled=false", "3:8", YAMLPlain},
		}},
		{"conf/app.json", "{\n  \"a/b\": {\"url\": \"mysql+pymysql://u@h/db?ssl_ca=\\/ca.pem\"},\n  \"list\": [1, true, null, \"Server=db;SslMode=Required;SslCa=ca.pem\"]\n}", []want{
			{"/a~1b/url", "mysql+pymysql://u@h/db?ssl_ca=/ca.pem", dsn.SQLAlchemyPyMySQL, false, `"mysql+pymysql://u@h/db?ssl_ca=\/ca.pem"`, "2:18", JSONString},
			{"/list/3", "Server=db;SslMode=Required;SslCa=ca.pem", dsn.DotNet, false, `"Server=db;SslMode=Required;SslCa=ca.pem"`, "3:27", JSONString},
		}},
		{"Config.toml", "[db]\nurl = \"mysql://u@h/db\\u003Fssl-mode=REQUIRED\"\n[[servers]]\n[[servers]]\ndsn = '''\nu@tcp(h)/d?tls=true'''\nx.y = { z = \"u@unix(/s)/\" }\n\"q.r\" = \"u@tcp(h)/\"\n", []want{
			{"db.url", "mysql://u@h/db?ssl-mode=REQUIRED", dsn.Unknown, true, `"mysql://u@h/db\u003Fssl-mode=REQUIRED"`, "2:7", TOMLBasic},
			{"servers[1].dsn", "u@tcp(h)/d?tls=true", dsn.GoMySQL, false, "'''\nu@tcp(h)/d?tls=true'''", "5:7", TOMLMultiLiteral},
			{"servers[1].x.y.z", "u@unix(/s)/", dsn.GoMySQL, false, `"u@unix(/s)/"`, "7:13", TOMLBasic},
			{`servers[1]."q.r"`, "u@tcp(h)/", dsn.GoMySQL, false, `"u@tcp(h)/"`, "8:9", TOMLBasic},
		}},
		{"db.go", "package db\n\nconst (\n\tdsn = \"u:p@tcp(h)/d?tls=skip-verify\"\n)\n\nvar Other string = `u@unix(/s)/d`\n\nfunc f() {\n\tsql.Open(\"mysql\", \"u@tcp(h)/d\\x3ftls=true\")\n\t_ = Config{DSN: \"u@tcp(h)/\"}\n\tnot := \"u@/db\"\n\tcfg.DSN = \"u@tcp(h)/\"\n\tm := map[string]string{\"db\": \"u@tcp(h)/\", x: \"u@tcp(h)/\"}\n}\n", []want{
			{"dsn", "u:*@tcp(h)/d?tls=skip-verify", dsn.GoMySQL, false, `"u:p@tcp(h)/d?tls=skip-verify"`, "4:8", GoInterpreted},
			{"Other", "u@unix(/s)/d", dsn.GoMySQL, false, "`u@unix(/s)/d`", "7:20", GoRaw},
			{"", "u@tcp(h)/d?tls=true", dsn.GoMySQL, false, `"u@tcp(h)/d\x3ftls=true"`, "10:20", GoInterpreted},
			{"DSN", "u@tcp(h)/", dsn.GoMySQL, false, `"u@tcp(h)/"`, "11:18", GoInterpreted},
			{"cfg.DSN", "u@tcp(h)/", dsn.GoMySQL, false, `"u@tcp(h)/"`, "13:12", GoInterpreted},
			{"db", "u@tcp(h)/", dsn.GoMySQL, false, `"u@tcp(h)/"`, "14:31", GoInterpreted},
			{"x", "u@tcp(h)/", dsn.GoMySQL, false, `"u@tcp(h)/"`, "14:47", GoInterpreted},
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := scan(t, tc.name, tc.src, nil)
			if len(r.Problems) > 0 {
				t.Errorf("problems %v", r.Problems)
			}
			var got []want
			for _, s := range r.Strings {
				got = append(got, want{s.Key, s.Value, s.Dialect, s.Generic, s.Span.Text(), pos(s.Span), s.Container})
			}
			if fmt.Sprint(got) != fmt.Sprint(tc.want) {
				t.Errorf("strings\n got %+v\nwant %+v", got, tc.want)
			}
		})
	}
}

// TestParamSpan places DSN parameters in files through both encodings:
// the container's (quotes, escapes, folds, continuations) and the DSN's
// (percent escapes). These are the spans a fix replaces.
func TestParamSpan(t *testing.T) {
	for _, tc := range []struct {
		name, src, param string
		raw, at          string // the file text of the parameter's value and its position
		exact            bool
	}{
		// The acceptance fixture: a Go DSN in a double-quoted .env value.
		{".env", "A=1\nDSN=\"u:p\\\"w@tcp(db)/app?tls=skip-verify\"\n", "tls", "skip-verify", "2:29", true},
		{"application.properties", "spring.datasource.url=jdbc:mysql://h/db?\\\n  useSSL\\=fal\\\n  se\n", "useSSL", "fal\\\n  se", "2:11", true},
		{"application.yml", "spring.datasource.url: >-\n  jdbc:mysql://h/db?useSSL=true\n  &verifyServerCertificate=false\n", "verifyServerCertificate", "false", "3:28", true},
		{"a.yml", "url: \"mysql+pymysql://u@h/db?ssl_ca=%2Fca\\x2Epem\"\n", "ssl_ca", "%2Fca\\x2Epem", "1:37", true},
		{"a.json", `{"u": "u@tcp(h)/d?tls=skip\u002dverify"}`, "tls", `skip\u002dverify`, "1:23", true},
		{".env", "X=\"${TLS_URL:-u@tcp(h)/d?tls=skip-verify}\"\n", "tls", "skip-verify", "1:30", true},
		{".env", "X=\"u@tcp(h)/d?tls=${MODE:-preferred}\"\n", "tls", "preferred", "1:27", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := scan(t, tc.name, tc.src, nil)
			if len(r.Strings) != 1 {
				t.Fatalf("strings %+v, problems %v", r.Strings, r.Problems)
			}
			s := &r.Strings[0]
			d, err := dsn.Parse(s.Dialect, s.Value)
			if err != nil {
				t.Fatal(err)
			}
			for i := range d.Params {
				p := &d.Params[i]
				if p.Key != tc.param {
					continue
				}
				sp, exact := s.ParamSpan(p, 0, len(p.Value))
				if sp.Text() != tc.raw || pos(sp) != tc.at || exact != tc.exact {
					t.Errorf("value %q at %s exact %v, want %q at %s exact %v", sp.Text(), pos(sp), exact, tc.raw, tc.at, tc.exact)
				}
				if len(p.Value) > 2 {
					if _, exact := s.ParamSpan(p, 1, len(p.Value)); !exact {
						t.Errorf("a range from the second byte is not exact")
					}
				}
				return
			}
			t.Errorf("no parameter %q in %q", tc.param, s.Value)
		})
	}
	// A percent escape is one decoded byte; a range that cuts the YAML
	// escape of a two-byte character is approximate and widened to it.
	r := scan(t, "a.yml", "url: \"mysql+pymysql://u@h/db?ssl_ca=a%2D\\u00e9\"\n", nil)
	s := &r.Strings[0]
	d, _ := dsn.Parse(s.Dialect, s.Value)
	for i := range d.Params {
		if p := &d.Params[i]; p.Key == "ssl_ca" {
			for _, c := range []struct {
				i, j  int
				raw   string
				exact bool
			}{{0, 1, "a", true}, {1, 2, "%2D", true}, {2, 4, `\u00e9`, true}, {2, 3, `\u00e9`, false}} {
				if sp, exact := s.ParamSpan(p, c.i, c.j); sp.Text() != c.raw || exact != c.exact {
					t.Errorf("ssl_ca[%d:%d] maps to %q exact %v, want %q exact %v", c.i, c.j, sp.Text(), exact, c.raw, c.exact)
				}
			}
		}
	}
}

func TestResolve(t *testing.T) {
	env := NewEnv(envfile.Parse(source.NewFile(".env", []byte("HOST=db.example\nDB_PASSWORD=hunter22\nMODE=$OTHER\nEMPTY=\n"))))
	for _, tc := range []struct {
		name, src    string
		value, unset string
		unknown      []string
	}{
		{".env", "U=jdbc:mysql://${HOST}/d?useSSL=${SSL:-false}", "jdbc:mysql://db.example/d?useSSL=false", "jdbc:mysql://db.example/d?useSSL=false", nil},
		{".env", "U=jdbc:mysql://${HOST:-h}/d?sslMode=${MODE}&x=$TLS", "jdbc:mysql://h/d?sslMode=${MODE}&x=$TLS", "jdbc:mysql://h/d?sslMode=&x=", []string{"MODE", "TLS"}},
		{".env", "U=jdbc:mysql://h/d?a=${HOST:+yes}&b=${NOPE:+yes}&c=${EMPTY:+yes}", "jdbc:mysql://h/d?a=yes&b=${NOPE:+yes}&c=", "jdbc:mysql://h/d?a=yes&b=&c=", []string{"NOPE"}},
		{"application.properties", "spring.datasource.url=jdbc:mysql://${DB_HOST:localhost}/d?useSSL=${DB_SSL}", "jdbc:mysql://localhost/d?useSSL=${DB_SSL}", "jdbc:mysql://localhost/d?useSSL=", []string{"DB_SSL"}},
		{"a.yml", "u: jdbc:mysql://${X:h}/d", "", "", nil}, // "${X:h}" is Spring's, not compose's: "${X:h}" stays and the host is unknown
		{"a.json", `{"u": "u:${DB_PASSWORD}@tcp(${HOST})/d"}`, "u:**************@tcp(db.example)/d", "u:@tcp(db.example)/d", []string{"DB_PASSWORD"}},
	} {
		r := scan(t, tc.name, tc.src, env)
		if tc.value == "" {
			if len(r.Strings) != 1 || r.Strings[0].Value != "jdbc:mysql://${X:h}/d" || fmt.Sprint(r.Strings[0].Unknown) != "[]" {
				t.Errorf("%s: %+v", tc.src, r.Strings)
			}
			continue
		}
		if len(r.Strings) != 1 {
			t.Fatalf("%s: %d strings", tc.src, len(r.Strings))
		}
		s := r.Strings[0]
		if s.Value != tc.value || s.Unset != tc.unset || fmt.Sprint(s.Unknown) != fmt.Sprint(tc.unknown) {
			t.Errorf("%s:\n got %q unset %q unknown %v\nwant %q unset %q unknown %v", tc.src, s.Value, s.Unset, s.Unknown, tc.value, tc.unset, tc.unknown)
		}
		if len(r.Unknown) != len(tc.unknown) {
			t.Errorf("%s: file unknowns %v", tc.src, r.Unknown)
		}
		for i, u := range r.Unknown {
			if u.Name != tc.unknown[i] || !strings.Contains(u.Span.Text(), u.Name) {
				t.Errorf("%s: unknown %q at %q", tc.src, u.Name, u.Span.Text())
			}
		}
	}
	// A value from the .env maps to the whole reference, approximately.
	r := scan(t, ".env", "U=jdbc:mysql://${HOST}/d", env)
	s := &r.Strings[0]
	i := strings.Index(s.Value, "db.example")
	if sp, exact := s.SpanOf(i, i+2); sp.Text() != "${HOST}" || exact {
		t.Errorf("substituted text maps to %q exact %v", sp.Text(), exact)
	}
	if sp, exact := s.SpanOf(0, i); sp.Text() != "jdbc:mysql://" || !exact {
		t.Errorf("text before it maps to %q exact %v", sp.Text(), exact)
	}
}

func TestSecrets(t *testing.T) {
	src := "A=\"u:s3cr3t-pw@tcp(h)/d?tls=true\"\nB=mysql://u:an0ther@h/d\nC=Server=h;Password=pa55w0rd;SslMode=Required\nDB_PASSWORD=jdbc:mysql://h/d?password=zzzz\n"
	f := source.NewFile(".env", []byte(src))
	r := Scan(f, EnvFile, nil)
	if len(r.Strings) != 4 {
		t.Fatalf("%d strings", len(r.Strings))
	}
	for _, pw := range []string{"s3cr3t-pw", "an0ther", "pa55w0rd", "zzzz"} {
		i := strings.Index(src, pw)
		if !f.HasSecret(i, i+len(pw)) || f.HasSecret(i-1, i) && pw != "zzzz" {
			t.Errorf("%q not marked exactly", pw)
		}
		for _, s := range r.Strings {
			if strings.Contains(s.Value, pw) || strings.Contains(s.Unset, pw) {
				t.Errorf("%q kept in %q", pw, s.Key)
			}
		}
	}
	if r.Strings[0].Value != "u:*********@tcp(h)/d?tls=true" {
		t.Errorf("masked value %q", r.Strings[0].Value)
	}
}

func TestRails(t *testing.T) {
	src := `default: &default
  adapter: mysql2
  sslca: /etc/ca.pem
  sslverify: true
production:
  <<: *default
  url: <%= ENV["DATABASE_URL"] %>
  ssl_mode: verify_identity
staging:
  primary:
    adapter: trilogy
    url: "trilogy://u:pw@h/db?ssl_mode=REQUIRED"
  replica:
    <<: *default
    sslca: /replica-ca.pem
pg:
  adapter: postgresql
  sslmode: disable
  url: postgres://h/db
`
	r := scan(t, "config/database.yml", src, nil)
	var got []string
	for _, s := range r.Settings {
		got = append(got, fmt.Sprintf("%s=%q@%s unknown=%v adapter=%s", s.Key, s.Value, pos(s.Span), s.Unknown, s.Adapter))
	}
	wantSettings := []string{
		`production.sslca="/etc/ca.pem"@3:10 unknown=false adapter=mysql2`,
		`production.sslverify="true"@4:14 unknown=false adapter=mysql2`,
		`production.url=""@7:8 unknown=true adapter=mysql2`,
		`production.ssl_mode="verify_identity"@8:13 unknown=false adapter=mysql2`,
		`staging.replica.sslverify="true"@4:14 unknown=false adapter=mysql2`,
		`staging.replica.sslca="/replica-ca.pem"@15:12 unknown=false adapter=mysql2`,
	}
	if strings.Join(got, "\n") != strings.Join(wantSettings, "\n") {
		t.Errorf("settings\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(wantSettings, "\n"))
	}
	if len(r.Strings) != 1 || r.Strings[0].Key != "staging.primary.url" || r.Strings[0].Adapter != "trilogy" || pos(r.Strings[0].Span) != "12:10" {
		t.Errorf("strings %+v", r.Strings)
	}
	if sp, exact := r.Settings[3].SpanOf(0, 6); sp.Text() != "verify" || !exact {
		t.Errorf("setting part %q exact %v", sp.Text(), exact)
	}
	if _, exact := r.Settings[2].SpanOf(0, 0); exact {
		t.Error("an ERB value maps exactly")
	}
}

func TestDetect(t *testing.T) {
	for name, want := range map[string]Kind{
		".env": EnvFile, "deploy/.env.production": EnvFile, "db.env": EnvFile, ".envrc": Unknown,
		"a.properties": Properties, "src/main/resources/application.properties": SpringProperties,
		"application-dev.properties": SpringProperties, "applications.properties": Properties,
		"application.yml": SpringYAML, "bootstrap.yaml": SpringYAML, "config/database.yml": RailsDatabase,
		"values.yaml": YAML, "x.json": JSON, "package-lock.json": Unknown, "pnpm-lock.yaml": Unknown,
		"Cargo.toml": TOML, "main.go": GoSource, "main_test.go": Unknown, "my.cnf": Unknown,
	} {
		if got := Detect(name); got != want {
			t.Errorf("Detect(%q) = %v, want %v", name, got, want)
		}
	}
}

// TestProblems: bad input gives problems at their positions, and the
// readers that can go on do.
func TestProblems(t *testing.T) {
	for _, tc := range []struct {
		name, src string
		at        []string
		strings   int
	}{
		{".env", "A B=1\nU=\"unterminated\nV=u@tcp(h)/\n", []string{"1:1", "2:3"}, 1},
		{"a.json", "{\"u\": \"u@tcp(h)/\", \"v\": tru}", []string{"1:25"}, 1},
		{"a.json", "{\"u\": \"u@tcp(h)/\\q\"}", []string{"1:17"}, 0},
		{"a.toml", "u = 'u@tcp(h)/'\nv = = 1\n", []string{"2:5"}, 1},
		{"a.go", "package a\nconst x = \"u@tcp(h)/\"\nconst y = \"\x00\n", []string{"3:12", "3:11"}, 1},
		{"a.yml", "a: [\n---\nv: u@tcp(h)/\n", []string{"2:1"}, 1},
		{"a.properties", "u=u@tcp(h)/\\u12G4\nv=u@tcp(h)/\n", []string{"1:12"}, 2},
	} {
		r := scan(t, tc.name, tc.src, nil)
		var at []string
		for _, p := range r.Problems {
			at = append(at, pos(p.Span))
		}
		if fmt.Sprint(at) != fmt.Sprint(tc.at) || len(r.Strings) != tc.strings {
			t.Errorf("%s %q: problems %v (%v), %d strings; want at %v, %d strings", tc.name, tc.src, at, r.Problems, len(r.Strings), tc.at, tc.strings)
		}
	}
}

// TestSecretKeys: the value of a secret-named key is marked in every
// kind, a DSN under a secret key is masked whole, and a secret word
// higher up the path does not count.
func TestSecretKeys(t *testing.T) {
	for _, tc := range []struct{ name, src, secret, notSecret string }{
		{"a.json", `{"secrets": {"url": "u@tcp(h)/d", "db_password": "hunter22"}}`, "hunter22", "u@tcp(h)/d"},
		{"a.toml", "[secrets]\nurl = 'u@tcp(h)/d'\npassword = \"hunter22\"\n", "hunter22", "u@tcp(h)/d"},
		{"a.go", "package a\nconst dbPassword = \"hunter22\"\nconst dsn = \"u@tcp(h)/d\"\n", "hunter22", "u@tcp(h)/d"},
		{"a.yml", "list:\n  - token: hunter22\n  - u@tcp(h)/d\n", "hunter22", "u@tcp(h)/d"},
	} {
		f := source.NewFile(tc.name, []byte(tc.src))
		r := Scan(f, Detect(tc.name), nil)
		i, j := strings.Index(tc.src, tc.secret), strings.Index(tc.src, tc.notSecret)
		if !f.HasSecret(i, i+len(tc.secret)) || f.HasSecret(j, j+len(tc.notSecret)) || len(r.Strings) != 1 {
			t.Errorf("%s: secret marked %v, other marked %v, %d strings", tc.name, f.HasSecret(i, i+len(tc.secret)), f.HasSecret(j, j+len(tc.notSecret)), len(r.Strings))
		}
	}
	r := scan(t, ".env", "DB_PASSWORD=u:x@tcp(h)/d\n", nil)
	if len(r.Strings) != 1 || r.Strings[0].Value != strings.Repeat("*", len("u:x@tcp(h)/d")) {
		t.Errorf("%+v", r.Strings)
	}
	for path, want := range map[string]string{"a.b.password": "password", "/x/pwd": "pwd", "s[0].token[1]": "token", "k": "k"} {
		if got := lastKey(path); got != want {
			t.Errorf("lastKey(%q) = %q", path, got)
		}
	}
}

// TestFilesRegexp: the pre-commit pattern selects the names Detect
// reads (and the names it skips by content, lock files and Go tests,
// which tlsvet then ignores), and no others.
func TestFilesRegexp(t *testing.T) {
	re := regexp.MustCompile(FilesRegexp)
	for _, name := range []string{".env", "a/.env.local", "db.env", "x.properties", "a/application.yml", "b.yaml",
		"config/database.yml", "c.json", "Cargo.toml", "main.go", "main_test.go", "package-lock.json", "A.YML", ".envrc", "my.cnf", "env", "x.json5"} {
		selected, read := re.MatchString(name), Detect(name) != Unknown
		if read && !selected || selected && !read && !strings.HasSuffix(name, "_test.go") && !strings.Contains(name, "lock") {
			t.Errorf("%q: selected %v, read %v", name, selected, read)
		}
	}
	for _, p := range Patterns {
		name := strings.ReplaceAll(p, "*", "x")
		if !re.MatchString(name) || Detect(name) == Unknown {
			t.Errorf("pattern %q: %q selected %v, kind %v", p, name, re.MatchString(name), Detect(name))
		}
	}
}
