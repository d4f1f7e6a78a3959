package rules

import (
	"slices"
	"testing"
	"testing/fstest"

	"github.com/tlsvet/tlsvet/internal/facts"
	"github.com/tlsvet/tlsvet/internal/load"
)

// TestAllowedProtocols pins what the cipher family (TV205) relies on: the
// protocols a server's main channel allows, per flavour and version.
func TestAllowedProtocols(t *testing.T) {
	const (
		v10 = facts.TLSv10
		v11 = facts.TLSv11
		v12 = facts.TLSv12
		v13 = facts.TLSv13
	)
	tests := []struct {
		name, target, cnf string
		want              []facts.Protocol
	}{
		{"8.0.36 default", "mysql-8.0.36", "[mysqld]\nssl_ca=/a\n", []facts.Protocol{v12, v13}},
		{"5.7 default", "mysql-5.7", "[mysqld]\nssl_ca=/a\n", []facts.Protocol{v10, v11, v12}},
		{"unknown version: union of defaults", "", "[mysqld]\nssl_ca=/a\n", []facts.Protocol{v10, v11, v12, v13}},
		{"8.0.36 drops TLSv1", "mysql-8.0.36", "[mysqld]\ntls_version=TLSv1,TLSv1.2\n", []facts.Protocol{v12}},
		{"MySQL drops a padded token", "mysql-8.0.36", "[mysqld]\ntls_version=TLSv1.2, TLSv1.3\n", []facts.Protocol{v12}},
		{"MySQL drops MariaDB's spelling", "mysql-5.7", "[mysqld]\ntls_version=TLSv1.0,TLSv1.1\n", []facts.Protocol{v11}},
		{"5.7 has no TLSv1.3", "mysql-5.7", "[mysqld]\ntls_version=TLSv1.2,TLSv1.3\n", []facts.Protocol{v12}},
		{"empty list on MySQL: no TLS", "mysql-8.0.36", "[mysqld]\ntls_version=\n", nil},
		{"nothing usable on MySQL", "mysql-8.4", "[mysqld]\ntls_version=TLSv1.1\n", nil},
		{"MariaDB refuses to start on a space", "mariadb-10.11", "[mariadb]\ntls_version=TLSv1.2, TLSv1.3\n", nil},
		{"MariaDB refuses to start on a stray comma", "mariadb-10.11", "[mariadb]\ntls_version=TLSv1.2,TLSv1.3,\n", nil},
		{"MySQL skips a stray comma", "mysql-8.0.36", "[mysqld]\ntls_version=TLSv1.2,,TLSv1.3\n", []facts.Protocol{v12, v13}},
		{"MariaDB refuses to start on TLSv1", "mariadb-10.11", "[mariadb]\ntls_version=TLSv1,TLSv1.2\n", nil},
		{"empty list on MariaDB keeps the default", "mariadb-11.4", "[mariadb]\ntls_version=\n", []facts.Protocol{v12, v13}},
		{"[mysqld-8.0]: union over 8.0.x", "", "[mysqld-8.0]\ntls_version=TLSv1.1,TLSv1.3\n", []facts.Protocol{v11, v13}},
		{"unknown flavour: union of MySQL and MariaDB", "", "[mysqld]\ntls_version=TLSv1.0,TLSv1.2\n", []facts.Protocol{v10, v12}},
		{"admin_tls_version does not count", "mysql-8.0.36", "[mysqld]\nadmin_tls_version=TLSv1.3\n", []facts.Protocol{v12, v13}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			opt := load.Options{FS: fstest.MapFS{"my.cnf": {Data: []byte(tc.cnf)}}, Paths: []string{"."}}
			if tc.target != "" {
				tg, err := facts.ParseTarget(tc.target)
				if err != nil {
					t.Fatal(err)
				}
				opt.Targets, opt.TargetBy = []facts.Target{tg}, "--target"
			}
			p, err := load.Load(opt)
			if err != nil {
				t.Fatal(err)
			}
			if len(p.Servers) != 1 {
				t.Fatalf("servers = %d, want 1", len(p.Servers))
			}
			if got := allowedProtocols(p.Servers[0]); !slices.Equal(got, tc.want) {
				t.Errorf("allowedProtocols = %v, want %v", got, tc.want)
			}
		})
	}
}

func TestGuessProtocol(t *testing.T) {
	for in, want := range map[string]facts.Protocol{
		"TLS1.2": facts.TLSv12, "tlsv12": facts.TLSv12, "TLSv1_3": facts.TLSv13, "TLS 1.1": facts.TLSv11,
		"tls1": facts.TLSv10, "TLSv1.4": 0, "SSLv3": 0, "v1.2": 0,
	} {
		if got, _ := guessProtocol(in); got != want {
			t.Errorf("guessProtocol(%q) = %v, want %v", in, got, want)
		}
	}
}
