package dsn

import (
	"strings"
	"testing"
)

// apply applies sorted, non-overlapping edits to s.
func apply(t *testing.T, s string, edits []Edit) string {
	t.Helper()
	var b strings.Builder
	at := 0
	for _, e := range edits {
		if e.Span.Start < at || e.Span.End < e.Span.Start || e.Span.End > len(s) {
			t.Fatalf("edits overlap or leave the string: %+v", edits)
		}
		b.WriteString(s[at:e.Span.Start])
		b.WriteString(e.Text)
		at = e.Span.End
	}
	return b.String() + s[at:]
}

func TestSpell(t *testing.T) {
	for _, c := range []struct {
		d          Dialect
		m          Mode
		key, value string
	}{
		{GoMySQL, VerifyIdentity, "tls", "true"},
		{GoMySQL, Required, "tls", "skip-verify"},
		{GoMySQL, VerifyCA, "", ""},
		{ConnectorJ, VerifyIdentity, "sslMode", "VERIFY_IDENTITY"},
		{MariaDBJ, VerifyIdentity, "sslMode", "verify-full"},
		{MariaDBJ, Preferred, "", ""},
		{DotNet, VerifyIdentity, "SslMode", "VerifyFull"},
		{ConnectorNET, Disabled, "SslMode", "None"},
		{MySQLShell, VerifyIdentity, "ssl-mode", "VERIFY_IDENTITY"},
		{Sqlx, VerifyIdentity, "ssl-mode", "VERIFY_IDENTITY"},
		{Diesel, VerifyCA, "ssl_mode", "VERIFY_CA"},
		{Prisma, VerifyIdentity, "sslaccept", "strict"},
		{Prisma, VerifyCA, "", ""},
		{NodeMySQL2, VerifyIdentity, "ssl", `{"verifyIdentity":true}`},
		{NodeMySQL, VerifyIdentity, "", ""},
		{RailsMySQL2, VerifyIdentity, "ssl_mode", "verify_identity"},
		{RailsTrilogy, Required, "ssl_mode", "required"},
		{DjangoURL, VerifyIdentity, "ssl_mode", "VERIFY_IDENTITY"},
		{SQLAlchemyMySQLdb, VerifyCA, "ssl_mode", "VERIFY_CA"},
		{ODBC, VerifyIdentity, "SSLMODE", "VERIFY_IDENTITY"},
		{PDO, VerifyIdentity, "", ""},
		{TypeORM, VerifyIdentity, "", ""},
		{SQLAlchemyPyMySQL, VerifyIdentity, "", ""},
		{GoMySQL, ModeUnknown, "", ""},
	} {
		k, v, ok := c.d.Spell(c.m)
		if k != c.key || v != c.value || ok != (c.key != "") {
			t.Errorf("%s.Spell(%v) = %q %q %v, want %q %q", c.d, c.m, k, v, ok, c.key, c.value)
		}
	}
	for d, want := range map[Dialect]string{Prisma: "sslaccept", NodeMySQL2: "ssl", ODBC: "SSLMODE", PDO: "", TypeORM: ""} {
		if got := d.ModeKey(); got != want {
			t.Errorf("%s.ModeKey() = %q, want %q", d, got, want)
		}
	}
}

// TestSetModeEdits applies the edits and parses the result again: the
// driver must then read the mode asked for.
func TestSetModeEdits(t *testing.T) {
	for _, c := range []struct {
		d       Dialect
		in      string
		m       Mode
		out     string // "" when the mode cannot be written
		removed int
	}{
		{GoMySQL, "app:pw@tcp(db)/shop?tls=skip-verify&allowFallbackToPlaintext=true", VerifyIdentity, "app:pw@tcp(db)/shop?tls=true", 1},
		{GoMySQL, "app:pw@tcp(db)/shop", VerifyIdentity, "app:pw@tcp(db)/shop?tls=true", 0},
		{GoMySQL, "app:pw@tcp(db)/shop?parseTime=true", VerifyIdentity, "app:pw@tcp(db)/shop?parseTime=true&tls=true", 0},
		{GoMySQL, "app:pw@tcp(db)/shop?", Required, "app:pw@tcp(db)/shop?tls=skip-verify", 0},
		{GoMySQL, "app:pw@tcp(db)/shop?tls=false", VerifyCA, "", 0},
		// The legacy keys give way to sslMode, written in place of the first.
		{ConnectorJ, "jdbc:mysql://db/shop?useSSL=false&requireSSL=false&x=1", VerifyIdentity,
			"jdbc:mysql://db/shop?sslMode=VERIFY_IDENTITY&x=1", 2},
		{ConnectorJ, "jdbc:mysql://db/shop?sslMode=REQUIRED&useSSL=true", VerifyIdentity,
			"jdbc:mysql://db/shop?sslMode=VERIFY_IDENTITY&useSSL=true", 0},
		// useSsl overrides sslMode: it goes, with its companion.
		{MariaDBJ, "jdbc:mariadb://db/shop?sslMode=verify-full&useSsl&trustServerCertificate", VerifyIdentity,
			"jdbc:mariadb://db/shop?sslMode=verify-full", 2},
		{MariaDBJ, "jdbc:mariadb://db/shop", Preferred, "", 0},
		{DotNet, "Server=db;SslMode=Required;SslCa=ca.pem", VerifyCA, "Server=db;SslMode=VerifyCA;SslCa=ca.pem", 0},
		{DotNet, "Server=db;SSL Mode='None'", VerifyIdentity, "Server=db;SSL Mode='VerifyFull'", 0},
		{DotNet, "Server=db", VerifyIdentity, "Server=db;SslMode=VerifyFull", 0},
		// Failed attempts at the mode key go.
		{DotNet, "Server=db;ssl-mode=Required;Database=shop", VerifyIdentity, "Server=db;SslMode=VerifyFull;Database=shop", 1},
		{ConnectorJ, "jdbc:mysql://db/shop?sslmode=require", VerifyIdentity, "jdbc:mysql://db/shop?sslMode=VERIFY_IDENTITY", 1},
		{GoMySQL, "app@tcp(db)/shop?TLS=true&parseTime=true", VerifyIdentity, "app@tcp(db)/shop?tls=true&parseTime=true", 1},
		{ConnectorNET, "Server=db;", VerifyIdentity, "Server=db;SslMode=VerifyFull", 0},
		{MySQLShell, "mysqlx://app@db/shop", VerifyIdentity, "mysqlx://app@db/shop?ssl-mode=VERIFY_IDENTITY", 0},
		// Both of sqlx's spellings are read; the last wins, the other goes.
		{Sqlx, "mysql://db/shop?sslmode=required&ssl-mode=disabled", VerifyIdentity, "mysql://db/shop?ssl-mode=VERIFY_IDENTITY", 1},
		{Prisma, "mysql://db/shop?sslcert=./ca.pem", VerifyIdentity, "mysql://db/shop?sslcert=./ca.pem&sslaccept=strict", 0},
		{Prisma, "mysql://db/shop?sslaccept=strict&sslaccept=accept_invalid_certs", Required, "mysql://db/shop?sslaccept=accept_invalid_certs", 1},
		{NodeMySQL2, `mysql://db/shop?ssl={"rejectUnauthorized":false}`, VerifyIdentity, `mysql://db/shop?ssl={"verifyIdentity":true}`, 0},
		{NodeMySQL2, `mysql://db/shop?ssl={"ca":"/ca.pem"}`, VerifyIdentity, "", 0}, // the CA would be lost
		{RailsMySQL2, "mysql2://db/shop?sslverify=false", VerifyCA, "mysql2://db/shop?ssl_mode=verify_ca", 1},
		{ODBC, "Driver={MySQL ODBC 8.0 Unicode Driver};Server=db;ssl-mode=PREFERRED", VerifyIdentity,
			"Driver={MySQL ODBC 8.0 Unicode Driver};Server=db;ssl-mode=VERIFY_IDENTITY", 0},
		{Diesel, "mysql://db/shop?", VerifyIdentity, "mysql://db/shop?ssl_mode=VERIFY_IDENTITY", 0},
		{SQLAlchemyMySQLdb, "mysql+mysqldb://db/shop?ssl_mode=REQUIRED", VerifyIdentity, "mysql+mysqldb://db/shop?ssl_mode=VERIFY_IDENTITY", 0},
		{PDO, "mysql:host=db", VerifyIdentity, "", 0},
		{TypeORM, "mysql://db/shop", VerifyIdentity, "", 0},
	} {
		r, err := Parse(c.d, c.in)
		if err != nil {
			t.Fatalf("%s: %v", c.in, err)
		}
		e, ok := r.SetModeEdits(c.m)
		if ok != (c.out != "") {
			t.Errorf("%s %v: ok = %v", c.in, c.m, ok)
			continue
		}
		if !ok {
			continue
		}
		if got := apply(t, c.in, e.Edits); got != c.out {
			t.Errorf("%s %v: edited to %q, want %q", c.in, c.m, got, c.out)
			continue
		}
		if len(e.Remove) != c.removed {
			t.Errorf("%s: removes %v, want %d parameters", c.in, e.Remove, c.removed)
		}
		again, err := Parse(c.d, c.out)
		if err != nil || again.Client.Mode != c.m {
			t.Errorf("%s: the edited string reads as %v (%v)", c.out, again.Client.Mode, err)
		}
	}
}
