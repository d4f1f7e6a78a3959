package dsn

import (
	"slices"
	"testing"
)

func TestCandidates(t *testing.T) {
	all := []Dialect{Prisma, NodeMySQL2, NodeMySQL, TypeORM, Sequelize, Sqlx, Diesel, DjangoURL, Doctrine, MySQLShell}
	for _, c := range []struct {
		in   string
		eco  Ecosystem
		want []Dialect
	}{
		{"mysql://app:pw@db/shop?sslaccept=strict", 0, []Dialect{Prisma}},
		{"mysql://app:pw@db/shop?sslaccept=strict", EcoRust, []Dialect{Prisma}}, // the keys outrank the hint
		{"mysql://app:pw@db/shop?ssl-mode=VERIFY_IDENTITY", 0, []Dialect{Sqlx, MySQLShell}},
		{"mysql://app:pw@db/shop?ssl-mode=VERIFY_IDENTITY", EcoRust, []Dialect{Sqlx}},
		{"mysql://app:pw@db/shop?ssl_mode=VERIFY_IDENTITY", 0, []Dialect{Diesel, DjangoURL}},
		{"mysql://app:pw@db/shop?ssl_mode=VERIFY_IDENTITY", EcoRuby, []Dialect{RailsMySQL2, RailsTrilogy}},
		{"mysql://app:pw@db/shop?ssl_mode=VERIFY_IDENTITY", EcoPython, []Dialect{DjangoURL}},
		{"mysql://app:pw@db/shop?ssl-ca=/ca.pem", EcoPython, []Dialect{DjangoURL}},
		{`mysql://app@db/shop?ssl={"ca":"/ca.pem"}`, 0, []Dialect{NodeMySQL2, NodeMySQL, TypeORM, Sequelize}},
		// Contradicting keys: the most specific one decides.
		{"mysql://db/shop?ssl-mode=REQUIRED&sslaccept=strict", 0, []Dialect{Prisma}},
		// PostgreSQL's sslmode is no evidence.
		{"mysql://db/shop?sslmode=require", EcoNode, []Dialect{Prisma, NodeMySQL2, NodeMySQL, TypeORM, Sequelize}},
		{"mysql://app:pw@db/shop", EcoPrisma, []Dialect{Prisma}},
		{"mysql://app:pw@db/shop", 0, all},
		{"MYSQL://app:pw@db/shop", EcoPrisma | EcoRust, []Dialect{Prisma, Sqlx, Diesel}},
		{"Server=db;SslMode=Required", 0, []Dialect{DotNet, ConnectorNET}},
		{"mysql2://app:pw@db/shop", 0, []Dialect{RailsMySQL2, DjangoURL, Doctrine}},
		{"mysql://app:pw@db/shop?serverVersion=8.0.32&charset=utf8mb4", 0, []Dialect{Doctrine}},
		{"mysql://app:pw@db/shop", EcoPHP, []Dialect{Doctrine}},
		{"mysql2://app:pw@db/shop", EcoPython, []Dialect{DjangoURL}},
		{"jdbc:mysql://db/shop", EcoNode, []Dialect{ConnectorJ}},
		{"postgres://db/shop?sslmode=require", 0, nil},
		{"mariadb://db/shop", 0, nil},
	} {
		if got := Candidates(c.in, c.eco); !slices.Equal(got, c.want) {
			t.Errorf("Candidates(%q, %b) = %v, want %v", c.in, c.eco, got, c.want)
		}
	}
}

func TestEcosystemOf(t *testing.T) {
	for name, want := range map[string]Ecosystem{
		"package.json": EcoNode, "app/prisma/schema.prisma": EcoPrisma, "Cargo.toml": EcoRust, "Gemfile": EcoRuby,
		"requirements.txt": EcoPython, "pyproject.toml": EcoPython, "Gemfile.lock": 0, "composer.json": EcoPHP, "go.mod": 0,
	} {
		if got := EcosystemOf(name); got != want {
			t.Errorf("EcosystemOf(%q) = %b, want %b", name, got, want)
		}
	}
}

func TestAgree(t *testing.T) {
	mode := func(d *DSN) Mode { return d.Client.Mode }
	for _, c := range []struct {
		in    string
		eco   Ecosystem
		n     int // readings
		mode  Mode
		agree bool
	}{
		// sqlx and the Shell read ssl-mode alike.
		{"mysql://app:pw@db/shop?ssl-mode=VERIFY_IDENTITY", 0, 2, VerifyIdentity, true},
		// Diesel lower-cases the value, mysqlclient (dj-database-url) rejects it.
		{"mysql://app:pw@db/shop?ssl_mode=verify_identity", 0, 2, ModeUnknown, false},
		{"mysql://app:pw@db/shop?ssl_mode=DISABLED", 0, 2, Disabled, true},
		// No TLS parameter: Prisma and Node disable TLS, sqlx prefers it.
		{"mysql://app:pw@db/shop", 0, 10, ModeUnknown, false},
		{"mysql://app:pw@db/shop", EcoNode, 5, ModeUnknown, false}, // TypeORM and Sequelize: unknown
		{"Server=db;SslMode=VerifyFull", 0, 2, VerifyIdentity, true},
		{"Server=db;SslMode=Prefered", 0, 2, ModeUnknown, false},
	} {
		rs := ParseEach(c.in, Candidates(c.in, c.eco))
		m, ok := Agree(rs, mode)
		if len(rs) != c.n || m != c.mode || ok != c.agree {
			t.Errorf("%s: %d readings, Agree = %v %v, want %d %v %v", c.in, len(rs), m, ok, c.n, c.mode, c.agree)
		}
	}
	if _, ok := Agree(nil, func(d *DSN) Mode { return d.Client.Mode }); ok {
		t.Error("no readings agree on nothing")
	}
}
