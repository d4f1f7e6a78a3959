package dsn

import (
	"net/url"
	"strings"
)

// go-sql-driver/mysql DSNs: [user[:password]@][net[(addr)]]/dbname[?params].
// Parsing follows ParseDSN and parseDSNParams in
// https://github.com/go-sql-driver/mysql/blob/master/dsn.go: the last '/'
// ends the address part, the last '@' before it ends the user part, the
// first ':' splits user and password; parameters split on '&', keys are
// matched exactly (switch key) and never unescaped; a key the driver does
// not know is sent to the server as a session variable (README, "System
// Variables"). tls values per readBool in utils.go.

// isGoDSN reports whether s has the shape that marks a Go DSN: the driver
// accepts strings as bare as "/db", so a marker is required: "@tcp(",
// "@unix(", a leading "tcp("/"unix(", or "user@/db".
func isGoDSN(s string) bool {
	if strings.ContainsAny(s, " \t\r\n") {
		return false
	}
	if strings.Contains(s, "@tcp(") || strings.Contains(s, "@unix(") ||
		strings.HasPrefix(s, "tcp(") || strings.HasPrefix(s, "unix(") {
		return true
	}
	at := strings.Index(s, "@/")
	return at > 0 && !strings.ContainsAny(s[:at], "/@")
}

// goKnown are the parameters dsn.go's switch handles; any other key is a
// session variable.
var goKnown = map[string]bool{
	"allowAllFiles": true, "allowCleartextPasswords": true, "allowFallbackToPlaintext": true,
	"allowNativePasswords": true, "allowOldPasswords": true, "charset": true, "checkConnLiveness": true,
	"clientFoundRows": true, "collation": true, "columnsWithAlias": true, "compress": true,
	"connectionAttributes": true, "interpolateParams": true, "loc": true, "maxAllowedPacket": true,
	"multiStatements": true, "parseTime": true, "readTimeout": true, "rejectReadOnly": true,
	"serverPubKey": true, "strict": true, "timeTruncate": true, "timeout": true, "tinyInt1IsBool": true, "tls": true,
	"writeTimeout": true,
}

// goBool is readBool in utils.go: exactly these spellings.
func goBool(v string) (val, ok bool) {
	switch v {
	case "1", "true", "TRUE", "True":
		return true, true
	case "0", "false", "FALSE", "False":
		return false, true
	}
	return false, false
}

func parseGo(s string) (*DSN, error) {
	d := &DSN{Dialect: GoMySQL}
	slash := strings.LastIndexByte(s, '/')
	if slash < 0 {
		return nil, ErrSyntax // the driver: "invalid DSN: missing the slash separating the database name"
	}
	addrStart := 0
	if at := strings.LastIndexByte(s[:slash], '@'); at >= 0 {
		user := s[:at]
		if colon := strings.IndexByte(user, ':'); colon >= 0 {
			d.Password, d.HasPassword = Span{colon + 1, at}, true
			user = user[:colon]
		}
		d.User = &Value{Text: user, Span: Span{0, len(user)}, Param: -1}
		addrStart = at + 1
	}
	netAddr := s[addrStart:slash]
	net := netAddr
	if p := strings.IndexByte(netAddr, '('); p >= 0 {
		if !strings.HasSuffix(netAddr, ")") {
			return nil, ErrSyntax
		}
		net = netAddr[:p]
		addr := netAddr[p+1 : len(netAddr)-1]
		base := addrStart + p + 1
		d.goTarget(net, addr, base)
	} else {
		d.goTarget(net, "", addrStart+len(net))
	}
	region := -1
	if q := strings.IndexByte(s[slash:], '?'); q >= 0 {
		region = slash + q + 1
		d.Params = splitQuery(s, region, len(s), '&', rawText, false)
	}
	d.layout(s, '&', region, "?")
	for i := range d.Params {
		p := &d.Params[i]
		p.Known = goKnown[p.Key]
		if !p.Known {
			// A registered-name value and session variables are unescaped
			// by the driver; nothing else is.
			p.setValue(p.Value, goUnescape(p.Value))
		}
	}
	d.goClient()
	return d, nil
}

// rawText keeps keys and values as written: the Go driver unescapes only
// some values, MariaDB Connector/J none.
func rawText(s string) (string, bool) { return s, true }

func goUnescape(v string) string {
	if u, err := url.QueryUnescape(v); err == nil {
		return u
	}
	return v
}

// goTarget sets the target from net and addr; base is addr's offset.
func (d *DSN) goTarget(net, addr string, base int) {
	t := &d.Target
	switch net {
	case "unix":
		t.Transport = Unix
		t.Host, t.HostSpan = addr, Span{base, base + len(addr)}
		return
	}
	host, port := addr, ""
	if c := strings.LastIndexByte(addr, ':'); c >= 0 && !strings.Contains(addr[c:], "]") {
		host, port = addr[:c], addr[c+1:]
		t.Port, t.PortSpan = port, Span{base + c + 1, base + len(addr)}
	}
	t.Host, t.HostSpan = host, Span{base, base + len(host)}
}

func (d *DSN) goClient() {
	d.noteUnresolved()
	d.setMode(Disabled, DriverDefault, -1) // README: tls default false
	if i := d.find("tls"); i >= 0 {
		v := d.Params[i].Value
		b, isBool := goBool(v)
		switch {
		case d.unresolved(i):
			d.setMode(ModeUnknown, Explicit, i)
		case isBool && b:
			// tls.Config{ServerName: host}: Go's default verification.
			d.setMode(VerifyIdentity, Explicit, i)
		case isBool, v == "":
			// normalize: case "false", "": no TLS
			// (https://github.com/go-sql-driver/mysql/blob/v1.9.3/dsn.go).
			d.setMode(Disabled, Explicit, i)
		case strings.ToLower(v) == "skip-verify":
			d.setMode(Required, Explicit, i)
		case strings.ToLower(v) == "preferred":
			d.setMode(Preferred, Explicit, i)
		default:
			d.setMode(ModeUnknown, Explicit, i)
			d.Client.Unresolved = append(d.Client.Unresolved, "tls="+goUnescape(v))
			d.Client.Note = "registered TLS config " + goUnescape(v)
		}
	}
	if i := d.find("allowFallbackToPlaintext"); i >= 0 {
		if b, _ := goBool(d.Params[i].Value); b && d.Client.Effective.Encrypts {
			d.Client.Effective.PlaintextFallback = true
		}
	}
	for i, p := range d.Params {
		if p.Known {
			continue
		}
		switch {
		case strings.EqualFold(p.Key, "tls") || strings.EqualFold(p.Key, "allowFallbackToPlaintext"):
			d.trap(WrongCase, SessionVariable, i, canonicalFold(p.Key, "tls", "allowFallbackToPlaintext"))
		case looksTLS(p.Key):
			// PostgreSQL's sslmode, the CLI's ssl-ca, the server's
			// tls_version: each becomes SET <key>=…, which fails; TLS
			// settings go in a tls.Config registered as tls=<name>.
			d.trap(ForeignParam, SessionVariable, i, "tls")
		}
	}
	if d.Target.Transport == Unix {
		d.Client.Note = "unix socket: TLS does not apply"
	}
}

// canonicalFold returns the one of names equal to k ignoring case.
func canonicalFold(k string, names ...string) string {
	for _, n := range names {
		if strings.EqualFold(k, n) {
			return n
		}
	}
	return ""
}

// isPostgresTLSKey reports libpq's TLS parameter names
// (https://www.postgresql.org/docs/current/libpq-connect.html#LIBPQ-CONNECT-SSLMODE).
func isPostgresTLSKey(k string) bool {
	switch strings.ToLower(k) {
	case "sslmode", "sslrootcert", "sslcert", "sslkey":
		return true
	}
	return false
}
