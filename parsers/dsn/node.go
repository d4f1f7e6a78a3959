package dsn

import (
	"bytes"
	"encoding/json"
	"strings"
)

// Node.js mysql2 and mysql (mysqljs) URLs, mysql://user:pw@host:port/db?k=v.
// Both JSON.parse every query value and keep the raw string when that
// fails (mysql2 lib/connection_config.js parseUrl,
// https://github.com/sidorares/node-mysql2/blob/master/lib/connection_config.js;
// mysqljs lib/ConnectionConfig.js, https://github.com/mysqljs/mysql#ssl-options).
// ssl is then a profile name (a string: only "Amazon RDS" exists, anything
// else throws "Unknown SSL profile") or an object whose rejectUnauthorized
// defaults to true; mysql2 throws "SSL profile must be an object" for any
// other truthy value (ssl=true) and checks the host name only with
// verifyIdentity (lib/base/connection.js). mysqljs never checks the host
// name (lib/Connection.js, _startTLS: no servername, only verifyError), and
// takes ssl=true as TLS whose rejectUnauthorized is undefined: no
// verification at all. No ssl: no TLS, and there is no PREFERRED. Option
// names are exact; mysql2 warns about and ignores others.

// mysql2Options is validOptions in lib/connection_config.js.
var mysql2Options = []string{
	"authPlugins", "authSwitchHandler", "bigNumberStrings", "charset", "charsetNumber", "compress",
	"connectAttributes", "connectTimeout", "database", "dateStrings", "debug", "decimalNumbers",
	"enableKeepAlive", "flags", "host", "insecureAuth", "isServer", "keepAliveInitialDelay", "localAddress",
	"maxPreparedStatements", "multipleStatements", "namedPlaceholders", "nestTables", "password",
	"passwordSha1", "pool", "port", "queryFormat", "rowsAsArray", "socketPath", "ssl", "stream",
	"stringifyObjects", "supportBigNumbers", "timezone", "trace", "typeCast", "uri", "user",
	"connectionLimit", "maxIdle", "idleTimeout", "Promise", "queueLimit", "waitForConnections",
}

// mysqljsOptions are the connection options of mysqljs's README.
var mysqljsOptions = []string{
	"host", "port", "localAddress", "socketPath", "user", "password", "database", "charset", "timezone",
	"connectTimeout", "stringifyObjects", "insecureAuth", "typeCast", "queryFormat", "supportBigNumbers",
	"bigNumberStrings", "dateStrings", "debug", "trace", "localInfile", "multipleStatements", "flags", "ssl",
}

// nodeRDS is the one SSL profile both drivers ship (constants/ssl_profiles.js).
const nodeRDS = "Amazon RDS"

func parseNode(dialect Dialect, s string) (*DSN, error) {
	d, err := parseURL(dialect, s, []string{"mysql"}, formDecode, true)
	if err != nil {
		return nil, err
	}
	if dialect == NodeMySQL2 {
		d.markKeys(mysql2Options, false, Ignored)
	} else {
		d.markKeys(mysqljsOptions, false, Ignored)
	}
	d.noteUnresolved()
	if d.find("socketPath") >= 0 {
		d.Target.Transport = Unix
	}
	d.setMode(Disabled, DriverDefault, -1)
	if i := d.find("ssl"); i >= 0 {
		d.nodeSSL(i)
	}
	return d, nil
}

// nodeSSL reads the ssl parameter i as JSON.parse and the drivers do.
func (d *DSN) nodeSSL(i int) {
	p := &d.Params[i]
	if d.unresolved(i) {
		d.setMode(ModeUnknown, Explicit, i)
		return
	}
	var v any
	if json.Unmarshal([]byte(p.Value), &v) != nil {
		v = p.Value // not JSON: the raw string
	}
	bad := func() {
		if d.Dialect == NodeMySQL2 {
			d.setMode(ModeUnknown, Explicit, i)
			d.trap(BadValue, Rejected, i, `{"verifyIdentity":true}`)
			return
		}
		d.setMode(Required, Explicit, i)
		d.trap(BadValue, Misread, i, "{}")
	}
	switch x := v.(type) {
	case string:
		if x != nodeRDS {
			d.setMode(ModeUnknown, Explicit, i)
			d.trap(BadValue, Rejected, i, nodeRDS)
			return
		}
		d.setMode(VerifyCA, Explicit, i)
		d.Client.Note = "SSL profile Amazon RDS: the RDS CA bundle"
	case nil:
		d.setMode(Disabled, Explicit, i)
	case bool:
		if !x {
			d.setMode(Disabled, Explicit, i)
			return
		}
		bad()
	case float64:
		if x == 0 {
			d.setMode(Disabled, Explicit, i)
			return
		}
		bad()
	case []any:
		d.setMode(VerifyCA, Explicit, i)
	case map[string]any:
		switch {
		case x["rejectUnauthorized"] == false:
			d.setMode(Required, Explicit, i)
		case x["verifyIdentity"] == true && d.Dialect == NodeMySQL2:
			d.setMode(VerifyIdentity, Explicit, i)
		default:
			d.setMode(VerifyCA, Explicit, i)
		}
		c := &d.Client
		c.CA, c.Cert, c.Key = jsonField(p, i, x, "ca"), jsonField(p, i, x, "cert"), jsonField(p, i, x, "key")
		c.Protocols, c.Ciphers = jsonField(p, i, x, "minVersion"), jsonField(p, i, x, "ciphers")
	}
}

// jsonField returns string field key of obj, the decoded ssl object of
// parameter p (index i), with the span of its text inside the value when
// the string is written without escapes, else the whole value's span.
func jsonField(p *Param, i int, obj map[string]any, key string) *Value {
	sv, ok := obj[key].(string)
	if !ok {
		return nil
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(sv) // a string always encodes
	lit := strings.TrimSuffix(b.String(), "\n")
	v := &Value{Text: sv, Span: p.ValueSpan, Param: i}
	if at := strings.Index(p.Value, lit); at >= 0 && len(lit) == len(sv)+2 {
		v.Span = Span{p.ValueOffset(at + 1), p.ValueOffset(at + 1 + len(sv))}
	}
	return v
}

// TypeORM and Sequelize take a url option and hand the rest to mysql2 (or
// mysql). TypeORM reads user, password, host, port and database from it and
// cuts the query off (src/driver/DriverUtils.ts, parseConnectionUrl:
// "remove mongodb query params"), so TLS parameters in the URL are
// silently dropped and the ssl option in code decides. Sequelize v6 copies
// the query into dialectOptions as strings (v7 @sequelize/mysql reads ssl
// as a string option too,
// https://github.com/sequelize/sequelize/blob/main/packages/mysql/src/_internal/connection-options.ts):
// ssl reaches mysql2 as a string, which only the profile name "Amazon RDS"
// survives; ssl=true becomes "Unknown SSL profile 'true'".
func parseORM(dialect Dialect, s string) (*DSN, error) {
	d, err := parseURL(dialect, s, []string{"mysql", "mariadb"}, formDecode, true)
	if err != nil {
		return nil, err
	}
	d.noteUnresolved()
	d.setMode(ModeUnknown, DriverDefault, -1)
	if dialect == TypeORM {
		d.Client.Note = "TypeORM drops the URL query: the ssl option in code decides"
		for i, p := range d.Params {
			if looksTLS(p.Key) {
				d.trap(Dropped, Ignored, i, "ssl")
			}
		}
		return d, nil
	}
	d.Client.Note = "dialectOptions.ssl in code decides"
	d.markKeys(mysql2Options, false, Ignored)
	if i := d.find("ssl"); i >= 0 {
		switch v := d.Params[i].Value; {
		case d.unresolved(i):
			d.setMode(ModeUnknown, Explicit, i)
		case v == nodeRDS:
			d.setMode(VerifyCA, Explicit, i)
			d.Client.Note = "SSL profile Amazon RDS: the RDS CA bundle"
		default:
			d.setMode(ModeUnknown, Explicit, i)
			d.trap(BadValue, Rejected, i, nodeRDS)
		}
	}
	return d, nil
}
