package load

import (
	"testing"
	"testing/fstest"
)

func TestLoadSQL(t *testing.T) {
	fsys := fstest.MapFS{
		"docker-entrypoint-initdb.d/10-replica.sql": {Data: []byte("CREATE USER 'repl'@'%' IDENTIFIED BY 'pw' REQUIRE X509;\n" +
			"CHANGE MASTER 'one' TO MASTER_SSL=1, MASTER_SSL_CA='/ca.pem';\n")},
		"scripts/replica.sh": {Data: []byte("mysql <<EOF\nCHANGE REPLICATION SOURCE TO SOURCE_SSL_CA='/ca.pem' FOR CHANNEL 'two';\nEOF\n" +
			"mysql -e \"CHANGE MASTER TO MASTER_SSL_CIPHER='AES128-SHA'\"\n")},
		// Named like SQL and shell scripts, holding no statement: read
		// with a byte scan only, so not in Project.Files.
		"schema.sql": {Data: []byte("CREATE TABLE t (id INT);\n")},
		"build.sh":   {Data: []byte("#!/bin/sh\nmake\n")},
	}
	p, err := Load(Options{FS: fsys, Paths: []string{"."}})
	if err != nil {
		t.Fatal(err)
	}
	var files []string
	for _, f := range p.Files {
		files = append(files, f.Path)
	}
	if len(files) != 2 || files[0] != "docker-entrypoint-initdb.d/10-replica.sql" || files[1] != "scripts/replica.sh" {
		t.Errorf("files read = %v", files)
	}
	if len(p.Accounts) != 1 || p.Accounts[0].User != "repl" || p.Accounts[0].Require != "X509" || p.Accounts[0].Statement != "CREATE USER" {
		t.Errorf("accounts = %+v", p.Accounts)
	}
	if len(p.Replications) != 3 {
		t.Fatalf("replications = %d, want 3", len(p.Replications))
	}
	one, two, three := p.Replications[0], p.Replications[1], p.Replications[2]
	if one.Channel != "one" || one.SourceSpelling || two.Channel != "two" || !two.SourceSpelling {
		t.Errorf("channels: %+v %+v", one, two)
	}
	// Fixes are spelt as SQL literals, and refused where the shell would
	// change the text.
	for _, c := range []struct {
		set       string
		v, want   string
		ok        bool
		syntax    string
		replSet   int
		replIndex int
	}{
		{"source_ssl", "0", "0", true, "SQL statement", 0, 0},
		{"source_ssl_ca", "/it's\\here", `'/it''s\\here'`, true, "SQL statement", 0, 1},
		{"source_ssl_ca", "/x", "'/x'", true, "SQL statement in a shell heredoc", 1, 0},
		{"source_ssl_ca", "$HOME", "", false, "SQL statement in a shell heredoc", 1, 0},
		{"source_ssl_cipher", `say "x"`, "", false, "SQL statement in a shell argument", 2, 0},
		{"source_ssl_cipher", "AES256-SHA", "'AES256-SHA'", true, "SQL statement in a shell argument", 2, 0},
	} {
		o := p.Replications[c.replSet].Settings[c.replIndex]
		if o.Name != c.set || o.Syntax() != c.syntax {
			t.Errorf("%s: setting %s in %q", c.set, o.Name, o.Syntax())
			continue
		}
		e, ok := o.SetValue(c.v)
		if ok != c.ok || ok && (e.New != c.want || e.Span != o.ValueSpan) {
			t.Errorf("%s in %s: SetValue(%q) = %q, %v; want %q, %v", c.set, o.Syntax(), c.v, e.New, ok, c.want, c.ok)
		}
	}
	if three.Get("source_ssl_cipher").Value != "AES128-SHA" || !three.Get("source_ssl_cipher").ValueExact() {
		t.Errorf("cipher: %+v", three.Get("source_ssl_cipher"))
	}
}
