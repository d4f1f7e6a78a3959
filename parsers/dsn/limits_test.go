package dsn

import (
	"reflect"
	"strings"
	"testing"
	"time"
)

// prefixes start a string of each dialect, up to where its parameters go.
var prefixes = map[Dialect]string{
	GoMySQL: "app:pw@tcp(db)/shop?", ConnectorJ: "jdbc:mysql://app:pw@db/shop?", MariaDBJ: "jdbc:mariadb://app:pw@db/shop?",
	SQLAlchemyPyMySQL: "mysql+pymysql://app:pw@db/shop?", SQLAlchemyMySQLdb: "mysql+mysqldb://app:pw@db/shop?",
	SQLAlchemyConnector: "mysql+mysqlconnector://app:pw@db/shop?", DotNet: "Server=db;Password=pw;",
	ConnectorNET: "Server=db;Password=pw;", MySQLShell: "mysqlx://app:pw@db/shop?", Sqlx: "mysql://app:pw@db/shop?",
	Diesel: "mysql://app:pw@db/shop?", Prisma: "mysql://app:pw@db/shop?", NodeMySQL2: "mysql://app:pw@db/shop?",
	NodeMySQL: "mysql://app:pw@db/shop?", TypeORM: "mysql://app:pw@db/shop?", Sequelize: "mysql://app:pw@db/shop?",
	DjangoURL: "mysql://app:pw@db/shop?", RailsMySQL2: "mysql2://app:pw@db/shop?", RailsTrilogy: "trilogy://app:pw@db/shop?",
	PDO: "mysql:host=db;password=pw;", Doctrine: "mysql://app:pw@db/shop?", ODBC: "Driver={MySQL ODBC 8.0 Unicode Driver};PWD=pw;",
}

// TestLinear parses 10 MB inputs of hostile shapes in every dialect (the
// most parameters allowed, one long escaped value, runs of separators,
// quotes, braces and '@'): a parser that is quadratic anywhere takes hours,
// a linear one well under the bound.
func TestLinear(t *testing.T) {
	if testing.Short() {
		t.Skip("10 MB inputs")
	}
	const size = 10 << 20
	long := func(unit string) string { return strings.Repeat(unit, size/len(unit)) }
	shapes := map[string]string{
		"params":  long("ssl-mode=" + strings.Repeat("%2F", 1000) + "&SSLMODE=" + strings.Repeat("v", 2000) + ";"),
		"escapes": "ssl_ca=" + long("%41+"),
		"seps":    long("&;="),
		"opens":   long(`@('{"[`),
	}
	for d, prefix := range prefixes {
		for name, shape := range shapes {
			in := prefix + shape
			start := time.Now()
			if r, err := Parse(d, in); err == nil {
				for m := Disabled; m <= VerifyIdentity; m++ {
					r.SetModeEdits(m)
				}
			}
			Detect(in)
			Candidates(in, EcoNode)
			if el := time.Since(start); el > 5*time.Second {
				t.Errorf("%s, %s: %v for 10 MB", d, name, el)
			}
		}
	}
}

// TestPasswordNeverKept parses a string with a distinctive password in
// every dialect and finds its text in no string the parse returns.
func TestPasswordNeverKept(t *testing.T) {
	const pw = "Zq7hunter2Xy"
	for d, prefix := range prefixes {
		sep := "&"
		if strings.HasSuffix(prefix, ";") {
			sep = ";"
		}
		in := strings.Replace(prefix, "pw", pw, 1) + "ssl-mode=REQUIRED" + sep + "sslpassword=" + pw + "x" + sep + "password=" + pw + "y"
		r, err := Parse(d, in)
		if err != nil {
			t.Fatalf("%s: %v", d, err)
		}
		if !r.HasPassword || !strings.HasPrefix(r.Password.Text(in), pw) {
			t.Errorf("%s: password span covers %q", d, r.Password.Text(in))
		}
		for _, s := range stringsIn(reflect.ValueOf(r)) {
			if strings.Contains(s, pw) {
				t.Errorf("%s: password text kept in %q", d, s)
			}
		}
	}
}

func TestTooManyParams(t *testing.T) {
	in := "mysql://db/shop?" + strings.Repeat("a=1&", maxParams+1)
	if _, err := Parse(Sqlx, in); err == nil || Detect(in) != Unknown || Candidates(in, 0) != nil {
		t.Error("a string of more than maxParams parameters parsed or judged")
	}
	if _, err := Parse(Sqlx, "mysql://db/shop?"+strings.Repeat("a=1&", maxParams-1)); err != nil {
		t.Errorf("maxParams-1 parameters: %v", err)
	}
}
