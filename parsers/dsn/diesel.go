package dsn

import "strings"

// Rust Diesel over libmysqlclient, mysql://user:pw@host/db?…: the query
// pairs (form-decoded by url::Url::query_pairs, the last one wins) are
// looked up exactly as unix_socket, ssl_mode, ssl_ca, ssl_cert and ssl_key,
// underscores unlike sqlx; other keys are ignored, and a "database" key
// fails the parse. ssl_mode is lower-cased and must be one of the
// --ssl-mode names, else the URL is rejected ("unknown ssl_mode")
// (https://github.com/diesel-rs/diesel/blob/04cc1b0bc6578021db542464e6cd1a21e0d39235/diesel/src/mysql_like/connection/url.rs;
// https://docs.rs/diesel/2/diesel/mysql/struct.MysqlConnection.html).
// Without ssl_mode the client library's default applies.

var dieselKeys = []string{"unix_socket", "ssl_mode", "ssl_ca", "ssl_cert", "ssl_key"}

func parseDiesel(s string) (*DSN, error) {
	d, err := parseURL(Diesel, s, []string{"mysql"}, formDecode, true)
	if err != nil {
		return nil, err
	}
	if d.find("database") >= 0 {
		return nil, ErrSyntax
	}
	d.markKeys(dieselKeys, false, Ignored)
	d.noteUnresolved()
	if d.find("unix_socket") >= 0 {
		d.Target.Transport = Unix
	}
	c := &d.Client
	c.CA, c.Cert, c.Key = d.value(d.find("ssl_ca")), d.value(d.find("ssl_cert")), d.value(d.find("ssl_key"))
	d.setMode(Preferred, DriverDefault, -1)
	c.Note = "client library default: PREFERRED with libmysqlclient"
	if i := d.find("ssl_mode"); i >= 0 {
		m := modeByName(strings.ToUpper(d.Params[i].Value))
		switch {
		case d.unresolved(i):
			m = ModeUnknown
		case m == ModeUnknown:
			d.trap(BadValue, Rejected, i, "VERIFY_IDENTITY")
		}
		d.setMode(m, Explicit, i)
		c.Note = ""
	}
	return d, nil
}
