package facts

// Error numbers tlsvet names in messages.
const (
	// ErrAccessDenied is ER_ACCESS_DENIED_ERROR: also what a client gets when an
	// account's REQUIRE SSL/X509 is not met, and what MariaDB before
	// MDEV-30178 returns for require_secure_transport (MY80-SV;
	// observed on MariaDB 10.11, docs/mariadb-observations.md §4d).
	ErrAccessDenied = 1045
	// ErrSSLConnection is CR_SSL_CONNECTION_ERROR, "SSL connection error: …"
	// (client side), https://dev.mysql.com/doc/mysql-errors/8.0/en/client-error-reference.html
	ErrSSLConnection = 2026
	// ErrSecureTransportRequired is ER_SECURE_TRANSPORT_REQUIRED: "Connections
	// using insecure transport are prohibited while --require_secure_transport=ON."
	// https://dev.mysql.com/doc/refman/8.0/en/server-system-variables.html
	ErrSecureTransportRequired = 3159
	// ErrNoSecureTransports is MySQL's ER_NO_SECURE_TRANSPORTS_CONFIGURED
	// (SET GLOBAL require_secure_transport=ON with no secure transport):
	// 3160, right after ER_SECURE_TRANSPORT_REQUIRED, in the MySQL server error
	// list (https://dev.mysql.com/doc/mysql-errors/8.0/en/server-error-reference.html;
	// also generated from it: https://github.com/boostorg/mysql/blob/develop/include/boost/mysql/mysql_server_errc.hpp).
	ErrNoSecureTransports = 3160
	// ErrNoSecureTransportsMariaDB is MariaDB's ER_NO_SECURE_TRANSPORTS_CONFIGURED,
	// https://mariadb.com/docs/server/ref/mdb/error-codes/ER_NO_SECURE_TRANSPORTS_CONFIGURED
	ErrNoSecureTransportsMariaDB = 4167
)
