package dsn

import (
	"slices"
	"strings"
	"testing"
)

// tc is one connection string and what its driver makes of it.
type tc struct {
	in      string
	mode    Mode
	from    Derivation
	modeKey string // the text at the deciding parameter's key span; "" for none
	eff     *Effective
	traps   []Trap // Param is compared as the key text at its span, in want
	want    []string
	pw      string // the text at the password span
	ca      string // the text at the CA value span
	caText  string // the decoded CA
	host    string
	unix    bool
	unres   []string
	legacy  Mode // Connector/J 5.1's reading when it differs
}

// sharedURL are the dialects of a bare mysql:// URL.
var sharedURL = map[Dialect]bool{Sqlx: true, Prisma: true, NodeMySQL2: true, NodeMySQL: true, TypeORM: true, Sequelize: true, DjangoURL: true, Diesel: true, Doctrine: true}

func eff(enc, fb, chain, host bool) *Effective {
	return &Effective{Encrypts: enc, PlaintextFallback: fb, VerifiesChain: chain, VerifiesHost: host}
}

func run(t *testing.T, d Dialect, cases []tc) {
	t.Helper()
	for _, c := range cases {
		t.Run(c.in, func(t *testing.T) {
			// A bare mysql:// URL is shared by several dialects: Detect
			// leaves it to the caller.
			detected := d
			switch {
			case sharedURL[d]:
				detected = Unknown
			case d == ConnectorNET:
				detected = DotNet // a .NET string names no driver
			}
			if got := Detect(c.in); got != detected {
				t.Errorf("Detect = %q, want %q", got, detected)
			}
			r, err := Parse(d, c.in)
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			checkSpans(t, c.in, r)
			cl := r.Client
			if cl.Mode != c.mode || cl.From != c.from {
				t.Errorf("mode %v (%v), want %v (%v)", cl.Mode, cl.From, c.mode, c.from)
			}
			key := ""
			if cl.ModeParam >= 0 {
				key = r.Params[cl.ModeParam].KeySpan.Text(c.in)
			}
			if key != c.modeKey {
				t.Errorf("mode parameter key %q, want %q", key, c.modeKey)
			}
			want := effectiveOf(c.mode)
			if c.eff != nil {
				want = *c.eff
			}
			if cl.Effective != want {
				t.Errorf("effective %+v, want %+v", cl.Effective, want)
			}
			var traps []Trap
			for _, tr := range r.Traps {
				tr.Param = slices.Index(c.want, r.Params[tr.Param].KeySpan.Text(c.in))
				traps = append(traps, tr)
			}
			if !slices.Equal(traps, c.traps) {
				t.Errorf("traps %+v, want %+v", traps, c.traps)
			}
			if pw := ""; r.HasPassword {
				if pw = r.Password.Text(c.in); pw != c.pw {
					t.Errorf("password span covers %q, want %q", pw, c.pw)
				}
			} else if c.pw != "" {
				t.Errorf("no password, want %q", c.pw)
			}
			ca, caText := "", ""
			if cl.CA != nil {
				ca, caText = cl.CA.Span.Text(c.in), cl.CA.Text
			}
			if c.caText == "" {
				c.caText = c.ca
			}
			if ca != c.ca || caText != c.caText {
				t.Errorf("CA span %q text %q, want %q %q", ca, caText, c.ca, c.caText)
			}
			if c.host != "" && (r.Target.Host != c.host || r.Target.HostSpan.Text(c.in) != c.host) {
				t.Errorf("host %q at %q, want %q", r.Target.Host, r.Target.HostSpan.Text(c.in), c.host)
			}
			if (r.Target.Transport == Unix) != c.unix {
				t.Errorf("transport %v, want unix=%v", r.Target.Transport, c.unix)
			}
			if !slices.Equal(cl.Unresolved, c.unres) {
				t.Errorf("unresolved %q, want %q", cl.Unresolved, c.unres)
			}
			lm := cl.Mode
			if r.Legacy != nil {
				lm = r.Legacy.Mode
			}
			if c.legacy != ModeUnknown && lm != c.legacy {
				t.Errorf("Connector/J 5.1 mode %v, want %v", lm, c.legacy)
			}
		})
	}
}

// checkSpans asserts the invariants every parse keeps: spans in range and
// ordered, keys that need no decoding equal to their span's text, values
// of secrets empty.
func checkSpans(t *testing.T, s string, r *DSN) {
	t.Helper()
	ok := func(sp Span) bool { return 0 <= sp.Start && sp.Start <= sp.End && sp.End <= len(s) }
	for _, p := range r.Params {
		if !ok(p.KeySpan) || !ok(p.ValueSpan) || p.KeySpan.End > p.ValueSpan.Start {
			t.Fatalf("param %q: spans %v %v out of order or range", p.Key, p.KeySpan, p.ValueSpan)
		}
		if p.Secret && p.Value != "" {
			t.Fatalf("secret param %q keeps its value", p.Key)
		}
		prev := p.ValueSpan.Start - 1
		for i := range len(p.Value) + 1 {
			off := p.ValueOffset(i)
			if off <= prev && i < len(p.Value) || off < p.ValueSpan.Start || off > p.ValueSpan.End {
				t.Fatalf("param %q: byte %d of the value maps to %d, outside %v or out of order", p.Key, i, off, p.ValueSpan)
			}
			prev = off
		}
	}
	if !ok(r.Password) || !ok(r.Target.HostSpan) || !ok(r.Target.PortSpan) {
		t.Fatalf("password/host/port spans out of range")
	}
}

func TestGoMySQL(t *testing.T) {
	run(t, GoMySQL, []tc{
		// Acceptance: skip-verify encrypts and verifies nothing.
		{in: "app:s3cr3t@tcp(db.example.com:3306)/shop?tls=skip-verify&parseTime=true", mode: Required, modeKey: "tls",
			pw: "s3cr3t", host: "db.example.com"},
		{in: "app:pw@tcp(db:3306)/shop?tls=true", mode: VerifyIdentity, modeKey: "tls", pw: "pw", host: "db"},
		{in: "app:pw@tcp(db:3306)/shop?tls=Skip-Verify", mode: Required, modeKey: "tls", pw: "pw"},
		{in: "app@tcp(db)/shop", mode: Disabled, from: DriverDefault, host: "db"},
		{in: "app:pw@tcp(db:3306)/shop?tls=preferred", mode: Preferred, modeKey: "tls", pw: "pw"},
		{in: "app:pw@tcp(db)/shop?tls=false", mode: Disabled, modeKey: "tls", pw: "pw"},
		{in: "app:pw@tcp(db)/shop?tls=custom", mode: ModeUnknown, modeKey: "tls", pw: "pw", unres: []string{"tls=custom"}},
		{in: "app:pw@tcp(db)/shop?tls=${DB_TLS}", mode: ModeUnknown, modeKey: "tls", pw: "pw", unres: []string{"${DB_TLS}"}},
		// The last '@' ends the user part, so a password may hold '@'.
		{in: "app:p@ss@tcp(db)/shop?tls=1&allowFallbackToPlaintext=true", mode: VerifyIdentity, modeKey: "tls",
			eff: eff(true, true, true, true), pw: "p@ss"},
		// Traps: TLS (case) and PostgreSQL's sslmode are sent as session variables.
		{in: "app:pw@tcp(db)/shop?TLS=true", mode: Disabled, from: DriverDefault, pw: "pw",
			want: []string{"TLS"}, traps: []Trap{{Kind: WrongCase, Effect: SessionVariable, Param: 0, Want: "tls"}}},
		{in: "app:pw@tcp(db)/shop?sslmode=require", mode: Disabled, from: DriverDefault, pw: "pw",
			want: []string{"sslmode"}, traps: []Trap{{Kind: ForeignParam, Effect: SessionVariable, Param: 0, Want: "tls"}}},
		{in: "app:pw@unix(/var/run/mysqld/mysqld.sock)/shop", mode: Disabled, from: DriverDefault, pw: "pw",
			host: "/var/run/mysqld/mysqld.sock", unix: true},
		{in: "root@/shop?tls=true", mode: VerifyIdentity, modeKey: "tls"},
		{in: "tcp(localhost:3306)/shop", mode: Disabled, from: DriverDefault, host: "localhost"},
	})
}

func TestConnectorJ(t *testing.T) {
	run(t, ConnectorJ, []tc{
		// Acceptance: useSSL=false is DISABLED in every version.
		{in: "jdbc:mysql://db.example.com:3306/shop?useSSL=false", mode: Disabled, from: LegacyAlias, modeKey: "useSSL",
			host: "db.example.com", legacy: Disabled},
		// Trap: useSSL=true is PREFERRED in 8.x but verifies the chain in 5.1.
		{in: "jdbc:mysql://db/shop?useSSL=true", mode: Preferred, from: LegacyAlias, modeKey: "useSSL", legacy: VerifyCA},
		{in: "jdbc:mysql://db/shop?sslMode=verify_identity&useSSL=false", mode: VerifyIdentity, modeKey: "sslMode", legacy: Disabled},
		{in: "jdbc:mysql://db/shop?requireSSL=true", mode: Required, from: LegacyAlias, modeKey: "requireSSL"},
		{in: "jdbc:mysql://db/shop", mode: Preferred, from: DriverDefault},
		// Keys and values are trimmed before they are read.
		{in: "jdbc:mysql://db/shop?sslMode = DISABLED &x=1", mode: Disabled, modeKey: "sslMode"},
		{in: "jdbc:mysql:loadbalance://db1:3306,db2:3306/shop?sslMode=DISABLED", mode: Disabled, modeKey: "sslMode", host: "db1"},
		// Traps: PostgreSQL's sslmode and a mis-cased key are ignored.
		{in: "jdbc:mysql://db/shop?sslmode=require", mode: Preferred, from: DriverDefault,
			want: []string{"sslmode"}, traps: []Trap{{Kind: ForeignParam, Effect: Ignored, Param: 0, Want: "sslMode"}}},
		{in: "jdbc:mysql://db/shop?SSLMode=VERIFY_CA", mode: Preferred, from: DriverDefault,
			want: []string{"SSLMode"}, traps: []Trap{{Kind: WrongCase, Effect: Ignored, Param: 0, Want: "sslMode"}}},
		// Percent-decoding: the value's text is decoded, its span raw.
		{in: "jdbc:mysql://app:pw@db/shop?verifyServerCertificate=true&trustCertificateKeyStoreUrl=file%3A%2Fetc%2Fts.jks&password=hunter22",
			mode: VerifyCA, from: LegacyAlias, modeKey: "verifyServerCertificate", pw: "pw",
			ca: "file%3A%2Fetc%2Fts.jks", caText: "file:/etc/ts.jks"},
	})
}

func TestMariaDBJ(t *testing.T) {
	run(t, MariaDBJ, []tc{
		// Acceptance: useSsl with trustServerCertificate encrypts and verifies nothing.
		{in: "jdbc:mariadb://db:3306/shop?useSsl=true&trustServerCertificate=true", mode: Required, from: LegacyAlias,
			modeKey: "useSsl", host: "db"},
		{in: "jdbc:mariadb://db/shop?sslMode=trust", mode: Required, modeKey: "sslMode"},
		// Trap: REQUIRED is an alias of trust.
		{in: "jdbc:mariadb://db/shop?sslMode=REQUIRED", mode: Required, modeKey: "sslMode"},
		{in: "jdbc:mariadb://db/shop?sslmode=VERIFY-FULL", mode: VerifyIdentity, modeKey: "sslmode"},
		{in: "jdbc:mariadb://db/shop?sslMode=verify-ca&serverSslCert=/etc/ca.pem", mode: VerifyCA, modeKey: "sslMode", ca: "/etc/ca.pem"},
		{in: "jdbc:mariadb://db/shop", mode: Disabled, from: DriverDefault},
		{in: "jdbc:mariadb://db/shop?useSSL=1", mode: VerifyIdentity, from: LegacyAlias, modeKey: "useSSL"},
		// Trap: legacy useSsl is applied after sslMode and overrides it.
		{in: "jdbc:mariadb://db/shop?sslMode=verify-full&useSsl&trustServerCertificate", mode: Required, from: LegacyAlias,
			modeKey: "useSsl", want: []string{"sslMode"}, traps: []Trap{{Kind: LegacyOverrides, Effect: Misread, Param: 0}}},
		// Legacy keys and their values are read exactly as spelt.
		{in: "jdbc:mariadb://db/shop?usessl=true", mode: Disabled, from: DriverDefault,
			want: []string{"usessl"}, traps: []Trap{{Kind: WrongCase, Effect: Ignored, Param: 0, Want: "useSsl"}}},
		{in: "jdbc:mariadb://db/shop?useSsl=TRUE", mode: Disabled, from: DriverDefault},
		// No URL-decoding: the value is read as written.
		{in: "jdbc:mariadb://db/shop?sslMode=verify-ca&serverSslCert=%2Fetc%2Fca.pem", mode: VerifyCA, modeKey: "sslMode",
			ca: "%2Fetc%2Fca.pem"},
		{in: "jdbc:mariadb://db/shop?sslMode=require", mode: ModeUnknown, modeKey: "sslMode",
			want: []string{"sslMode"}, traps: []Trap{{Kind: ForeignParam, Effect: Rejected, Param: 0, Want: "sslMode"}}},
	})
}

func TestSQLAlchemy(t *testing.T) {
	run(t, SQLAlchemyPyMySQL, []tc{
		// Acceptance: through SQLAlchemy, ssl_ca becomes ssl={"ca": …}, which verifies.
		{in: "mysql+pymysql://app:pw@db:3306/shop?ssl_ca=/ca.pem", mode: VerifyIdentity, from: Derived, modeKey: "ssl_ca",
			pw: "pw", ca: "/ca.pem", host: "db"},
		{in: "mysql+pymysql://app:pw@db/shop?ssl_ca=/ca.pem&ssl_check_hostname=false", mode: VerifyCA, from: Derived,
			modeKey: "ssl_check_hostname", pw: "pw", ca: "/ca.pem"},
		{in: "mysql+pymysql://app:pw@db/shop?ssl_cert=/c.pem&ssl_key=/k.pem", mode: Required, from: Derived, modeKey: "ssl_key", pw: "pw"},
		{in: "mysql+pymysql://app:pw@db/shop", mode: Preferred, from: DriverDefault, pw: "pw"},
		// An empty value is dropped by parse_qsl: no ssl dict.
		{in: "mysql+pymysql://app:pw@db/shop?ssl_ca=", mode: Preferred, from: DriverDefault, pw: "pw"},
		{in: "mysql+pymysql://app:p%40ss@db/shop?ssl_ca=%2Fetc%2Fca.pem", mode: VerifyIdentity, from: Derived, modeKey: "ssl_ca",
			pw: "p%40ss", ca: "%2Fetc%2Fca.pem", caText: "/etc/ca.pem"},
		// Trap: PostgreSQL's sslmode is an unexpected keyword argument.
		{in: "mysql+pymysql://app:pw@db/shop?sslmode=require", mode: Preferred, from: DriverDefault, pw: "pw",
			want: []string{"sslmode"}, traps: []Trap{{Kind: ForeignParam, Effect: Rejected, Param: 0}}},
		{in: "mysql+pymysql://app:pw@db/shop?unix_socket=/tmp/mysql.sock", mode: Preferred, from: DriverDefault, pw: "pw", unix: true},
	})
	run(t, SQLAlchemyConnector, []tc{
		// Acceptance: "false" is a non-empty string, so TLS is disabled.
		{in: "mysql+mysqlconnector://app:pw@db/shop?ssl_disabled=false", mode: Disabled, modeKey: "ssl_disabled", pw: "pw",
			want: []string{"ssl_disabled"}, traps: []Trap{{Kind: StringTruthy, Effect: Misread, Param: 0}}},
		// Trap: a CA alone is loaded and not used.
		{in: "mysql+mysqlconnector://app:pw@db/shop?ssl_ca=/ca.pem", mode: Preferred, from: DriverDefault, pw: "pw", ca: "/ca.pem",
			want: []string{"ssl_ca"}, traps: []Trap{{Kind: Unused, Effect: Ignored, Param: 0, Want: "ssl_verify_cert"}}},
		{in: "mysql+mysqlconnector://app:pw@db/shop?ssl_verify_cert=true&ssl_verify_identity=true", mode: VerifyIdentity,
			modeKey: "ssl_verify_identity", pw: "pw"},
		{in: "mysql+mysqlconnector://app:pw@db/shop?ssl_verify_cert=true", mode: VerifyCA, modeKey: "ssl_verify_cert", pw: "pw"},
		{in: "mysql+mysqlconnector://app:pw@db/shop?ssl_verify_identity=true", mode: VerifyIdentity, modeKey: "ssl_verify_identity",
			eff: eff(true, true, true, true), pw: "pw"},
	})
	run(t, SQLAlchemyMySQLdb, []tc{
		{in: "mysql+mysqldb://app:pw@db/shop?ssl_mode=VERIFY_IDENTITY&ssl_ca=/ca.pem", mode: VerifyIdentity, modeKey: "ssl_mode",
			pw: "pw", ca: "/ca.pem"},
		// Trap: mysqlclient compares ssl_mode with strcmp; lower case raises.
		{in: "mysql+mysqldb://app:pw@db/shop?ssl_mode=verify_identity", mode: ModeUnknown, modeKey: "ssl_mode", pw: "pw",
			want: []string{"ssl_mode"}, traps: []Trap{{Kind: WrongCase, Effect: Rejected, Param: 0, Want: "VERIFY_IDENTITY"}}},
		{in: "mysql+mysqldb://app:pw@db/shop", mode: Preferred, from: DriverDefault, pw: "pw"},
	})
}

func TestDotNet(t *testing.T) {
	run(t, DotNet, []tc{
		// Acceptance: Required encrypts, and the CA is not used.
		{in: "Server=db;SslMode=Required;SslCa=ca.pem", mode: Required, modeKey: "SslMode", ca: "ca.pem", host: "db",
			want: []string{"SslCa"}, traps: []Trap{{Kind: Unused, Effect: Ignored, Param: 0, Want: "SslMode=VerifyCA"}}},
		{in: "Server=db;Database=shop;User ID=app;Password=pw;SslMode=VerifyFull;SslCa=/etc/ssl/ca.pem;TlsVersion=TLS 1.3",
			mode: VerifyIdentity, modeKey: "SslMode", pw: "pw", ca: "/etc/ssl/ca.pem"},
		// Keys are case-insensitive, spaced or not; values may be quoted.
		{in: "server = db ; ssl mode = none; pwd='p;w'", mode: Disabled, modeKey: "ssl mode", pw: "p;w", host: "db"},
		// Trap: ssl-mode is Connector/NET's synonym; MySqlConnector throws.
		{in: "Server=db;SSL-Mode=VERIFYCA", mode: Preferred, from: DriverDefault,
			want: []string{"SSL-Mode"}, traps: []Trap{{Kind: ForeignParam, Effect: Rejected, Param: 0, Want: "SslMode"}}},
		{in: "Server=db;SslMode=Prefered", mode: ModeUnknown, modeKey: "SslMode",
			want: []string{"SslMode"}, traps: []Trap{{Kind: BadValue, Effect: Rejected, Param: 0, Want: "Preferred"}}},
		{in: "Host=db;SslMode=2;Ssl-Ca=ca.pem", mode: Required, modeKey: "SslMode", ca: "ca.pem",
			want: []string{"Ssl-Ca"}, traps: []Trap{{Kind: Unused, Effect: Ignored, Param: 0, Want: "SslMode=VerifyCA"}}},
		// Trap: PostgreSQL's value is not an enum name; the builder throws.
		{in: "Server=db;SslMode=Require;SslCa=ca.pem", mode: ModeUnknown, modeKey: "SslMode", ca: "ca.pem",
			want: []string{"SslMode"}, traps: []Trap{{Kind: ForeignParam, Effect: Rejected, Param: 0}}},
		{in: "Server=/var/run/mysqld/mysqld.sock;SslMode=None", mode: Disabled, modeKey: "SslMode", unix: true},
		{in: "Server=db;SslCa=ca.pem", mode: Preferred, from: DriverDefault, ca: "ca.pem",
			want: []string{"SslCa"}, traps: []Trap{{Kind: Unused, Effect: Ignored, Param: 0, Want: "SslMode=VerifyCA"}}},
	})
}

func TestDetectNotOurs(t *testing.T) {
	for _, s := range []string{
		"postgres://app:pw@db/shop?sslmode=disable",
		"postgresql://db/shop?sslmode=require",
		"redis://:pw@cache:6379/0",
		"jdbc:postgresql://db/shop?sslmode=require",
		"jdbc:sqlserver://db:1433;databaseName=shop;encrypt=true",
		"Server=tcp:db.database.windows.net;Initial Catalog=shop;Encrypt=True;TrustServerCertificate=False",
		"Driver={ODBC Driver 18 for SQL Server};Server=db;Encrypt=yes",
		"Driver={PostgreSQL Unicode};Server=db;SSLmode=require",
		"Server=db;Database=shop;User Id=app;Password=pw",
		// Npgsql shares "SSL Mode" and "Host".
		"Host=db;Username=app;Password=pw;Database=shop;SSL Mode=Require;Trust Server Certificate=true",
		"Host=db;Port=5432;SSL Mode=VerifyFull",
		"Host=db;SSL Mode=Prefer",
		"/shop",
		"pgsql:host=db;dbname=shop;sslmode=require",
		"mysql:8.4", // an image reference
		"sqlserver://db:1433?encrypt=true",
		"https://example.com/a@b/c",
		"mysql://app@db/shop", // bare mysql:// is shared by many dialects: not this package's yet
	} {
		if d := Detect(s); d != Unknown {
			t.Errorf("Detect(%q) = %q, want none", s, d)
		}
	}
}

func TestMySQLShell(t *testing.T) {
	run(t, MySQLShell, []tc{
		{in: "mysqlx://app:pw@db.example.com:33060/shop?ssl-mode=VERIFY_IDENTITY&ssl-ca=%2Fetc%2Fssl%2Fca.pem&tls-versions=[TLSv1.3]",
			mode: VerifyIdentity, modeKey: "ssl-mode", pw: "pw", ca: "%2Fetc%2Fssl%2Fca.pem", caText: "/etc/ssl/ca.pem", host: "db.example.com"},
		// X Protocol defaults to REQUIRED and has no PREFERRED.
		{in: "mysqlx://app@db/shop", mode: Required, from: DriverDefault, host: "db"},
		{in: "mysqlx://app@db/shop?SSL-Mode=preferred", mode: Required, modeKey: "SSL-Mode"},
		// A CA without ssl-mode verifies it; in parentheses, a path needs no encoding.
		{in: "mysqlx://app@db/shop?ssl-ca=(/etc/ssl/ca.pem)", mode: VerifyCA, from: Derived, modeKey: "ssl-ca",
			ca: "(/etc/ssl/ca.pem)", caText: "/etc/ssl/ca.pem"},
		{in: "mysqlx://app@db/shop?ssl-mode=REQUIRED&ssl-ca=/ca.pem", mode: Required, modeKey: "ssl-mode", ca: "/ca.pem",
			want: []string{"ssl-ca"}, traps: []Trap{{Kind: Unused, Effect: Ignored, Param: 0, Want: "ssl-mode=VERIFY_CA"}}},
		{in: "mysqlx://app@(/var/run/mysqld/mysqlx.sock)/shop", mode: Required, from: DriverDefault, unix: true},
	})
	sock := "mysqlx://app@(/var/run/mysqld/mysqlx.sock)/shop"
	if r, err := Parse(MySQLShell, sock); err != nil || r.Target.Host != "/var/run/mysqld/mysqlx.sock" ||
		r.Target.HostSpan.Text(sock) != "(/var/run/mysqld/mysqlx.sock)" {
		t.Errorf("socket: %+v, %v", r.Target, err)
	}
	if _, err := Parse(SQLAlchemyPyMySQL, "jdbc:mysql://db/shop"); err == nil {
		t.Error("a JDBC URL parsed as SQLAlchemy")
	}
	// A classic mysql:// URL is parsed when the caller chose the Shell.
	r, err := Parse(MySQLShell, "mysql://app@db/shop")
	if err != nil || r.Client.Mode != Preferred || r.Client.From != DriverDefault {
		t.Errorf("classic URL: %v, %v", r, err)
	}
}

// TestValueOffset checks that each byte of a decoded value maps back to
// the source bytes that produced it.
func TestValueOffset(t *testing.T) {
	for _, c := range []struct {
		d       Dialect
		in, key string
		at      int    // a byte of the decoded value
		src     string // the source text from its offset on
	}{
		{ConnectorJ, "jdbc:mysql://db/shop?trustCertificateKeyStoreUrl=file%3A%2Fetc%2Fts.jks", "trustCertificateKeyStoreUrl", 4, "%3A%2Fetc"},
		{ConnectorJ, "jdbc:mysql://db/shop?trustCertificateKeyStoreUrl=file%3A%2Fetc%2Fts.jks", "trustCertificateKeyStoreUrl", 6, "etc%2F"},
		{SQLAlchemyPyMySQL, "mysql+pymysql://db/shop?ssl_ca=/a+b%2Fca.pem", "ssl_ca", 3, "b%2F"},
		{GoMySQL, "app@tcp(db)/shop?time_zone=%27Europe%2FParis%27", "time_zone", 7, "%2FParis"},
		{DotNet, "Server=db;SslCa='it''s.pem'", "SslCa", 3, "s.pem"},
		{MySQLShell, "mysqlx://db/shop?ssl-ca=(/etc/ca.pem)", "ssl-ca", 1, "etc/"},
	} {
		r, err := Parse(c.d, c.in)
		if err != nil {
			t.Fatalf("%s: %v", c.in, err)
		}
		i := r.find(c.key)
		if i < 0 {
			t.Fatalf("%s: no %s", c.in, c.key)
		}
		p := &r.Params[i]
		if off := p.ValueOffset(c.at); !strings.HasPrefix(c.in[off:], c.src) {
			t.Errorf("%s: byte %d of %q maps to %q, want %q…", c.in, c.at, p.Value, c.in[off:], c.src)
		}
		if p.ValueOffset(len(p.Value)) != p.ValueSpan.End {
			t.Errorf("%s: the end of the value maps to %d, want %d", c.in, p.ValueOffset(len(p.Value)), p.ValueSpan.End)
		}
	}
}

func TestSqlx(t *testing.T) {
	run(t, Sqlx, []tc{
		{in: "mysql://app:pw@db:3306/shop?ssl-mode=VERIFY_IDENTITY&ssl-ca=/etc/ssl/ca.pem", mode: VerifyIdentity, modeKey: "ssl-mode",
			pw: "pw", ca: "/etc/ssl/ca.pem", host: "db"},
		{in: "mysql://app:pw@db/shop?sslmode=verify_ca", mode: VerifyCA, modeKey: "sslmode", pw: "pw"},
		{in: "mysql://app:pw@db/shop", mode: Preferred, from: DriverDefault, pw: "pw"},
		// Trap: PostgreSQL's value fails the parse.
		{in: "mysql://app:pw@db/shop?sslmode=require", mode: ModeUnknown, modeKey: "sslmode", pw: "pw",
			want: []string{"sslmode"}, traps: []Trap{{Kind: ForeignParam, Effect: Rejected, Param: 0, Want: "ssl-mode"}}},
		// Keys are exact: a mis-cased one is ignored.
		{in: "mysql://app:pw@db/shop?SSL-MODE=disabled", mode: Preferred, from: DriverDefault, pw: "pw",
			want: []string{"SSL-MODE"}, traps: []Trap{{Kind: WrongCase, Effect: Ignored, Param: 0, Want: "ssl-mode"}}},
		{in: "mysql://app:pw@db/shop?ssl-mode=required&ssl-ca=/ca.pem", mode: Required, modeKey: "ssl-mode", pw: "pw", ca: "/ca.pem",
			want: []string{"ssl-ca"}, traps: []Trap{{Kind: Unused, Effect: Ignored, Param: 0, Want: "ssl-mode=VERIFY_CA"}}},
		{in: "mysql://app:pw@localhost/shop?socket=/tmp/mysql.sock", mode: Preferred, from: DriverDefault, pw: "pw", unix: true},
	})
}

func TestPrisma(t *testing.T) {
	run(t, Prisma, []tc{
		{in: "mysql://app:pw@db.example.com:3306/shop?sslcert=./ca.pem&sslaccept=strict", mode: VerifyIdentity,
			modeKey: "sslaccept", pw: "pw", ca: "./ca.pem", host: "db.example.com"},
		// Trap: sslcert is the CA, and without sslaccept=strict it is not verified.
		{in: "mysql://app:pw@db/shop?sslcert=./ca.pem", mode: Required, from: Derived, modeKey: "sslcert", pw: "pw", ca: "./ca.pem",
			want: []string{"sslcert"}, traps: []Trap{{Kind: Unused, Effect: Ignored, Param: 0, Want: "sslaccept=strict"}}},
		{in: "mysql://app:pw@db/shop", mode: Disabled, from: DriverDefault, pw: "pw"},
		{in: "mysql://app:pw@db/shop?sslaccept=accept_invalid_certs", mode: Required, modeKey: "sslaccept", pw: "pw"},
		// strict, once seen, stays.
		{in: "mysql://app:pw@db/shop?sslaccept=strict&sslaccept=accept_invalid_certs", mode: VerifyIdentity, modeKey: "sslaccept", pw: "pw"},
		// Values are exact: an unknown one is read as accept_invalid_certs.
		{in: "mysql://app:pw@db/shop?sslaccept=STRICT", mode: Required, from: Derived, modeKey: "sslaccept", pw: "pw",
			want: []string{"sslaccept"}, traps: []Trap{{Kind: BadValue, Effect: Misread, Param: 0, Want: "strict"}}},
		{in: "mysql://app:pw@db/shop?sslmode=require", mode: Disabled, from: DriverDefault, pw: "pw",
			want: []string{"sslmode"}, traps: []Trap{{Kind: ForeignParam, Effect: Ignored, Param: 0, Want: "sslaccept"}}},
		{in: "mysql://app:pw@db/shop?sslAccept=strict", mode: Disabled, from: DriverDefault, pw: "pw",
			want: []string{"sslAccept"}, traps: []Trap{{Kind: WrongCase, Effect: Ignored, Param: 0, Want: "sslaccept"}}},
		{in: "mysql://app:pw@db/shop?sslidentity=id.p12&sslpassword=hunter22", mode: Required, from: Derived, modeKey: "sslpassword", pw: "pw"},
		{in: "mysql://root@localhost/shop?socket=(/tmp/mysql.sock)", mode: Disabled, from: DriverDefault, unix: true},
		{in: "mysql://app@db/shop?sslaccept=${SSL_ACCEPT}", mode: ModeUnknown, modeKey: "sslaccept", unres: []string{"${SSL_ACCEPT}"}},
	})
}

func TestNode(t *testing.T) {
	run(t, NodeMySQL2, []tc{
		{in: `mysql://app:pw@db:3306/shop?ssl={"rejectUnauthorized":true}`, mode: VerifyCA, modeKey: "ssl", pw: "pw", host: "db"},
		{in: `mysql://app:pw@db/shop?ssl={"verifyIdentity":true,"ca":"/etc/ca.pem"}`, mode: VerifyIdentity, modeKey: "ssl",
			pw: "pw", ca: "/etc/ca.pem"},
		{in: `mysql://app:pw@db/shop?ssl={"rejectUnauthorized":false}`, mode: Required, modeKey: "ssl", pw: "pw"},
		{in: "mysql://app:pw@db/shop?ssl=Amazon%20RDS", mode: VerifyCA, modeKey: "ssl", pw: "pw"},
		{in: "mysql://app:pw@db/shop?ssl=Amazon+RDS", mode: VerifyCA, modeKey: "ssl", pw: "pw"},
		// Trap: true is not an object; the driver throws.
		{in: "mysql://app:pw@db/shop?ssl=true", mode: ModeUnknown, modeKey: "ssl", pw: "pw",
			want: []string{"ssl"}, traps: []Trap{{Kind: BadValue, Effect: Rejected, Param: 0, Want: `{"verifyIdentity":true}`}}},
		{in: "mysql://app:pw@db/shop?ssl=require", mode: ModeUnknown, modeKey: "ssl", pw: "pw",
			want: []string{"ssl"}, traps: []Trap{{Kind: BadValue, Effect: Rejected, Param: 0, Want: "Amazon RDS"}}},
		{in: "mysql://app:pw@db/shop?ssl=false", mode: Disabled, modeKey: "ssl", pw: "pw"},
		{in: "mysql://app:pw@db/shop", mode: Disabled, from: DriverDefault, pw: "pw"},
		{in: "mysql://app:pw@db/shop?sslmode=require", mode: Disabled, from: DriverDefault, pw: "pw",
			want: []string{"sslmode"}, traps: []Trap{{Kind: ForeignParam, Effect: Ignored, Param: 0, Want: "ssl"}}},
		{in: "mysql://app:pw@db/shop?SSL={}", mode: Disabled, from: DriverDefault, pw: "pw",
			want: []string{"SSL"}, traps: []Trap{{Kind: WrongCase, Effect: Ignored, Param: 0, Want: "ssl"}}},
		// The CA inside percent-encoded JSON keeps its exact source span.
		{in: "mysql://app:pw@db/shop?ssl=%7B%22ca%22%3A%22%2Fca.pem%22%7D", mode: VerifyCA, modeKey: "ssl", pw: "pw",
			ca: "%2Fca.pem", caText: "/ca.pem"},
		{in: "mysql://app:pw@localhost/shop?socketPath=/tmp/mysql.sock", mode: Disabled, from: DriverDefault, pw: "pw", unix: true},
	})
	run(t, NodeMySQL, []tc{
		// No verifyIdentity in mysqljs: chain only.
		{in: `mysql://app:pw@db/shop?ssl={"verifyIdentity":true}`, mode: VerifyCA, modeKey: "ssl", pw: "pw"},
		// Trap: ssl=true encrypts and verifies nothing.
		{in: "mysql://app:pw@db/shop?ssl=true", mode: Required, modeKey: "ssl", pw: "pw",
			want: []string{"ssl"}, traps: []Trap{{Kind: BadValue, Effect: Misread, Param: 0, Want: "{}"}}},
		{in: "mysql://app:pw@db/shop", mode: Disabled, from: DriverDefault, pw: "pw"},
	})
	run(t, TypeORM, []tc{
		// Trap: TypeORM cuts the query off; both parameters are dropped.
		{in: "mysql://app:pw@db/shop?ssl=true&sslmode=require", mode: ModeUnknown, from: DriverDefault, pw: "pw",
			want: []string{"ssl", "sslmode"}, traps: []Trap{{Kind: Dropped, Effect: Ignored, Param: 0, Want: "ssl"},
				{Kind: Dropped, Effect: Ignored, Param: 1, Want: "ssl"}}},
		{in: "mysql://app:pw@db/shop", mode: ModeUnknown, from: DriverDefault, pw: "pw"},
	})
	run(t, Sequelize, []tc{
		// Trap: the value stays a string, and "true" is no profile name.
		{in: "mysql://app:pw@db/shop?ssl=true", mode: ModeUnknown, modeKey: "ssl", pw: "pw",
			want: []string{"ssl"}, traps: []Trap{{Kind: BadValue, Effect: Rejected, Param: 0, Want: "Amazon RDS"}}},
		{in: "mysql://app:pw@db/shop?ssl=Amazon%20RDS", mode: VerifyCA, modeKey: "ssl", pw: "pw"},
		{in: "mysql://app:pw@db/shop", mode: ModeUnknown, from: DriverDefault, pw: "pw"},
	})
}

func TestPDO(t *testing.T) {
	run(t, PDO, []tc{
		{in: "mysql:host=db.example.com;port=3306;dbname=shop;charset=utf8mb4", mode: ModeUnknown, from: DriverDefault,
			host: "db.example.com"},
		// Trap: TLS lives in driver options; DSN keys are dropped.
		{in: "mysql:host=db;dbname=shop;sslmode=require;ssl_ca=/ca.pem", mode: ModeUnknown, from: DriverDefault, host: "db",
			want: []string{"sslmode", "ssl_ca"}, traps: []Trap{
				{Kind: Dropped, Effect: Ignored, Param: 0, Want: "PDO::MYSQL_ATTR_SSL_VERIFY_SERVER_CERT"},
				{Kind: Dropped, Effect: Ignored, Param: 1, Want: "PDO::MYSQL_ATTR_SSL_CA"}}},
		{in: "mysql:unix_socket=/var/run/mysqld/mysqld.sock;dbname=shop", mode: ModeUnknown, from: DriverDefault, unix: true},
		{in: "mysql:host=localhost;dbname=shop", mode: ModeUnknown, from: DriverDefault, unix: true, host: "localhost"},
		{in: "mysql:host=db; user=app;password=s3cr3t;dbname=a;;b", mode: ModeUnknown, from: DriverDefault, pw: "s3cr3t", host: "db"},
	})
	r, err := Parse(PDO, "mysql:dbname=a;;b; host=db")
	if err != nil || r.Params[0].Value != "a;b" || r.Params[1].KeySpan.Text("mysql:dbname=a;;b; host=db") != "host" {
		t.Errorf("PDO ;; escape and white space: %+v %v", r, err)
	}
}

func TestRails(t *testing.T) {
	run(t, RailsMySQL2, []tc{
		{in: "mysql2://app:pw@db/shop?ssl_mode=verify_identity&sslca=/etc/ssl/ca.pem", mode: VerifyIdentity, modeKey: "ssl_mode",
			pw: "pw", ca: "/etc/ssl/ca.pem", host: "db"},
		// ssl_mode is case-insensitive and may carry the SSL_MODE_ prefix.
		{in: "mysql2://app:pw@db/shop?ssl_mode=VERIFY_CA", mode: VerifyCA, modeKey: "ssl_mode", pw: "pw"},
		{in: "mysql2://app:pw@db/shop?ssl_mode=SSL_MODE_REQUIRED", mode: Required, modeKey: "ssl_mode", pw: "pw"},
		{in: "mysql2://app:pw@db/shop", mode: Preferred, from: DriverDefault, pw: "pw"},
		{in: "mysql2://app:pw@db/shop?ssl_mode=", mode: Preferred, from: DriverDefault, pw: "pw"},
		{in: "mysql2://app:pw@db/shop?ssl_mode=strict", mode: Preferred, from: DriverDefault, pw: "pw",
			want: []string{"ssl_mode"}, traps: []Trap{{Kind: BadValue, Effect: Ignored, Param: 0, Want: "verify_identity"}}},
		// Trap: the string "false" is true in Ruby.
		{in: "mysql2://app:pw@db/shop?sslverify=false", mode: VerifyIdentity, from: Derived, modeKey: "sslverify", pw: "pw",
			want: []string{"sslverify"}, traps: []Trap{{Kind: StringTruthy, Effect: Misread, Param: 0}}},
		{in: "mysql2://app:pw@db/shop?ssl_ca=/ca.pem", mode: Preferred, from: DriverDefault, pw: "pw",
			want: []string{"ssl_ca"}, traps: []Trap{{Kind: ForeignParam, Effect: Ignored, Param: 0, Want: "sslca"}}},
		{in: "mysql2://app:pw@db/shop?ssl_mode=verify_ca&sslca=%2Fetc%2Fca.pem", mode: VerifyCA, modeKey: "ssl_mode", pw: "pw",
			ca: "%2Fetc%2Fca.pem", caText: "/etc/ca.pem"},
		{in: "mysql2://app:pw@localhost/shop?socket=/tmp/mysql.sock", mode: Preferred, from: DriverDefault, pw: "pw", unix: true},
	})
	run(t, RailsTrilogy, []tc{
		{in: "trilogy://app:pw@db/shop?ssl_mode=verify_identity&ssl_ca=/ca.pem", mode: VerifyIdentity, modeKey: "ssl_mode",
			pw: "pw", ca: "/ca.pem"},
		{in: "trilogy://app:pw@db/shop?ssl_mode=SSL_MODE_PREFERRED", mode: Preferred, modeKey: "ssl_mode", pw: "pw"},
		// Trap: Trilogy's integers cannot come from a URL: "1" is a string.
		{in: "trilogy://app:pw@db/shop?ssl_mode=1", mode: ModeUnknown, modeKey: "ssl_mode", pw: "pw",
			want: []string{"ssl_mode"}, traps: []Trap{{Kind: BadValue, Effect: Rejected, Param: 0, Want: "verify_identity"}}},
		// Trap: ssl=true is not read; without ssl_mode there is no TLS and the CA is unused.
		{in: "trilogy://app:pw@db/shop?ssl=true&ssl_ca=/ca.pem", mode: Disabled, from: DriverDefault, pw: "pw", ca: "/ca.pem",
			want: []string{"ssl", "ssl_ca"}, traps: []Trap{{Kind: ForeignParam, Effect: Ignored, Param: 0, Want: "ssl_mode"},
				{Kind: Unused, Effect: Ignored, Param: 1, Want: "ssl_mode=verify_ca"}}},
		{in: "trilogy://app:pw@db/shop", mode: Disabled, from: DriverDefault, pw: "pw"},
	})
}

func TestDjango(t *testing.T) {
	run(t, DjangoURL, []tc{
		{in: "mysql://app:pw@db:3306/shop?ssl-ca=/etc/ssl/ca.pem&ssl_mode=VERIFY_IDENTITY", mode: VerifyIdentity, modeKey: "ssl_mode",
			pw: "pw", ca: "/etc/ssl/ca.pem", host: "db"},
		{in: "mysql://app:pw@db/shop?ssl-ca=/ca.pem", mode: Preferred, from: DriverDefault, pw: "pw", ca: "/ca.pem"},
		// Trap: mysqlclient wants upper case.
		{in: "mysql://app:pw@db/shop?ssl_mode=verify_identity", mode: ModeUnknown, modeKey: "ssl_mode", pw: "pw",
			want: []string{"ssl_mode"}, traps: []Trap{{Kind: WrongCase, Effect: Rejected, Param: 0, Want: "VERIFY_IDENTITY"}}},
		// Trap: PostgreSQL's key is an unexpected keyword argument.
		{in: "mysql://app:pw@db/shop?sslmode=require", mode: Preferred, from: DriverDefault, pw: "pw",
			want: []string{"sslmode"}, traps: []Trap{{Kind: ForeignParam, Effect: Rejected, Param: 0, Want: "ssl_mode"}}},
	})
	// Scheme mysql2 gets no ssl-ca translation: the key reaches MySQLdb.connect.
	r, err := Parse(DjangoURL, "mysql2://app:pw@db/shop?ssl-ca=/ca.pem")
	if err != nil || r.Client.CA != nil || len(r.Traps) != 1 || r.Traps[0].Effect != Rejected {
		t.Errorf("mysql2 scheme: %+v %v", r, err)
	}
}

func TestDiesel(t *testing.T) {
	run(t, Diesel, []tc{
		{in: "mysql://app:pw@db/shop?ssl_mode=verify_identity&ssl_ca=/etc/ssl/ca.pem", mode: VerifyIdentity, modeKey: "ssl_mode",
			pw: "pw", ca: "/etc/ssl/ca.pem", host: "db"},
		{in: "mysql://app:pw@db/shop?ssl_mode=VERIFY_CA", mode: VerifyCA, modeKey: "ssl_mode", pw: "pw"},
		{in: "mysql://app:pw@db/shop", mode: Preferred, from: DriverDefault, pw: "pw"},
		// Trap: sqlx's dash spelling is ignored by Diesel.
		{in: "mysql://app:pw@db/shop?ssl-mode=VERIFY_IDENTITY", mode: Preferred, from: DriverDefault, pw: "pw",
			want: []string{"ssl-mode"}, traps: []Trap{{Kind: ForeignParam, Effect: Ignored, Param: 0, Want: "ssl_mode"}}},
		{in: "mysql://app:pw@db/shop?ssl_mode=require", mode: ModeUnknown, modeKey: "ssl_mode", pw: "pw",
			want: []string{"ssl_mode"}, traps: []Trap{{Kind: BadValue, Effect: Rejected, Param: 0, Want: "VERIFY_IDENTITY"}}},
		{in: "mysql://app:pw@localhost/shop?unix_socket=/tmp/mysql.sock", mode: Preferred, from: DriverDefault, pw: "pw", unix: true},
	})
	if _, err := Parse(Diesel, "mysql://db?database=shop"); err == nil {
		t.Error("Diesel rejects a database key")
	}
}

func TestODBC(t *testing.T) {
	run(t, ODBC, []tc{
		{in: `Driver={MySQL ODBC 8.0 Unicode Driver};Server=db;Database=shop;UID=app;PWD=pw;SSLMODE=VERIFY_IDENTITY;SSLCA=C:\certs\ca.pem;TLS-VERSIONS=TLSv1.3`,
			mode: VerifyIdentity, modeKey: "SSLMODE", pw: "pw", ca: `C:\certs\ca.pem`, host: "db"},
		// Keys and values are case-insensitive; SSL-MODE is an alias.
		{in: "driver={MySQL ODBC 9.0 ANSI Driver};server=db;ssl-mode=required", mode: Required, modeKey: "ssl-mode", host: "db"},
		{in: "Driver={MySQL ODBC 8.0 Unicode Driver};Server=db", mode: Preferred, from: DriverDefault, host: "db"},
		// Trap: an unknown SSLMODE value is ignored; the default applies.
		{in: "Driver={MySQL ODBC 8.0 Unicode Driver};Server=db;SSLMODE=require", mode: Preferred, from: DriverDefault,
			want: []string{"SSLMODE"}, traps: []Trap{{Kind: BadValue, Effect: Ignored, Param: 0, Want: "VERIFY_IDENTITY"}}},
		// Trap: SSLVERIFY is ignored by current builds.
		{in: "Driver={MySQL ODBC 8.0 Unicode Driver};Server=db;SSLVERIFY=1", mode: Preferred, from: DriverDefault,
			want: []string{"SSLVERIFY"}, traps: []Trap{{Kind: Dropped, Effect: Ignored, Param: 0, Want: "SSLMODE"}}},
		{in: "Driver={MySQL ODBC 8.0 Unicode Driver};Server=db;TLS-VERSIONS=TLSv1.3;NO_TLS_1_3=1", mode: Preferred, from: DriverDefault,
			want: []string{"NO_TLS_1_3"}, traps: []Trap{{Kind: Dropped, Effect: Ignored, Param: 0, Want: "TLS-VERSIONS"}}},
		// Braces hold ';', and "}}" is one '}'.
		{in: "Driver={MySQL ODBC 8.0 Unicode Driver};Server=db;PWD={p;w}}x};SSLMODE=DISABLED", mode: Disabled, modeKey: "SSLMODE",
			pw: "p;w}}x", host: "db"},
		{in: "Driver={MySQL ODBC 8.0 Unicode Driver};Socket=/tmp/mysql.sock;SSL_MODE=DISABLED", mode: Preferred, from: DriverDefault, unix: true,
			want: []string{"SSL_MODE"}, traps: []Trap{{Kind: ForeignParam, Effect: Ignored, Param: 0, Want: "SSLMODE"}}},
	})
}

func TestConnectorNET(t *testing.T) {
	run(t, ConnectorNET, []tc{
		{in: "Server=db;SSL-Mode=VERIFYCA", mode: VerifyCA, modeKey: "SSL-Mode", host: "db"},
		// Connector/NET's own spelling.
		{in: "Server=db;SslMode=Prefered;SslCa=ca.pem", mode: Preferred, modeKey: "SslMode", ca: "ca.pem",
			want: []string{"SslCa"}, traps: []Trap{{Kind: Unused, Effect: Ignored, Param: 0, Want: "SslMode=VerifyCA"}}},
		{in: "Server=db;Uid=app;Pwd=pw;SslMode=VerifyCA", mode: VerifyCA, modeKey: "SslMode", pw: "pw"},
	})
}

func TestDoctrine(t *testing.T) {
	run(t, Doctrine, []tc{
		{in: "mysql://app:pw@db:3306/shop?serverVersion=8.0.32&charset=utf8mb4", mode: ModeUnknown, from: DriverDefault, pw: "pw", host: "db"},
		// Trap: pdo_mysql takes TLS from driverOptions only.
		{in: "mysql://app:pw@db/shop?serverVersion=8.0&sslmode=require&ssl_ca=/ca.pem", mode: ModeUnknown, from: DriverDefault, pw: "pw",
			want: []string{"sslmode", "ssl_ca"}, traps: []Trap{{Kind: Dropped, Effect: Ignored, Param: 0, Want: "driverOptions"},
				{Kind: Dropped, Effect: Ignored, Param: 1, Want: "driverOptions"}}},
	})
	// The mysqli driver reads ssl_ca.
	in := "mysqli://app:pw@db/shop?ssl_ca=/ca.pem"
	r, err := Parse(Doctrine, in)
	if err != nil || Detect(in) != Doctrine || r.Client.CA == nil || r.Client.CA.Span.Text(in) != "/ca.pem" || len(r.Traps) != 0 {
		t.Errorf("mysqli: %+v %v", r, err)
	}
}
