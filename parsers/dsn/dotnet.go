package dsn

import "strings"

// .NET connection strings, Key=Value;… as DbConnectionStringBuilder reads
// them: keys trimmed and case-insensitive, "==" in a key is a literal '=',
// values may be quoted with ' or " (a doubled quote escapes itself).
// Key synonyms and SslMode values from
// https://github.com/mysql-net/MySqlConnector/blob/master/src/MySqlConnector/MySqlConnectionStringBuilder.cs
// (docs: https://mysqlconnector.net/connection-options/) and
// https://github.com/mysql/mysql-connector-net/blob/9.0/MySQL.Data/src/MySqlBaseConnectionStringBuilder.cs
// (https://dev.mysql.com/doc/connector-net/en/connector-net-8-0-connection-options.html:
// option names "not case sensitive"). Both default to Preferred, and under
// Preferred or Required a CA is not used for validation (MySqlConnector
// Core/ServerSession.cs: "if no CA verification is required, then we trust
// any remote certificate"). They differ: only Connector/NET knows the key
// ssl-mode and the value Prefered (sic); MySqlConnector throws on both
// (its SslMode keys are "SSL Mode" and "SslMode", and Enum.Parse rejects a
// name its MySqlSslMode lacks). Connector/NET's 9.x API page names Required
// as the default, against the builder's code.

// dotnetKeys maps every synonym, lower case, to its role.
var dotnetKeys = map[string]string{
	"ssl mode": "mode", "sslmode": "mode", "ssl-mode": "mode",
	"ssl ca": "ca", "sslca": "ca", "ssl-ca": "ca", "cacertificatefile": "ca", "ca certificate file": "ca",
	"ssl cert": "cert", "sslcert": "cert", "ssl-cert": "cert", "certificate file": "cert", "certificatefile": "cert",
	"ssl key": "key", "sslkey": "key", "ssl-key": "key",
	"tls version": "protocols", "tlsversion": "protocols", "tls-version": "protocols",
	"tls cipher suites": "ciphers", "tlsciphersuites": "ciphers",
	"server": "host", "host": "host", "data source": "host", "datasource": "host", "address": "host",
	"addr": "host", "network address": "host",
	"port":     "port",
	"protocol": "protocol", "connection protocol": "protocol", "connectionprotocol": "protocol",
	"user id": "user", "userid": "user", "uid": "user", "user name": "user", "username": "user", "user": "user",
	"password": "password", "pwd": "password", "certificate password": "secret", "certificatepassword": "secret",
	"database": "other", "initial catalog": "other", "allowpublickeyretrieval": "other",
	"allow public key retrieval": "other", "allowuservariables": "other", "allow user variables": "other",
	"characterset": "other", "character set": "other", "charset": "other",
	"convertzerodatetime": "other", "convert zero datetime": "other",
	"pooling": "other", "connection timeout": "other", "connect timeout": "other",
}

// dotnetMySQLOnly are keys no SQL Server string uses, so a Server=…;
// string holding one is a MySQL one.
var dotnetMySQLOnly = map[string]bool{"mode": true, "ca": true, "cert": true, "key": true, "protocols": true, "ciphers": true}

func dotnetRole(k string) string { return dotnetKeys[strings.ToLower(k)] }

// splitDotNet splits a connection string into parameters.
func splitDotNet(s string) []Param {
	var ps []Param
	isSpace := func(c byte) bool { return c == ' ' || c == '\t' || c == '\r' || c == '\n' }
	i := 0
	for i < len(s) {
		for i < len(s) && (isSpace(s[i]) || s[i] == ';') {
			i++
		}
		if i >= len(s) {
			break
		}
		ks := i
		var key strings.Builder
		for i < len(s) {
			if s[i] == '=' {
				if i+1 < len(s) && s[i+1] == '=' {
					key.WriteByte('=')
					i += 2
					continue
				}
				break
			}
			if s[i] == ';' {
				break
			}
			key.WriteByte(s[i])
			i++
		}
		ke := i
		for ke > ks && isSpace(s[ke-1]) {
			ke--
		}
		if i >= len(s) || s[i] != '=' {
			continue // a key without '=': the builder throws; keep nothing
		}
		i++
		for i < len(s) && isSpace(s[i]) && s[i] != ';' {
			i++
		}
		p := Param{Key: strings.TrimSpace(key.String()), KeySpan: Span{ks, ke}}
		var val string
		if i < len(s) && (s[i] == '\'' || s[i] == '"') {
			q := s[i]
			i++
			vs := i
			var b strings.Builder
			for i < len(s) {
				if s[i] == q {
					if i+1 < len(s) && s[i+1] == q {
						b.WriteByte(q)
						i += 2
						continue
					}
					break
				}
				b.WriteByte(s[i])
				i++
			}
			p.ValueSpan = Span{vs, i}
			val = b.String()
			if i < len(s) {
				i++ // closing quote
			}
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
			p.ValueSpan = Span{vs, ve}
			val = s[vs:ve]
		}
		role := dotnetRole(p.Key)
		p.Known = role != ""
		if role == "password" || role == "secret" || isSecretKey(p.Key) {
			p.Secret = true
		} else {
			p.setValue(p.ValueSpan.Text(s), val)
		}
		p.raw = Span{ks, i}
		ps = append(ps, p)
	}
	return ps
}

// isDotNet reports a Key=Value; string with a server key and a key only
// MySQL drivers have. ODBC (Driver=), SQL Server and Npgsql strings are
// excluded: Npgsql also has "SSL Mode", so a mode spelt the PostgreSQL way
// (Require, Prefer…) is no evidence of MySQL on its own.
func isDotNet(s string) bool {
	if !strings.Contains(s, ";") || !strings.Contains(s, "=") {
		return false
	}
	host, mysql := false, false
	for _, p := range splitDotNet(s) {
		switch k := strings.ToLower(p.Key); k {
		case "driver", "provider", "encrypt", "trustservercertificate", "integrated security",
			"multipleactiveresultsets", "trusted_connection", "trust server certificate", "root certificate",
			"search path", "include error detail", "server compatibility mode":
			return false
		case "port":
			if p.Value == "5432" || p.Value == "1433" {
				return false
			}
		}
		switch r := dotnetRole(p.Key); {
		case r == "host":
			host = true
		case r == "mode" && isPostgresMode(p.Value):
		case dotnetMySQLOnly[r]:
			mysql = true
		}
	}
	return host && mysql
}

// isPostgresMode reports libpq's sslmode spellings that no MySQL driver
// has (https://www.postgresql.org/docs/current/libpq-ssl.html#LIBPQ-SSL-SSLMODE-STATEMENTS).
func isPostgresMode(v string) bool {
	switch strings.ToLower(v) {
	case "require", "prefer", "allow", "disable", "verify-ca", "verify-full":
		return true
	}
	return false
}

func parseDotNet(s string) (*DSN, error) { return parseDotNetAs(DotNet, s) }

func parseConnectorNET(s string) (*DSN, error) { return parseDotNetAs(ConnectorNET, s) }

func parseDotNetAs(dialect Dialect, s string) (*DSN, error) {
	d := &DSN{Dialect: dialect, Params: splitDotNet(s)}
	if len(d.Params) == 0 {
		return nil, ErrSyntax
	}
	d.layout(s, ';', 0, "")
	d.noteUnresolved()
	idx := map[string]int{}
	for i, p := range d.Params {
		role := dotnetRole(p.Key)
		if dialect == DotNet && strings.EqualFold(p.Key, "ssl-mode") {
			// Connector/NET's synonym: MySqlConnector throws "Option not supported".
			d.Params[i].Known = false
			d.trap(ForeignParam, Rejected, i, "SslMode")
			continue
		}
		idx[role] = i // the last occurrence wins
	}
	get := func(role string) int {
		if i, ok := idx[role]; ok {
			return i
		}
		return -1
	}
	c := &d.Client
	c.CA, c.Cert, c.Key = d.value(get("ca")), d.value(get("cert")), d.value(get("key"))
	c.Protocols, c.Ciphers = d.value(get("protocols")), d.value(get("ciphers"))
	if i := get("user"); i >= 0 {
		d.User = d.value(i)
	}
	if i := get("password"); i >= 0 {
		d.Password, d.HasPassword = d.Params[i].ValueSpan, true
	}
	if i := get("host"); i >= 0 {
		p := d.Params[i]
		h, sp := p.Value, p.ValueSpan
		if c := strings.IndexByte(h, ','); c >= 0 {
			h, sp.End = h[:c], sp.Start+c
		}
		d.Target.Host, d.Target.HostSpan = h, sp
		if strings.HasPrefix(h, "/") || strings.HasPrefix(h, "./") {
			d.Target.Transport = Unix
		}
	}
	if i := get("port"); i >= 0 {
		d.Target.Port, d.Target.PortSpan = d.Params[i].Value, d.Params[i].ValueSpan
	}
	if i := get("protocol"); i >= 0 {
		switch strings.ToLower(d.Params[i].Value) {
		case "unix", "socket", "unixsocket":
			d.Target.Transport = Unix
		case "pipe", "namedpipe", "memory", "sharedmemory":
			d.Target.Transport = Pipe
		}
	}
	d.setMode(Preferred, DriverDefault, -1)
	if dialect == ConnectorNET {
		c.Note = "default Preferred in the builder code; the 9.x API page says Required"
	}
	if i := get("mode"); i >= 0 {
		v := d.Params[i].Value
		m := dotnetMode(v)
		switch {
		case d.unresolved(i):
			m = ModeUnknown
		case m == ModeUnknown && isPostgresMode(v):
			d.trap(ForeignParam, Rejected, i, "")
		case m == Preferred && strings.EqualFold(strings.TrimSpace(v), "prefered") && dialect == DotNet:
			m = ModeUnknown
			d.trap(BadValue, Rejected, i, "Preferred")
		}
		d.setMode(m, Explicit, i)
		c.Note = ""
	}
	if c.CA != nil && (c.Mode == Preferred || c.Mode == Required) {
		d.trap(Unused, Ignored, c.CA.Param, "SslMode=VerifyCA")
		c.Note = "CA not used for validation below VerifyCA"
	}
	return d, nil
}

// dotnetMode parses an SslMode value as Enum.Parse(ignoreCase: true) does,
// names or numbers (MySqlSslMode.cs: None=0 … VerifyFull=4).
func dotnetMode(v string) Mode {
	switch strings.ToLower(strings.TrimSpace(v)) {
	case "none", "disabled", "0":
		return Disabled
	case "preferred", "prefered", "1":
		return Preferred
	case "required", "2":
		return Required
	case "verifyca", "3":
		return VerifyCA
	case "verifyfull", "4":
		return VerifyIdentity
	}
	return ModeUnknown
}
