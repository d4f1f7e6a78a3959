package dsn

import (
	"slices"
	"strings"
)

// PHP PDO DSNs, mysql:host=…;port=…;dbname=…;unix_socket=…;charset=….
// The driver name before ':' is a hash key (case-sensitive); the rest is
// split by php_pdo_parse_data_source
// (https://github.com/php/php-src/blob/master/ext/pdo/pdo.c): a name runs
// from the previous ';' (after white space) to the next '=', a value to the
// next ';' that is not doubled (";;" is a literal ';'), names compare with
// strncmp, and unknown names are ignored. TLS is not in the DSN at all:
// only the driver options PDO::MYSQL_ATTR_SSL_* turn it on
// (ext/pdo_mysql/mysql_driver.c, pdo_mysql_handle_factory), so the mode is
// unknown from the string (no TLS unless the code sets one of them).
// mysqlnd reaches host "localhost" (the default) through the Unix socket
// (ext/mysqlnd/mysqlnd_connection.c, get_scheme).

var pdoKeys = []string{"host", "port", "dbname", "unix_socket", "charset", "user", "password"}

func parsePDO(s string) (*DSN, error) {
	const prefix = "mysql:"
	if !strings.HasPrefix(s, prefix) {
		return nil, ErrSyntax
	}
	d := &DSN{Dialect: PDO, Params: splitPDO(s, len(prefix))}
	d.layout(s, ';', len(prefix), "")
	d.noteUnresolved()
	for i := range d.Params {
		p := &d.Params[i]
		p.Known = slices.Contains(pdoKeys, p.Key)
		if looksTLS(p.Key) {
			want := "PDO::MYSQL_ATTR_SSL_VERIFY_SERVER_CERT"
			if strings.Contains(strings.ToLower(p.Key), "ca") {
				want = "PDO::MYSQL_ATTR_SSL_CA"
			}
			d.trap(Dropped, Ignored, i, want)
		}
	}
	if i := d.find("user"); i >= 0 {
		d.User = d.value(i)
	}
	if i := d.find("password"); i >= 0 {
		d.Password, d.HasPassword = d.Params[i].ValueSpan, true
	}
	if i := d.find("host"); i >= 0 {
		d.Target.Host, d.Target.HostSpan = d.Params[i].Value, d.Params[i].ValueSpan
	}
	if i := d.find("port"); i >= 0 {
		d.Target.Port, d.Target.PortSpan = d.Params[i].Value, d.Params[i].ValueSpan
	}
	if d.Target.Host == "" || strings.EqualFold(d.Target.Host, "localhost") {
		d.Target.Transport = Unix
	}
	d.setMode(ModeUnknown, DriverDefault, -1)
	d.Client.Note = "PDO: TLS only through PDO::MYSQL_ATTR_SSL_* driver options, none by default"
	return d, nil
}

// isPDO reports whether what follows "mysql:" (driver names are lower
// case hash keys) starts with a name pdo_mysql reads.
func isPDO(rest string) bool {
	for _, k := range pdoKeys {
		if strings.HasPrefix(rest, k+"=") {
			return true
		}
	}
	return false
}

// splitPDO is php_pdo_parse_data_source from offset start.
func splitPDO(s string, start int) []Param {
	var ps []Param
	opt := start
	for i := start; i < len(s); {
		if s[i] != '=' {
			i++
			continue
		}
		vs := i + 1
		i = vs
		var val strings.Builder
		for i < len(s) && (s[i] != ';' || i+1 < len(s) && s[i+1] == ';') {
			val.WriteByte(s[i])
			if s[i] == ';' {
				i++ // ";;" is one ';'
			}
			i++
		}
		ve := i
		p := Param{Key: s[opt : vs-1], KeySpan: Span{opt, vs - 1}, ValueSpan: Span{vs, ve}, raw: Span{opt, ve}}
		if isSecretKey(p.Key) {
			p.Secret = true
		} else {
			p.setValue(s[vs:ve], val.String())
		}
		ps = append(ps, p)
		if i < len(s) {
			i++ // the ';'
		}
		for i < len(s) && isCSpace(s[i]) {
			i++
		}
		opt = i
	}
	return ps
}

// isCSpace is C's isspace.
func isCSpace(c byte) bool { return c == ' ' || '\t' <= c && c <= '\r' }
