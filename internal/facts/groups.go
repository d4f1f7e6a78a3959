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
// cased, as group names are case-insensitive: MY80-OF). A group with a
// --defaults-group-suffix ([client.ssl]: GroupSuffix) is read by the
// programs of the group it extends, when started with that suffix. Other
// unknown groups (a --login-path group, an application's own group)
// return 0.
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
	if r := unsuffixedReaders(g); r != 0 {
		return r
	}
	if base, _, ok := GroupSuffix(g); ok {
		return unsuffixedReaders(base)
	}
	return 0
}

// unsuffixedReaders is GroupReaders for a group name as the programs
// list it, without a --defaults-group-suffix.
func unsuffixedReaders(g string) Program {
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

// Sources for group suffixes: with --defaults-group-suffix=str a MySQL
// program reads its usual groups and the same groups with str appended
// (the mysql client: [client], [mysql], [client_other], [mysql_other]
// for _other); MariaDB: "Additionally read default groups with #
// appended as a suffix".
const (
	srcMY80GroupSuffix = "https://dev.mysql.com/doc/refman/8.0/en/option-file-options.html#option_general_defaults-group-suffix"
	srcMDBGroupSuffix  = "https://mariadb.com/docs/server/ref/mdb/cli/mariadb/defaults-group-suffix"
)

// maxGroupName bounds the length of a group GroupSuffix extends
// ("mysql_secure_installation" is the longest).
const maxGroupName = 32

var otherProgramGroups = map[string]bool{
	"mariadb-backup": true, "mysqld_exporter": true, "mysqld-exporter": true, "mysql-proxy": true,
	"mysql_cluster": true, "mysql-router": true, "mysql_install_db": true, "mariadb-install-db": true,
}

// suffixRest is what follows a group name in a suffixed group: a
// separator and more characters, but not a version ([mysqld-8.0] is a
// versioned group and [mysqld-8.0.36] a misspelt one, not a suffix).
var (
	suffixRest  = regexp.MustCompile(`^[-_.].+$`)
	versionRest = regexp.MustCompile(`^-v?[0-9][0-9.]*$`)
	versionLike = regexp.MustCompile(`^(mysqld|mariadb|mariadbd)-v?[0-9][0-9.]*$`)
)

// GroupSuffix splits a group (lower-cased) that a server or client reads
// only when started with --defaults-group-suffix ([client.ssl],
// [mysqld-ssl], [client_ssl]: srcMY80GroupSuffix, srcMDBGroupSuffix) into
// the group it extends and the suffix. The longest known group wins:
// [mysqld_safe_x] extends [mysqld_safe].
func GroupSuffix(group string) (base, suffix string, ok bool) {
	g := strings.ToLower(strings.TrimSpace(group))
	if otherProgramGroups[g] || unsuffixedReaders(g) != 0 || versionLike.MatchString(g) {
		return "", "", false
	}
	// No program group is longer than maxGroupName: a long hostile name
	// costs no more than a short one.
	for i := min(len(g)-2, maxGroupName); i > 0; i-- {
		rest := g[i:]
		if !suffixRest.MatchString(rest) || versionRest.MatchString(rest) {
			continue
		}
		if r := unsuffixedReaders(g[:i]); r != 0 {
			return g[:i], rest, r&(Servers|Clients) != 0
		}
	}
	return "", "", false
}
