// Package dsn parses MySQL and MariaDB connection strings, one parser per
// driver dialect, into parameters with exact byte spans and a normalised
// client record (the TLS mode a driver really uses and what it verifies).
//
// Spans are offsets relative to the start of the parsed string, so a
// caller that found the string inside a file adds the string's offset.
// Password text is never stored: a password has a span and nothing else,
// and no error message quotes the input.
//
// Detect names the dialect of a string whose scheme or shape says it. A
// bare mysql:// URL does not: Prisma, Node mysql2/mysql, TypeORM,
// Sequelize, sqlx, Diesel, dj-database-url, Doctrine, MySQL Shell (and
// Rails when configured) all read one, each differently (sslcert is the CA for
// Prisma, a client certificate for sqlx). Candidates narrows them by the
// query keys only some dialects read, then by an Ecosystem hint (files the
// caller found beside or above the string: schema.prisma, package.json,
// Cargo.toml, Gemfile, requirements.txt, composer.json); ParseEach reads the string as
// each candidate, and Agree tells whether a verdict (the mode, the
// effective protection) is the same for all of them. A rule fires on such a
// string only when they agree, and names the dialects it considered.
//
// Dialect.Spell gives a mode in the driver's own spelling, and
// DSN.SetModeEdits the byte edits that make a parsed string select it,
// removing the parameters that would override it (MariaDB Connector/J's
// legacy useSsl, Connector/J's useSSL family).
package dsn

import (
	"errors"
	"slices"
	"strings"

	"github.com/tlsvet/tlsvet/internal/model"
)

// Dialect names the driver whose syntax and semantics a string follows.
type Dialect string

// The dialects this package parses.
const (
	GoMySQL             Dialect = "go-sql-driver/mysql"
	ConnectorJ          Dialect = "mysql-connector-j"
	MariaDBJ            Dialect = "mariadb-connector-j"
	SQLAlchemyPyMySQL   Dialect = "sqlalchemy+pymysql"
	SQLAlchemyMySQLdb   Dialect = "sqlalchemy+mysqldb"
	SQLAlchemyConnector Dialect = "sqlalchemy+mysqlconnector"
	SQLAlchemyOther     Dialect = "sqlalchemy" // asyncmy, aiomysql, …: parsed, mode unknown
	DotNet              Dialect = "dotnet"     // MySqlConnector; Detect returns it for any MySQL .NET string
	ConnectorNET        Dialect = "mysql-connector-net"
	MySQLShell          Dialect = "mysqlsh" // MySQL Shell and X DevAPI URIs
	Sqlx                Dialect = "sqlx"    // Rust sqlx-mysql
	Diesel              Dialect = "diesel"  // Rust Diesel (libmysqlclient)
	Prisma              Dialect = "prisma"  // Prisma's built-in MySQL engine (provider = "mysql")
	NodeMySQL2          Dialect = "mysql2"  // Node.js mysql2
	NodeMySQL           Dialect = "mysqljs" // Node.js mysql
	TypeORM             Dialect = "typeorm"
	Sequelize           Dialect = "sequelize"
	DjangoURL           Dialect = "dj-database-url" // Django with mysqlclient
	RailsMySQL2         Dialect = "rails+mysql2"    // Rails DATABASE_URL, mysql2 gem
	RailsTrilogy        Dialect = "rails+trilogy"   // Rails DATABASE_URL, trilogy gem
	PDO                 Dialect = "pdo"             // PHP PDO mysql: DSN
	ODBC                Dialect = "odbc"            // MySQL Connector/ODBC connection string
	Doctrine            Dialect = "doctrine"        // Doctrine DBAL (Symfony DATABASE_URL)
	Unknown             Dialect = ""
)

// Span is a half-open byte range [Start, End) relative to the parsed string.
type Span struct{ Start, End int }

// Text returns the bytes of s that sp covers.
func (sp Span) Text(s string) string { return s[sp.Start:sp.End] }

// Mode, Derivation and Effective are the model's (internal/model): the
// parser fills the client record in the vocabulary the rules read.
type (
	Mode       = model.Mode
	Derivation = model.Derivation
	Effective  = model.Behaviour
)

// The modes; ModeUnknown means the string alone cannot tell (a registered
// Go TLS config, an unresolved ${VAR}, a driver-version-dependent default).
const (
	ModeUnknown    = model.ModeUnknown
	Disabled       = model.ModeDisabled
	Preferred      = model.ModePreferred
	Required       = model.ModeRequired
	VerifyCA       = model.ModeVerifyCA
	VerifyIdentity = model.ModeVerifyIdentity
)

// The derivations.
const (
	Explicit      = model.Explicit      // the driver's own mode parameter
	DriverDefault = model.DriverDefault // nothing said; the driver's default applies
	Derived       = model.Derived       // computed from other parameters (a CA, a verify flag)
	LegacyAlias   = model.LegacyAlias   // a deprecated parameter the driver translates
)

// effectiveOf is the plain reading of a mode; dialects adjust it where
// their driver differs.
func effectiveOf(m Mode) Effective { return model.BehaviourOf(m) }

// Param is one key=value parameter as the driver reads it.
type Param struct {
	Key       string // as written, decoded the way the driver decodes keys
	Value     string // decoded; always empty when Secret
	KeySpan   Span
	ValueSpan Span // the raw (still encoded) value bytes
	// raw is the parameter's bytes; cut adds the separator a removal
	// takes along (set by layout).
	raw, cut Span
	Known    bool // the driver recognises Key exactly as written
	Secret   bool // a password: only the span is kept
	// offsets maps each byte of a Value shorter than its raw text
	// (percent escapes, doubled quotes, parentheses) to its source offset.
	offsets []int
}

// ValueOffset returns the offset in the parsed string of byte i of the
// decoded Value (i == len(Value) gives the end of the value), so that a
// position found in a decoded value points at the right source bytes.
func (p *Param) ValueOffset(i int) int {
	if p.offsets == nil {
		return min(p.ValueSpan.Start+i, p.ValueSpan.End)
	}
	if i >= len(p.offsets) {
		return p.ValueSpan.End
	}
	return p.offsets[i]
}

// setValue stores the decoded value of p, whose raw text is raw, and maps
// its bytes back when decoding shortened it: each decoded byte comes from
// a %XX escape, a '+' (a space), or the same byte; raw bytes that match
// none were dropped by the decoding (a doubled quote's first half, a
// parenthesis).
func (p *Param) setValue(raw, dec string) {
	p.Value = dec
	if len(dec) == len(raw) {
		return
	}
	p.offsets = make([]int, len(dec))
	j := 0
	for k := 0; k < len(dec) && j < len(raw); {
		switch {
		case raw[j] == '%' && j+2 < len(raw) && unhex(raw[j+1]) >= 0 && unhex(raw[j+2]) >= 0 &&
			byte(unhex(raw[j+1])<<4|unhex(raw[j+2])) == dec[k]:
			p.offsets[k] = p.ValueSpan.Start + j
			j, k = j+3, k+1
		case raw[j] == dec[k] || raw[j] == '+' && dec[k] == ' ':
			p.offsets[k] = p.ValueSpan.Start + j
			j, k = j+1, k+1
		default:
			j++
		}
	}
}

// Value is a setting's value and the span of its raw text.
type Value struct {
	Text  string
	Span  Span
	Param int // index into DSN.Params
}

// Transport is how the client reaches the server.
type Transport int

// The transports; TLS does not apply to a Unix socket or named pipe.
const (
	TCP Transport = iota
	Unix
	Pipe
)

// Target is the server the string points at.
type Target struct {
	Host, Port         string
	HostSpan, PortSpan Span
	Transport          Transport
}

// TrapKind classifies a parameter that looks like TLS but is not what the
// writer meant, and Effect is what the driver does with it: the model's.
type (
	TrapKind = model.TrapKind
	Effect   = model.Effect
)

// The trap kinds and effects, as the model names them.
const (
	WrongCase       = model.WrongCase
	ForeignParam    = model.ForeignParam
	StringTruthy    = model.StringTruthy
	Unused          = model.UnusedCA
	LegacyOverrides = model.LegacyOverrides
	BadValue        = model.BadValue
	Dropped         = model.Dropped

	Ignored         = model.Ignored
	Rejected        = model.Rejected
	SessionVariable = model.SessionVariable
	Misread         = model.Misread
)

// Trap is a parameter whose effect differs from what it seems to say.
type Trap struct {
	Kind   TrapKind
	Effect Effect
	Param  int // index into DSN.Params
	// Want is what the writer should have written, when there is one: the
	// driver's own key (WrongCase, ForeignParam; for Dropped, where the
	// setting belongs), a value the driver accepts (BadValue), or the
	// key=value that would make the parameter count (Unused).
	Want string
}

// Client is the normalised client record.
type Client struct {
	Mode                  Mode
	From                  Derivation
	ModeParam             int // index into DSN.Params of the deciding parameter, -1 if none
	Effective             Effective
	CA, CAPath, Cert, Key *Value
	Protocols, Ciphers    *Value
	// Unresolved names pieces the string alone cannot resolve: "${VAR}"
	// references and "tls=<name>" Go registered configurations.
	Unresolved []string
	Note       string // a qualification of the mode (driver version, ignored CA)
}

// DSN is a parsed connection string.
type DSN struct {
	Dialect     Dialect
	Params      []Param
	User        *Value
	Password    Span // empty when HasPassword is false
	HasPassword bool
	Target      Target
	Client      Client
	// Legacy is Connector/J 5.1's reading, given when it differs from
	// 8.x/9.x: the same string verifies in 5.1 and does not in 8.x.
	Legacy *Client
	Traps  []Trap
	// ins is where a new parameter goes and what must precede it.
	ins struct {
		at     int
		prefix string
	}
}

// ErrSyntax is returned for a string the dialect's driver would reject.
// It never quotes the input, which may hold a password.
var ErrSyntax = errors.New("dsn: malformed connection string")

// maxParams bounds the parameters of one string: no driver configuration
// has thousands, and a hostile 10 MB line of separators would otherwise
// cost a record per byte pair.
const maxParams = 4096

// tooManyParams reports a string with more separators than maxParams.
func tooManyParams(s string) bool {
	return strings.Count(s, "&")+strings.Count(s, ";") > maxParams
}

// Parse parses s as dialect d. A string of more than maxParams parameters
// is rejected with ErrSyntax.
func Parse(d Dialect, s string) (*DSN, error) {
	if tooManyParams(s) {
		return nil, ErrSyntax
	}
	switch d {
	case GoMySQL:
		return parseGo(s)
	case ConnectorJ:
		return parseConnectorJ(s)
	case MariaDBJ:
		return parseMariaDB(s)
	case SQLAlchemyPyMySQL, SQLAlchemyMySQLdb, SQLAlchemyConnector, SQLAlchemyOther:
		return parseSQLAlchemy(s)
	case DotNet:
		return parseDotNet(s)
	case MySQLShell:
		return parseShell(s)
	case Sqlx:
		return parseSqlx(s)
	case Prisma:
		return parsePrisma(s)
	case NodeMySQL2, NodeMySQL:
		return parseNode(d, s)
	case TypeORM, Sequelize:
		return parseORM(d, s)
	case PDO:
		return parsePDO(s)
	case RailsMySQL2, RailsTrilogy:
		return parseRails(d, s)
	case DjangoURL:
		return parseDjango(s)
	case Diesel:
		return parseDiesel(s)
	case ODBC:
		return parseODBC(s)
	case ConnectorNET:
		return parseConnectorNET(s)
	case Doctrine:
		return parseDoctrine(s)
	}
	return nil, errors.New("dsn: unknown dialect")
}

// find returns the index of the last parameter whose key is exactly one
// of keys, or -1; drivers that read a map keep the last occurrence.
func (d *DSN) find(keys ...string) int {
	for i := len(d.Params) - 1; i >= 0; i-- {
		if slices.Contains(keys, d.Params[i].Key) {
			return i
		}
	}
	return -1
}

// findFold is find for drivers with case-insensitive keys.
func (d *DSN) findFold(keys ...string) int {
	for i := len(d.Params) - 1; i >= 0; i-- {
		for _, k := range keys {
			if strings.EqualFold(d.Params[i].Key, k) {
				return i
			}
		}
	}
	return -1
}

// value makes a Value from parameter i, or nil when i < 0.
func (d *DSN) value(i int) *Value {
	if i < 0 {
		return nil
	}
	p := &d.Params[i]
	return &Value{Text: p.Value, Span: p.ValueSpan, Param: i}
}

// setMode fills the record from a mode.
func (d *DSN) setMode(m Mode, from Derivation, param int) {
	d.Client.Mode, d.Client.From, d.Client.ModeParam = m, from, param
	d.Client.Effective = effectiveOf(m)
}

// unresolved reports whether parameter i holds a ${VAR} reference; a mode
// decided by such a value is unknown.
func (d *DSN) unresolved(i int) bool {
	return i >= 0 && strings.Contains(d.Params[i].Value, "${")
}

// noteUnresolved records every ${VAR} value (secrets have none: their
// value is never kept).
func (d *DSN) noteUnresolved() {
	for i := range d.Params {
		if d.unresolved(i) {
			d.Client.Unresolved = append(d.Client.Unresolved, d.Params[i].Value)
		}
	}
}

// trap records a trap.
func (d *DSN) trap(k TrapKind, e Effect, param int, want string) {
	d.Traps = append(d.Traps, Trap{Kind: k, Effect: e, Param: param, Want: want})
}

// isSecretKey reports whether a parameter named k holds a password: every
// dialect's password keys contain one of these words.
func isSecretKey(k string) bool {
	k = strings.ToLower(k)
	return strings.Contains(k, "password") || strings.Contains(k, "pwd") || strings.Contains(k, "passphrase")
}

// Detect returns the dialect of s judged from its scheme or shape, or
// Unknown. PostgreSQL, SQL Server and Redis strings are never ours.
func Detect(s string) Dialect {
	if tooManyParams(s) {
		return Unknown
	}
	t := strings.TrimSpace(s)
	lower := strings.ToLower(t)
	switch {
	case strings.HasPrefix(lower, "jdbc:mysql:"):
		return ConnectorJ
	case strings.HasPrefix(lower, "jdbc:mariadb:"):
		return MariaDBJ
	case strings.HasPrefix(lower, "jdbc:"), strings.HasPrefix(lower, "postgres"),
		strings.HasPrefix(lower, "redis"), strings.HasPrefix(lower, "sqlserver:"), strings.HasPrefix(lower, "mssql"):
		return Unknown
	}
	if rest, ok := strings.CutPrefix(t, "mysql:"); ok && isPDO(rest) {
		return PDO
	}
	if scheme, _, ok := strings.Cut(lower, "://"); ok {
		switch scheme {
		case "mysqlx":
			return MySQLShell // a bare mysql:// is shared by many dialects: see Candidates
		case "mysql2":
			return RailsMySQL2 // the Rails adapter name (dj-database-url reads it too)
		case "trilogy":
			return RailsTrilogy
		case "mysqli", "pdo-mysql":
			return Doctrine
		}
		// SQLAlchemy: "mysql+driver" or "mariadb+driver" (dialect names are
		// lower case, https://docs.sqlalchemy.org/en/20/core/engines.html#database-urls).
		base, driver, plus := strings.Cut(scheme, "+")
		if plus && (base == "mysql" || base == "mariadb") {
			switch driver {
			case "pymysql":
				return SQLAlchemyPyMySQL
			case "mysqldb":
				return SQLAlchemyMySQLdb
			case "mysqlconnector":
				return SQLAlchemyConnector
			case "asyncmy", "aiomysql", "mariadbconnector", "cymysql", "pyodbc":
				return SQLAlchemyOther
			}
		}
		return Unknown
	}
	if isGoDSN(t) {
		return GoMySQL
	}
	if isODBC(t) {
		return ODBC
	}
	if isDotNet(t) {
		return DotNet
	}
	return Unknown
}

// markKeys sets Known on the parameters whose key is one of known, matched
// exactly or, with fold, ignoring case. Any other key that differs from a
// known one only in case, or that looks like another driver's TLS
// parameter, is a trap with the effect the driver gives unknown keys.
func (d *DSN) markKeys(known []string, fold bool, effect Effect) {
	lower := make(map[string]string, len(known))
	for _, k := range known {
		lower[strings.ToLower(k)] = k
	}
	for i := range d.Params {
		p := &d.Params[i]
		want := lower[strings.ToLower(p.Key)]
		p.Known = want != "" && (want == p.Key || fold)
		switch {
		case p.Known:
		case want != "" && looksTLS(want):
			d.trap(WrongCase, effect, i, want)
		case looksTLS(p.Key):
			d.trap(ForeignParam, effect, i, d.Dialect.wantFor(p.Key))
		}
	}
}

// looksTLS reports a key that names TLS in some driver's spelling.
func looksTLS(k string) bool {
	l := strings.ToLower(k)
	return strings.Contains(l, "ssl") || strings.Contains(l, "tls")
}

// wantFor is the dialect's own key for what a foreign TLS key k means: its
// mode parameter, its CA parameter, or "" when k is neither.
func (d Dialect) wantFor(k string) string {
	l := strings.ToLower(k)
	sp := spellings[d]
	switch {
	case strings.Contains(l, "mode") || strings.Contains(l, "verify") || strings.Contains(l, "require") ||
		strings.Contains(l, "accept") || l == "ssl" || l == "tls" || l == "usessl":
		return sp.key
	case strings.Contains(l, "ca") || strings.Contains(l, "rootcert"):
		return sp.ca
	}
	return ""
}
