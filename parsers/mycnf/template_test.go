package mycnf

import (
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/tlsvet/tlsvet/internal/source"
)

// TestTemplatesKeepRealFiles: reading template syntax changes nothing for
// real option files. TestDifferential holds the plain reading to
// my_print_defaults on the same fixtures, so the template reading agrees
// with it too.
func TestTemplatesKeepRealFiles(t *testing.T) {
	root, err := filepath.Abs("testdata/diff")
	if err != nil {
		t.Fatal(err)
	}
	tops, err := filepath.Glob(filepath.Join(root, "*.cnf"))
	if err != nil || len(tops) < 30 {
		t.Fatalf("fixtures: %d, %v", len(tops), err)
	}
	for _, top := range tops {
		name := filepath.Base(top)
		opt := Options{FS: os.DirFS(root), RootDir: root}
		plain := Read(name, opt)
		opt.Templates = true
		tmpl := Read(name, opt)
		if len(tmpl.Templates) > 0 {
			t.Errorf("%s: read as a template: %v", name, tmpl.Templates)
		}
		if a, b := summary(plain), summary(tmpl); a != b {
			t.Errorf("%s: the template reading differs:\nplain:    %s\ntemplate: %s", name, a, b)
		}
	}
}

// summary prints what a reading found, for comparisons.
func summary(r *Result) string {
	var b strings.Builder
	for _, e := range r.Entries {
		fmt.Fprintf(&b, "[%s] %s %v|", e.Group.Name, e.Arg(), e.Template)
	}
	for _, e := range r.Errors {
		fmt.Fprintf(&b, "error %s|", e.Error())
	}
	for _, in := range r.Includes {
		fmt.Fprintf(&b, "include %s %v %v|", in.Target, in.Files, in.Problem)
	}
	return b.String()
}

func TestTemplates(t *testing.T) {
	for _, tc := range []struct {
		name, text string
		want       string // summary of the template reading
	}{
		{"jinja", "{{ ansible_managed | comment }}\n[mysqld]\n{% if mysql_ssl %}\nssl_ca = {{ mysql_ssl_ca }}\n{% endif %}\nssl_cert = /etc/mysql/cert.pem\n{# a Jinja comment #}\n",
			"[mysqld] --ssl_ca={{ mysql_ssl_ca }} true|[mysqld] --ssl_cert=/etc/mysql/cert.pem false|"},
		{"go template", "[client]\n{{- if .Values.tls }}\nssl-mode = {{ .Values.sslMode | quote }}\n{{- end }}\n{{ range $k, $v := .Values.extra }}{{ $k }} = {{ $v }}\n{{ end }}\n",
			"[client] --ssl-mode={{ .Values.sslMode | quote }} true|"},
		{"erb", "[mysqld]\n<% if @ssl -%>\nssl-ca=<%= @ssl_ca %>\n<% end -%>\n<%= @key %>=<%= @value %>\n",
			"[mysqld] --ssl-ca=<%= @ssl_ca %> true|"},
		{"sed placeholders", "[mysqld]\n__EXTRA_OPTIONS__\nssl_key=__SSL_DIR__/server-key.pem\ntls_version=TLSv1.2\n",
			"[mysqld] --ssl_key=__SSL_DIR__/server-key.pem true|[mysqld] --tls_version=TLSv1.2 false|"},
		{"jinja comment after a value", "[mysqld]\nssl_ca = /etc/ca.pem {# set by the role #}\n",
			"[mysqld] --ssl_ca=/etc/ca.pem { true|"},
		{"a typo before the first group still fails", "{% if x %}\nssl_ca=/x\n[mysqld]\n",
			"error t.cnf:2:1: option without preceding group (MySQL: \"Found option without preceding group in config file\")|"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := source.NewFile("t.cnf", []byte(tc.text))
			r := &reader{opt: Options{Templates: true}, res: &Result{Files: []*source.File{f}}}
			r.scan(f, location{path: f.Path}, 0)
			r.finish()
			if got := summary(r.res); got != tc.want {
				t.Errorf("got  %s\nwant %s", got, tc.want)
			}
			if !reflect.DeepEqual(r.res.Templates, []string{"t.cnf"}) {
				t.Errorf("Templates = %v, want [t.cnf]", r.res.Templates)
			}
		})
	}
}
