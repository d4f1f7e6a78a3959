package appini

import (
	"strings"

	"github.com/tlsvet/tlsvet/internal/source"
	"github.com/tlsvet/tlsvet/parsers/dsn"
)

// Database is the [database] section of grafana.ini or Gitea's app.ini:
// the application's own connection, made with go-sql-driver/mysql.
type Database struct {
	Header source.Span
	Type   *Entry // type (Grafana) or DB_TYPE (Gitea)
	MySQL  bool   // the connection is to MySQL; Client is filled only then
	Client Client
	// Stops are settings that stop the program from starting or from
	// connecting, each at the entry to change.
	Stops []Problem
}

func (db *Database) stop(sp source.Span, msg string) {
	db.Stops = append(db.Stops, Problem{Span: sp, Msg: msg, Fatal: true})
}

// database reads the [database] section, or returns nil without one.
func (f *File) database() *Database {
	secs := f.sectionsNamed("database")
	if len(secs) == 0 {
		return nil
	}
	sec := secs[0]
	db := &Database{Header: f.Sections[sec].Header}
	get := func(key string) *Entry { return set(f.get(sec, key)) }
	if f.Kind == Grafana {
		db.grafana(get)
	} else {
		db.gitea(get)
	}
	return db
}

// grafana follows readConfig and buildConnectionString
// (pkg/services/sqlstore/database_config.go) and makeCert (tls_mysql.go):
// only ssl_mode exactly "true" or "skip-verify" registers a TLS config;
// any other value adds no tls parameter, and go-sql-driver's default is
// no TLS.
func (db *Database) grafana(get func(string) *Entry) {
	c := &db.Client
	db.Type = get("type")
	url := get("url")
	switch {
	case url != nil:
		db.MySQL = strings.HasPrefix(strings.ToLower(url.Value), "mysql://")
	case db.Type != nil:
		db.MySQL = db.Type.Value == "mysql"
	}
	if !db.MySQL {
		return
	}
	if h := get("host"); h != nil && strings.HasPrefix(h.Value, "/") {
		c.Unix, c.Note = true, "unix socket: TLS does not apply"
	}
	c.CA, c.Cert, c.Key = get("ca_cert_path"), get("client_cert_path"), get("client_key_path")
	mode := get("ssl_mode")
	if cs := get("connection_string"); cs != nil {
		c.set(dsn.ModeUnknown, dsn.Explicit, cs)
		c.Note = "connection_string is used as the go-sql-driver DSN; ssl_mode does not apply"
		return
	}
	if url != nil && strings.Contains(url.Value, "tls=") {
		c.set(dsn.ModeUnknown, dsn.Explicit, url)
		c.Note = "the url's tls parameter is passed to go-sql-driver after Grafana's own"
		return
	}
	if mode == nil {
		c.set(dsn.Disabled, dsn.DriverDefault, nil) // conf/defaults.ini: ssl_mode = disable
		return
	}
	switch v := mode.Value; {
	case unresolved(v):
		c.set(dsn.ModeUnknown, dsn.Explicit, mode)
		c.Unresolved = append(c.Unresolved, v)
		return
	case v == "true":
		c.set(dsn.VerifyIdentity, dsn.Explicit, mode)
		c.Note = "the host name is checked against server_cert_name"
		if get("server_cert_name") == nil {
			db.stop(mode.KeySpan, "ssl_mode = true needs server_cert_name: Grafana does not start (\"server_cert_name is missing\")")
		}
	case v == "skip-verify":
		c.set(dsn.Required, dsn.Explicit, mode)
	default:
		c.set(dsn.Disabled, dsn.Explicit, mode)
		if v != "false" && v != "disable" {
			c.Note = "Grafana turns TLS on only for ssl_mode exactly \"true\" or \"skip-verify\": this value means no TLS"
		}
		return
	}
	if c.CA == nil {
		db.stop(mode.KeySpan, "ssl_mode = "+mode.Value+" reads ca_cert_path: Grafana does not start without it")
	}
}

// gitea follows Gitea's and Forgejo's DSN builder: SSL_MODE (default
// "disable", turned into "false") is go-sql-driver's tls parameter, so
// parsers/dsn reads it as that driver does.
func (db *Database) gitea(get func(string) *Entry) {
	c := &db.Client
	db.Type = get("DB_TYPE")
	db.MySQL = db.Type != nil && db.Type.Value == "mysql"
	if !db.MySQL {
		return
	}
	if h := get("HOST"); h != nil && strings.HasPrefix(h.Value, "/") {
		c.Unix, c.Note = true, "unix socket: TLS does not apply"
	}
	mode := get("SSL_MODE")
	v, from := "disable", dsn.DriverDefault
	if mode != nil {
		v, from = mode.Value, dsn.Explicit
	}
	if v == "disable" {
		v = "false"
	}
	d, err := dsn.Parse(dsn.GoMySQL, "gitea@tcp(db)/gitea?parseTime=true&tls="+v)
	switch {
	case err != nil || d.Client.Mode == dsn.ModeUnknown && len(d.Client.Unresolved) > 0 && !unresolved(v):
		c.set(dsn.ModeUnknown, from, mode)
		db.stop(mode.ValueSpan, "SSL_MODE is passed to go-sql-driver as tls=, which takes true, false, skip-verify or preferred: with this value Gitea cannot connect")
		return
	case unresolved(v):
		c.set(dsn.ModeUnknown, from, mode)
		c.Unresolved = append(c.Unresolved, v)
		return
	}
	c.set(d.Client.Mode, from, mode)
	c.Effective = d.Client.Effective
}
