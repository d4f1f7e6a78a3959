package dsn

import "strings"

// MySQL Shell and X DevAPI URI-like strings,
// [scheme://][user[:password]@]host[:port][/schema][?option=value&…],
// scheme mysqlx (X Protocol) or mysql (classic):
// https://dev.mysql.com/doc/refman/8.4/en/connecting-using-uri-or-key-value-pairs.html
// ("Connection parameters are not case-sensitive"; paths percent-encoded
// or in parentheses, ssl-ca=(/etc/ssl/ca.pem)). Options:
// https://dev.mysql.com/doc/dev/mysqlsh-api-python/8.4/connection_options.html.
// X Protocol has no PREFERRED and defaults to REQUIRED (Connector/J
// PropertyDefinitions.java, XdevapiSslMode; Connector/Python mysqlx
// constants.py). As with the mysql client, a CA without ssl-mode means
// VERIFY_CA (mysql-server include/sslopt-case.h; the Shell's own tests
// expect "no ssl-mode with ssl-ca (Use Verify_Ca)").

// pctDecode is RFC 3986 percent-decoding: '+' stays '+'.
func pctDecode(s string) (string, bool) {
	if !strings.Contains(s, "%") {
		return s, true
	}
	return formDecode(strings.ReplaceAll(s, "+", "%2B"))
}

// shellDecode also strips the parentheses that quote a path.
func shellDecode(s string) (string, bool) {
	if len(s) >= 2 && s[0] == '(' && s[len(s)-1] == ')' {
		return s[1 : len(s)-1], true
	}
	return pctDecode(s)
}

func parseShell(s string) (*DSN, error) {
	d := &DSN{Dialect: MySQLShell}
	x := strings.HasPrefix(strings.ToLower(s), "mysqlx://")
	i := strings.Index(s, "://")
	if i < 0 {
		return nil, ErrSyntax
	}
	u := splitURL(s, i+3)
	d.urlUser(s, u)
	if h := u.hosts.Text(s); strings.HasPrefix(h, "/") || strings.HasPrefix(h, "(") || strings.HasPrefix(strings.ToLower(h), "%2f") {
		d.Target.Transport = Unix
		d.Target.Host, d.Target.HostSpan = decodeOr(shellDecode, h), u.hosts
	} else {
		d.urlTarget(s, u.hosts)
	}
	region := -1
	if u.hasQuery {
		d.Params = splitQuery(s, u.query.Start, u.query.End, '&', shellDecode, false)
		region = u.query.Start
	}
	d.layout(s, '&', region, "?")
	for j := range d.Params {
		d.Params[j].Known = shellRole(d.Params[j].Key) != ""
	}
	d.noteUnresolved()
	c := &d.Client
	c.CA = d.value(d.findFold("ssl-ca"))
	c.CAPath = d.value(d.findFold("ssl-capath"))
	c.Cert, c.Key = d.value(d.findFold("ssl-cert")), d.value(d.findFold("ssl-key"))
	c.Protocols = d.value(d.findFold("tls-version", "tls-versions"))
	c.Ciphers = d.value(d.findFold("tls-ciphersuites", "tls-ciphers", "ssl-cipher"))
	if x {
		d.setMode(Required, DriverDefault, -1)
	} else {
		d.setMode(Preferred, DriverDefault, -1)
	}
	ca := max(d.findFold("ssl-ca"), d.findFold("ssl-capath"))
	mi := d.findFold("ssl-mode")
	switch {
	case mi >= 0 && d.unresolved(mi):
		d.setMode(ModeUnknown, Explicit, mi)
	case mi >= 0:
		m := modeByName(strings.ToUpper(d.Params[mi].Value))
		if x && m == Preferred {
			m = Required
			c.Note = "X Protocol has no PREFERRED: REQUIRED"
		}
		d.setMode(m, Explicit, mi)
		if ca >= 0 && (m == Preferred || m == Required || m == Disabled) {
			d.trap(Unused, Ignored, ca, "ssl-mode=VERIFY_CA")
		}
	case ca >= 0:
		d.setMode(VerifyCA, Derived, ca)
	}
	return d, nil
}

func shellRole(k string) string {
	switch strings.ToLower(k) {
	case "ssl-mode", "ssl-ca", "ssl-capath", "ssl-cert", "ssl-key", "ssl-crl", "ssl-crlpath", "ssl-cipher",
		"tls-version", "tls-versions", "tls-ciphers", "tls-ciphersuites", "auth-method", "get-server-public-key",
		"server-public-key-path", "connect-timeout", "compression", "compression-algorithms", "connection-attributes":
		return "known"
	}
	return ""
}
