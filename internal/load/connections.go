package load

import (
	"strings"

	"github.com/tlsvet/tlsvet/internal/model"
	"github.com/tlsvet/tlsvet/internal/source"
	"github.com/tlsvet/tlsvet/parsers/connstr"
	"github.com/tlsvet/tlsvet/parsers/dsn"
)

// Connection strings: the strings parsers/connstr finds in a file, parsed
// by parsers/dsn as their driver reads them, become model.Connections
// whose settings spell edits in the driver's syntax inside the file's own
// quoting.

// drivers names each dialect's driver for messages.
var drivers = map[dsn.Dialect]string{
	dsn.GoMySQL:             "go-sql-driver/mysql",
	dsn.ConnectorJ:          "MySQL Connector/J",
	dsn.MariaDBJ:            "MariaDB Connector/J",
	dsn.SQLAlchemyPyMySQL:   "SQLAlchemy with PyMySQL",
	dsn.SQLAlchemyMySQLdb:   "SQLAlchemy with mysqlclient",
	dsn.SQLAlchemyConnector: "SQLAlchemy with mysql-connector-python",
	dsn.SQLAlchemyOther:     "SQLAlchemy",
	dsn.DotNet:              "MySqlConnector (.NET)",
	dsn.ConnectorNET:        "MySQL Connector/NET",
	dsn.MySQLShell:          "MySQL Shell",
	dsn.Sqlx:                "sqlx",
	dsn.Diesel:              "Diesel",
	dsn.Prisma:              "Prisma",
	dsn.NodeMySQL2:          "mysql2 (Node.js)",
	dsn.NodeMySQL:           "mysql (Node.js)",
	dsn.TypeORM:             "TypeORM",
	dsn.Sequelize:           "Sequelize",
	dsn.DjangoURL:           "dj-database-url",
	dsn.RailsMySQL2:         "Rails with mysql2",
	dsn.RailsTrilogy:        "Rails with Trilogy",
	dsn.PDO:                 "PHP PDO",
	dsn.ODBC:                "MySQL Connector/ODBC",
	dsn.Doctrine:            "Doctrine DBAL",
}

// noSystemStore are the dialects whose driver verifies only against a CA
// it is given: libmysqlclient's VERIFY_CA and VERIFY_IDENTITY fail without
// ssl-ca or ssl-capath (https://dev.mysql.com/doc/refman/8.4/en/connection-options.html#option_general_ssl-mode).
// Every other driver falls back on a trust store of the platform.
var noSystemStore = map[dsn.Dialect]bool{dsn.MySQLShell: true, dsn.ODBC: true}

// connection builds the record of string s of a file, or returns a problem
// message when its driver would reject it. emptyWhenUnset says the file's
// program substitutes an empty string for an unset variable (compose).
func connection(s *connstr.String, d dsn.Dialect, emptyWhenUnset bool) (*model.Connection, string) {
	parsed, err := dsn.Parse(d, s.Value)
	if err != nil {
		return nil, "the " + drivers[d] + " connection string cannot be parsed: the driver rejects it"
	}
	c := &model.Connection{
		Driver:      drivers[d],
		Dialect:     string(d),
		Span:        s.Span,
		Where:       s.Key,
		Host:        parsed.Target.Host,
		Port:        parsed.Target.Port,
		User:        userOf(parsed),
		SystemStore: !noSystemStore[d],
		Unresolved:  unresolved(s, parsed),
		Note:        parsed.Client.Note,
	}
	if c.Driver == "" {
		c.Driver = string(d)
	}
	switch parsed.Target.Transport {
	case dsn.Unix:
		c.Transport = model.Socket
	case dsn.Pipe:
		c.Transport = model.Pipe
	}
	c.Settings = make([]*model.Setting, len(parsed.Params))
	for i := range parsed.Params {
		c.Settings[i] = paramSetting(s, parsed, i, c.Driver)
	}
	at := func(v *dsn.Value) *model.Setting {
		if v == nil || v.Param < 0 || v.Param >= len(c.Settings) {
			return nil
		}
		return c.Settings[v.Param]
	}
	cl := parsed.Client
	c.Mode = cl.Mode
	c.From = cl.From
	if cl.ModeParam >= 0 && cl.ModeParam < len(c.Settings) {
		c.By = c.Settings[cl.ModeParam]
	}
	c.Behaviour = cl.Effective
	c.CA, c.CADir = caOf(at(cl.CA), at(cl.CAPath))
	c.Cert, c.Key = at(cl.Cert), at(cl.Key)
	c.Protocols, c.Ciphers = at(cl.Protocols), at(cl.Ciphers)
	for _, t := range parsed.Traps {
		if t.Param < 0 || t.Param >= len(c.Settings) {
			continue
		}
		c.Traps = append(c.Traps, model.Trap{Setting: c.Settings[t.Param], Kind: t.Kind, Effect: t.Effect, Want: t.Want})
	}
	if emptyWhenUnset && c.Mode == model.ModeUnknown && s.Unset != s.Value {
		c.IfUnset = unsetReading(s.Unset, d, parsed, c.Settings)
	}
	c.SetMode = func(m model.Mode) (string, []source.Edit, bool) {
		me, ok := parsed.SetModeEdits(m)
		if !ok {
			return "", nil, false
		}
		text := me.Key + "=" + me.Value
		var edits []source.Edit
		for _, e := range me.Edits {
			sp, exact := s.SpanOf(e.Span.Start, e.Span.End)
			quoted, ok := s.Container.Quote(e.Text)
			if !exact || !ok {
				return text, nil, false
			}
			edits = append(edits, source.Edit{Span: sp, New: quoted})
		}
		return text, edits, true
	}
	return c, ""
}

// caOf is a connection's CA: its CA file, else its CA directory (dir).
func caOf(file, dir *model.Setting) (ca *model.Setting, isDir bool) {
	if file != nil {
		return file, false
	}
	return dir, dir != nil
}

// paramSetting is parameter i of parsed, found in s, as a setting.
func paramSetting(s *connstr.String, parsed *dsn.DSN, i int, driver string) *model.Setting {
	p := &parsed.Params[i]
	key, _ := s.SpanOf(p.KeySpan.Start, p.KeySpan.End)
	val, _ := s.ParamSpan(p, 0, len(p.Value))
	if p.Secret {
		val, _ = s.SpanOf(p.ValueSpan.Start, p.ValueSpan.End)
	}
	return &model.Setting{
		Origin:    &paramOrigin{s: s, p: p, cut: p.Cut(), syntax: driver + " connection string", sep: separatorOf(parsed.Dialect)},
		Key:       p.Key,
		Name:      strings.ToLower(p.Key),
		HasValue:  true,
		Value:     p.Value,
		KeySpan:   key,
		ValueSpan: val,
	}
}

// separatorOf is the byte between a dialect's parameters.
func separatorOf(d dsn.Dialect) byte {
	switch d {
	case dsn.DotNet, dsn.ConnectorNET, dsn.ODBC, dsn.PDO:
		return ';'
	}
	return '&'
}

// paramOrigin is the origin of one connection-string parameter: its value
// maps to the file through the string's encoding (percent escapes) and
// its container's (quotes, escapes).
type paramOrigin struct {
	s      *connstr.String
	p      *dsn.Param
	cut    dsn.Span
	syntax string
	sep    byte
}

// maxMapped bounds the values whose inner positions are mapped: each
// lookup composes two maps, and a hostile value with thousands of list
// items would make that quadratic. Longer values are edited as a whole.
const maxMapped = 4096

// Syntax implements model.Origin.
func (o *paramOrigin) Syntax() string { return o.syntax }

// Offset implements model.Origin.
func (o *paramOrigin) Offset(set *model.Setting, i int) (int, bool) {
	if o.p.Secret || len(o.p.Value) > maxMapped && i != 0 && i != len(o.p.Value) {
		return set.ValueSpan.Start, false
	}
	sp, exact := o.s.ParamSpan(o.p, 0, i)
	return sp.End, exact
}

// Spell implements model.Origin: the value encoded as the driver decodes
// it, then quoted as the container needs.
func (o *paramOrigin) Spell(set *model.Setting, v string) (string, bool) {
	if _, exact := o.s.ParamSpan(o.p, 0, len(o.p.Value)); !exact || o.p.Secret {
		return "", false
	}
	enc, ok := encodeParam(v, o.sep)
	if !ok {
		return "", false
	}
	return o.s.Container.Quote(enc)
}

// Removal implements model.Origin: the parameter with one separator.
func (o *paramOrigin) Removal(*model.Setting) (source.Span, bool) {
	if o.cut.End <= o.cut.Start {
		return source.Span{}, false
	}
	return o.s.SpanOf(o.cut.Start, o.cut.End)
}

// encodeParam writes v as a parameter value: URL dialects percent-encode
// what their query syntax reserves; ';'-separated dialects cannot hold a
// separator or a quote unquoted, so such a value is not spelled.
func encodeParam(v string, sep byte) (string, bool) {
	if sep == ';' {
		if strings.ContainsAny(v, ";'\"{}=") {
			return "", false
		}
		return v, true
	}
	var b strings.Builder
	for i := 0; i < len(v); i++ {
		c := v[i]
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9', strings.IndexByte("-._~,:/[]", c) >= 0:
			b.WriteByte(c)
		default:
			b.WriteString("%" + strings.ToUpper(string("0123456789abcdef"[c>>4])+string("0123456789abcdef"[c&15])))
		}
	}
	return b.String(), true
}

// candidates are the dialects string s may be read as: its own, or for a
// bare mysql:// URL the drivers that read one, narrowed by parameter names
// one dialect alone uses and by the project's ecosystem hints.
func candidates(s *connstr.String, eco dsn.Ecosystem) []dsn.Dialect {
	if !s.Generic && s.Dialect != dsn.Unknown {
		return []dsn.Dialect{s.Dialect}
	}
	return dsn.Candidates(s.Value, eco)
}

// shared is the record of a URL several dialects may read: what they all
// agree on. A mode they read differently is unknown, so that only a rule
// whose verdict holds for every candidate fires; the record names them.
// Their edits differ, so it offers none.
func shared(s *connstr.String, ds []dsn.Dialect) *model.Connection {
	var c *model.Connection
	var names []string
	parsed := dsn.ParseEach(s.Value, ds)
	if len(parsed) == 0 {
		return nil
	}
	for _, p := range parsed {
		names = append(names, drivers[p.Dialect])
	}
	c, _ = connection(s, parsed[0].Dialect, false)
	if c == nil {
		return nil
	}
	c.Driver = "the MySQL URL"
	c.Dialect = "mysql-url"
	c.Candidates = names
	c.SetMode = nil
	mode, sameMode := dsn.Agree(parsed, func(d *dsn.DSN) dsn.Mode { return d.Client.Mode })
	eff, sameEff := dsn.Agree(parsed, func(d *dsn.DSN) dsn.Effective { return d.Client.Effective })
	by, sameBy := dsn.Agree(parsed, func(d *dsn.DSN) int { return d.Client.ModeParam })
	if !sameMode || !sameEff || !sameBy || mode != c.Mode || eff != c.Behaviour || by != modeParam(parsed[0]) {
		c.Mode, c.Behaviour, c.By = model.ModeUnknown, model.Behaviour{}, nil
	}
	if ca, same := dsn.Agree(parsed, func(d *dsn.DSN) int { return valueParam(d.Client.CA) }); !same || ca < 0 {
		c.CA, c.CADir = nil, false
	}
	// A trap counts when every candidate sees it on the same parameter.
	var traps []model.Trap
	for _, t := range c.Traps {
		all := true
		for _, p := range parsed[1:] {
			if !hasTrap(p, t.Setting.Key, t.Kind) {
				all = false
			}
		}
		if all {
			t.Want = ""
			traps = append(traps, t)
		}
	}
	c.Traps = traps
	return c
}

// modeParam is the index of d's deciding parameter.
func modeParam(d *dsn.DSN) int { return d.Client.ModeParam }

// valueParam is the parameter index of v, or -1.
func valueParam(v *dsn.Value) int {
	if v == nil {
		return -1
	}
	return v.Param
}

// hasTrap reports whether d has a trap of kind k on a parameter named key.
func hasTrap(d *dsn.DSN, key string, k model.TrapKind) bool {
	for _, t := range d.Traps {
		if t.Param >= 0 && t.Param < len(d.Params) && d.Params[t.Param].Key == key && t.Kind == k {
			return true
		}
	}
	return false
}

// unsetReading reads text, the string with its unknown variables empty,
// as dialect d, and returns its client record when it decides a mode by
// the same parameter as parsed does (so that the setting, with its
// origin, is the one written in the file).
func unsetReading(text string, d dsn.Dialect, parsed *dsn.DSN, settings []*model.Setting) *model.ClientTLS {
	u, err := dsn.Parse(d, text)
	if err != nil || len(u.Params) != len(parsed.Params) || u.Client.Mode == dsn.ModeUnknown {
		return nil
	}
	i := u.Client.ModeParam
	if i < 0 || i >= len(settings) || u.Params[i].Key != parsed.Params[i].Key {
		return nil
	}
	return &model.ClientTLS{Mode: u.Client.Mode, From: u.Client.From, By: settings[i], Behaviour: u.Client.Effective}
}

// unresolved names what the repository cannot tell about s: its unknown
// variables as ${NAME}, and the parser's other unresolved pieces (a Go
// registered TLS configuration's name).
func unresolved(s *connstr.String, parsed *dsn.DSN) []string {
	var out []string
	for _, n := range s.Unknown {
		out = append(out, "${"+n+"}")
	}
	for _, u := range parsed.Client.Unresolved {
		if !strings.Contains(u, "${") {
			out = append(out, u)
		}
	}
	return out
}

// userOf is the account a connection string logs in as, "" when it names
// none or a variable decides it.
func userOf(d *dsn.DSN) string {
	if d.User == nil || strings.Contains(d.User.Text, "${") {
		return ""
	}
	return d.User.Text
}
