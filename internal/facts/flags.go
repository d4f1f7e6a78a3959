package facts

// Command-line arguments. my_getopt gives an option that requires an
// argument the next command-line argument when "=value" is missing,
// whatever that argument is (handle_options: "if (!*++pos) … *optend =
// *pos", https://github.com/mysql/mysql-server/blob/8.4/mysys/my_getopt.cc),
// so "--log-error-verbosity --require_secure_transport=ON" sets the
// verbosity to the text of the second option. Optional-argument options
// (booleans) never take the next argument.

// serverValueOptions are server options outside the TLS catalogue that
// require an argument and are common in compose commands, Kubernetes
// args and Dockerfile CMDs (server option reference,
// https://dev.mysql.com/doc/refman/8.4/en/server-option-variable-reference.html;
// https://mariadb.com/docs/server/server-management/starting-and-stopping-mariadb/mariadbd-options).
var serverValueOptions = map[string]bool{
	"log_error_verbosity": true, "log_error": true, "character_set_server": true, "collation_server": true,
	"max_connections": true, "bind_address": true, "port": true, "socket": true, "datadir": true,
	"pid_file": true, "server_id": true, "sql_mode": true, "default_authentication_plugin": true,
	"innodb_buffer_pool_size": true, "innodb_log_file_size": true, "max_allowed_packet": true,
	"default_time_zone": true, "init_file": true, "user": true, "basedir": true, "tmpdir": true,
	"log_bin": true, "binlog_format": true, "gtid_mode": true, "wait_timeout": true, "lower_case_table_names": true,
	"authentication_policy": true, "mysqlx_port": true, "report_host": true, "innodb_flush_log_at_trx_commit": true,
	"plugin_load_add": true, "plugin_load": true, "transaction_isolation": true, "default_storage_engine": true,
}

// TakesValue reports whether the server option name (as written on the
// command line without its dashes: "log-error-verbosity", "loose-ssl-ca")
// requires an argument, so that my_getopt takes the next argument as its
// value when "=value" is missing.
func TakesValue(name string) bool {
	canon, _ := Canonical(name)
	if spec, ok := LookupOption(canon); ok {
		return spec.Kind != KindBool
	}
	return serverValueOptions[canon]
}
