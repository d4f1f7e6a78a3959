package parsers

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestSniff checks the decision on small files shaped like the real ones
// (testdata/sniff). Every fixture is listed, so a new one needs a verdict.
func TestSniff(t *testing.T) {
	want := map[string]Kind{
		"proxysql.cnf":                     LibConfig,
		"proxysql-inline.cnf":              LibConfig,
		"openssl-randfile.cnf":             OpenSSLConfig,
		"openssl-req.cnf":                  OpenSSLConfig,
		"openssl-client-server.cnf":        OpenSSLConfig,
		"component_keyring_file.cnf":       JSON,
		"keyring-oneline.cnf":              JSON,
		"maxscale.cnf":                     MaxScale,
		"maxscale-objects.cnf":             MaxScale,
		"exporter.cnf":                     MysqldExporter,
		"exporter-named.cnf":               MysqldExporter,
		"exporter-template.cnf":            MysqldExporter,
		"typo-before-group.cnf":            OptionFile,
		"debian-50-server.cnf":             OptionFile,
		"vitess-fragment.cnf":              OptionFile,
		"jinja.cnf":                        OptionFile,
		"mysql-with-client-and-server.cnf": OptionFile,
		"client-server-keyusage.cnf":       OptionFile,
		"mariadb-tls-prefix.cnf":           OptionFile,
	}
	files, err := filepath.Glob("testdata/sniff/*")
	if err != nil || len(files) == 0 {
		t.Fatalf("no fixtures: %v", err)
	}
	for _, f := range files {
		name := filepath.Base(f)
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		k, ok := want[name]
		if !ok {
			t.Errorf("%s: no expected kind", name)
			continue
		}
		delete(want, name)
		if got := Sniff(data); got != k {
			t.Errorf("Sniff(%s) = %v, want %v", name, got, k)
		}
		// The same content with a byte-order mark and CRLF line ends.
		crlf := append([]byte{0xEF, 0xBB, 0xBF}, bytes.ReplaceAll(data, []byte("\n"), []byte("\r\n"))...)
		if got := Sniff(crlf); got != k {
			t.Errorf("Sniff(%s with BOM and CRLF) = %v, want %v", name, got, k)
		}
	}
	for name := range want {
		t.Errorf("%s: fixture missing", name)
	}
}

// TestSniffHeadOnly: markers past the first sniffLen bytes are not seen,
// so the cost per file is bounded.
func TestSniffHeadOnly(t *testing.T) {
	const line = "# a line of a long comment\n"
	pad := strings.Repeat(line, sniffLen/len(line))
	if got := Sniff([]byte("[mysqld]\n" + pad + "[maxscale]\n")); got != OptionFile {
		t.Errorf("a marker after the head decided: %v", got)
	}
	if got := Sniff([]byte(pad[len(line):] + "[maxscale]\n")); got != MaxScale {
		t.Errorf("a marker inside the head was missed: %v", got)
	}
}

func TestDetect(t *testing.T) {
	for name, want := range map[string]Kind{
		"my.cnf":                           OptionFile,
		"etc/mysql/conf.d/tls.CNF":         OptionFile,
		"my.ini":                           OptionFile,
		"etc/my.cnf.d/client.ini":          OptionFile,
		".mylogin.cnf":                     Unknown,
		"templates/my.cnf.j2":              OptionFile,
		"templates/mysqld.cnf.erb":         OptionFile,
		"templates/50-server.cnf.template": OptionFile,
		"my.cnf.tpl":                       OptionFile,
		"my.cnf.tmpl":                      OptionFile,
		"manifests/my.cnf.epp":             OptionFile,
		"my.ini.j2":                        OptionFile,
		"my.cnf.d/x.ini.erb":               OptionFile,
		".mylogin.cnf.j2":                  Unknown,
		"nginx.conf.j2":                    Unknown,
		"README.md":                        Unknown,
		".j2":                              Unknown,
		"my.cnf.bak":                       Unknown,
	} {
		if got := Detect(name); got != want {
			t.Errorf("Detect(%q) = %v, want %v", name, got, want)
		}
	}
}
