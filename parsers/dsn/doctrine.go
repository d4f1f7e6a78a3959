package dsn

import (
	"slices"
	"strings"
)

// Doctrine DBAL URLs (Symfony's DATABASE_URL),
// mysql://app:pw@db:3306/shop?serverVersion=8.0.32&charset=utf8mb4.
// DsnParser rawurldecodes the parts and merges the parse_str'd query into
// the connection parameters; the scheme names the driver through the
// application's mapping (DoctrineBundle maps mysql and mysql2 to pdo_mysql)
// (https://github.com/doctrine/dbal/blob/4.2.x/src/Tools/DsnParser.php).
// pdo_mysql takes TLS only from driverOptions (PDO::MYSQL_ATTR_SSL_*), so
// such a URL says nothing about the mode and its ssl parameters are
// dropped; only the mysqli driver reads ssl_key, ssl_cert, ssl_ca,
// ssl_capath and ssl_cipher (src/Driver/Mysqli/Driver.php), and whether it
// then verifies is not modelled.

var doctrineKeys = []string{
	"serverVersion", "charset", "dbname", "unix_socket", "driver", "driverClass", "wrapperClass", "platform",
	"defaultTableOptions", "persistent",
}

var mysqliTLSKeys = []string{"ssl_key", "ssl_cert", "ssl_ca", "ssl_capath", "ssl_cipher"}

func parseDoctrine(s string) (*DSN, error) {
	d, err := parseURL(Doctrine, s, []string{"mysql", "mysql2", "pdo-mysql", "mysqli"}, formDecode, false)
	if err != nil {
		return nil, err
	}
	mysqli := strings.EqualFold(s[:strings.Index(s, ":")], "mysqli")
	d.noteUnresolved()
	for i := range d.Params {
		p := &d.Params[i]
		p.Known = slices.Contains(doctrineKeys, p.Key) || mysqli && slices.Contains(mysqliTLSKeys, p.Key)
		if !p.Known && looksTLS(p.Key) {
			d.trap(Dropped, Ignored, i, "driverOptions")
		}
	}
	if d.find("unix_socket") >= 0 {
		d.Target.Transport = Unix
	}
	d.setMode(ModeUnknown, DriverDefault, -1)
	d.Client.Note = "pdo_mysql: TLS only through driverOptions in code"
	if mysqli {
		c := &d.Client
		c.CA, c.CAPath = d.value(d.find("ssl_ca")), d.value(d.find("ssl_capath"))
		c.Cert, c.Key, c.Ciphers = d.value(d.find("ssl_cert")), d.value(d.find("ssl_key")), d.value(d.find("ssl_cipher"))
		c.Note = "mysqli: verification not modelled"
	}
	return d, nil
}
