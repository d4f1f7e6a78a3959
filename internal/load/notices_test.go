package load

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
)

// messages returns the notices without a path: the run's summaries.
func messages(t *testing.T, fsys fstest.MapFS, paths ...string) ([]string, int) {
	t.Helper()
	p, err := Load(Options{FS: fsys, Paths: paths})
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, n := range Summaries(p, nil) {
		out = append(out, n.Message)
	}
	return out, len(p.OptionFiles)
}

// TestOtherFormats: files of other programs named *.cnf are not option
// files; they are listed in one notice, with their kind, and give no
// problem. A file an option file includes is read as MySQL reads it.
func TestOtherFormats(t *testing.T) {
	fsys := fstest.MapFS{
		"proxysql/proxysql.cnf":      {Data: []byte("datadir=\"/var/lib/proxysql\"\nmysql_servers =\n(\n\t{ address=\"db1\", port=3306 }\n)\n")},
		"ssl/openssl.cnf":            {Data: []byte("RANDFILE = $ENV::HOME/.rnd\n[ req ]\ndistinguished_name = dn\n")},
		"keyring/component.cnf":      {Data: []byte("{\n  \"path\": \"/var/lib/keyring\"\n}\n")},
		"maxscale/maxscale.cnf":      {Data: []byte("[maxscale]\nthreads=auto\n[db1]\ntype=server\n")},
		"exporter/.my.cnf":           {Data: []byte("[client]\nuser=exporter\ntls=skip-verify\n")},
		"mysql/my.cnf":               {Data: []byte("[mysqld]\nssl_ca=/etc/ca.pem\n!include ../vitess/fragment.cnf\n")},
		"vitess/fragment.cnf":        {Data: []byte("{\"not\": \"json to MySQL\"}\n")},
		"typo/my.cnf":                {Data: []byte("ssl_ca=/etc/ca.pem\n[mysqld]\n")},
		"templates/my.cnf.j2":        {Data: []byte("{{ ansible_managed }}\n[mysqld]\nssl_ca={{ ca }}\n")},
		"templates/server.cnf.erb":   {Data: []byte("[mysqld]\ntls_version=TLSv1.2\n")},
		"conf.d/placeholders.cnf":    {Data: []byte("[mysqld]\nssl_key=__SSL_KEY__\n")},
		"conf.d/not-a-template.conf": {Data: []byte("[mysqld]\nssl_key={{ x }}\n")},
	}
	p, err := Load(Options{FS: fsys, Paths: []string{"."}})
	if err != nil {
		t.Fatal(err)
	}
	var tops []string
	for _, of := range p.OptionFiles {
		tops = append(tops, of.File.Path)
	}
	want := []string{"conf.d/placeholders.cnf", "mysql/my.cnf", "templates/my.cnf.j2", "templates/server.cnf.erb", "typo/my.cnf"}
	if !slices.Equal(tops, want) {
		t.Errorf("option files %v, want %v", tops, want)
	}
	var problems []string
	for _, pr := range p.Problems {
		problems = append(problems, pr.Span.File.Path)
	}
	// The included JSON stops MySQL's reading of that file; the typo is fatal.
	slices.Sort(problems)
	if !slices.Equal(problems, []string{"typo/my.cnf", "vitess/fragment.cnf"}) {
		t.Errorf("problems in %v", problems)
	}
	msgs, _ := messages(t, fsys, ".")
	wantMsgs := []string{
		"5 files are not MySQL option files: exporter/.my.cnf (mysqld_exporter), keyring/component.cnf (JSON), maxscale/maxscale.cnf (MaxScale), proxysql/proxysql.cnf (libconfig), ssl/openssl.cnf (OpenSSL)",
		"3 files were read as templates (template lines skipped, templated values not judged): conf.d/placeholders.cnf, templates/my.cnf.j2, templates/server.cnf.erb",
	}
	if !slices.Equal(msgs, wantMsgs) {
		t.Errorf("notices:\n%s\nwant:\n%s", strings.Join(msgs, "\n"), strings.Join(wantMsgs, "\n"))
	}
}

// TestNoticeListsTen: one notice, the count and the first ten names.
func TestNoticeListsTen(t *testing.T) {
	fsys := fstest.MapFS{}
	for i := range 12 {
		fsys[fmt.Sprintf("k%02d.cnf", i)] = &fstest.MapFile{Data: []byte("{ \"read_local_config\": true }\n")}
	}
	msgs, n := messages(t, fsys, ".")
	want := "12 files are not MySQL option files: k00.cnf (JSON), k01.cnf (JSON), k02.cnf (JSON), k03.cnf (JSON), k04.cnf (JSON), k05.cnf (JSON), k06.cnf (JSON), k07.cnf (JSON), k08.cnf (JSON), k09.cnf (JSON) and 2 more"
	if n != 0 || !slices.Equal(msgs, []string{want}) {
		t.Errorf("%d option files, notices %q", n, msgs)
	}
}

// TestNamedNotRead: files named on the command line whose names tlsvet
// does not read (neither option files nor files that may hold connection
// strings) are listed, once; the walk's files are not.
func TestNamedNotRead(t *testing.T) {
	fsys := fstest.MapFS{
		"README.md":    {Data: []byte("# readme\n")},
		"app/x.yaml":   {Data: []byte("a: b\n")},
		"my.cnf":       {Data: []byte("[mysqld]\n")},
		"notes/ssl.md": {Data: []byte("x\n")},
	}
	msgs, n := messages(t, fsys, ".", "README.md", "app/x.yaml", "my.cnf", "README.md")
	want := "1 file named on the command line was not read: README.md (not a name tlsvet reads)"
	if n != 1 || !slices.Equal(msgs, []string{want}) {
		t.Errorf("%d option files, notices %q", n, msgs)
	}
}
