package load

import (
	"strings"
	"testing"
	"testing/fstest"
)

// TestFoldedOptionFile: my.cnf text in a folded scalar reaches the server
// as one line, which is a TV001 problem at the scalar, not a guess at the
// settings.
func TestFoldedOptionFile(t *testing.T) {
	fsys := fstest.MapFS{"values.yaml": {Data: []byte("image:\n  repository: bitnami/mysql\n  tag: 8.0.36\nprimary:\n  configuration: >\n    [mysqld]\n    tls_version=TLSv1.2\n")}}
	p, err := Load(Options{FS: fsys, Paths: []string{"."}})
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Problems) != 1 || !strings.Contains(p.Problems[0].Message, "folded block scalar") || p.Problems[0].Span.StartPos().Line != 5 {
		t.Errorf("problems %+v", p.Problems)
	}
	if len(p.Servers) != 0 {
		t.Errorf("a folded option file was read as settings: %d servers", len(p.Servers))
	}
}

// TestChartTemplatesSkipped: a chart's templates/ are never read (helm
// renders them, tlsvet does not), with one note naming them.
func TestChartTemplatesSkipped(t *testing.T) {
	fsys := fstest.MapFS{
		"charts/db/Chart.yaml":            {Data: []byte("name: db\n")},
		"charts/db/templates/sts.yaml":    {Data: []byte("image: mysql:{{ .Values.tag }}\nargs: [\"--tls-version=TLSv1\"]\n")},
		"charts/db/templates/secret.yaml": {Data: []byte("url: \"jdbc:mysql://db/x?useSSL=false\"\n")},
		"charts/db/values.yaml":           {Data: []byte("x: 1\n")},
	}
	p, err := Load(Options{FS: fsys, Paths: []string{"."}})
	if err != nil {
		t.Fatal(err)
	}
	var notes []string
	for _, n := range p.Notices {
		notes = append(notes, n.Message)
	}
	if len(notes) != 1 || !strings.Contains(notes[0], "2 files are Helm chart templates") || len(p.Connections) != 0 {
		t.Errorf("notices %q, %d connections", notes, len(p.Connections))
	}
}

// TestManifestDuplicateKey: a key written twice in chart values is read
// as its last value, and one note says so with both lines.
func TestManifestDuplicateKey(t *testing.T) {
	fsys := fstest.MapFS{"values.yaml": {Data: []byte("image:\n  repository: bitnami/mysql\n  tag: 8.0.36\n  tag: 5.7.44\nprimary:\n  configuration: |\n    [mysqld]\n    tls_version=TLSv1.2\n")}}
	p, err := Load(Options{FS: fsys, Paths: []string{"."}})
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Notices) != 1 || !strings.Contains(p.Notices[0].Message, `key "tag" is written twice (lines 3 and 4)`) {
		t.Errorf("notices %+v", p.Notices)
	}
	if len(p.Servers) == 0 || p.Servers[0].Target.Min.Series() != "5.7" {
		t.Errorf("servers %+v: want the last tag's version", p.Servers)
	}
}
