package load

import (
	"fmt"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/tlsvet/tlsvet/internal/facts"
	"github.com/tlsvet/tlsvet/internal/model"
)

func load(t *testing.T, fsys fstest.MapFS, targets ...string) *model.Project {
	t.Helper()
	opt := Options{FS: fsys, Paths: []string{"."}}
	for _, s := range targets {
		tg, err := facts.ParseTarget(s)
		if err != nil {
			t.Fatal(err)
		}
		opt.Targets, opt.TargetBy = append(opt.Targets, tg), "--target"
	}
	p, err := Load(opt)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func targets(ss []*model.Server) []string {
	var out []string
	for _, s := range ss {
		out = append(out, s.Target.String()+" by "+s.TargetBy)
	}
	return out
}

// Debian's 50-server.cnf ends with an empty [mariadb-10.5]: it says which
// servers read that group, not which server reads [mysqld].
func TestEmptyVersionGroupPinsNothing(t *testing.T) {
	fsys := fstest.MapFS{"50-server.cnf": {Data: []byte("[server]\n[mysqld]\nrequire-secure-transport=ON\n[embedded]\n[mariadb]\n[mariadb-10.5]\n")}}
	p := load(t, fsys)
	if got := targets(p.Servers); len(got) != 1 || got[0] != "MariaDB (any version) by " {
		t.Errorf("without a target: servers %q, want one MariaDB of unknown version", got)
	}
	p = load(t, fsys, "mariadb-11.8.3")
	if got := targets(p.Servers); len(got) != 1 || got[0] != "MariaDB 11.8.3 by --target" {
		t.Errorf("with --target mariadb-11.8.3: servers %q, want that target alone", got)
	}
}

// A versioned group with settings makes one more server where it overlaps
// the target, and none outside it; its range starts at the series' GA.
func TestVersionGroupNeverOverridesTarget(t *testing.T) {
	fsys := fstest.MapFS{"my.cnf": {Data: []byte("[mysqld]\nssl_ca=/x\n[mariadb-10.5]\nssl_cipher=HIGH\n")}}
	p := load(t, fsys)
	if got := targets(p.Servers); len(got) != 1 || got[0] != "MariaDB 10.5.x by group [mariadb-10.5]" || p.Servers[0].Target.Min != facts.V(10, 5, 4) {
		t.Errorf("servers %q (from %v), want MariaDB 10.5.x from its first GA, 10.5.4", got, p.Servers[0].Target.Min)
	}
	p = load(t, fsys, "mariadb-11.8.3")
	if got := targets(p.Servers); len(got) != 1 || got[0] != "MariaDB 11.8.3 by --target" {
		t.Errorf("servers %q, want only the target", got)
	}
	if len(p.Servers[0].Groups) != 1 {
		t.Errorf("an 11.8 server reads [mysqld] only, got %d groups", len(p.Servers[0].Groups))
	}
	p = load(t, fsys, "mariadb")
	if got := targets(p.Servers); len(got) != 2 || got[0] != "MariaDB 10.5.x by --target and group [mariadb-10.5]" || got[1] != "MariaDB (any version) by --target" {
		t.Errorf("servers %q, want the 10.5 part that reads the group and the target that does not", got)
	}
	if len(p.Servers[1].Groups) != 1 {
		t.Errorf("the server of any version reads [mysqld] only, got %d groups", len(p.Servers[1].Groups))
	}
}

// [client.ssl] is read by clients started with --defaults-group-suffix=.ssl,
// together with [client]: a client of its own.
func TestGroupSuffixMakesAProgram(t *testing.T) {
	fsys := fstest.MapFS{"my.cnf": {Data: []byte("[client]\nssl-mode=DISABLED\n[client.ssl]\nssl-mode=REQUIRED\n[mysqld-ssl]\nssl_ca=/x\n")}}
	p := load(t, fsys, "mysql-8.0.36")
	if len(p.Clients) != 2 {
		t.Fatalf("clients = %d, want one without the suffix and one with .ssl", len(p.Clients))
	}
	if m := p.Clients[0].Settings.Get("ssl_mode"); m == nil || m.Value != "DISABLED" {
		t.Errorf("plain client: ssl_mode = %+v, want DISABLED", m)
	}
	if m := p.Clients[1].Settings.Get("ssl_mode"); m == nil || m.Value != "REQUIRED" || len(m.Earlier) != 1 {
		t.Errorf("client with .ssl: ssl_mode = %+v, want REQUIRED over DISABLED", m)
	}
	if len(p.Servers) != 2 || p.Servers[0].Settings.Get("ssl_ca") != nil || p.Servers[1].Settings.Get("ssl_ca") == nil {
		t.Errorf("servers: want one without [mysqld-ssl] and one with it, got %d", len(p.Servers))
	}
}

// The files of one conf.d directory are one server's configuration.
func TestConfDirIsOneServer(t *testing.T) {
	fsys := fstest.MapFS{
		"conf.d/10-base.cnf": {Data: []byte("[mysqld]\nmax_connections=10\n")},
		"conf.d/20-tls.cnf":  {Data: []byte("[mysqld]\nssl_cert=/c\nssl_key=/k\n")},
		"conf.d/30-repl.cnf": {Data: []byte("[mysqld]\nserver_id=2\n")},
		"other/my.cnf":       {Data: []byte("[mysqld]\nssl_ca=/x\n")},
	}
	p := load(t, fsys, "mysql-5.7.44")
	if len(p.OptionFiles) != 2 || len(p.Servers) != 2 {
		t.Fatalf("option files %d, servers %d; want conf.d as one, other/my.cnf alone", len(p.OptionFiles), len(p.Servers))
	}
	of := p.OptionFiles[0]
	if of.File.Path != "conf.d/10-base.cnf" || len(of.Files) != 3 || len(of.Groups) != 3 {
		t.Errorf("conf.d: first %s, %d files, %d groups; want 10-base.cnf first and all three", of.File.Path, len(of.Files), len(of.Groups))
	}
	if s := p.Servers[0]; s.Settings.Get("ssl_cert") == nil || s.Settings.Get("server_id") == nil {
		t.Errorf("the conf.d server misses settings of its files")
	}
}

// Thousands of suffixed groups make a bounded number of programs, each a
// pass over the options.
func TestGroupSuffixesBounded(t *testing.T) {
	var b strings.Builder
	b.WriteString("[client]\nssl-mode=REQUIRED\n")
	for i := range 5000 {
		fmt.Fprintf(&b, "[client.s%d]\nssl-ca=/ca%d\n", i, i)
	}
	p := load(t, fstest.MapFS{"my.cnf": {Data: []byte(b.String())}})
	if n := len(p.Clients); n != maxSuffixes+1 {
		t.Errorf("clients = %d, want %d (plain, then %d suffixes, the last shared)", n, maxSuffixes+1, maxSuffixes)
	}
	last := p.Clients[len(p.Clients)-1]
	if len(last.Groups) != 5000-maxSuffixes+2 {
		t.Errorf("the shared program reads %d groups, want [client] and every suffix past the bound", len(last.Groups))
	}
}

// A pre-GA release the user names is kept, and reads its series' group.
func TestNamedPreGATargetReadsItsGroup(t *testing.T) {
	fsys := fstest.MapFS{"my.cnf": {Data: []byte("[mysqld]\nssl_ca=/x\n[mariadb-10.5]\nssl_cipher=HIGH\n")}}
	p := load(t, fsys, "mariadb-10.5.1")
	if got := targets(p.Servers); len(got) != 1 || got[0] != "MariaDB 10.5.1 by --target and group [mariadb-10.5]" || len(p.Servers[0].Groups) != 2 {
		t.Errorf("servers %q, want MariaDB 10.5.1 reading [mysqld] and [mariadb-10.5]", got)
	}
}
