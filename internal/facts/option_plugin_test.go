package facts

import "testing"

// TestPluginOptions pins the plugin and component TLS variables and the
// versions they appear in, so that TV004 dates them and TV006 reads their values.
func TestPluginOptions(t *testing.T) {
	for _, c := range []struct {
		name  string
		added Version
		kind  ValueKind
	}{
		{"clone_ssl_ca", V(8, 0, 14), KindPath},
		{"clone_ssl_cert", V(8, 0, 14), KindPath},
		{"clone_ssl_key", V(8, 0, 14), KindPath},
		{"group_replication_tls_source", V(8, 0, 21), KindEnum},
		{"authentication_ldap_sasl_tls", V(5, 7, 19), KindBool},
		{"authentication_ldap_simple_tls", V(5, 7, 19), KindBool},
	} {
		o, ok := LookupOption(c.name)
		if !ok {
			t.Errorf("%s: not in the catalogue", c.name)
			continue
		}
		l, ok := o.Lifecycle(MySQLServer)
		if !ok || l.Added != c.added || o.Kind != c.kind || o.Programs != MySQLServer {
			t.Errorf("%s: added %v (ok %v), kind %v, programs %v; want %v, %v, MySQL server only",
				c.name, l.Added, ok, o.Kind, o.Programs, c.added, c.kind)
		}
		if _, ok := o.Lifecycle(MariaDBServer); ok {
			t.Errorf("%s: MariaDB has no such plugin variable", c.name)
		}
	}
	// wsrep_ssl_mode exists in MariaDB Enterprise Server only, and says so.
	if o, ok := LookupOption("wsrep_ssl_mode"); !ok {
		t.Error("wsrep_ssl_mode: not in the catalogue")
	} else if l, _ := o.Lifecycle(MariaDBServer); l.Note == "" {
		t.Error("wsrep_ssl_mode: the lifecycle must note that Community Server lacks it")
	}
}
