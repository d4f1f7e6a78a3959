package dsn

import (
	"net/url"
	"slices"
	"strconv"
	"strings"
)

// SQLAlchemy URLs dialect+driver://user:password@host:port/db?query
// (https://docs.sqlalchemy.org/en/20/core/engines.html#database-urls).
// The query is split by urllib's parse_qsl in engine/url.py _parse_url (form decoding, keys
// case-sensitive: they become Python keyword arguments); what each driver
// then receives is decided by the dialect's create_connect_args:
// https://github.com/sqlalchemy/sqlalchemy/blob/main/lib/sqlalchemy/dialects/mysql/mysqldb.py
// (ssl_ca, ssl_key, ssl_cert, ssl_capath, ssl_cipher, ssl_check_hostname
// move into an ssl dict; used by mysqldb and pymysql) and
// https://github.com/sqlalchemy/sqlalchemy/blob/main/lib/sqlalchemy/dialects/mysql/mysqlconnector.py
// (the query passes through; of the TLS keys only ssl_verify_cert is
// coerced to bool, so ssl_disabled=false arrives as the truthy string
// "false").

// sqlaDictKeys are the keys moved into the ssl dict by mysqldb.py.
var sqlaDictKeys = []string{"ssl_ca", "ssl_key", "ssl_cert", "ssl_capath", "ssl_cipher", "ssl_check_hostname"}

// sqlaTLSKwargs are the TLS keys each driver's connect accepts once
// SQLAlchemy has moved sqlaDictKeys into the ssl dict (mysqldb and pymysql
// only); any other key is an unexpected keyword argument. PyMySQL's
// Connection.__init__ is keyword-only without **kwargs
// (https://github.com/PyMySQL/PyMySQL/blob/0305ab344f2026aaa17b405684a521b092a650bd/pymysql/connections.py);
// mysqlclient's _mysql.connect has a fixed kwlist
// (https://github.com/PyMySQL/mysqlclient/blob/4742adc1248654222216cd34779bd6c92297df63/src/MySQLdb/_mysql.c);
// mysql-connector-python raises "Unsupported argument" for a key outside
// DEFAULT_CONFIGURATION
// (https://github.com/mysql/mysql-connector-python/blob/a5fdd7135296462bfd44c0196ac549708461022a/mysql-connector-python/lib/mysql/connector/constants.py).
var sqlaTLSKwargs = map[Dialect][]string{
	SQLAlchemyPyMySQL: append([]string{"ssl", "ssl_disabled", "ssl_key_password", "ssl_verify_cert", "ssl_verify_identity"}, sqlaDictKeys...),
	SQLAlchemyMySQLdb: append([]string{"ssl", "ssl_mode"}, sqlaDictKeys...),
	SQLAlchemyConnector: {"ssl_ca", "ssl_cert", "ssl_key", "ssl_cipher", "ssl_disabled", "ssl_verify_cert",
		"ssl_verify_identity", "tls_versions", "tls_ciphersuites"},
}

// pyBoolFalse are the spellings util.asbool reads as False.
func pyBoolFalse(v string) bool {
	switch strings.ToLower(strings.TrimSpace(v)) {
	case "false", "no", "off", "n", "f", "0":
		return true
	}
	return false
}

func pyBoolTrue(v string) bool {
	switch strings.ToLower(strings.TrimSpace(v)) {
	case "true", "yes", "on", "y", "t", "1":
		return true
	}
	return false
}

func parseSQLAlchemy(s string) (*DSN, error) {
	i := strings.Index(s, "://")
	if i < 0 {
		return nil, ErrSyntax
	}
	// The driver comes from the scheme, whichever SQLAlchemy dialect the
	// caller asked for.
	d := &DSN{Dialect: Detect(s)}
	switch d.Dialect {
	case SQLAlchemyPyMySQL, SQLAlchemyMySQLdb, SQLAlchemyConnector, SQLAlchemyOther:
	default:
		return nil, ErrSyntax
	}
	u := splitURL(s, i+3)
	d.urlUser(s, u)
	if d.User != nil {
		// make_url unquotes user and password with unquote (no '+').
		if v, err := url.PathUnescape(u.user.Text(s)); err == nil {
			d.User.Text = v
		}
	}
	d.urlTarget(s, u.hosts)
	if u.hasQuery {
		// parse_qsl without keep_blank_values drops "key=" pieces.
		d.Params = slices.DeleteFunc(splitQuery(s, u.query.Start, u.query.End, '&', formDecode, false),
			func(p Param) bool { return p.ValueSpan.Start == p.ValueSpan.End })
	}
	region := -1
	if u.hasQuery {
		region = u.query.Start
	}
	d.layout(s, '&', region, "?")
	d.noteUnresolved()
	if j := d.find("unix_socket"); j >= 0 {
		d.Target.Transport = Unix
	}
	c := &d.Client
	c.CA = d.value(d.find("ssl_ca"))
	c.CAPath = d.value(d.find("ssl_capath"))
	c.Cert = d.value(d.find("ssl_cert"))
	c.Key = d.value(d.find("ssl_key"))
	c.Ciphers = d.value(d.find("ssl_cipher"))
	accepts, modelled := sqlaTLSKwargs[d.Dialect]
	if slices.Contains(accepts, "tls_versions") {
		c.Protocols = d.value(d.find("tls_versions"))
	}
	for j, p := range d.Params {
		if modelled && looksTLS(p.Key) && !slices.Contains(accepts, p.Key) || !modelled && isPostgresTLSKey(p.Key) {
			// An unexpected keyword argument: the driver raises at connect.
			d.trap(ForeignParam, Rejected, j, "")
		}
	}
	switch d.Dialect {
	case SQLAlchemyPyMySQL:
		d.pymysqlClient()
	case SQLAlchemyMySQLdb:
		d.mysqldbClient()
	case SQLAlchemyConnector:
		d.connectorPyClient()
	default:
		d.setMode(ModeUnknown, DriverDefault, -1)
		c.Note = "driver's TLS reading not modelled"
	}
	return d, nil
}

// hasDict reports whether the URL builds an ssl dict, and whether it holds
// a CA (ssl_ca or ssl_capath).
func (d *DSN) hasDict() (dict, ca int) {
	dict, ca = -1, -1
	for _, k := range sqlaDictKeys {
		if j := d.find(k); j >= 0 {
			dict = max(dict, j)
			if k == "ssl_ca" || k == "ssl_capath" {
				ca = max(ca, j)
			}
		}
	}
	return dict, ca
}

// truthyString handles a key that reaches the driver as a string: any
// non-empty string is true in Python, so a "false" spelling is a trap.
func (d *DSN) truthyString(key string) int {
	j := d.find(key)
	if j < 0 || d.Params[j].Value == "" {
		return -1
	}
	if pyBoolFalse(d.Params[j].Value) {
		d.trap(StringTruthy, Misread, j, "")
	}
	return j
}

// pymysqlClient is PyMySQL 1.2's reading
// (https://github.com/PyMySQL/PyMySQL/blob/main/pymysql/connections.py,
// _create_ssl_ctx): a dict with a CA verifies chain and host name unless
// check_hostname is false; a dict without a CA encrypts without
// verification; nothing at all is PREFERRED since 1.2.0 (DISABLED before).
func (d *DSN) pymysqlClient() {
	if j := d.truthyString("ssl_disabled"); j >= 0 {
		d.setMode(Disabled, Explicit, j)
		return
	}
	dict, ca := d.hasDict()
	vc, vi := d.find("ssl_verify_cert"), d.find("ssl_verify_identity")
	switch {
	case dict >= 0 && (vc >= 0 || vi >= 0):
		d.setMode(ModeUnknown, Derived, max(vc, vi))
		d.Client.Note = "ssl_verify_* beside ssl dict keys: PyMySQL rebuilds the dict; not modelled"
	case ca >= 0:
		d.setMode(VerifyIdentity, Derived, ca)
		if h := d.find("ssl_check_hostname"); h >= 0 && pyBoolFalse(d.Params[h].Value) {
			d.setMode(VerifyCA, Derived, h)
		}
	case dict >= 0:
		d.setMode(Required, Derived, dict)
	case vc >= 0 && d.Params[vc].Value != "":
		// The string becomes the dict's verify_mode (SQLAlchemy does not
		// coerce it): _create_ssl_ctx verifies for required/1/true/yes and
		// optional (CERT_OPTIONAL verifies in a client), and otherwise, with
		// no CA, sets CERT_NONE. Without a CA check_hostname is off: chain
		// only, system store.
		switch strings.ToLower(d.Params[vc].Value) {
		case "required", "1", "true", "yes", "optional":
			d.setMode(VerifyCA, Derived, vc)
		default:
			d.setMode(Required, Derived, vc)
		}
	case vi >= 0 && d.Params[vi].Value != "":
		d.setMode(Required, Derived, vi)
	default:
		d.setMode(Preferred, DriverDefault, -1)
		d.Client.Note = "PyMySQL 1.2+; DISABLED before 1.2.0"
	}
}

// mysqldbClient is mysqlclient's reading
// (https://github.com/PyMySQL/mysqlclient/blob/main/src/MySQLdb/_mysql.c,
// _get_ssl_mode_num): ssl_mode is compared with strcmp, upper case only,
// anything else raises NotSupportedError.
func (d *DSN) mysqldbClient() {
	d.setMode(Preferred, DriverDefault, -1)
	d.Client.Note = "libmysqlclient default; MariaDB Connector/C builds differ"
	if j, on := d.mysqldbSSL(); j >= 0 {
		// An ssl that is not a mapping is read by truth (mysqlclient
		// 2.2.4+, _mysql.c: "Support ssl=True"); ssl_mode, read after it,
		// wins.
		m := Disabled
		if on {
			m = Required
		}
		if d.unresolved(j) {
			m = ModeUnknown
		}
		d.setMode(m, Derived, j)
		d.Client.Note = ""
	}
	if j := d.find("ssl_mode"); j >= 0 {
		v := d.Params[j].Value
		m := modeByName(v)
		if d.unresolved(j) {
			m = ModeUnknown
		} else if m == ModeUnknown && modeByName(strings.ToUpper(v)) != ModeUnknown {
			d.trap(WrongCase, Rejected, j, strings.ToUpper(v))
		}
		d.setMode(m, Explicit, j)
		d.Client.Note = ""
	}
}

// mysqldbSSL returns the ssl parameter mysqlclient receives as a value that
// is not a mapping, and its truth, or -1. SQLAlchemy passes the string
// unless ssl_* keys built the ssl dict, which replaces it; dj-database-url
// turns true/false (any case) into booleans and digits into integers, and
// the ssl-ca translation builds the dict, so the later of the two wins.
func (d *DSN) mysqldbSSL() (int, bool) {
	j := d.find("ssl")
	if j < 0 {
		return -1, false
	}
	if d.Dialect == SQLAlchemyMySQLdb {
		if dict, _ := d.hasDict(); dict >= 0 {
			return -1, false
		}
		return d.truthyString("ssl"), true
	}
	if d.Client.CA != nil && d.Client.CA.Param > j {
		return -1, false
	}
	v := d.Params[j].Value
	if n, err := strconv.Atoi(v); err == nil && strings.Trim(v, "0123456789") == "" {
		return j, n != 0
	}
	return j, !strings.EqualFold(v, "false")
}

// connectorPyClient is mysql-connector-python's pure-Python reading
// (https://github.com/mysql/mysql-connector-python/blob/trunk/mysql-connector-python/lib/mysql/connector/connection.py
// and network.py): TLS whenever the server offers it; ssl_verify_cert
// makes it mandatory and verified; ssl_verify_identity alone verifies but
// still falls back to plaintext; a CA alone is loaded and not used.
func (d *DSN) connectorPyClient() {
	if j := d.truthyString("ssl_disabled"); j >= 0 {
		d.setMode(Disabled, Explicit, j)
		return
	}
	vc := d.find("ssl_verify_cert")
	vi := d.truthyString("ssl_verify_identity")
	switch {
	case vc >= 0 && pyBoolTrue(d.Params[vc].Value):
		d.setMode(VerifyCA, Explicit, vc)
		if vi >= 0 {
			d.setMode(VerifyIdentity, Explicit, vi)
		}
	case vi >= 0:
		d.setMode(VerifyIdentity, Explicit, vi)
		d.Client.Effective.PlaintextFallback = true
	default:
		d.setMode(Preferred, DriverDefault, -1)
		if d.Client.CA != nil {
			d.trap(Unused, Ignored, d.Client.CA.Param, "ssl_verify_cert")
		}
	}
}
