package load

import (
	"io/fs"
	"testing"
	"testing/fstest"

	"github.com/tlsvet/tlsvet/internal/facts"
)

func TestLoadBuildsServersAndClients(t *testing.T) {
	fsys := fstest.MapFS{
		"etc/my.cnf":          {Data: []byte("[mysqld]\nssl_ca=/a\n!includedir conf.d\n[mysqld-8.0]\ntls_version=TLSv1.2\n[client]\nssl-mode=REQUIRED\n[mysql]\nprompt=x\n")},
		"etc/conf.d/tls.cnf":  {Data: []byte("[mysqld]\nssl_ca=/b\n[mysqld-5.7]\ntls_version=TLSv1.1\n")},
		"etc/conf.d/skip.txt": {Data: []byte("[mysqld]\nnot read\n")},
		"other/client.cnf":    {Data: []byte("[client-mariadb]\nssl-verify-server-cert\n")},
		"node_modules/x.cnf":  {Data: []byte("[mysqld]\nssl=0\n")},
	}
	p, err := Load(Options{FS: fsys, Paths: []string{"."}})
	if err != nil {
		t.Fatal(err)
	}
	if len(p.OptionFiles) != 2 {
		t.Fatalf("top-level option files = %d, want 2 (the included tls.cnf is not top-level; node_modules is skipped)", len(p.OptionFiles))
	}
	if got := p.OptionFiles[0].File.Path; got != "etc/my.cnf" {
		t.Errorf("first option file = %s", got)
	}
	if len(p.Servers) != 2 {
		t.Fatalf("servers = %d, want one per versioned group (8.0 and 5.7)", len(p.Servers))
	}
	for _, s := range p.Servers {
		ca := s.Settings.Get("ssl_ca")
		if ca == nil || ca.Value != "/b" || len(ca.Earlier) != 1 {
			t.Errorf("%s: ssl_ca = %+v, want /b from the include with /a earlier", s.Target, ca)
		}
		tv := s.Settings.Get("tls_version")
		switch {
		case s.Target.AllAtLeast(facts.V(8, 0, 0)) && (tv == nil || tv.Value != "TLSv1.2"):
			t.Errorf("8.0 server: tls_version = %+v", tv)
		case s.Target.AllBelow(facts.V(8, 0, 0)) && (tv == nil || tv.Value != "TLSv1.1"):
			t.Errorf("5.7 server: tls_version = %+v", tv)
		}
		if s.TargetBy == "" {
			t.Errorf("%s: TargetBy is empty", s.Target)
		}
	}
	if len(p.Clients) != 2 {
		t.Fatalf("clients = %d, want 2", len(p.Clients))
	}
	if m := p.Clients[0].Settings.Get("ssl_mode"); m == nil || m.Value != "REQUIRED" {
		t.Errorf("client ssl_mode = %+v", m)
	}
	if p.Clients[1].Target.Flavor != facts.MariaDB {
		t.Errorf("a file with only [client-mariadb] is read by MariaDB clients, got %s", p.Clients[1].Target)
	}
}

func TestLoadConfigTargetNarrowsVersionedGroup(t *testing.T) {
	fsys := fstest.MapFS{"my.cnf": {Data: []byte("[mysqld-8.0]\ntls_version=TLSv1.1\n[mysqld]\nssl_ca=/x\n")}}
	tgt, _ := facts.ParseTarget("mysql-8.0.36")
	p, err := Load(Options{FS: fsys, Paths: []string{"my.cnf"}, Targets: []facts.Target{tgt}, TargetBy: "--target"})
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Servers) != 1 || !p.Servers[0].Target.Exact() || len(p.Servers[0].Groups) != 2 {
		t.Fatalf("want one exact 8.0.36 server reading both groups, got %+v", p.Servers)
	}
}

// TestLoadUnreadableFile: a file that cannot be read is a problem at its
// start (TV001), and the run goes on.
func TestLoadUnreadableFile(t *testing.T) {
	fsys := fstest.MapFS{
		"bad.cnf":  {Mode: 0o000, Data: []byte("[mysqld]\n")},
		"good.cnf": {Data: []byte("[mysqld]\nssl_ca=/x\n")},
	}
	p, err := Load(Options{FS: unreadable{fsys, "bad.cnf"}, Paths: []string{"."}})
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Problems) != 1 || p.Problems[0].Span.File == nil || p.Problems[0].Span.File.Path != "bad.cnf" {
		t.Fatalf("problems = %+v", p.Problems)
	}
	if len(p.Servers) != 1 {
		t.Fatalf("the readable file must still be checked: %d servers", len(p.Servers))
	}
}

// unreadable fails to open one file, as a permission error would.
type unreadable struct {
	fstest.MapFS
	name string
}

func (u unreadable) Open(name string) (fs.File, error) {
	if name == u.name {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrPermission}
	}
	return u.MapFS.Open(name)
}

func (u unreadable) ReadFile(name string) ([]byte, error) {
	if name == u.name {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrPermission}
	}
	return u.MapFS.ReadFile(name)
}
