package dsn

import "strings"

// MySQL Connector/ODBC connection strings,
// Driver={MySQL ODBC 8.0 Unicode Driver};Server=…;SSLMODE=…;SSLCA=…:
// Key=Value pairs split on ';', keys trimmed and case-insensitive, a value
// in braces may hold ';' and writes '}' as "}}" (ODBC SQLDriverConnect
// syntax). SSLMODE (alias SSL-MODE) is compared case-insensitively and an
// unknown value is silently ignored, leaving the library default
// PREFERRED; SSLVERIFY is read only with client libraries older than
// 8.0.3; with TLS-VERSIONS set, NO_TLS_1_2/NO_TLS_1_3 are ignored
// (https://github.com/mysql/mysql-connector-odbc/blob/master/driver/connect.cc,
// util/installer.h ALIAS_OPTIONS_LIST;
// https://dev.mysql.com/doc/connector-odbc/en/connector-odbc-configuration-connection-parameters.html).

var odbcKeys = []string{
	"DRIVER", "DSN", "SERVER", "PORT", "UID", "USER", "PWD", "PASSWORD", "DATABASE", "DB", "SOCKET", "OPTION",
	"CHARSET", "SSLMODE", "SSL-MODE", "SSLCA", "SSL-CA", "SSLCAPATH", "SSL-CAPATH", "SSLCERT", "SSL-CERT",
	"SSLKEY", "SSL-KEY", "SSLCIPHER", "SSL-CIPHER", "SSL-CRL", "SSL-CRLPATH", "SSLVERIFY", "TLS-VERSIONS",
	"NO_TLS_1_2", "NO_TLS_1_3", "RSAKEY", "MULTI_HOST", "ENABLE_DNS_SRV", "GET_SERVER_PUBLIC_KEY", "INITSTMT",
}

// isODBC reports a connection string whose Driver names a MySQL driver.
func isODBC(s string) bool {
	if !strings.Contains(s, "=") {
		return false
	}
	for _, p := range splitODBC(s) {
		if strings.EqualFold(p.Key, "driver") {
			return strings.Contains(strings.ToLower(p.Value), "mysql")
		}
	}
	return false
}

// splitODBC splits a connection string into parameters.
func splitODBC(s string) []Param {
	var ps []Param
	isSpace := func(c byte) bool { return c == ' ' || c == '\t' || c == '\r' || c == '\n' }
	for i := 0; i < len(s); {
		for i < len(s) && (isSpace(s[i]) || s[i] == ';') {
			i++
		}
		ks := i
		for i < len(s) && s[i] != '=' && s[i] != ';' {
			i++
		}
		if i >= len(s) || s[i] != '=' {
			continue // no '=': not a pair
		}
		ke := i
		for ke > ks && isSpace(s[ke-1]) {
			ke--
		}
		i++
		for i < len(s) && isSpace(s[i]) {
			i++
		}
		p := Param{Key: s[ks:ke], KeySpan: Span{ks, ke}}
		var val string
		if i < len(s) && s[i] == '{' {
			i++
			vs := i
			var b strings.Builder
			for i < len(s) {
				if s[i] == '}' {
					if i+1 < len(s) && s[i+1] == '}' {
						b.WriteByte('}')
						i += 2
						continue
					}
					break
				}
				b.WriteByte(s[i])
				i++
			}
			p.ValueSpan, val = Span{vs, i}, b.String()
			for i < len(s) && s[i] != ';' {
				i++
			}
		} else {
			vs := i
			for i < len(s) && s[i] != ';' {
				i++
			}
			ve := i
			for ve > vs && isSpace(s[ve-1]) {
				ve--
			}
			p.ValueSpan, val = Span{vs, ve}, s[vs:ve]
		}
		p.raw = Span{ks, i}
		if isSecretKey(p.Key) {
			p.Secret = true
		} else {
			p.setValue(p.ValueSpan.Text(s), val)
		}
		ps = append(ps, p)
	}
	return ps
}

func parseODBC(s string) (*DSN, error) {
	d := &DSN{Dialect: ODBC, Params: splitODBC(s)}
	if len(d.Params) == 0 {
		return nil, ErrSyntax
	}
	d.layout(s, ';', 0, "")
	d.markKeys(odbcKeys, true, Ignored)
	d.noteUnresolved()
	get := func(keys ...string) int { return d.findFold(keys...) }
	c := &d.Client
	c.CA, c.CAPath = d.value(get("SSLCA", "SSL-CA")), d.value(get("SSLCAPATH", "SSL-CAPATH"))
	c.Cert, c.Key = d.value(get("SSLCERT", "SSL-CERT")), d.value(get("SSLKEY", "SSL-KEY"))
	c.Ciphers, c.Protocols = d.value(get("SSLCIPHER", "SSL-CIPHER")), d.value(get("TLS-VERSIONS"))
	if i := get("UID", "USER"); i >= 0 {
		d.User = d.value(i)
	}
	if i := get("PWD", "PASSWORD"); i >= 0 {
		d.Password, d.HasPassword = d.Params[i].ValueSpan, true
	}
	if i := get("SERVER"); i >= 0 {
		d.Target.Host, d.Target.HostSpan = d.Params[i].Value, d.Params[i].ValueSpan
	}
	if i := get("PORT"); i >= 0 {
		d.Target.Port, d.Target.PortSpan = d.Params[i].Value, d.Params[i].ValueSpan
	}
	if get("SOCKET") >= 0 {
		d.Target.Transport = Unix
	}
	d.setMode(Preferred, DriverDefault, -1)
	c.Note = "client library default: PREFERRED"
	if i := get("SSLMODE", "SSL-MODE"); i >= 0 {
		m := modeByName(strings.ToUpper(d.Params[i].Value))
		switch {
		case d.unresolved(i):
			d.setMode(ModeUnknown, Explicit, i)
			c.Note = ""
		case m == ModeUnknown:
			d.trap(BadValue, Ignored, i, "VERIFY_IDENTITY")
		default:
			d.setMode(m, Explicit, i)
			c.Note = ""
		}
	}
	if i := get("SSLVERIFY"); i >= 0 {
		d.trap(Dropped, Ignored, i, "SSLMODE")
	}
	if get("TLS-VERSIONS") >= 0 {
		for i, p := range d.Params {
			if strings.EqualFold(p.Key, "NO_TLS_1_2") || strings.EqualFold(p.Key, "NO_TLS_1_3") {
				d.trap(Dropped, Ignored, i, "TLS-VERSIONS")
			}
		}
	}
	return d, nil
}
