package dsn

import (
	"slices"
	"strings"
)

// Rails DATABASE_URL, mysql2://… or trilogy://…: the scheme names the
// adapter, and ConnectionUrlResolver merges the query into the config
// hash: split on '&' and the first '=', keys as written, blank values
// dropped (compact_blank), values percent-decoded (URI::Parser#unescape, '+'
// stays) and always strings
// (https://github.com/rails/rails/blob/main/activerecord/lib/active_record/database_configurations/connection_url_resolver.rb).
//
// mysql2 gem (https://github.com/brianmario/mysql2/blob/master/lib/mysql2/client.rb):
// ssl_mode is upper-cased and prefixed with SSL_MODE_ (case-insensitive;
// an unknown value only warns); TLS material is sslca, sslcapath, sslcert,
// sslkey, sslcipher; sslverify is tested for truth, so the string "false"
// verifies; without ssl_mode the client library's default applies
// (PREFERRED for libmysqlclient).
//
// Trilogy through Rails' TrilogyAdapter.parse_ssl_mode
// (activerecord/lib/active_record/connection_adapters/trilogy_adapter.rb):
// the same string names map to Trilogy's integers (preferred and required
// do not verify); any other string, "1" included, reaches the extension,
// which wants an Integer and raises
// (https://github.com/trilogy-libraries/trilogy/blob/main/contrib/ruby/ext/trilogy-ruby/cext.c).
// No ssl_mode: no TLS; a CA below VERIFY_CA is not used.

var railsCommon = []string{
	"adapter", "database", "username", "password", "host", "port", "socket", "encoding", "collation", "pool",
	"timeout", "reconnect", "connect_timeout", "read_timeout", "write_timeout", "variables", "prepared_statements",
	"checkout_timeout", "idle_timeout", "reaping_frequency", "strict", "init_command", "local_infile",
}

var railsTLSKeys = map[Dialect][]string{
	RailsMySQL2:  {"ssl_mode", "sslkey", "sslcert", "sslca", "sslcapath", "sslcipher", "sslverify"},
	RailsTrilogy: {"ssl_mode", "ssl_ca", "ssl_capath", "ssl_cert", "ssl_key", "ssl_cipher", "ssl_crl", "ssl_crlpath", "tls_ciphersuites", "tls_min_version", "tls_max_version"},
}

func parseRails(dialect Dialect, s string) (*DSN, error) {
	scheme := "mysql2"
	if dialect == RailsTrilogy {
		scheme = "trilogy"
	}
	d, err := parseURL(dialect, s, []string{scheme}, rawText, false)
	if err != nil {
		return nil, err
	}
	d.Params = slices.DeleteFunc(d.Params, func(p Param) bool { return strings.TrimSpace(p.Value) == "" })
	for i := range d.Params {
		if p := &d.Params[i]; !p.Secret {
			p.setValue(p.Value, decodeOr(pctDecode, p.Value))
		}
	}
	d.markKeys(append(railsTLSKeys[dialect], railsCommon...), false, Ignored)
	d.noteUnresolved()
	if d.find("socket") >= 0 {
		d.Target.Transport = Unix
	}
	c := &d.Client
	if dialect == RailsMySQL2 {
		c.CA, c.CAPath = d.value(d.find("sslca")), d.value(d.find("sslcapath"))
		c.Cert, c.Key, c.Ciphers = d.value(d.find("sslcert")), d.value(d.find("sslkey")), d.value(d.find("sslcipher"))
		d.rubyMySQL2()
		return d, nil
	}
	c.CA, c.CAPath = d.value(d.find("ssl_ca")), d.value(d.find("ssl_capath"))
	c.Cert, c.Key, c.Ciphers = d.value(d.find("ssl_cert")), d.value(d.find("ssl_key")), d.value(d.find("ssl_cipher"))
	c.Protocols = d.value(d.find("tls_min_version"))
	// cext.c checks the TLS versions with Check_Type(val, T_FIXNUM) and
	// neither Rails step turns a URL's string into an Integer: the connect
	// raises TypeError
	// (https://github.com/trilogy-libraries/trilogy/blob/c81811528e442ac69ce895c3c89064b0b613f38e/contrib/ruby/ext/trilogy-ruby/cext.c).
	for _, k := range []string{"tls_min_version", "tls_max_version"} {
		if i := d.find(k); i >= 0 && !d.unresolved(i) {
			d.trap(BadValue, Rejected, i, "")
		}
	}
	d.setMode(Disabled, DriverDefault, -1)
	if i := d.find("ssl_mode"); i >= 0 {
		m := rubyMode(d.Params[i].Value)
		switch {
		case d.unresolved(i):
			d.setMode(ModeUnknown, Explicit, i)
		case m == ModeUnknown:
			d.setMode(ModeUnknown, Explicit, i)
			d.trap(BadValue, Rejected, i, "verify_identity")
		default:
			d.setMode(m, Explicit, i)
		}
	}
	if c.CA != nil && (c.Mode == Disabled || c.Mode == Preferred || c.Mode == Required) {
		d.trap(Unused, Ignored, c.CA.Param, "ssl_mode=verify_ca")
	}
	return d, nil
}

// rubyMode is parse_ssl_mode of both gems: upper case, SSL_MODE_ optional.
func rubyMode(v string) Mode {
	return modeByName(strings.TrimPrefix(strings.ToUpper(v), "SSL_MODE_"))
}

// rubyMySQL2 is the mysql2 gem's reading of ssl_mode and sslverify.
func (d *DSN) rubyMySQL2() {
	d.setMode(Preferred, DriverDefault, -1)
	d.Client.Note = "client library default: PREFERRED with libmysqlclient; MariaDB Connector/C 3.4+ verifies"
	if i := d.find("ssl_mode"); i >= 0 {
		m := rubyMode(d.Params[i].Value)
		switch {
		case d.unresolved(i):
			d.setMode(ModeUnknown, Explicit, i)
			d.Client.Note = ""
			return
		case m != ModeUnknown:
			d.setMode(m, Explicit, i)
			d.Client.Note = ""
			return
		}
		d.trap(BadValue, Ignored, i, "verify_identity") // a warning, then the default
	}
	if i := d.find("sslverify"); i >= 0 {
		if pyBoolFalse(d.Params[i].Value) {
			d.trap(StringTruthy, Misread, i, "")
		}
		d.setMode(VerifyIdentity, Derived, i)
		d.Client.Note = "mysql2 after 0.5.7; earlier gems set CLIENT_SSL_VERIFY_SERVER_CERT"
	}
}

// dj-database-url (https://github.com/jazzband/dj-database-url/blob/master/dj_database_url/__init__.py):
// the query is parse_qs'd (form decoding, blank values dropped, the last
// value wins) into Django's OPTIONS, which the MySQL backend hands to
// MySQLdb.connect as keyword arguments (django/db/backends/mysql/base.py,
// get_connection_params): an unknown key raises TypeError at connect.
// Only for scheme mysql, ssl-ca=<path> becomes ssl={"ca": path}. ssl_mode is
// then mysqlclient's (upper case only); a CA without it leaves the client
// library's default mode.

var djangoKeys = []string{
	"ssl_mode", "ssl", "unix_socket", "charset", "read_default_file", "read_default_group", "init_command",
	"connect_timeout", "autocommit", "local_infile", "client_flag", "named_pipe", "compress", "use_unicode",
	"sql_mode", "binary_prefix", "isolation_level",
}

func parseDjango(s string) (*DSN, error) {
	d, err := parseURL(DjangoURL, s, []string{"mysql", "mysql2", "mysqlgis"}, formDecode, false)
	if err != nil {
		return nil, err
	}
	d.Params = slices.DeleteFunc(d.Params, func(p Param) bool { return p.ValueSpan.Start == p.ValueSpan.End })
	known := djangoKeys
	if strings.EqualFold(s[:strings.Index(s, ":")], "mysql") {
		known = append(known, "ssl-ca")
	}
	d.markKeys(known, false, Rejected)
	d.noteUnresolved()
	if d.find("unix_socket") >= 0 {
		d.Target.Transport = Unix
	}
	if slices.Contains(known, "ssl-ca") {
		d.Client.CA = d.value(d.find("ssl-ca"))
	}
	d.mysqldbClient()
	return d, nil
}
