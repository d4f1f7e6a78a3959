package load

import (
	"fmt"
	"testing"
	"testing/fstest"
)

// TestDirectoryRefs checks that ssl_capath and ssl_crlpath resolve to
// repository directories (beside the option file, or mounted into a
// compose service as a whole) and that the directory is listed.
func TestDirectoryRefs(t *testing.T) {
	fsys := fstest.MapFS{
		"db/my.cnf":         {Data: []byte("[mysqld]\nssl_capath=certs\n[client]\nssl-crlpath=missing\n")},
		"db/certs/ca.pem":   {Data: []byte("x")},
		"db/certs/readme":   {Data: []byte("x")},
		"compose.yaml":      {Data: []byte("services:\n  db:\n    image: mysql:8.4\n    volumes:\n      - ./conf/my.cnf:/etc/mysql/conf.d/my.cnf\n      - ./pki:/etc/mysql/pki\n")},
		"conf/my.cnf":       {Data: []byte("[mysqld]\nssl_capath=/etc/mysql/pki\n")},
		"pki/3387b84d.0":    {Data: []byte("x")},
		"pki/sub/ignored.0": {Data: []byte("x")},
	}
	p, err := Load(Options{FS: fsys, Paths: []string{"."}})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	expected := map[string]bool{}
	for _, r := range p.FileRefs {
		got[r.Setting.KeySpan.File.Path+":"+r.Setting.Value] = r.Path
		expected[r.Setting.Value] = r.Expected
	}
	for ref, want := range map[string]string{"db/my.cnf:certs": "db/certs", "db/my.cnf:missing": "", "conf/my.cnf:/etc/mysql/pki": "pki"} {
		if got[ref] != want {
			t.Errorf("%s resolved to %q, want %q (all: %v)", ref, got[ref], want, got)
		}
	}
	if expected["missing"] {
		t.Error("a client's relative directory is expected in the repository; the client's working directory decides")
	}
	d := p.PKIDirs["db/certs"]
	if d == nil || fmt.Sprint(d.Names) != "[ca.pem readme]" || d.Files["ca.pem"] == nil || d.Files["readme"] != nil {
		t.Errorf("db/certs listed as %+v", d)
	}
	if d := p.PKIDirs["pki"]; d == nil || fmt.Sprint(d.Names) != "[3387b84d.0]" || d.Files["3387b84d.0"] == nil {
		t.Errorf("pki listed as %+v", d)
	}
}

// TestDirectoryCaps checks that a huge directory costs a bounded listing
// and a bounded number of reads, of bounded size.
func TestDirectoryCaps(t *testing.T) {
	fsys := fstest.MapFS{"my.cnf": {Data: []byte("[mysqld]\nssl_capath=certs\n")}}
	for i := range maxDirEntries + 200 {
		fsys[fmt.Sprintf("certs/c%05d.pem", i)] = &fstest.MapFile{Data: []byte("x")}
	}
	p, err := Load(Options{FS: fsys, Paths: []string{"my.cnf"}})
	if err != nil {
		t.Fatal(err)
	}
	d := p.PKIDirs["certs"]
	if d == nil {
		t.Fatal("certs not listed")
	}
	if !d.Capped || len(d.Names) > maxDirEntries || len(d.Files) != maxDirFiles {
		t.Errorf("certs: capped %v, %d names, %d files read", d.Capped, len(d.Names), len(d.Files))
	}
}

func TestDirectoryByteCap(t *testing.T) {
	fsys := fstest.MapFS{"my.cnf": {Data: []byte("[mysqld]\nssl_capath=certs\n")}}
	big := make([]byte, 3<<20)
	for i := range 10 {
		fsys[fmt.Sprintf("certs/c%d.pem", i)] = &fstest.MapFile{Data: big}
	}
	p, err := Load(Options{FS: fsys, Paths: []string{"my.cnf"}})
	if err != nil {
		t.Fatal(err)
	}
	d := p.PKIDirs["certs"]
	if d == nil {
		t.Fatal("certs not listed")
	}
	if want := (maxDirBytes + len(big) - 1) / len(big); !d.Capped || len(d.Files) != want {
		t.Errorf("certs: capped %v, %d files of 3 MiB read, want %d", d.Capped, len(d.Files), want)
	}
}
