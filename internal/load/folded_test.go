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
