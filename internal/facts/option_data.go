package facts

// Sources for the option catalogue (keys as in docs/sources.md).
const (
	srcMY95SV   = "https://docs.oracle.com/cd/E17952_01/mysql-9.5-en/server-system-variables.html"
	srcMY80GRV  = "https://dev.mysql.com/doc/refman/8.0/en/group-replication-system-variables.html"
	srcMY80X    = "https://dev.mysql.com/doc/refman/8.0/en/x-plugin-options-system-variables.html"
	srcOV80     = "https://dev.mysql.com/doc/mysqld-version-reference/en/optvar-changes-8-0.html"
	srcOV84     = "https://dev.mysql.com/doc/mysqld-version-reference/en/optvar-changes-8-4.html"
	srcWL14481  = "https://dev.mysql.com/worklog/task/?id=14481"
	srcWL9091   = "https://dev.mysql.com/worklog/task/?id=9091"
	srcWL7709   = "https://dev.mysql.com/worklog/task/?id=7709"
	srcWL7699   = "https://dev.mysql.com/worklog/task/?id=7699"
	srcMDBOPT   = "https://mariadb.com/docs/server/server-management/starting-and-stopping-mariadb/mariadbd-options"
	srcMDB4167  = "https://mariadb.com/docs/server/ref/mdb/error-codes/ER_NO_SECURE_TRANSPORTS_CONFIGURED"
	srcMDBTLSV  = "https://mariadb.com/docs/server/ref/mdb/cli/mariadbd/tls-version"
	srcMDB22129 = "https://github.com/aarondl/sqlboiler/issues/117"
	srcDL1053   = "https://github.com/docker-library/mysql/issues/1053"
	srcWsrepSSL = "https://mariadb.com/docs/galera-cluster/reference/wsrep-variable-details/wsrep_ssl_mode"
	srcWsrepES  = "https://mariadb.com/docs/server/ref/mdb/cli/mariadbd/wsrep-ssl-mode"
	srcMY80GRS  = "https://dev.mysql.com/doc/refman/8.0/en/group-replication-secure-socket-layer-support-ssl.html"
	srcMY80CL   = "https://dev.mysql.com/doc/refman/8.0/en/clone-plugin-options-variables.html"
	srcMY57LDAP = "https://dev.mysql.com/doc/refman/5.7/en/pluggable-authentication-system-variables.html"
)

// always is a lifecycle for something present in every version we model.
func always(src string) Lifecycle { return Lifecycle{Source: src} }

// since is a lifecycle starting at v.
func since(v Version, src string) Lifecycle { return Lifecycle{Added: v, Source: src} }

var (
	pathServerClient = Servers | Clients
	mysqlAdminTLS    = since(V(8, 0, 21), srcOV80+" "+SrcMY80SV)
	grSSL            = always(srcMY80GRV)
	mysqlxSSL        = since(V(5, 7, 12), srcMY80X)
	sslModes         = []string{"DISABLED", "PREFERRED", "REQUIRED", "VERIFY_CA", "VERIFY_IDENTITY"}
	fipsModes        = []string{"OFF", "ON", "STRICT"}
)

// pathOpt is a server-and-client path option present in both vendors.
func pathOpt(name, src string) OptionSpec {
	return OptionSpec{Name: name, Kind: KindPath, Programs: pathServerClient, NeedsValue: true,
		Lifecycles: map[Flavor]Lifecycle{MySQL: always(src), MariaDB: always(SrcMDBSysV)}, Source: src + " " + SrcMDBSysV}
}

// adminOpt is one of MySQL's admin_ssl_* / admin_tls_* server variables (8.0.21+, OV80).
func adminOpt(name string, k ValueKind) OptionSpec {
	l := mysqlAdminTLS
	if name == "admin_tls_ciphersuites" {
		l = since(V(8, 0, 21), srcOV80)
	}
	return OptionSpec{Name: name, Kind: k, Programs: MySQLServer, NeedsValue: true,
		Lifecycles: map[Flavor]Lifecycle{MySQL: l}, Source: SrcMY80SV}
}

// grOpt is a Group Replication plugin variable (MySQL server only). Plugin
// variables are unknown until the plugin loads, so option files usually give
// them the loose- prefix (MY80-GRV).
func grOpt(name string, k ValueKind, l Lifecycle, enum ...string) OptionSpec {
	return OptionSpec{Name: name, Kind: k, Enum: enum, Programs: MySQLServer, NeedsValue: k != KindBool,
		Negatable: k == KindBool, Lifecycles: map[Flavor]Lifecycle{MySQL: l}, Source: srcMY80GRV}
}

// pluginPath is a MySQL server plugin's path variable with lifecycle l.
func pluginPath(name string, l Lifecycle) OptionSpec {
	return OptionSpec{Name: name, Kind: KindPath, Programs: MySQLServer, NeedsValue: true,
		Lifecycles: map[Flavor]Lifecycle{MySQL: l}, Source: l.Source}
}

// ldapOpt is an LDAP authentication plugin's StartTLS switch: MySQL Enterprise and
// Percona Server, from 5.7.19 (srcMY57LDAP; MY80-PAV
// https://dev.mysql.com/doc/refman/8.0/en/pluggable-authentication-system-variables.html).
func ldapOpt(name string) OptionSpec {
	return OptionSpec{Name: name, Kind: KindBool, Programs: MySQLServer, Negatable: true,
		Lifecycles: map[Flavor]Lifecycle{MySQL: since(V(5, 7, 19), srcMY57LDAP)}, Source: srcMY57LDAP}
}

// xOpt is an X Plugin mysqlx_ssl_* variable (MySQL server only).
func xOpt(name string, k ValueKind) OptionSpec {
	return OptionSpec{Name: name, Kind: k, Programs: MySQLServer, NeedsValue: true,
		Lifecycles: map[Flavor]Lifecycle{MySQL: mysqlxSSL}, Source: srcMY80X}
}

var optionCatalog = []OptionSpec{
	// --ssl: server deprecated 8.0.26, removed 8.4.0 (MY80-SO, WL14481; 8.4 aborts
	// on --skip-ssl: docker-library/mysql#1053). Client: deprecated 5.7.11,
	// removed 8.0.0 (MY57-CO, WL9091). MariaDB keeps it everywhere (MDB-OPT, MDB-CLI).
	{
		Name: "ssl", Kind: KindBool, Programs: Servers | Clients, Negatable: true,
		Lifecycles: map[Flavor]Lifecycle{
			MySQL:   {Deprecated: V(8, 0, 26), Removed: V(8, 4, 0), Source: SrcMY80SO + " " + srcWL14481 + " " + srcDL1053},
			MariaDB: always(srcMDBOPT),
		},
		ClientLifecycles: map[Flavor]Lifecycle{
			MySQL:   {Deprecated: V(5, 7, 11), Removed: V(8, 0, 0), Source: SrcMY57CO + " " + srcWL9091},
			MariaDB: always(SrcMDBCLI),
		},
		Replacement: "server: nothing (TLS is on by default) or tls_version='' to disable; client: ssl-mode=REQUIRED (skip-ssl: ssl-mode=DISABLED)",
		Source:      SrcMY80SO + " " + SrcMY57CO,
	},
	pathOpt("ssl_ca", SrcMY80SV),
	pathOpt("ssl_capath", SrcMY80SV),
	pathOpt("ssl_cert", SrcMY80SV),
	pathOpt("ssl_key", SrcMY80SV),
	pathOpt("ssl_crl", SrcMY80SV),
	pathOpt("ssl_crlpath", SrcMY80SV),
	{
		Name: "ssl_cipher", Kind: KindCipherList, Programs: Servers | Clients, NeedsValue: true,
		Lifecycles: map[Flavor]Lifecycle{MySQL: always(SrcMY80SV), MariaDB: always(SrcMDBSysV)},
		Source:     SrcMY80SV + " " + SrcMDBSysV,
	},
	// tls_version: MySQL 5.7.10 (MY57-CO "added in MySQL 5.7.10"), MariaDB 10.4.6 (MDB-SYSV, MDB tls-version page).
	{
		Name: "tls_version", Kind: KindProtocolList, Programs: Servers | Clients, NeedsValue: true,
		Lifecycles: map[Flavor]Lifecycle{
			MySQL:   since(V(5, 7, 10), SrcMY57CO+" "+SrcMY80SV),
			MariaDB: since(V(10, 4, 6), SrcMDBSysV+" "+srcMDBTLSV),
		},
		Source: SrcMY80SV + " " + SrcMDBSysV,
	},
	// tls_ciphersuites: MySQL 8.0.16; MariaDB has none, TLSv1.3 suites go in ssl_cipher (MDB-TLS13).
	{
		Name: "tls_ciphersuites", Kind: KindSuiteList, Programs: MySQLServer | MySQLClient, NeedsValue: true,
		Lifecycles:  map[Flavor]Lifecycle{MySQL: since(V(8, 0, 16), SrcMY80SV+" "+SrcMY80CO)},
		Replacement: "MariaDB: put TLSv1.3 suites in ssl_cipher",
		Source:      SrcMY80SV + " " + SrcMDBTLS13,
	},
	// admin interface TLS (MySQL 8.0.21+); admin_ssl deprecated 8.0.26, removed 8.4.0 (OV80, OV84).
	{
		Name: "admin_ssl", Kind: KindBool, Programs: MySQLServer, Negatable: true,
		Lifecycles:  map[Flavor]Lifecycle{MySQL: {Added: V(8, 0, 21), Deprecated: V(8, 0, 26), Removed: V(8, 4, 0), Source: srcOV80 + " " + srcOV84}},
		Replacement: "admin_tls_version='' to disable TLS on the admin interface",
		Source:      SrcMY80SV,
	},
	adminOpt("admin_ssl_ca", KindPath),
	adminOpt("admin_ssl_capath", KindPath),
	adminOpt("admin_ssl_cert", KindPath),
	adminOpt("admin_ssl_key", KindPath),
	adminOpt("admin_ssl_crl", KindPath),
	adminOpt("admin_ssl_crlpath", KindPath),
	adminOpt("admin_ssl_cipher", KindCipherList),
	adminOpt("admin_tls_version", KindProtocolList),
	adminOpt("admin_tls_ciphersuites", KindSuiteList),
	// require_secure_transport: MySQL 5.7.8 (WL7709, MY80-SV); MariaDB 10.5.2
	// (inferred from error 4167 "Added in 10.5.2", MDB-4167; UNCONFIRMED for the variable).
	{
		Name: "require_secure_transport", Kind: KindBool, Programs: Servers, Negatable: true,
		Lifecycles: map[Flavor]Lifecycle{
			MySQL:   since(V(5, 7, 8), SrcMY80SV+" "+srcWL7709),
			MariaDB: since(V(10, 5, 2), srcMDB4167),
		},
		Source: SrcMY80SV,
	},
	// have_ssl / have_openssl: read-only; MySQL deprecated 8.0.26, removed 8.4.0 (MY80-SV, OV84, WL14481).
	{
		Name: "have_ssl", Kind: KindString, Programs: Servers, ReadOnly: true,
		Lifecycles: map[Flavor]Lifecycle{
			MySQL:   {Deprecated: V(8, 0, 26), Removed: V(8, 4, 0), Source: SrcMY80SV + " " + srcOV84 + " " + srcWL14481},
			MariaDB: always(SrcMDBSysV),
		},
		Replacement: "performance_schema.tls_channel_status",
		Source:      SrcMY80SV,
	},
	{
		Name: "have_openssl", Kind: KindString, Programs: Servers, ReadOnly: true,
		Lifecycles: map[Flavor]Lifecycle{
			MySQL:   {Deprecated: V(8, 0, 26), Removed: V(8, 4, 0), Source: SrcMY80SV + " " + srcOV84},
			MariaDB: always(SrcMDBSysV),
		},
		Replacement: "performance_schema.tls_channel_status",
		Source:      SrcMY80SV,
	},
	// auto_generate_certs: MySQL 5.7.5 (WL7699, MY80-SV).
	{
		Name: "auto_generate_certs", Kind: KindBool, Programs: MySQLServer, Negatable: true,
		Lifecycles: map[Flavor]Lifecycle{MySQL: since(V(5, 7, 5), SrcMY80SV+" "+srcWL7699)},
		Source:     SrcMY80SV,
	},
	// ssl_fips_mode: server and client, OFF/ON/STRICT; "Added in MySQL 8.0.11"
	// (OV80); deprecated 8.0.34 (MY80-SV, MY80-CO). Whether 5.7 has it is UNCONFIRMED.
	{
		Name: "ssl_fips_mode", Kind: KindEnum, Enum: fipsModes, Programs: MySQLServer | MySQLClient, NeedsValue: true,
		Lifecycles: map[Flavor]Lifecycle{MySQL: {Added: V(8, 0, 11), Deprecated: V(8, 0, 34), Source: srcOV80 + " " + SrcMY80SV + " " + SrcMY80CO,
			Note: "availability in 5.7 is unconfirmed"}},
		Source: SrcMY80SV,
	},
	// ssl_session_cache_mode / _timeout (0..86400, default 300): "Added in MySQL
	// 8.0.29" (OV80); definitions in SRC-SIC sql/ssl_init_callback.cc.
	{
		Name: "ssl_session_cache_mode", Kind: KindBool, Programs: MySQLServer, Negatable: true,
		Lifecycles: map[Flavor]Lifecycle{MySQL: since(V(8, 0, 29), srcOV80)},
		Source:     SrcMY80SV,
	},
	{
		Name: "ssl_session_cache_timeout", Kind: KindInt, Programs: MySQLServer, NeedsValue: true,
		Lifecycles: map[Flavor]Lifecycle{MySQL: since(V(8, 0, 29), srcOV80)},
		Source:     SrcMY80SV,
	},
	// tls_certificates_enforced_validation: "Added in MySQL 8.1.0" (OV84's list of
	// variables added since 8.0; the brief's 8.0.30 was wrong). ON halts startup on
	// an invalid certificate (MY95-SV, MY95-UEC).
	{
		Name: "tls_certificates_enforced_validation", Kind: KindBool, Programs: MySQLServer, Negatable: true,
		Lifecycles: map[Flavor]Lifecycle{MySQL: since(V(8, 1, 0), srcOV84)},
		Source:     srcMY95SV + " " + srcOV84,
	},
	// ssl_passphrase: MariaDB 12.0 (MDB-SYSV).
	{
		Name: "ssl_passphrase", Kind: KindString, Programs: MariaDBServer, NeedsValue: true,
		Lifecycles: map[Flavor]Lifecycle{MariaDB: since(V(12, 0, 0), SrcMDBSysV)},
		Source:     SrcMDBSysV,
	},
	// Client-only options.
	// ssl-mode: MySQL 5.7.11 (5.6.30 had a REQUIRED-only form), MY57-CO, WL8785.
	// MariaDB clients do not have it: "unknown variable 'ssl-mode=…'" (sqlboiler#117).
	{
		Name: "ssl_mode", Kind: KindEnum, Enum: sslModes, Programs: MySQLClient, NeedsValue: true,
		Lifecycles:  map[Flavor]Lifecycle{MySQL: {Added: V(5, 7, 11), Backports: []Backport{{Added, V(5, 6, 30)}}, Source: SrcMY57CO + " " + SrcMY80CO}},
		Replacement: "MariaDB clients: ssl, ssl-verify-server-cert",
		Source:      SrcMY80CO + " " + srcMDB22129,
	},
	// ssl-verify-server-cert: MySQL clients deprecated 5.7.11, removed 8.0.0
	// (→ ssl-mode=VERIFY_IDENTITY; MY57-CO, WL9091). MariaDB clients: default on from 11.4 (MDB-CLI, MDB-ZERO).
	{
		Name: "ssl_verify_server_cert", Kind: KindBool, Programs: Clients, Negatable: true,
		Lifecycles: map[Flavor]Lifecycle{
			MySQL:   {Deprecated: V(5, 7, 11), Removed: V(8, 0, 0), Source: SrcMY57CO + " " + srcWL9091},
			MariaDB: always(SrcMDBCLI),
		},
		Replacement: "ssl-mode=VERIFY_IDENTITY",
		Source:      SrcMY57CO + " " + SrcMDBCLI,
	},
	// MariaDB client certificate fingerprints (MDB-CLI).
	{
		Name: "ssl_fp", Kind: KindString, Programs: MariaDBClient, NeedsValue: true,
		Lifecycles: map[Flavor]Lifecycle{MariaDB: always(SrcMDBCLI)}, Source: SrcMDBCLI,
	},
	{
		Name: "ssl_fplist", Kind: KindPath, Programs: MariaDBClient, NeedsValue: true,
		Lifecycles: map[Flavor]Lifecycle{MariaDB: always(SrcMDBCLI)}, Source: SrcMDBCLI,
	},
	{
		Name: "ssl_session_data", Kind: KindPath, Programs: MySQLClient, NeedsValue: true,
		Lifecycles: map[Flavor]Lifecycle{MySQL: since(V(8, 0, 29), SrcMY80CO)}, Source: SrcMY80CO,
	},
	{
		Name: "ssl_session_data_continue_on_failed_reuse", Kind: KindBool, Programs: MySQLClient, Negatable: true,
		Lifecycles: map[Flavor]Lifecycle{MySQL: since(V(8, 0, 29), SrcMY80CO)}, Source: SrcMY80CO,
	},
	// --tls-sni-servername (MySQL clients, all client tools; MY80-CO). First
	// release 8.1.0 is UNCONFIRMED.
	{
		Name: "tls_sni_servername", Kind: KindString, Programs: MySQLClient, NeedsValue: true,
		Lifecycles: map[Flavor]Lifecycle{MySQL: {Added: V(8, 1, 0), Source: SrcMY80CO, Note: "first release unconfirmed"}}, Source: SrcMY80CO,
	},
	// wsrep_ssl_mode (Galera): PROVIDER, SERVER, SERVER_X509; "available from
	// MariaDB 11.4 and 10.6" (srcWsrepSSL). The mariadbd option page says
	// Enterprise Server only: added in ES 10.6.4-1, present in ES 11.4.3-1,
	// "not present" in Community Server 10.6 (srcWsrepES).
	{
		Name: "wsrep_ssl_mode", Kind: KindEnum, Enum: []string{"PROVIDER", "SERVER", "SERVER_X509"}, Programs: MariaDBServer, NeedsValue: true,
		Lifecycles: map[Flavor]Lifecycle{MariaDB: {Added: V(10, 6, 0), Source: srcWsrepSSL + " " + srcWsrepES,
			Note: "MariaDB Enterprise Server only; Community Server does not have it"}},
		Source: srcWsrepSSL,
	},
	// Group Replication (MY80-GRV).
	grOpt("group_replication_ssl_mode", KindEnum, grSSL, "DISABLED", "REQUIRED", "VERIFY_CA", "VERIFY_IDENTITY"),
	grOpt("group_replication_recovery_use_ssl", KindBool, grSSL),
	grOpt("group_replication_recovery_ssl_ca", KindPath, grSSL),
	grOpt("group_replication_recovery_ssl_capath", KindPath, grSSL),
	grOpt("group_replication_recovery_ssl_cert", KindPath, grSSL),
	grOpt("group_replication_recovery_ssl_key", KindPath, grSSL),
	grOpt("group_replication_recovery_ssl_cipher", KindCipherList, grSSL),
	grOpt("group_replication_recovery_ssl_crl", KindPath, grSSL),
	grOpt("group_replication_recovery_ssl_crlpath", KindPath, grSSL),
	grOpt("group_replication_recovery_ssl_verify_server_cert", KindBool, grSSL),
	grOpt("group_replication_recovery_tls_version", KindProtocolList, since(V(8, 0, 19), srcMY80GRV)),
	grOpt("group_replication_recovery_tls_ciphersuites", KindSuiteList, since(V(8, 0, 19), srcMY80GRV)),
	// Where group communication takes its TLS material: MYSQL_MAIN or
	// MYSQL_ADMIN, "added in MySQL 8.0.21" (OV80, MY80-GRV); the values and
	// their channels are in srcMY80GRS.
	grOpt("group_replication_tls_source", KindEnum, since(V(8, 0, 21), srcOV80+" "+srcMY80GRS), "MYSQL_MAIN", "MYSQL_ADMIN"),
	// Clone plugin: clone_ssl_ca/cert/key "added in MySQL 8.0.14" (OV80);
	// they secure remote cloning, which Group Replication's recovery also uses (srcMY80CL).
	pluginPath("clone_ssl_ca", since(V(8, 0, 14), srcOV80+" "+srcMY80CL)),
	pluginPath("clone_ssl_cert", since(V(8, 0, 14), srcOV80+" "+srcMY80CL)),
	pluginPath("clone_ssl_key", since(V(8, 0, 14), srcOV80+" "+srcMY80CL)),
	// LDAP pluggable authentication (MySQL Enterprise, 5.7.19+): StartTLS to
	// the LDAP server (srcMY57LDAP, MY80-PAV). Their *_ca_path companions
	// are not TLS-looking names, so the catalogue (TLS-looking only) leaves them out.
	ldapOpt("authentication_ldap_sasl_tls"),
	ldapOpt("authentication_ldap_simple_tls"),
	// X Plugin (MY80-X).
	xOpt("mysqlx_ssl_ca", KindPath),
	xOpt("mysqlx_ssl_capath", KindPath),
	xOpt("mysqlx_ssl_cert", KindPath),
	xOpt("mysqlx_ssl_key", KindPath),
	xOpt("mysqlx_ssl_cipher", KindCipherList),
	xOpt("mysqlx_ssl_crl", KindPath),
	xOpt("mysqlx_ssl_crlpath", KindPath),
	// Post-quantum TLS 1.3 settings, MySQL 26.7.0 (OpenSSL ≥ 3.5): tls_kex,
	// force_pqc, use_pqc_sign and admin_* are defined in SRC-SIC
	// (sql/ssl_init_callback.cc, trunk); the per-channel family (admin_,
	// replication_, group_replication_, mysqlx_) follows the documented naming
	// pattern of https://dev.mysql.com/doc/refman/26.7/en/post-quantum-crytpography-ssl.html
	// and https://blogs.oracle.com/mysql/?p=5010. Client options of the same
	// names come from libmysqlclient (https://dev.mysql.com/worklog/task/?id=17311).
	pqcOpt("tls_kex", KindString, MySQLServer|MySQLClient),
	pqcOpt("force_pqc", KindBool, MySQLServer|MySQLClient),
	pqcOpt("use_pqc_sign", KindBool, MySQLServer|MySQLClient),
	pqcOpt("admin_tls_kex", KindString, MySQLServer),
	pqcOpt("admin_force_pqc", KindBool, MySQLServer),
	pqcOpt("admin_use_pqc_sign", KindBool, MySQLServer),
	pqcOpt("replication_tls_kex", KindString, MySQLServer),
	pqcOpt("replication_force_pqc", KindBool, MySQLServer),
	pqcOpt("replication_use_pqc_sign", KindBool, MySQLServer),
	pqcOpt("group_replication_tls_kex", KindString, MySQLServer),
	pqcOpt("group_replication_force_pqc", KindBool, MySQLServer),
	pqcOpt("group_replication_use_pqc_sign", KindBool, MySQLServer),
	pqcOpt("mysqlx_tls_kex", KindString, MySQLServer),
	pqcOpt("mysqlx_force_pqc", KindBool, MySQLServer),
	pqcOpt("mysqlx_use_pqc_sign", KindBool, MySQLServer),
}

const srcPQC = "https://dev.mysql.com/doc/refman/26.7/en/post-quantum-crytpography-ssl.html"

// pqcOpt is a MySQL 26.7 post-quantum TLS setting.
func pqcOpt(name string, k ValueKind, p Program) OptionSpec {
	return OptionSpec{Name: name, Kind: k, Programs: p, NeedsValue: k != KindBool, Negatable: k == KindBool,
		Lifecycles: map[Flavor]Lifecycle{MySQL: since(V(26, 7, 0), srcPQC)}, Source: srcPQC}
}
