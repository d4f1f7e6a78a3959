package facts

// Defaults that change with a release, and release support, which the
// version-aware rules split targets on.

// SupportFloor is the oldest release series judged when neither the file
// nor the config says which version runs: older series are out of
// support. MySQL 5.7 reached end of life in October 2023
// (https://www.mysql.com/support/eol-notice.html); MariaDB 10.5 in June
// 2025 (https://mariadb.org/about/#maintenance-policy).
var SupportFloor = map[Flavor]Version{
	MySQL:   V(8, 0, 0),
	MariaDB: V(10, 6, 0),
}

// MariaDB client defaults:
//   - --ssl is on by default from 10.10 (MDEV-27105 "--ssl option set as
//     default for mariadb CLI", https://jira.mariadb.org/browse/MDEV-27105,
//     commit https://github.com/MariaDB/server/commit/ce9385b73c);
//   - --ssl-verify-server-cert is on by default from 11.4 (Connector/C
//     3.4; SrcMDBZero).
var (
	MariaDBClientSSLDefault    = V(10, 10, 0)
	MariaDBClientVerifyDefault = V(11, 4, 0)
)

// MariaDBZeroConfig: from 11.4 a MariaDB server with no certificate
// configured generates a self-signed one at startup and serves TLS; before
// it, such a server runs with have_ssl=DISABLED (observed on 10.11,
// docs/mariadb-observations.md §4a config 17). SrcMDBZero;
// https://mariadb.com/docs/server/security/encryption/data-in-transit-encryption/securing-connections-for-client-and-server.
var MariaDBZeroConfig = V(11, 4, 0)
