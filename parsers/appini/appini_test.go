package appini

import (
	"fmt"
	"os"
	"runtime"
	"strings"
	"testing"

	"gopkg.in/ini.v1"

	"github.com/tlsvet/tlsvet/internal/source"
	"github.com/tlsvet/tlsvet/parsers/dsn"
)

func parse(t *testing.T, k Kind, text string) *File {
	t.Helper()
	return Parse(source.NewFile("f", []byte(text)), k)
}

func parseFixture(t *testing.T, name string) *File {
	t.Helper()
	b, err := os.ReadFile("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	k := KindOf("conf/" + name)
	if k == Unknown {
		t.Fatalf("KindOf(%s) = Unknown", name)
	}
	return Parse(source.NewFile(name, b), k)
}

var fixtures = []string{"odbc.ini", "mysqlrouter.conf", "grafana.ini", "app.ini"}

// torture holds, per kind, lines where the dialects differ: quotes,
// inline comments, ':' delimiters, continuations, CRLF, multi-line quotes.
var torture = map[Kind]string{
	ODBC:    "[a]\r\nSSLMODE = \"REQUIRED\" ; x\r\nsslca= /p#1 ;2\nK:V = w\n\tIndented = 1 \nSSLCA = /last\n",
	Router:  "[DEFAULT]\nclient_ssl_mode : REQUIRED # stays\n[routing:x]\nserver_ssl_ca=\"/q\"\nk = a=b:c\r\n",
	Grafana: "k1 = v ; c\n[database]\nk2: x # c\nk3 = 'q;x'\nk4 = \"a#b\" # c\nk5 = `m\nn` tail\nk6 = a \\\n  b\\\n\n k7=\"\"\"x\"\"\"\nk8 =\n",
	Gitea:   "[database]\r\nK1 = v ; c\r\nK2 = a \\\nK3 = `x;y`\nK4 = \"\"\"p\nq\"\"\"\nK5: 'z'\nK1 = again\n",
}

// TestIniV1AgreesWithRawPass is the differential test: for every file
// kind, every key ini.v1 loads with the program's options is found by the
// raw-line pass with the same value, and the other way round.
func TestIniV1AgreesWithRawPass(t *testing.T) {
	var files []*File
	for _, name := range fixtures {
		files = append(files, parseFixture(t, name))
	}
	for k, text := range torture {
		files = append(files, parse(t, k, text))
	}
	for _, f := range files {
		iniFile, err := ini.LoadSources(loadOptions(f.Kind), f.Src.Content)
		if err != nil {
			t.Fatalf("%s (%v): ini.v1: %v", f.Src.Path, f.Kind, err)
		}
		n := 0
		for _, sec := range iniFile.Sections() {
			for _, k := range sec.Keys() {
				n++
				e := f.lookupRaw(sec.Name(), k.Name())
				if e == nil {
					t.Errorf("%s (%v): [%s] %s: ini.v1 has it, the raw pass does not", f.Src.Path, f.Kind, sec.Name(), k.Name())
					continue
				}
				raw := e.Value
				if e.Secret {
					raw = e.ValueSpan.Text()
				}
				if raw != k.Value() || e.Drift {
					if e.Secret { // never print a password
						raw, v := len(raw), len(k.Value())
						t.Errorf("%s (%v): [%s] %s: raw pass %d bytes, ini.v1 %d", f.Src.Path, f.Kind, sec.Name(), k.Name(), raw, v)
						continue
					}
					t.Errorf("%s (%v): [%s] %s: raw pass %q, ini.v1 %q", f.Src.Path, f.Kind, sec.Name(), k.Name(), raw, k.Value())
				}
			}
		}
		if n != len(f.last) {
			t.Errorf("%s (%v): ini.v1 has %d keys, the raw pass %d", f.Src.Path, f.Kind, n, len(f.last))
		}
		for _, p := range f.Problems {
			if p.Fatal {
				t.Errorf("%s (%v): unexpected problem %v", f.Src.Path, f.Kind, p)
			}
		}
	}
}

// lookupRaw finds the entry for ini.v1's section and key names.
func (f *File) lookupRaw(section, key string) *Entry {
	for i, s := range f.Sections {
		if s.raw == section {
			return f.get(i, key)
		}
	}
	if section == ini.DefaultSection {
		return f.get(-1, key)
	}
	return nil
}

func TestSpansAndContinuations(t *testing.T) {
	f := parse(t, Grafana, torture[Grafana])
	want := map[string]string{"k1": "v", "k2": "x", "k3": "q;x", "k4": "a#b", "k5": "m\nn", "k6": "a b", "k7": "x", "k8": ""}
	for _, e := range f.Entries {
		if w, ok := want[e.Key]; !ok || e.Value != w {
			t.Errorf("%s = %q, want %q", e.Key, e.Value, w)
		}
		if e.KeySpan.Text() != e.Key {
			t.Errorf("%s: key span holds %q", e.Key, e.KeySpan.Text())
		}
		if e.Key == "k6" {
			if got := e.Span(0, 1).Text(); got != "a" {
				t.Errorf("k6 first byte spans %q", got)
			}
			if got := e.Span(2, 3).Text(); got != "b" {
				t.Errorf("k6 third byte spans %q (across the continuation)", got)
			}
			continue
		}
		if e.ValueSpan.Text() != e.Value {
			t.Errorf("%s: value span holds %q, value %q", e.Key, e.ValueSpan.Text(), e.Value)
		}
	}
}

func pos(sp source.Span) [2]int { p := sp.StartPos(); return [2]int{p.Line, p.Col} }

func TestODBC(t *testing.T) {
	f := parseFixture(t, "odbc.ini")
	ds := map[string]DataSource{}
	for _, d := range f.DataSources {
		ds[d.Name] = d
	}
	if len(ds) != 5 {
		t.Fatalf("data sources %v", f.DataSources)
	}
	shop := ds["shop"]
	if !shop.MySQL || shop.Client.Mode != dsn.Preferred || shop.Client.From != dsn.Explicit {
		t.Fatalf("shop: %+v", shop.Client)
	}
	if got := pos(shop.Client.ModeEntry.KeySpan); got != [2]int{14, 1} {
		t.Errorf("SSLMODE key at %v, want 14:1", got)
	}
	if got := pos(shop.Client.ModeEntry.ValueSpan); got != [2]int{14, 12} {
		t.Errorf("SSLMODE value at %v, want 14:12", got)
	}
	if shop.Client.CA == nil || shop.Client.CA.Value != "/etc/ssl/certs/db-ca.pem" || shop.Client.Protocols == nil || shop.Client.Protocols.Value != "TLSv1.2,TLSv1.3" {
		t.Errorf("shop CA/protocols: %+v", shop.Client)
	}
	if len(shop.Params) != 7 {
		t.Errorf("shop has %d params", len(shop.Params))
	}
	if v := ds["verified"].Client; v.Mode != dsn.VerifyIdentity || !v.Effective.VerifiesHost || v.CA == nil {
		t.Errorf("verified: %+v", v)
	}
	if l := ds["legacy"].Client; l.Mode != dsn.Preferred || l.From != dsn.DriverDefault || !strings.Contains(l.Note, "SSLVERIFY") {
		t.Errorf("legacy: %+v", l)
	}
	if ty := ds["typo"].Client; ty.Mode != dsn.Preferred || ty.From != dsn.DriverDefault || ty.ModeEntry != nil {
		t.Errorf("typo: %+v", ty)
	}
	if len(f.Problems) != 1 || pos(f.Problems[0].Span) != [2]int{29, 11} || f.Problems[0].Fatal {
		t.Errorf("problems %v, want the ignored SSLMODE value at 29:11", f.Problems)
	}
	if ds["pg"].MySQL {
		t.Error("a PostgreSQL data source read as MySQL")
	}
}

func route(t *testing.T, f *File, name string) Route {
	t.Helper()
	for _, r := range f.Routes {
		if r.Name == name {
			return r
		}
	}
	t.Fatalf("no route %s in %+v", name, f.Routes)
	return Route{}
}

func TestRouterFixture(t *testing.T) {
	f := parseFixture(t, "mysqlrouter.conf")
	if len(f.Routes) != 3 || len(f.Problems) != 0 {
		t.Fatalf("routes %d, problems %v", len(f.Routes), f.Problems)
	}
	rw := route(t, f, "routing:bootstrap_rw")
	if rw.Accept != AcceptPreferred || rw.AcceptFrom != AcceptExplicit || pos(rw.AcceptEntry.KeySpan) != [2]int{6, 1} {
		t.Errorf("bootstrap_rw client side: %v %v %v (inherited from [DEFAULT] line 6)", rw.Accept, rw.AcceptFrom, pos(rw.AcceptEntry.KeySpan))
	}
	if rw.Upstream.Mode != dsn.Preferred || rw.Verify != VerifyDisabled || len(rw.Stops) != 0 {
		t.Errorf("bootstrap_rw server side: %+v %v %v", rw.Upstream, rw.Verify, rw.Stops)
	}
	v := route(t, f, "routing:verified")
	if v.ServerMode != ServerRequired || v.Verify != VerifyIdentity || v.Upstream.Mode != dsn.VerifyIdentity || v.Upstream.CA == nil {
		t.Errorf("verified: %v %v %+v", v.ServerMode, v.Verify, v.Upstream)
	}
	if p := route(t, f, "routing:plain"); p.Upstream.Mode != dsn.Disabled || pos(p.ServerModeEntry.ValueSpan) != [2]int{32, 19} {
		t.Errorf("plain: %+v at %v", p.Upstream, pos(p.ServerModeEntry.ValueSpan))
	}
}

func TestRouterModesAndStops(t *testing.T) {
	for _, c := range []struct {
		name, text string
		accept     AcceptMode
		from       AcceptFrom
		upstream   dsn.Mode
		stop       string // substring of the one stop, "" for none
		stopLine   int
	}{
		{"unset, no certificate", "[routing:x]\n", AcceptPassthrough, AcceptDefaultWithoutCert, dsn.ModeUnknown, "", 0},
		{"empty value is unset", "[routing:x]\nclient_ssl_mode =\n", AcceptPassthrough, AcceptDefaultWithoutCert, dsn.ModeUnknown, "", 0},
		{"unset, certificate", "[routing:x]\nclient_ssl_cert=/c\nclient_ssl_key=/k\n", AcceptPreferred, AcceptDefaultWithCert, dsn.Preferred, "", 0},
		{"unset, key only", "[routing:x]\nclient_ssl_key=/k\n", AcceptPreferred, AcceptDefaultWithCert, dsn.Preferred, "client_ssl_cert must be set", 2},
		{"required without cert", "[routing:x]\nclient_ssl_mode=required\n", AcceptRequired, AcceptExplicit, dsn.Required, "client_ssl_cert must be set", 2},
		{"preferred without key", "[routing:x]\nclient_ssl_cert=/c\nclient_ssl_mode=Preferred\n", AcceptPreferred, AcceptExplicit, dsn.Preferred, "client_ssl_key must be set", 3},
		{"passthrough, server required", "[routing:x]\nclient_ssl_mode=PASSTHROUGH\nserver_ssl_mode=REQUIRED\n", AcceptPassthrough, AcceptExplicit, dsn.Required, "must be AS_CLIENT", 3},
		{"default passthrough, server disabled", "[routing:x]\nserver_ssl_mode=DISABLED\n", AcceptPassthrough, AcceptDefaultWithoutCert, dsn.Disabled, "must be AS_CLIENT", 2},
		{"verify without CA", "[routing:x]\nclient_ssl_mode=DISABLED\nserver_ssl_verify=verify_ca\n", AcceptDisabled, AcceptExplicit, dsn.Disabled, "server_ssl_ca or server_ssl_capath", 3},
		{"invalid mode", "[routing:x]\nclient_ssl_mode=bogus\n", AcceptInvalid, AcceptExplicit, dsn.ModeUnknown, "invalid client_ssl_mode", 2},
		{"DEFAULT inherited, overridden", "[DEFAULT]\nclient_ssl_mode=DISABLED\nserver_ssl_mode=REQUIRED\n[routing]\nserver_ssl_mode=PREFERRED\nserver_ssl_verify=VERIFY_CA\nserver_ssl_capath=/d\n", AcceptDisabled, AcceptExplicit, dsn.Preferred, "", 0},
	} {
		f := parse(t, Router, c.text)
		if len(f.Routes) != 1 || len(f.Problems) != 0 {
			t.Errorf("%s: routes %d, problems %v", c.name, len(f.Routes), f.Problems)
			continue
		}
		r := f.Routes[0]
		if r.Accept != c.accept || r.AcceptFrom != c.from || r.Upstream.Mode != c.upstream {
			t.Errorf("%s: %v %v upstream %v, want %v %v %v", c.name, r.Accept, r.AcceptFrom, r.Upstream.Mode, c.accept, c.from, c.upstream)
		}
		switch {
		case c.stop == "" && len(r.Stops) > 0:
			t.Errorf("%s: unexpected stops %v", c.name, r.Stops)
		case c.stop != "" && (len(r.Stops) != 1 || !strings.Contains(r.Stops[0].Msg, c.stop) || r.Stops[0].Span.StartLine() != c.stopLine):
			t.Errorf("%s: stops %v, want %q at line %d", c.name, r.Stops, c.stop, c.stopLine)
		}
	}
	if r := parse(t, Router, "[DEFAULT]\nserver_ssl_verify=VERIFY_CA\nserver_ssl_capath=/d\n[routing]\nserver_ssl_mode=PREFERRED\n").Routes[0]; !r.Upstream.Effective.VerifiesChain || !r.Upstream.Effective.PlaintextFallback {
		t.Errorf("PREFERRED with VERIFY_CA: %+v", r.Upstream.Effective)
	}
}

func TestRouterSyntax(t *testing.T) {
	for text, want := range map[string]string{
		"x=1\n[routing]\n":             "before the first section",
		"[routing]\na=1\nA=2\n":        "set twice",
		"[routing]\njunk line\n":       "no '=' or ':'",
		"[routing:a-b]\n":              "letters, digits and _",
		"[routing\n":                   "malformed section header",
		"[routing:x]\n[routing:x]\n":   "appears twice",
		"[DEFAULT:x]\n":                "takes no key",
		"[routing]\nbad-name = 1\n":    "option names",
		"[routing]\n=1\n":              "empty key name",
		"[routing]\nclient_ssl_mode\n": "no '=' or ':'",
	} {
		f := parse(t, Router, text)
		if len(f.Problems) == 0 || !f.Problems[0].Fatal || !strings.Contains(f.Problems[0].Msg, want) {
			t.Errorf("%q: problems %v, want %q", text, f.Problems, want)
		}
	}
}

func TestGrafana(t *testing.T) {
	f := parseFixture(t, "grafana.ini")
	db := f.Database
	if db == nil || !db.MySQL || db.Client.Mode != dsn.Required || db.Client.From != dsn.Explicit || db.Client.CA == nil || len(db.Stops) != 0 {
		t.Fatalf("fixture: %+v", db)
	}
	if got := pos(db.Client.ModeEntry.ValueSpan); got != [2]int{11, 12} || db.Client.ModeEntry.Value != "skip-verify" {
		t.Errorf("ssl_mode %q at %v, want skip-verify at 11:12", db.Client.ModeEntry.Value, got)
	}
	for _, c := range []struct {
		body string
		mode dsn.Mode
		from dsn.Derivation
		stop string
	}{
		{"", dsn.Disabled, dsn.DriverDefault, ""},
		{"ssl_mode = true\nca_cert_path = /ca\nserver_cert_name = db\n", dsn.VerifyIdentity, dsn.Explicit, ""},
		{"ssl_mode = true\nca_cert_path = /ca\n", dsn.VerifyIdentity, dsn.Explicit, "server_cert_name"},
		{"ssl_mode = skip-verify\n", dsn.Required, dsn.Explicit, "ca_cert_path"},
		{"ssl_mode = True\n", dsn.Disabled, dsn.Explicit, ""},
		{"ssl_mode = disable\n", dsn.Disabled, dsn.Explicit, ""},
		{"ssl_mode = $__env{DB_SSL}\n", dsn.ModeUnknown, dsn.Explicit, ""},
		{"connection_string = u:p@tcp(db)/g?tls=true\nssl_mode = false\n", dsn.ModeUnknown, dsn.Explicit, ""},
	} {
		db := parse(t, Grafana, "[database]\ntype = mysql\n"+c.body).Database
		if db.Client.Mode != c.mode || db.Client.From != c.from {
			t.Errorf("%q: %v %v, want %v %v", c.body, db.Client.Mode, db.Client.From, c.mode, c.from)
		}
		if (c.stop == "") != (len(db.Stops) == 0) || c.stop != "" && !strings.Contains(db.Stops[0].Msg, c.stop) {
			t.Errorf("%q: stops %v, want %q", c.body, db.Stops, c.stop)
		}
	}
	if db := parse(t, Grafana, "[database]\ntype = postgres\nssl_mode = disable\n").Database; db.MySQL {
		t.Error("postgres read as MySQL")
	}
	if db := parse(t, Grafana, "[database]\nurl = mysql://u:p@db/g\n").Database; !db.MySQL || db.Client.Mode != dsn.Disabled {
		t.Errorf("url: %+v", db)
	}
}

func TestGitea(t *testing.T) {
	f := parseFixture(t, "app.ini")
	db := f.Database
	if db == nil || !db.MySQL || db.Client.Mode != dsn.Required || pos(db.Client.ModeEntry.ValueSpan) != [2]int{10, 12} || len(db.Stops) != 0 {
		t.Fatalf("fixture: %+v", db)
	}
	for body, want := range map[string]dsn.Mode{
		"":                       dsn.Disabled,
		"SSL_MODE = disable\n":   dsn.Disabled,
		"SSL_MODE = true\n":      dsn.VerifyIdentity,
		"SSL_MODE = preferred\n": dsn.Preferred,
		"SSL_MODE = require\n":   dsn.ModeUnknown,
	} {
		db := parse(t, Gitea, "[database]\nDB_TYPE = mysql\n"+body).Database
		if db.Client.Mode != want {
			t.Errorf("%q: %v, want %v", body, db.Client.Mode, want)
		}
		if (body == "SSL_MODE = require\n") != (len(db.Stops) == 1) {
			t.Errorf("%q: stops %v", body, db.Stops)
		}
	}
	if db := parse(t, Gitea, "[database]\nDB_TYPE = mysql\nHOST = /run/mysqld/mysqld.sock\n").Database; !db.Client.Unix {
		t.Error("unix socket not recognised")
	}
}

// TestSecrets checks that no password of a fixture is kept as text, that
// its bytes are marked secret, and that the raw-line pass and ini.v1 agree
// on it before it is dropped.
func TestSecrets(t *testing.T) {
	for name, pw := range map[string]string{"odbc.ini": "s3cr3t-odbc;pw", "grafana.ini": "s3cr3t#grafana;pw", "app.ini": "s3cr3t#gitea;pw"} {
		f := parseFixture(t, name)
		found := false
		for _, e := range f.Entries {
			if strings.Contains(e.Value, pw) || strings.Contains(e.Key, pw) {
				t.Errorf("%s: %s keeps the password", name, e.Key)
			}
			if e.Secret {
				found = true
				if e.ValueSpan.Text() != pw || e.Drift {
					t.Errorf("%s: secret span holds %d bytes, drift %v", name, len(e.ValueSpan.Text()), e.Drift)
				}
				if r := f.Src.SecretRanges(e.ValueSpan.Start, e.ValueSpan.End); len(r) != 1 || r[0] != [2]int{e.ValueSpan.Start, e.ValueSpan.End} {
					t.Errorf("%s: secret ranges %v", name, r)
				}
			}
		}
		if !found {
			t.Errorf("%s: no secret entry", name)
		}
		for _, p := range f.Problems {
			if strings.Contains(p.Msg, pw) {
				t.Errorf("%s: problem quotes the password", name)
			}
		}
	}
}

func TestKindOf(t *testing.T) {
	for name, want := range map[string]Kind{
		"etc/odbc.ini": ODBC, "home/u/.odbc.ini": ODBC, "etc/ODBCINST.INI": ODBC, "mysqlrouter.conf": Router,
		"conf/grafana.ini": Grafana, "custom/conf/app.ini": Gitea, "my.cnf": Unknown, "odbc.ini.bak": Unknown,
	} {
		if got := KindOf(name); got != want {
			t.Errorf("KindOf(%s) = %v, want %v", name, got, want)
		}
	}
}

// TestMaxItems: a file of more sections than any application has is read
// up to MaxItems, with a fatal problem there, and gopkg.in/ini.v1 is not
// run over the rest (84,000 sections held 315 MB).
func TestMaxItems(t *testing.T) {
	var b strings.Builder
	for i := 0; i < 3*MaxItems; i++ {
		fmt.Fprintf(&b, "[s%d]\nSSLMODE=PREFERRED\n", i)
	}
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	f := Parse(source.NewFile("odbc.ini", []byte(b.String())), ODBC)
	runtime.ReadMemStats(&after)
	if n := len(f.Entries) + len(f.Sections); n > MaxItems {
		t.Errorf("%d sections and keys read, want at most %d", n, MaxItems)
	}
	last := f.Problems[len(f.Problems)-1]
	if !last.Fatal || !strings.Contains(last.Msg, "did not check the rest") {
		t.Errorf("last problem %+v", last)
	}
	if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 64<<20 {
		t.Errorf("parsing allocated %d MB, want under 64", alloc>>20)
	}
}
