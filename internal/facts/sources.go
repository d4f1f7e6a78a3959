package facts

// Sources that many rules and facts cite, named once (keys as in
// docs/sources.md). Rules cite them in their Doc.Sources.
const (
	SrcMY80PC   = "https://dev.mysql.com/doc/refman/8.0/en/encrypted-connection-protocols-ciphers.html"                    // MY80-PC
	SrcMY57PC   = "https://dev.mysql.com/doc/refman/5.7/en/encrypted-connection-protocols-ciphers.html"                    // MY57-PC
	SrcMY80SV   = "https://dev.mysql.com/doc/refman/8.0/en/server-system-variables.html"                                   // MY80-SV
	SrcMY80SO   = "https://dev.mysql.com/doc/refman/8.0/en/server-options.html"                                            // MY80-SO
	SrcMY80CO   = "https://dev.mysql.com/doc/refman/8.0/en/connection-options.html"                                        // MY80-CO
	SrcMY57CO   = "https://dev.mysql.com/doc/refman/5.7/en/connection-options.html"                                        // MY57-CO
	SrcMY80UEC  = "https://dev.mysql.com/doc/refman/8.0/en/using-encrypted-connections.html"                               // MY80-UEC
	SrcVIO      = "https://github.com/mysql/mysql-server/blob/trunk/vio/viosslfactories.cc"                                // SRC-VIO
	SrcSSLOpt57 = "https://github.com/mysql/mysql-server/blob/5.7/include/sslopt-case.h"                                   // SRC-SSLOPT57
	SrcMDBSysV  = "https://mariadb.com/docs/server/security/encryption/data-in-transit-encryption/ssltls-system-variables" // MDB-SYSV
	SrcMDBZero  = "https://mariadb.com/docs/server/security/encryption/data-in-transit-encryption/zero-configuration-ssl"  // MDB-ZERO
	SrcMDBCLI   = "https://mariadb.com/docs/server/clients-and-utilities/mariadb-client/mariadb-command-line-client"       // MDB-CLI
	SrcMDBTLS13 = "https://mariadb.com/docs/server/security/encryption/data-in-transit-encryption/using-tlsv13"            // MDB-TLS13
)
