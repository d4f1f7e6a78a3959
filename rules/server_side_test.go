package rules

import (
	"slices"
	"testing"
	"testing/fstest"

	"github.com/tlsvet/tlsvet/internal/facts"
	"github.com/tlsvet/tlsvet/internal/load"
)

// TestServerSideProtocols: ServerSide reads tls_version as the server
// does; a token with a space around it is not the protocol it names (MySQL
// drops it, MariaDB refuses to start, TV107), so the model cannot tell.
func TestServerSideProtocols(t *testing.T) {
	for _, tc := range []struct {
		target, value string
		want          []facts.Protocol
		unknown       bool
	}{
		{"mariadb-10.11.19", "TLSv1.2,TLSv1.3", []facts.Protocol{facts.TLSv12, facts.TLSv13}, false},
		{"mariadb-10.11.19", "TLSv1.2, TLSv1.3", nil, true},
		{"mysql-8.0.36", "TLSv1.2 ,TLSv1.3", nil, true},
	} {
		tg, err := facts.ParseTarget(tc.target)
		if err != nil {
			t.Fatal(err)
		}
		p, err := load.Load(load.Options{FS: fstest.MapFS{"my.cnf": {Data: []byte("[mysqld]\ntls_version=" + tc.value + "\n")}},
			Paths: []string{"."}, Targets: []facts.Target{tg}, TargetBy: "--target"})
		if err != nil || len(p.Servers) != 1 {
			t.Fatalf("load: %v", err)
		}
		fs := ServerSide(p, p.Servers[0])
		if !slices.Equal(fs.Protocols, tc.want) || fs.ProtocolsUnknown != tc.unknown {
			t.Errorf("%s tls_version=%s: protocols %v, unknown %v; want %v, %v", tc.target, tc.value, fs.Protocols, fs.ProtocolsUnknown, tc.want, tc.unknown)
		}
	}
}
