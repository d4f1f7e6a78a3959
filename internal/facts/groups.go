package facts

import (
	"regexp"
	"strings"
)

// Sources for which program reads which group.
const (
	srcMY80OF   = "https://dev.mysql.com/doc/refman/8.0/en/option-files.html"
	srcMY80SAFE = "https://dev.mysql.com/doc/refman/8.0/en/mysqld-safe.html"
	srcMY80SRV  = "https://dev.mysql.com/doc/refman/8.0/en/mysql-server.html"
	srcMY80MUL  = "https://dev.mysql.com/doc/refman/8.0/en/mysqld-multi.html"
	srcMDBOF    = "https://mariadb.com/docs/server/server-management/install-and-upgrade-mariadb/configuring-mariadb/configuring-mariadb-with-option-files"
)

// clientToolGroups are the groups of MySQL's client programs that MariaDB's
// tools also read under the old names (MY80-OF: "all client programs read
// [client]" plus their own group; MDB-OF lists the same tool groups and the
// mariadb-* names).
var clientToolGroups = map[string]bool{
	"mysql": true, "mysqladmin": true, "mysqldump": true, "mysqlcheck": true, "mysqlimport": true,
	"mysqlshow": true, "mysqlslap": true, "mysqlbinlog": true, "mysql_upgrade": true,
	"mysqltest": true, "mysql_secure_installation": true, "mysqlpump": true,
}

var (
	versionedServerGroup = regexp.MustCompile(`^(mysqld|mariadb|mariadbd)-[0-9]+\.[0-9]+$`)
	multiGroup           = regexp.MustCompile(`^mysqld[0-9]+$`)
	mariadbToolGroup     = regexp.MustCompile(`^mariadb-(admin|dump|check|import|show|slap|binlog|upgrade|test|secure-installation|tzinfo-to-sql|plugin|conv|hotcopy|dumpslow|access|find-rows|waitpid|setpermission|convert-table-format|fix-extensions|report)$`)
)

// GroupReaders says which programs read an option-file group (name lower-
// cased, as group names are case-insensitive: MY80-OF). Unknown groups (a
// --defaults-group-suffix or --login-path group, an application's own
// group) return 0.
//
//   - [client]: every MySQL and MariaDB client (MY80-OF, MDB-OF).
//   - [mysql], [mysqldump], [mysqladmin]…: that client tool of both vendors.
//   - [client-server]: MariaDB clients and the MariaDB server; [client-mariadb],
//     [mariadb-client] and [mariadb-dump]…: MariaDB clients only (MDB-OF).
//   - [mysqld], [server]: both servers, and mysqld_safe / mysql.server, which
//     read them for their own settings (MY80-OF; mysqld_safe:
//     https://dev.mysql.com/doc/refman/8.0/en/mysqld-safe.html; mysql.server:
//     https://dev.mysql.com/doc/refman/8.0/en/mysql-server.html).
//   - [mysqld-X.Y]: the server of version X.Y — MySQL below 10, MariaDB from
//     10 (MariaDB reads mysqld-X.Y for its own version: MDB-OF).
//   - [mariadb], [mariadbd], [mariadb-X.Y], [mariadbd-X.Y], [galera]: the MariaDB server.
//   - [mysqld_safe], [safe_mysqld]: mysqld_safe of both vendors; options it does
//     not know there are ignored, not passed on ("ignored if they are
//     specified in the [mysqld_safe] group", mysqld-safe.html).
//     [mariadb-safe], [mariadbd-safe]: MariaDB's mysqld_safe (MDB-OF).
//   - [mysql.server], [mysql_server]: the mysql.server script.
//   - [mysqld_multi]: mysqld_multi itself; [mysqldN] (N a number): the server
//     instance mysqld_multi starts with those options
//     (https://dev.mysql.com/doc/refman/8.0/en/mysqld-multi.html).
func GroupReaders(group string) Program {
	g := strings.ToLower(strings.TrimSpace(group))
	switch g {
	case "client":
		return Clients
	case "client-server":
		return MariaDBClient | MariaDBServer
	case "client-mariadb", "mariadb-client":
		return MariaDBClient
	case "mysqld", "server":
		return Servers | MySQLDSafe | MariaDBDSafe | MySQLServerScript
	case "mariadb", "mariadbd", "galera":
		return MariaDBServer
	case "mysqld_safe", "safe_mysqld":
		return MySQLDSafe | MariaDBDSafe
	case "mariadb-safe", "mariadbd-safe":
		return MariaDBDSafe
	case "mysql.server", "mysql_server":
		return MySQLServerScript
	case "mysqld_multi":
		return MySQLDMulti
	}
	switch {
	case clientToolGroups[g]:
		return Clients
	case mariadbToolGroup.MatchString(g):
		return MariaDBClient
	case versionedServerGroup.MatchString(g):
		t, ok := GroupTarget(g)
		if ok && t.Flavor == MariaDB {
			return MariaDBServer
		}
		return MySQLServer
	case multiGroup.MatchString(g):
		return Servers
	}
	return 0
}
