package compose

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/tlsvet/tlsvet/internal/source"
	"github.com/tlsvet/tlsvet/parsers/connstr"
)

type env map[string]string

func (e env) Lookup(n string) (string, bool) { v, ok := e[n]; return v, ok }

// takes is a small stand-in for the facts' list of options with values.
func takes(name string) bool {
	switch name {
	case "log-error-verbosity", "tls-version", "ssl-cipher", "ssl-ca", "default-authentication-plugin":
		return true
	}
	return false
}

func parse(t *testing.T, src string, e Env) *File {
	t.Helper()
	return Parse(source.NewFile("deploy/compose.yaml", []byte(src)), Options{Env: e, TakesValue: takes})
}

// exact returns a func that returns the file bytes of an exact span,
// failing the test otherwise.
func exact(t *testing.T) func(source.Span, bool) string {
	return func(sp source.Span, ok bool) string {
		t.Helper()
		if !ok {
			t.Fatalf("span %d-%d (%q) is not exact", sp.Start, sp.End, sp.Text())
		}
		return sp.Text()
	}
}

func flagByName(t *testing.T, c *Command, name string) *Flag {
	t.Helper()
	if c == nil {
		t.Fatal("no command")
	}
	for i := range c.Flags {
		if c.Flags[i].Name == name {
			return &c.Flags[i]
		}
	}
	t.Fatalf("no flag %q in %+v", name, c.Flags)
	return nil
}

func TestCommandForms(t *testing.T) {
	ex := exact(t)
	src := `services:
  db:
    image: "mysql:5.7.30"
    command: --tls-version=TLSv1,TLSv1.1  --ssl-cipher 'ECDHE-RSA-AES256-GCM-SHA384' --skip-ssl
  flow:
    image: mysql:8.0.36
    command: ["--tls-version=TLSv1,TLSv1.1", "--ssl-ca=/etc/é/ca.pem", '--ssl-cipher=A:B']
  block:
    image: mariadb:11.4
    entrypoint:
      - docker-entrypoint.sh
      - "--loose-ssl-ca=/ça/ca.pem"
      - --default-authentication-plugin
      - mysql_native_password
`
	f := parse(t, src, nil)
	if len(f.Problems) > 0 {
		t.Fatal(f.Problems)
	}
	db := f.Service("db")
	if got := ex(db.Image.SpanOf(0, len(db.Image.Value))); got != "mysql:5.7.30" {
		t.Errorf("image span %q", got)
	}
	if db.Command.List || len(db.Command.Args) != 4 {
		t.Fatalf("string command args %+v", db.Command.Args)
	}
	tv := flagByName(t, db.Command, "tls-version")
	if tv.Value != "TLSv1,TLSv1.1" || ex(tv.ValueSpan, tv.ValueExact) != "TLSv1,TLSv1.1" || tv.KeySpan.Text() != "--tls-version" {
		t.Errorf("tls-version %+v", tv)
	}
	// "--opt value": the value is the next argument, its quotes removed.
	sc := flagByName(t, db.Command, "ssl-cipher")
	if sc.Inline || sc.Value != "ECDHE-RSA-AES256-GCM-SHA384" || ex(sc.ValueSpan, sc.ValueExact) != sc.Value || sc.Swallowed {
		t.Errorf("ssl-cipher %+v", sc)
	}
	if sk := flagByName(t, db.Command, "skip-ssl"); sk.HasValue || sk.KeySpan.Text() != "--skip-ssl" {
		t.Errorf("skip-ssl %+v", sk)
	}

	fl := f.Service("flow")
	tv = flagByName(t, fl.Command, "tls-version")
	if ex(tv.ValueSpan, tv.ValueExact) != "TLSv1,TLSv1.1" {
		t.Errorf("flow tls-version %q", tv.ValueSpan.Text())
	}
	// A value after non-ASCII text keeps exact byte offsets.
	ca := flagByName(t, fl.Command, "ssl-ca")
	if ex(ca.ValueSpan, ca.ValueExact) != "/etc/é/ca.pem" {
		t.Errorf("ssl-ca %q", ca.ValueSpan.Text())
	}
	if c := flagByName(t, fl.Command, "ssl-cipher"); ex(c.ValueSpan, c.ValueExact) != "A:B" {
		t.Errorf("single-quoted flag %q", c.ValueSpan.Text())
	}
	pos := tv.ValueSpan.StartPos()
	if pos.Line != 7 || pos.Col != 30 {
		t.Errorf("flow value at %d:%d, want 7:30", pos.Line, pos.Col)
	}

	bl := f.Service("block")
	if !bl.Entrypoint.List || len(bl.Entrypoint.Args) != 4 {
		t.Fatalf("entrypoint %+v", bl.Entrypoint.Args)
	}
	l := flagByName(t, bl.Entrypoint, "loose-ssl-ca")
	if ex(l.ValueSpan, l.ValueExact) != "/ça/ca.pem" {
		t.Errorf("loose %q", l.ValueSpan.Text())
	}
	// A flag that takes a value reads the next list element.
	p := flagByName(t, bl.Entrypoint, "default-authentication-plugin")
	if p.Value != "mysql_native_password" || p.Swallowed || p.ValueSpan.Text() != "mysql_native_password" {
		t.Errorf("plugin %+v", p)
	}
}

func TestSwallow(t *testing.T) {
	f := parse(t, `services:
  db:
    image: mysql:8.0
    command: ["--log-error-verbosity", "--require_secure_transport=ON", "--ssl-ca=ca.pem"]
`, nil)
	c := f.Service("db").Command
	if len(c.Flags) != 2 {
		t.Fatalf("flags %+v", c.Flags)
	}
	v := c.Flags[0]
	if v.Name != "log-error-verbosity" || !v.Swallowed || v.Value != "--require_secure_transport=ON" ||
		v.KeySpan.Text() != "--log-error-verbosity" || v.ValueSpan.Text() != "--require_secure_transport=ON" {
		t.Errorf("swallow %+v", v)
	}
	if c.Flags[1].Name != "ssl-ca" {
		t.Errorf("next flag %+v", c.Flags[1])
	}
}

func TestInterpolation(t *testing.T) {
	ex := exact(t)
	src := `services:
  db:
    image: mysql:${TAG:-5.7.30}
    command: --tls-version=${TLS_VERSIONS:-} --ssl-cipher=${CIPHER} --ssl-ca=${CA-/x/ca.pem} --x=$$HOME
  app:
    image: ${REGISTRY?need it}/app:${APP_TAG}
    environment:
      DATABASE_URL: mysql://u@db/app?ssl-mode=${MODE:-REQUIRED}
`
	f := parse(t, src, env{"CIPHER": "AES128-SHA", "APP_TAG": "1.2"})
	if len(f.Problems) > 0 {
		t.Fatal(f.Problems)
	}
	db := f.Service("db")
	if db.Image.Value != "mysql:5.7.30" || len(db.Image.Unknown) != 0 {
		t.Errorf("image %q", db.Image.Value)
	}
	if ex(db.Image.SpanOf(6, 12)) != "5.7.30" {
		t.Error("default tag span")
	}
	c := db.Command
	tv := flagByName(t, c, "tls-version")
	if tv.Value != "" || !tv.HasValue || tv.Unknown {
		t.Errorf("empty default %+v", tv)
	}
	ci := flagByName(t, c, "ssl-cipher")
	// Replacing the whole reference is a correct edit; a part of it is not.
	if ci.Value != "AES128-SHA" || ex(ci.ValueSpan, ci.ValueExact) != "${CIPHER}" {
		t.Errorf(".env value %+v (%q)", ci, ci.ValueSpan.Text())
	}
	if ca := flagByName(t, c, "ssl-ca"); ca.Value != "/x/ca.pem" || ex(ca.ValueSpan, ca.ValueExact) != "/x/ca.pem" {
		t.Errorf("unset default %+v", ca)
	}
	if _, ok := ci.val.SpanOf(0, 3); ok {
		t.Error("part of a resolved reference is exact")
	}
	if x := flagByName(t, c, "x"); x.Value != "$HOME" || ex(x.ValueSpan, x.ValueExact) != "$$HOME" {
		t.Errorf("$$ %+v", x)
	}
	if _, ok := flagByName(t, c, "x").val.SpanOf(1, 5); !ok {
		t.Error("text after $$ is not exact")
	}
	app := f.Service("app")
	if app.Image.Value != "${REGISTRY?need it}/app:1.2" || app.Image.Unset() != "/app:1.2" ||
		len(app.Image.Unknown) != 1 || app.Image.Unknown[0] != "REGISTRY" {
		t.Errorf("app image %+v", app.Image)
	}
	if _, ok := app.Image.SpanOf(0, 3); ok {
		t.Error("a span inside an unknown reference is exact")
	}
	e := app.Environment[0]
	if e.Key != "DATABASE_URL" || !strings.HasSuffix(e.Value.Value, "ssl-mode=REQUIRED") {
		t.Errorf("env %+v", e)
	}
	n := len(e.Value.Value)
	if ex(e.Value.SpanOf(n-8, n)) != "REQUIRED" {
		t.Error("env default span")
	}

	// An unknown reference in a string command stays one argument, even
	// when its text holds blanks.
	f = parse(t, "services:\n  db:\n    command: --a=${X:?set it please} --b=1\n", nil)
	if args := f.Service("db").Command.Args; len(args) != 2 || args[0].Value != "--a=${X:?set it please}" || args[0].Unset() != "--a=" {
		t.Errorf("args %+v", args)
	}
	if fl := flagByName(t, f.Service("db").Command, "a"); !fl.Unknown {
		t.Error("unknown value not marked")
	}

	f = parse(t, "services:\n  db:\n    image: mysql:${TAG\n", nil)
	if len(f.Problems) != 1 || !strings.Contains(f.Problems[0].Msg, "invalid interpolation") {
		t.Errorf("problems %v", f.Problems)
	}
}

func TestShellSplit(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want []string
	}{
		{`--a=1 --b="x y" --c='p q'`, []string{"--a=1", "--b=x y", "--c=p q"}},
		{`--a=x\ y "" z`, []string{"--a=x y", "", "z"}},
		{`--a="q\"r" --b='s\t'`, []string{`--a=q"r`, `--b=s\t`}},
		{`--a=1 | tee x`, []string{"--a=1"}},
		{`mysqld 2>&1`, []string{"mysqld"}},
	} {
		src := "services:\n  s:\n    command: '" + strings.ReplaceAll(tc.in, "'", "''") + "'\n"
		f := parse(t, src, nil)
		var got []string
		for _, a := range f.Service("s").Command.Args {
			got = append(got, a.Value)
			// Every exact span reads back the argument when it holds no escape.
			if sp, ok := a.SpanOf(0, len(a.Value)); ok && !strings.ContainsAny(sp.Text(), `"'\`) && sp.Text() != a.Value {
				t.Errorf("%q: arg %q at %q", tc.in, a.Value, sp.Text())
			}
		}
		if strings.Join(got, "\x00") != strings.Join(tc.want, "\x00") {
			t.Errorf("%q: got %q, want %q", tc.in, got, tc.want)
		}
	}
	f := parse(t, "services:\n  s:\n    command: --a='unclosed\n", nil)
	if len(f.Problems) != 1 {
		t.Errorf("unclosed quote: %v", f.Problems)
	}
	// A shell-quoted value maps inside its quotes.
	f = parse(t, "services:\n  s:\n    command: --ssl-cipher=\"A B\"\n", nil)
	fl := f.Service("s").Command.Flags[0]
	if fl.Value != "A B" || !fl.ValueExact || fl.ValueSpan.Text() != "A B" {
		t.Errorf("quoted %+v", fl)
	}
	if _, ok := fl.Spell("C D"); ok {
		t.Error("spelled a blank into a string command")
	}
	if s, ok := fl.Spell("AES128-SHA"); !ok || s != "AES128-SHA" {
		t.Errorf("spell %q %v", s, ok)
	}
}

func TestVolumesAndConfigs(t *testing.T) {
	ex := exact(t)
	src := `services:
  db:
    image: mysql:8.0
    volumes:
      - ./conf/my.cnf:/etc/mysql/conf.d/my.cnf:ro
      - "../../../etc:/etc/mysql/conf.d"
      - data:/var/lib/mysql
      - type: bind
        source: ./tls.cnf
        target: /etc/mysql/conf.d/tls.cnf
        read_only: true
      - ${CONF_DIR:-./cnf}:/etc/mysql/conf.d
    configs:
      - source: mycnf
        target: /etc/mysql/conf.d/tls.cnf
      - other
    env_file: [.env, {path: db.env, required: false}]
    environment:
      - MYSQL_ROOT_PASSWORD_FILE=/run/secrets/pw
      - MYSQL_DATABASE
    depends_on:
      cache: {condition: service_started}
    networks:
      back:
        aliases: [mysql, database]
configs:
  mycnf:
    content: |
      [mysqld]
      tls_version=TLSv1.2
  other:
    file: ./other.cnf
include:
  - ../shared/compose.yaml
`
	f := parse(t, src, nil)
	if len(f.Problems) > 0 {
		t.Fatal(f.Problems)
	}
	s := f.Service("db")
	if len(s.Volumes) != 5 {
		t.Fatalf("volumes %+v", s.Volumes)
	}
	v := s.Volumes[0]
	if v.Type != "bind" || !v.ReadOnly || v.Host != "deploy/conf/my.cnf" ||
		ex(v.Source.SpanOf(0, len(v.Source.Value))) != "./conf/my.cnf" ||
		ex(v.Target.SpanOf(0, len(v.Target.Value))) != "/etc/mysql/conf.d/my.cnf" {
		t.Errorf("short %+v", v)
	}
	if v := s.Volumes[1]; !v.Escapes || v.Host != "" || v.Target.Value != "/etc/mysql/conf.d" {
		t.Errorf("escaping %+v", v)
	}
	if v := s.Volumes[2]; v.Type != "volume" || v.Host != "" {
		t.Errorf("named %+v", v)
	}
	if v := s.Volumes[3]; v.Type != "bind" || !v.ReadOnly || v.Host != "deploy/tls.cnf" || v.Target.Span.Text() != "/etc/mysql/conf.d/tls.cnf" {
		t.Errorf("long %+v", v)
	}
	if v := s.Volumes[4]; v.Host != "deploy/cnf" || ex(v.Source.SpanOf(0, len(v.Source.Value))) != "./cnf" {
		t.Errorf("interpolated %+v", v)
	}
	if len(s.Configs) != 2 || s.Configs[0].Target.Value != "/etc/mysql/conf.d/tls.cnf" || s.Configs[1].Target != nil {
		t.Errorf("configs %+v", s.Configs)
	}
	if len(s.EnvFiles) != 2 || s.EnvFiles[1].Value != "db.env" {
		t.Errorf("env_file %+v", s.EnvFiles)
	}
	if len(s.Environment) != 2 || s.Environment[0].KeySpan.Text() != "MYSQL_ROOT_PASSWORD_FILE" ||
		ex(s.Environment[0].Value.SpanOf(0, len(s.Environment[0].Value.Value))) != "/run/secrets/pw" || s.Environment[1].Value != nil {
		t.Errorf("environment %+v", s.Environment)
	}
	if len(s.DependsOn) != 1 || s.DependsOn[0].Value != "cache" || len(s.Aliases) != 2 || s.Aliases[1].Span.Text() != "database" {
		t.Errorf("links %+v %+v", s.DependsOn, s.Aliases)
	}
	c := f.Configs[0]
	if c.Name != "mycnf" || c.Content.Value != "[mysqld]\ntls_version=TLSv1.2\n" {
		t.Fatalf("config %+v", c)
	}
	i := strings.Index(c.Content.Value, "TLSv1.2")
	if sp, ok := c.Content.SpanOf(i, i+7); !ok || sp.StartPos().Line != 30 || sp.StartPos().Col != 19 {
		t.Errorf("content span %v %v", sp.StartPos(), ok)
	}
	if f.Configs[1].Host != "deploy/other.cnf" || len(f.Include) != 1 || f.Include[0].Value != "../shared/compose.yaml" {
		t.Errorf("file config %+v include %+v", f.Configs[1], f.Include)
	}
}

func TestDuplicateKey(t *testing.T) {
	f := parse(t, "services:\n  db:\n    image: mysql:8.0\n    image: mysql:5.7\n", nil)
	if len(f.Problems) != 1 || f.Problems[0].Span.Text() != "image" || f.Problems[0].Related.StartPos().Line != 3 ||
		!strings.Contains(f.Problems[0].Msg, "compose refuses") {
		t.Errorf("problems %+v", f.Problems)
	}
}

func TestMergeKeys(t *testing.T) {
	f := parse(t, `x-db: &db
  image: mysql:8.0
  command: ["--ssl-ca=a.pem"]
services:
  one:
    <<: *db
    command: ["--ssl-ca=b.pem"]
`, nil)
	s := f.Service("one")
	if s.Image == nil || s.Image.Value != "mysql:8.0" || s.Command.Flags[0].Value != "b.pem" {
		t.Errorf("merged %+v", s)
	}
}

func TestDetect(t *testing.T) {
	for name, want := range map[string]bool{
		"compose.yaml": true, "a/compose.yml": true, "docker-compose.yml": true, "docker-compose.yaml": true,
		"docker-compose.prod.yml": true, "compose.override.yaml": true, "x/docker-compose.override.yml": true,
		"compose.dev.yaml": true, "docker-compose-ci.yml": true, "Docker-Compose.YML": true,
		"composer.yaml": false, "compose.json": false, "values.yaml": false, "my-compose.yml": false,
	} {
		if Detect(name) != want {
			t.Errorf("Detect(%q) = %v", name, !want)
		}
	}
	if !IsOverride("a/compose.override.yml") || IsOverride("compose.prod.yml") || !IsDefault("x/docker-compose.yml") {
		t.Error("override or default names")
	}
}

// TestHostileLine reads 10 MB lines of what the interpolation and the
// shell-word splitter scan: each must stay linear (the test would time
// out otherwise) and give the answer compose gives.
func TestHostileLine(t *testing.T) {
	for _, tc := range []struct {
		body     string
		args     int
		problems int
	}{
		// yamlconf refuses more than 50,000 braces, so these stay under it.
		{"${A" + strings.Repeat("x", 10<<20), 1, 1},                                  // unclosed reference
		{strings.Repeat("${A:-", 20000) + strings.Repeat("}", 20000) + " --b", 2, 0}, // deep defaults: unknown past maxDepth
		{strings.Repeat("$A", 5<<20), 1, 0},
		{strings.Repeat("$V", 1<<20) + strings.Repeat("$X1", 1<<20), 1, 0},
		{strings.Repeat("'a b' ", 3<<19), 3 << 19, 0},
		{strings.Repeat("$$", 5<<20), 1, 0},
	} {
		src := "services:\n  db:\n    command: \"" + tc.body + "\"\n"
		t0 := time.Now()
		f := Parse(source.NewFile("compose.yaml", []byte(src)), Options{TakesValue: takes})
		t.Logf("%.10q %v", tc.body, time.Since(t0))
		if f.Service("db") == nil {
			t.Fatalf("%.20q…: no service, problems %v", tc.body, f.Problems)
		}
		if c := f.Service("db").Command; len(c.Args) != tc.args || len(f.Problems) != tc.problems {
			t.Errorf("%.20q…: %d args, problems %v", tc.body, len(c.Args), f.Problems)
		}
	}
}

func TestMerge(t *testing.T) {
	base := parse(t, `services:
  db:
    image: mysql:8.0
    command: ["--tls-version=TLSv1.2", "--ssl-ca=/a.pem"]
    environment: {A: "1", B: "2"}
    volumes: ["./a.cnf:/etc/mysql/conf.d/x.cnf", "./b.cnf:/etc/mysql/conf.d/b.cnf"]
  app:
    image: app
`, nil)
	over := Parse(source.NewFile("deploy/compose.override.yaml", []byte(`services:
  db:
    command: --ssl-ca=/b.pem
    environment: [B=3, C=4]
    volumes:
      - type: bind
        source: ./c.cnf
        target: /etc/mysql/conf.d/x.cnf
  cache:
    image: redis
`)), Options{TakesValue: takes})
	m := Merge(base, over)
	if len(m.Services) != 3 || len(m.Files) != 2 || m.Files[1] != over.Source {
		t.Fatalf("merged %+v", m)
	}
	db := m.Service("db")
	if db.Image.Value != "mysql:8.0" || db.Image.Span.File != base.Source {
		t.Errorf("image %+v", db.Image)
	}
	if len(db.Command.Flags) != 1 || db.Command.Flags[0].ValueSpan.File != over.Source || db.Command.Flags[0].Value != "/b.pem" {
		t.Errorf("command not replaced: %+v", db.Command.Flags)
	}
	var env []string
	for _, e := range db.Environment {
		env = append(env, e.Key+"="+e.Value.Value)
	}
	if strings.Join(env, " ") != "A=1 B=3 C=4" {
		t.Errorf("environment %v", env)
	}
	if len(db.Volumes) != 2 || db.Volumes[0].Host != "deploy/c.cnf" || db.Volumes[1].Host != "deploy/b.cnf" {
		t.Errorf("volumes %+v", db.Volumes)
	}
	if len(base.Service("db").Environment) != 2 || base.Service("db").Command.Flags[0].Name != "tls-version" {
		t.Error("Merge changed its input")
	}
}

func TestExtends(t *testing.T) {
	f := parse(t, `services:
  base:
    image: mariadb:11.4
    command: ["--ssl-ca=/a.pem"]
    environment: {A: "1"}
  db:
    extends: base
    environment: {B: "2"}
  db2:
    extends: {service: db}
    command: ["--require-secure-transport=ON"]
  loop1: {extends: loop2}
  loop2: {extends: loop1}
  other:
    extends: {file: x.yaml, service: y}
`, nil)
	db2 := f.Service("db2")
	if db2.Image == nil || db2.Image.Value != "mariadb:11.4" || db2.Command.Flags[0].Name != "require-secure-transport" || len(db2.Environment) != 2 {
		t.Errorf("db2 %+v", db2)
	}
	if len(f.Problems) != 1 || !strings.Contains(f.Problems[0].Msg, "cycle") {
		t.Errorf("problems %v", f.Problems)
	}
	if o := f.Service("other"); o.ExtendsFile == nil || o.ExtendsFile.Value != "x.yaml" || o.Image != nil {
		t.Errorf("other %+v", o)
	}
}

// TestHostileServices: many services chained by extends, and merged
// with an override of as many, stay linear.
func TestHostileServices(t *testing.T) {
	var b strings.Builder
	b.WriteString("services:\n")
	const n = 15000
	for i := range n {
		fmt.Fprintf(&b, "  s%d:\n    extends: s%d\n    environment: [K%d=1]\n", i, i+1, i)
	}
	fmt.Fprintf(&b, "  s%d: {image: mysql}\n", n)
	f := parse(t, b.String(), nil)
	if len(f.Services) != n+1 || len(f.Problems) != 1 || !strings.Contains(f.Problems[0].Msg, "too many values") {
		t.Fatalf("%d services, problems %v", len(f.Services), f.Problems[:min(3, len(f.Problems))])
	}
	// Within the budget, the chain is applied from its end.
	if s := f.Services[n-100]; s.Image == nil || len(s.Environment) != 100 {
		t.Errorf("s%d: %+v", n-100, s)
	}
	m := Merge(f, f)
	if len(m.Services) != n+1 {
		t.Errorf("merged %d services", len(m.Services))
	}
}

// TestEdits applies each flag's Removal and a Spell at its ValueSpan
// and reads the file again: the edit must do what it says.
func TestEdits(t *testing.T) {
	for _, tc := range []struct{ src, flag, spelled, removed string }{
		{"services:\n  db:\n    command: [\"--ssl-ca=a.pem\", \"--tls-version=TLSv1\", \"--x\"]\n", "tls-version",
			"services:\n  db:\n    command: [\"--ssl-ca=a.pem\", \"--tls-version=TLSv1.2\", \"--x\"]\n",
			"services:\n  db:\n    command: [\"--ssl-ca=a.pem\", \"--x\"]\n"},
		{"services:\n  db:\n    command: [\"--ssl-ca=a.pem\", \"--tls-version=TLSv1\"]\n", "tls-version",
			"", "services:\n  db:\n    command: [\"--ssl-ca=a.pem\"]\n"},
		{"services:\n  db:\n    command:\n      - --tls-version\n      - TLSv1\n      - --ssl-ca=é.pem\n", "tls-version",
			"services:\n  db:\n    command:\n      - --tls-version\n      - TLSv1.2\n      - --ssl-ca=é.pem\n",
			"services:\n  db:\n    command:\n      - --ssl-ca=é.pem\n"},
		{"services:\n  db:\n    command: --ssl-ca=a.pem --tls-version=TLSv1 --x\n", "tls-version",
			"services:\n  db:\n    command: --ssl-ca=a.pem --tls-version=TLSv1.2 --x\n",
			"services:\n  db:\n    command: --ssl-ca=a.pem --x\n"},
		{"services:\n  db:\n    environment:\n      MYSQL_EXTRA_FLAGS: \"--tls-version=TLSv1 --ssl-ca=a\"\n", "tls-version",
			"services:\n  db:\n    environment:\n      MYSQL_EXTRA_FLAGS: \"--tls-version=TLSv1.2 --ssl-ca=a\"\n",
			"services:\n  db:\n    environment:\n      MYSQL_EXTRA_FLAGS: \"--ssl-ca=a\"\n"},
	} {
		f := parse(t, tc.src, nil)
		s := f.Services[0]
		c := s.Command
		if c == nil {
			c = s.ExtraFlags(takes)
		}
		fl := flagByName(t, c, tc.flag)
		if off, ok := fl.Offset(0); !ok || off != fl.ValueSpan.Start {
			t.Errorf("%q: Offset(0) = %d %v", tc.src, off, ok)
		}
		if off, ok := fl.Offset(len(fl.Value)); !ok || off != fl.ValueSpan.End {
			t.Errorf("%q: Offset(end) = %d %v", tc.src, off, ok)
		}
		edit := func(sp source.Span, text string) string {
			return tc.src[:sp.Start] + text + tc.src[sp.End:]
		}
		if tc.spelled != "" {
			text, ok := fl.Spell("TLSv1.2")
			if !ok || !fl.ValueExact || edit(fl.ValueSpan, text) != tc.spelled {
				t.Errorf("%q: spelled %q %v", tc.src, edit(fl.ValueSpan, text), ok)
			}
		}
		sp, ok := fl.Removal()
		if !ok || edit(sp, "") != tc.removed {
			t.Errorf("%q: removed %q %v", tc.src, edit(sp, ""), ok)
		}
	}
	// Offsets past an escape are not byte-identical.
	f := parse(t, "services:\n  db:\n    command: [\"--ssl-ca=\\x41/b.pem\"]\n", nil)
	fl := f.Service("db").Command.Flags[0]
	if _, ok := fl.Offset(0); !ok {
		t.Error("Offset(0) before an escape")
	}
	if _, ok := fl.Offset(2); ok || fl.Value != "A/b.pem" {
		t.Errorf("Offset past an escape is identical: %q", fl.Value)
	}
}

func TestHealthcheck(t *testing.T) {
	f := parse(t, `services:
  db:
    healthcheck:
      test: ["CMD", "mysqladmin", "ping", "--ssl-mode=DISABLED"]
  m:
    healthcheck:
      test: mysql --ssl-mode=REQUIRED -e 'select 1'
`, nil)
	h := f.Service("db").Healthcheck
	if !h.List || len(h.Args) != 4 || h.Flags[0].Name != "ssl-mode" || h.Flags[0].Value != "DISABLED" {
		t.Errorf("list healthcheck %+v", h)
	}
	h = f.Service("m").Healthcheck
	if h.List || len(h.Args) != 4 || h.Args[3].Value != "select 1" || h.Flags[0].Value != "REQUIRED" {
		t.Errorf("string healthcheck %+v", h.Args)
	}
}

func TestMergeTags(t *testing.T) {
	base := parse(t, "services:\n  db:\n    image: mysql:8.0\n    command: [--ssl-ca=a]\n    environment: {A: \"1\"}\n    volumes: [./a:/a]\n", nil)
	over := parse(t, "services:\n  db:\n    command: !reset []\n    environment: !override {B: \"2\"}\n    volumes: !reset\n", nil)
	if v := over.Service("db").Volumes; len(v) != 0 {
		t.Errorf("!reset read as a volume: %+v", v)
	}
	db := Merge(base, over).Service("db")
	if db.Command != nil || len(db.Volumes) != 0 || len(db.Environment) != 1 || db.Environment[0].Key != "B" || db.Image == nil {
		t.Errorf("tags not applied: %+v", db)
	}
}

// The loader passes the project's .env as read for connection strings.
var _ Env = (*connstr.Env)(nil)
