package dsn

import (
	"path/filepath"
	"slices"
	"strings"
)

// Ecosystem is a hint about the project a string was found in, given by
// files the caller finds beside or above it (EcosystemOf names them). A set
// of hints is their bitwise or.
type Ecosystem uint8

// The ecosystems that choose among the dialects of a bare mysql:// URL.
const (
	EcoNode   Ecosystem = 1 << iota // package.json
	EcoPrisma                       // schema.prisma
	EcoRust                         // Cargo.toml
	EcoRuby                         // Gemfile
	EcoPython                       // requirements.txt, pyproject.toml, Pipfile, setup.py
	EcoPHP                          // composer.json
)

// EcosystemOf returns the hint a file named name (a path or base name)
// gives, or 0.
func EcosystemOf(name string) Ecosystem {
	switch filepath.Base(name) {
	case "package.json":
		return EcoNode
	case "schema.prisma":
		return EcoPrisma
	case "Cargo.toml":
		return EcoRust
	case "Gemfile":
		return EcoRuby
	case "requirements.txt", "pyproject.toml", "Pipfile", "setup.py":
		return EcoPython
	case "composer.json":
		return EcoPHP
	}
	return 0
}

var ecosystems = map[Dialect]Ecosystem{
	Prisma: EcoPrisma | EcoNode, NodeMySQL2: EcoNode, NodeMySQL: EcoNode, TypeORM: EcoNode, Sequelize: EcoNode,
	Sqlx: EcoRust, Diesel: EcoRust, DjangoURL: EcoPython, RailsMySQL2: EcoRuby, RailsTrilogy: EcoRuby,
	Doctrine: EcoPHP,
}

// urlDialects read a bare mysql:// URL. Rails reads one only when
// config.active_record.protocol_adapters maps mysql to an adapter, so it is
// a candidate only in a Ruby project.
var urlDialects = []Dialect{Prisma, NodeMySQL2, NodeMySQL, TypeORM, Sequelize, Sqlx, Diesel, DjangoURL, Doctrine, MySQLShell}

// urlKeyReaders says which dialects read a query key, spelt exactly. A key
// read by one dialect only decides; PostgreSQL's sslmode, pasted into URLs
// of every kind, is no evidence.
var urlKeyReaders = map[string][]Dialect{
	"sslaccept": {Prisma}, "sslidentity": {Prisma}, "sslpassword": {Prisma}, "connection_limit": {Prisma},
	"pool_timeout": {Prisma}, "socket_timeout": {Prisma}, "statement_cache_size": {Prisma},
	"sslcert":    {Prisma, Sqlx, RailsMySQL2},
	"ssl":        {NodeMySQL2, NodeMySQL, TypeORM, Sequelize},
	"socketPath": {NodeMySQL2, NodeMySQL, TypeORM, Sequelize},
	"ssl-mode":   {Sqlx, MySQLShell}, "ssl-cert": {Sqlx, MySQLShell}, "ssl-key": {Sqlx, MySQLShell},
	"ssl-ca": {Sqlx, MySQLShell, DjangoURL}, "sslca": {Sqlx, RailsMySQL2}, "sslkey": {Sqlx, RailsMySQL2},
	"statement-cache-capacity": {Sqlx},
	"ssl-capath":               {MySQLShell}, "ssl-crl": {MySQLShell}, "ssl-crlpath": {MySQLShell}, "ssl-cipher": {MySQLShell},
	"tls-version": {MySQLShell}, "tls-versions": {MySQLShell}, "tls-ciphersuites": {MySQLShell},
	"tls-ciphers": {MySQLShell}, "auth-method": {MySQLShell},
	"ssl_mode": {Diesel, DjangoURL, RailsMySQL2, RailsTrilogy},
	"ssl_ca":   {Diesel, RailsTrilogy}, "ssl_cert": {Diesel, RailsTrilogy}, "ssl_key": {Diesel, RailsTrilogy},
	"unix_socket": {Diesel, DjangoURL},
	"sslverify":   {RailsMySQL2}, "sslcapath": {RailsMySQL2},
	"socket":        {Prisma, Sqlx, RailsMySQL2, RailsTrilogy},
	"serverVersion": {Doctrine},
}

// Candidates returns the dialects that may read s. A string whose scheme
// or shape names its driver gives that one dialect (a .NET string both
// .NET drivers; mysql2:// Rails, dj-database-url and Doctrine). A bare mysql:// URL
// gives the dialects that read it, narrowed first by its query keys (each
// key keeps the dialects that read it, most specific key first, unless
// none would be left) and then by the ecosystem hint (unless none would be
// left). nil means s is no MySQL string this package knows (or has more
// than maxParams parameters).
func Candidates(s string, eco Ecosystem) []Dialect {
	if tooManyParams(s) {
		return nil
	}
	switch d := Detect(s); d {
	case Unknown:
	case DotNet:
		return []Dialect{DotNet, ConnectorNET}
	case RailsMySQL2:
		return byEcosystem([]Dialect{RailsMySQL2, DjangoURL, Doctrine}, eco)
	default:
		return []Dialect{d}
	}
	t := strings.TrimSpace(s)
	scheme, _, ok := strings.Cut(t, "://")
	if !ok || !strings.EqualFold(scheme, "mysql") {
		return nil
	}
	cands := slices.Clone(urlDialects)
	if eco&EcoRuby != 0 {
		cands = append(cands, RailsMySQL2, RailsTrilogy)
	}
	var keys []string
	if u := splitURL(t, len(scheme)+3); u.hasQuery {
		for _, p := range splitQuery(t, u.query.Start, u.query.End, '&', rawText, true) {
			if _, ok := urlKeyReaders[p.Key]; ok && !slices.Contains(keys, p.Key) {
				keys = append(keys, p.Key)
			}
		}
	}
	slices.SortFunc(keys, func(a, b string) int {
		if n := len(urlKeyReaders[a]) - len(urlKeyReaders[b]); n != 0 {
			return n
		}
		return strings.Compare(a, b)
	})
	for _, k := range keys {
		if kept := slices.DeleteFunc(slices.Clone(cands), func(d Dialect) bool {
			return !slices.Contains(urlKeyReaders[k], d)
		}); len(kept) > 0 {
			cands = kept
		}
	}
	return byEcosystem(cands, eco)
}

// byEcosystem keeps the dialects of the hinted ecosystems, or all when
// none is hinted or none would be left.
func byEcosystem(ds []Dialect, eco Ecosystem) []Dialect {
	kept := slices.DeleteFunc(slices.Clone(ds), func(d Dialect) bool { return ecosystems[d]&eco == 0 })
	if len(kept) == 0 {
		return ds
	}
	return kept
}

// ParseEach parses s as each of ds and returns the readings of the drivers
// that accept it; a dialect whose syntax s breaks is left out.
func ParseEach(s string, ds []Dialect) []*DSN {
	var rs []*DSN
	for _, d := range ds {
		if r, err := Parse(d, s); err == nil {
			rs = append(rs, r)
		}
	}
	return rs
}

// Agree returns the verdict every reading gives (a mode, an Effective) and
// true, or false when the readings differ or there are none: a rule fires
// on a string of several candidate dialects only when they agree, and names
// the dialects it considered.
func Agree[V comparable](rs []*DSN, verdict func(*DSN) V) (V, bool) {
	var zero V
	if len(rs) == 0 {
		return zero, false
	}
	v := verdict(rs[0])
	for _, r := range rs[1:] {
		if verdict(r) != v {
			return zero, false
		}
	}
	return v, true
}
