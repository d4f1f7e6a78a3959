package dsn

import "strings"

// Rust sqlx (sqlx-mysql) URLs mysql://[user[:pw]@]host[:port][/db][?props].
// Query pairs are form-decoded (url::Url::query_pairs) and matched exactly
// (https://github.com/launchbadge/sqlx/blob/main/sqlx-mysql/src/options/parse.rs);
// other keys are ignored. ssl-mode values are lower-cased before matching
// and an unknown one fails the parse
// (https://github.com/launchbadge/sqlx/blob/main/sqlx-mysql/src/options/ssl_mode.rs);
// the default is PREFERRED. Below VERIFY_CA the CA is not used: invalid
// certificates are accepted (sqlx-mysql/src/connection/tls.rs).

var sqlxRoles = map[string]string{
	"sslmode": "mode", "ssl-mode": "mode", "sslca": "ca", "ssl-ca": "ca", "sslcert": "cert", "ssl-cert": "cert",
	"sslkey": "key", "ssl-key": "key", "socket": "socket", "charset": "other", "collation": "other",
	"statement-cache-capacity": "other", "connection-attributes": "other",
}

func parseSqlx(s string) (*DSN, error) {
	d, err := parseURL(Sqlx, s, []string{"mysql"}, formDecode, true)
	if err != nil {
		return nil, err
	}
	last := map[string]int{}
	for j := range d.Params {
		p := &d.Params[j]
		role := sqlxRoles[p.Key]
		p.Known = role != ""
		if role != "" {
			last[role] = j
		} else if r := sqlxRoles[strings.ToLower(p.Key)]; r != "" {
			d.trap(WrongCase, Ignored, j, strings.ToLower(p.Key))
		} else if looksTLS(p.Key) {
			// parse.rs ends its match with `_ => {}`: a misspelt key
			// (ssl_mode, tls) is ignored like any other.
			d.trap(ForeignParam, Ignored, j, Sqlx.wantFor(p.Key))
		}
	}
	get := func(role string) int {
		if j, ok := last[role]; ok {
			return j
		}
		return -1
	}
	d.noteUnresolved()
	c := &d.Client
	c.CA, c.Cert, c.Key = d.value(get("ca")), d.value(get("cert")), d.value(get("key"))
	if get("socket") >= 0 {
		d.Target.Transport = Unix
	}
	d.setMode(Preferred, DriverDefault, -1)
	if mi := get("mode"); mi >= 0 {
		v := strings.ToLower(d.Params[mi].Value)
		m := modeByName(strings.ToUpper(v))
		switch {
		case d.unresolved(mi):
			m = ModeUnknown
		case m == ModeUnknown && isPostgresMode(v):
			d.trap(ForeignParam, Rejected, mi, "ssl-mode")
		}
		d.setMode(m, Explicit, mi)
	}
	if c.CA != nil && (c.Mode == Preferred || c.Mode == Required) {
		d.trap(Unused, Ignored, c.CA.Param, "ssl-mode=VERIFY_CA")
	}
	return d, nil
}
