package facts

import (
	"reflect"
	"regexp"
	"strings"
	"testing"
)

func TestOptionCatalogue(t *testing.T) {
	required := []string{
		"ssl", "ssl_ca", "ssl_capath", "ssl_cert", "ssl_key", "ssl_crl", "ssl_crlpath", "ssl_cipher",
		"tls_version", "tls_ciphersuites", "admin_ssl", "admin_ssl_ca", "admin_ssl_capath", "admin_ssl_cert",
		"admin_ssl_key", "admin_ssl_crl", "admin_ssl_crlpath", "admin_ssl_cipher", "admin_tls_version",
		"admin_tls_ciphersuites", "require_secure_transport", "have_ssl", "have_openssl", "auto_generate_certs",
		"ssl_fips_mode", "ssl_session_cache_mode", "ssl_session_cache_timeout", "tls_certificates_enforced_validation",
		"ssl_mode", "ssl_verify_server_cert", "ssl_fp", "ssl_fplist", "ssl_passphrase", "group_replication_ssl_mode",
		"group_replication_recovery_use_ssl", "group_replication_recovery_ssl_ca", "group_replication_recovery_tls_version",
		"group_replication_recovery_tls_ciphersuites", "group_replication_recovery_ssl_verify_server_cert",
		"mysqlx_ssl_ca", "ssl_session_data", "tls_kex", "force_pqc", "wsrep_ssl_mode", "tls_sni_servername",
	}
	for _, n := range required {
		if _, ok := LookupOption(n); !ok {
			t.Errorf("LookupOption(%q) not found", n)
		}
	}
	for _, o := range Options() {
		if c, _ := Canonical(o.Name); c != o.Name {
			t.Errorf("%q is not canonical (%q)", o.Name, c)
		}
		if !TLSLooking(o.Name) {
			t.Errorf("catalogue option %q is not TLS-looking", o.Name)
		}
		if o.Programs == 0 || o.Source == "" || len(o.Lifecycles) == 0 {
			t.Errorf("%q: programs %v, source %q, %d lifecycles", o.Name, o.Programs, o.Source, len(o.Lifecycles))
		}
		for f, l := range o.Lifecycles {
			if l.Source == "" {
				t.Errorf("%q: %v lifecycle without a source", o.Name, f)
			}
		}
		if o.Kind == KindEnum && len(o.Enum) == 0 {
			t.Errorf("%q: enum without values", o.Name)
		}
		if o.Kind == KindBool && o.NeedsValue {
			t.Errorf("%q: a bare boolean means ON, it cannot need a value", o.Name)
		}
	}
	if o, _ := LookupOption("ssl_mode"); !reflect.DeepEqual(o.Enum, []string{"DISABLED", "PREFERRED", "REQUIRED", "VERIFY_CA", "VERIFY_IDENTITY"}) || o.Programs != MySQLClient {
		t.Errorf("ssl_mode = %+v", o)
	}
	if o, _ := LookupOption("ssl_ca"); !o.NeedsValue || o.Kind != KindPath || o.Programs&Servers != Servers || o.Programs&Clients != Clients {
		t.Errorf("ssl_ca = %+v", o)
	}
	if o, _ := LookupOption("tls_ciphersuites"); o.Programs.Has(MariaDBServer | MariaDBClient) {
		t.Error("MariaDB has no tls_ciphersuites")
	}
	if _, ok := LookupOption("innodb_buffer_pool_size"); ok {
		t.Error("not a TLS option")
	}
}

func TestOptionState(t *testing.T) {
	tests := []struct {
		opt      string
		prog     Program
		target   string
		status   Status
		holds    Tri
		boundary Version
	}{
		{"ssl", MySQLServer, "mysql-8.0.36", StatusDeprecated, Yes, V(8, 0, 26)},
		{"ssl", MySQLServer, "mysql-8.0.25", StatusKnown, Yes, Version{}},
		{"ssl", MySQLServer, "mysql-8.0", StatusDeprecated, Maybe, V(8, 0, 26)},
		{"ssl", MySQLServer, "mysql-8.4.0", StatusRemoved, Yes, V(8, 4, 0)},
		{"ssl", MySQLServer, "mysql-8", StatusRemoved, Maybe, V(8, 4, 0)},
		{"ssl", 0, "percona-8.4", StatusRemoved, Yes, V(8, 4, 0)},
		{"ssl", MySQLClient, "mysql-8.0", StatusRemoved, Yes, V(8, 0, 0)},
		{"ssl", MySQLClient, "mysql-5.7.20", StatusDeprecated, Yes, V(5, 7, 11)},
		{"ssl", MySQLClient, "mysql-5.7", StatusDeprecated, Maybe, V(5, 7, 11)},
		{"ssl", MariaDBServer, "mariadb-11.4", StatusKnown, Yes, Version{}},
		{"ssl", MariaDBClient, "mariadb-11.4", StatusKnown, Yes, Version{}},
		{"ssl_verify_server_cert", MySQLClient, "mysql-8.0.36", StatusRemoved, Yes, V(8, 0, 0)},
		{"ssl_verify_server_cert", MariaDBClient, "mariadb-11.4", StatusKnown, Yes, Version{}},
		{"tls_ciphersuites", 0, "mariadb-10.11", StatusAbsent, Yes, Version{}},
		{"tls_ciphersuites", 0, "mysql-8.0.15", StatusNotYet, Yes, V(8, 0, 16)},
		{"tls_ciphersuites", 0, "mysql-8.0", StatusNotYet, Maybe, V(8, 0, 16)},
		{"tls_ciphersuites", 0, "mysql-8.0.16", StatusKnown, Yes, Version{}},
		{"tls_version", 0, "mysql-5.7", StatusNotYet, Maybe, V(5, 7, 10)},
		{"tls_version", 0, "mysql-5.6", StatusNotYet, Yes, V(5, 7, 10)},
		{"tls_version", 0, "mariadb-10.4.5", StatusNotYet, Yes, V(10, 4, 6)},
		{"tls_version", 0, "mariadb-10.4.6", StatusKnown, Yes, Version{}},
		{"ssl_mode", MySQLClient, "mysql-5.6.30", StatusKnown, Yes, Version{}},
		{"ssl_mode", MySQLClient, "mysql-5.6.29", StatusNotYet, Yes, V(5, 6, 30)},
		{"ssl_mode", MariaDBClient, "mariadb-10.11", StatusAbsent, Yes, Version{}},
		{"admin_ssl", 0, "mysql-8.0.21", StatusKnown, Yes, Version{}},
		{"admin_ssl", 0, "mysql-8.0.30", StatusDeprecated, Yes, V(8, 0, 26)},
		{"admin_ssl", 0, "mysql-8.0", StatusNotYet, Maybe, V(8, 0, 21)},
		{"admin_ssl", 0, "mysql-9.x", StatusRemoved, Yes, V(8, 4, 0)},
		{"have_ssl", 0, "mysql-9.x", StatusRemoved, Yes, V(8, 4, 0)},
		{"tls_certificates_enforced_validation", 0, "mysql-8.0.36", StatusNotYet, Yes, V(8, 1, 0)},
		{"tls_certificates_enforced_validation", 0, "mysql-8.4", StatusKnown, Yes, Version{}},
		{"ssl_session_cache_timeout", 0, "mysql-8.0.28", StatusNotYet, Yes, V(8, 0, 29)},
		{"ssl_fips_mode", 0, "mysql-8.0.34", StatusDeprecated, Yes, V(8, 0, 34)},
		{"require_secure_transport", 0, "percona-8.0", StatusKnown, Yes, Version{}},
		{"require_secure_transport", 0, "mariadb-10.5.1", StatusNotYet, Yes, V(10, 5, 2)},
		{"auto_generate_certs", 0, "mariadb-11.4", StatusAbsent, Yes, Version{}},
		{"force_pqc", 0, "mysql-8.4", StatusNotYet, Yes, V(26, 7, 0)},
		{"force_pqc", 0, "mysql-26.7.0", StatusKnown, Yes, Version{}},
		{"ssl", 0, "mysql", StatusRemoved, Maybe, V(8, 4, 0)},
	}
	for _, tt := range tests {
		o, ok := LookupOption(tt.opt)
		if !ok {
			t.Fatalf("no option %q", tt.opt)
		}
		s, b := OptionStateFor(o, mustTarget(t, tt.target), tt.prog)
		if s.Status != tt.status || s.Holds != tt.holds || b != tt.boundary {
			t.Errorf("OptionStateFor(%s, %s, %v) = %v/%v @%v; want %v/%v @%v",
				tt.opt, tt.target, tt.prog, s.Status, s.Holds, b, tt.status, tt.holds, tt.boundary)
		}
	}
	// OptionState is the server view.
	o, _ := LookupOption("ssl")
	s, b := OptionState(o, mustTarget(t, "mysql-8.4.0"))
	if s.Status != StatusRemoved || b != V(8, 4, 0) {
		t.Errorf("OptionState(ssl, 8.4.0) = %v @%v", s, b)
	}
	// A bare version with MySQL numbering.
	v, _ := ParseVersion("8.0.36")
	if s, _ := OptionState(o, v); s.Status != StatusDeprecated || s.Holds != Yes {
		t.Errorf("OptionState(ssl, 8.0.36) = %v", s)
	}
}

func TestCanonical(t *testing.T) {
	tests := []struct {
		in       string
		want     string
		prefixes []string
	}{
		{"ssl-ca", "ssl_ca", nil},
		{"--SSL-Mode", "ssl_mode", nil},
		{"loose-ssl-ca", "ssl_ca", []string{"loose"}},
		{"skip-ssl", "ssl", []string{"skip"}},
		{"loose_skip_ssl", "ssl", []string{"loose", "skip"}},
		{"disable-ssl-verify-server-cert", "ssl_verify_server_cert", []string{"disable"}},
		{"enable-ssl", "ssl", []string{"enable"}},
		{"loose-", "loose_", nil},
	}
	for _, tt := range tests {
		got, p := Canonical(tt.in)
		if got != tt.want || !reflect.DeepEqual(p, tt.prefixes) {
			t.Errorf("Canonical(%q) = %q, %v; want %q, %v", tt.in, got, p, tt.want, tt.prefixes)
		}
	}
}

func TestTLSLooking(t *testing.T) {
	for _, n := range []string{"ssl", "ssl_min_version", "tls_versions", "sslmode", "require_secure_transport",
		"have_openssl", "mysqlx_ssl_ca", "x509_cert", "ssl_ciphers", "auto_generate_certs", "tls_kex", "force_pqc",
		"ssl_fips_mode", "cluster_ssl_ca"} {
		if !TLSLooking(n) {
			t.Errorf("TLSLooking(%q) = false", n)
		}
	}
	for _, n := range []string{"innodb_buffer_pool_size", "max_connections", "log_bin", "datadir",
		"default_authentication_plugin", "server_public_key_path", "caching_sha2_password_private_key_path",
		"binlog_encryption", "wsrep_provider_options", "bind_address", "utlsx"} {
		if TLSLooking(n) {
			t.Errorf("TLSLooking(%q) = true", n)
		}
	}
}

// tlsLookingRE is the expression TLSLooking writes out.
var tlsLookingRE = regexp.MustCompile(`(^|_)(ssl|tls|x509|pqc)|secure_transport|ciphersuites|cipher($|_)|^have_openssl$|_certs?($|_)|fips`)

// TestTLSLookingIsTheExpression compares TLSLooking with the expression on
// every option name the catalogue knows, the typos it maps, and names
// built from the expression's pieces in every arrangement of two.
func TestTLSLookingIsTheExpression(t *testing.T) {
	names := []string{"", "_", "cert", "_cert", "_certs", "_certsx", "x_certs_y", "_certx", "cipher", "ciphers", "xcipher_", "have_openssl",
		"have_openssl_x", "sslx", "x_ssl", "xssl", "tlsv", "pqcx", "_x509", "afips", "secure_transportx"}
	for _, o := range options {
		names = append(names, o.Name)
	}
	for typo := range knownTypos {
		names = append(names, typo)
	}
	pieces := []string{"ssl", "tls", "x509", "pqc", "secure_transport", "ciphersuites", "cipher", "have_openssl", "cert", "certs",
		"fips", "_", "x", "s", "innodb", "", "ciph", "_cer"}
	for _, a := range pieces {
		for _, b := range pieces {
			names = append(names, a+b, a+"_"+b, "_"+a+b+"_")
		}
	}
	for _, n := range names {
		if got, want := TLSLooking(n), tlsLookingRE.MatchString(n); got != want {
			t.Errorf("TLSLooking(%q) = %v, the expression says %v", n, got, want)
		}
	}
}

// FuzzTLSLooking holds TLSLooking to the expression on any name.
func FuzzTLSLooking(f *testing.F) {
	for _, s := range []string{"ssl_ca", "x_certs", "cipher_x", "innodb_x"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, n string) {
		if got, want := TLSLooking(n), tlsLookingRE.MatchString(n); got != want {
			t.Errorf("TLSLooking(%q) = %v, the expression says %v", n, got, want)
		}
	})
}

func TestSuggestOption(t *testing.T) {
	tests := []struct {
		in   string
		prog Program
		want string
	}{
		{"ssl_ciphers", 0, "ssl_cipher"},
		{"ssl_ciphers", MySQLServer, "ssl_cipher"},
		{"tls_versions", 0, "tls_version"},
		{"ssl_min_version", 0, "tls_version"},
		{"tls_min_version", MariaDBServer, "tls_version"},
		{"tls_ciphersuite", 0, "tls_ciphersuites"},
		{"ssl_certificate", 0, "ssl_cert"},
		{"ssl_kye", 0, "ssl_key"},
		{"tls_verison", 0, "tls_version"},
		{"requre_secure_transport", 0, "require_secure_transport"},
		{"ssl_verify_server_crt", MariaDBClient, "ssl_verify_server_cert"},
		{"ssl_mod", MariaDBClient, ""},              // MariaDB clients have no ssl-mode
		{"tls_ciphersuite", MariaDBServer, ""},      // nor tls_ciphersuites
		{"innodb_buffer_pool_size", 0, ""},          // unrelated
		{"ssl_verify_server_cert", MySQLClient, ""}, // exact names are not typos of themselves
	}
	for _, tt := range tests {
		if got := SuggestOption(tt.in, tt.prog); got != tt.want {
			t.Errorf("SuggestOption(%q, %v) = %q, want %q", tt.in, tt.prog, got, tt.want)
		}
	}
}

func TestGroupReaders(t *testing.T) {
	tests := []struct {
		group string
		want  Program
	}{
		{"client", MySQLClient | MariaDBClient},
		{"CLIENT", MySQLClient | MariaDBClient},
		{"mysql", MySQLClient | MariaDBClient},
		{"mysqladmin", MySQLClient | MariaDBClient},
		{"mysqldump", MySQLClient | MariaDBClient},
		{"client-server", MariaDBClient | MariaDBServer},
		{"client-mariadb", MariaDBClient},
		{"mariadb-client", MariaDBClient},
		{"mariadb-dump", MariaDBClient},
		{"mysqld", MySQLServer | MariaDBServer | MySQLDSafe | MariaDBDSafe | MySQLServerScript},
		{"server", MySQLServer | MariaDBServer | MySQLDSafe | MariaDBDSafe | MySQLServerScript},
		{"mysqld-8.0", MySQLServer},
		{"mysqld-10.11", MariaDBServer},
		{"mariadb", MariaDBServer},
		{"mariadbd", MariaDBServer},
		{"mariadb-10.11", MariaDBServer},
		{"mariadbd-11.4", MariaDBServer},
		{"galera", MariaDBServer},
		{"mysqld_safe", MySQLDSafe | MariaDBDSafe},
		{"safe_mysqld", MySQLDSafe | MariaDBDSafe},
		{"mariadbd-safe", MariaDBDSafe},
		{"mysql.server", MySQLServerScript},
		{"mysqld_multi", MySQLDMulti},
		{"mysqld1", MySQLServer | MariaDBServer},
		{"mysqld42", MySQLServer | MariaDBServer},
		// --defaults-group-suffix groups are read like the group they extend.
		{"client_custom", Clients},
		{"client.ssl", Clients},
		{"mysqld-ssl", MySQLServer | MariaDBServer | MySQLDSafe | MariaDBDSafe | MySQLServerScript},
		{"mysqld-8.0.36", 0}, // a misspelt versioned group, not a suffix
		{"mysqld-8", 0},
		{"mysqld_safe_x", 0}, // extends [mysqld_safe], not [mysqld]
		{"mariadb-backup", 0},
		{"mysqld_exporter", 0},
		{"myapp", 0},
		{"mysqld-", 0},
	}
	for _, tt := range tests {
		if got := GroupReaders(tt.group); got != tt.want {
			t.Errorf("GroupReaders(%q) = %v, want %v", tt.group, got, tt.want)
		}
	}
	// No TLS option is known to mysqld_safe: TLS settings there are ignored.
	for _, o := range Options() {
		if o.Programs.Has(GroupReaders("mysqld_safe") | GroupReaders("mysql.server") | GroupReaders("mysqld_multi")) {
			t.Errorf("%s is known to a wrapper script", o.Name)
		}
	}
}

func TestProgramString(t *testing.T) {
	if got := (MySQLServer | MariaDBClient).String(); got != "MySQL server, MariaDB clients" {
		t.Errorf("String() = %q", got)
	}
	if got := Program(0).String(); got != "no program" {
		t.Errorf("String() = %q", got)
	}
	if MySQLClient.Flavor() != MySQL || MariaDBServer.Flavor() != MariaDB || Servers.Flavor() != FlavorUnknown {
		t.Error("Program.Flavor")
	}
	if !strings.Contains(KindCipherList.String(), "cipher") {
		t.Error("ValueKind.String")
	}
}
