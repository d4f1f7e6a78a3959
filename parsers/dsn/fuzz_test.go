package dsn

import (
	"reflect"
	"strings"
	"testing"
)

// fuzzParse is the property every parser keeps, whatever the input: no
// panic; every span inside the input and ordered; and a password the
// parser recognised appears in no returned string nor in the error; the
// edits of SetModeEdits stay in order and inside the input. The
// password is inserted by the dialect's template, so the check knows it;
// it is judged only when it is plain enough that no decoding could have
// rebuilt it from other bytes and it occurs once in the input.
func fuzzParse(f *testing.F, d Dialect, template func(pw, rest string) string, seeds [][2]string) {
	for _, s := range seeds {
		f.Add(s[0], s[1])
	}
	f.Fuzz(func(t *testing.T, pw, rest string) {
		in := template(pw, rest)
		r, err := Parse(d, in)
		plain := len(pw) >= 4 && strings.Count(in, pw) == 1 && isAlnum(pw)
		if err != nil {
			if plain && strings.Contains(err.Error(), pw) {
				t.Fatalf("error quotes the password")
			}
			return
		}
		checkSpans(t, in, r)
		for _, p := range r.Params {
			if !p.Secret && p.ValueSpan.End-p.ValueSpan.Start == 0 && p.Value != "" {
				t.Fatalf("param %q: a value from an empty span", p.Key)
			}
		}
		for m := Disabled; m <= VerifyIdentity; m++ {
			if e, ok := r.SetModeEdits(m); ok {
				apply(t, in, e.Edits) // fails on edits out of order or range
			}
		}
		if !plain || !r.HasPassword || r.Password.Text(in) != pw {
			return
		}
		for _, s := range stringsIn(reflect.ValueOf(r)) {
			if strings.Contains(s, pw) {
				t.Fatalf("password kept in a returned string %q", s)
			}
		}
	})
}

func isAlnum(s string) bool {
	for _, c := range []byte(s) {
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9') {
			return false
		}
	}
	return true
}

// stringsIn collects every string reachable from v.
func stringsIn(v reflect.Value) []string {
	switch v.Kind() {
	case reflect.String:
		return []string{v.String()}
	case reflect.Pointer, reflect.Interface:
		if v.IsNil() {
			return nil
		}
		return stringsIn(v.Elem())
	case reflect.Struct:
		var out []string
		for i := range v.NumField() {
			out = append(out, stringsIn(v.Field(i))...)
		}
		return out
	case reflect.Slice, reflect.Array:
		var out []string
		for i := range v.Len() {
			out = append(out, stringsIn(v.Index(i))...)
		}
		return out
	}
	return nil
}

func FuzzGoMySQL(f *testing.F) {
	fuzzParse(f, GoMySQL, func(pw, rest string) string { return "app:" + pw + "@" + rest }, [][2]string{
		{"s3cr3t", "tcp(db:3306)/shop?tls=skip-verify"}, {"pw", "unix(/tmp/s)/db?TLS=true&sslmode=require"},
		{"x", "tcp(db/shop"}, {"", "/?&&=&tls=%zz"},
	})
}

func FuzzConnectorJ(f *testing.F) {
	fuzzParse(f, ConnectorJ, func(pw, rest string) string { return "jdbc:mysql://app:" + pw + "@" + rest }, [][2]string{
		{"s3cr3t", "db:3306/shop?useSSL=false"}, {"pw", "db/shop?sslMode=VERIFY_CA&trustCertificateKeyStoreUrl=file%3A%2Fx"},
		{"pw", "h1,h2/db?password=other&useSSL"}, {"", "?%&="},
	})
}

func FuzzMariaDBJ(f *testing.F) {
	fuzzParse(f, MariaDBJ, func(pw, rest string) string { return "jdbc:mariadb://app:" + pw + "@" + rest }, [][2]string{
		{"s3cr3t", "db/shop?useSsl=true&trustServerCertificate=true"}, {"pw", "db/shop?sslMode=trust&keyStorePassword=k"},
		{"pw", "db?sslmode=require&useSsl"},
	})
}

func FuzzSQLAlchemy(f *testing.F) {
	fuzzParse(f, SQLAlchemyPyMySQL, func(pw, rest string) string { return "mysql+pymysql://app:" + pw + "@" + rest }, [][2]string{
		{"s3cr3t", "db:3306/shop?ssl_ca=/ca.pem"}, {"pw", "db/shop?ssl_ca=%2Fca&ssl_check_hostname=false&ssl_verify_cert=1"},
		{"p", "@@/?+%2"},
	})
}

func FuzzDotNet(f *testing.F) {
	fuzzParse(f, DotNet, func(pw, rest string) string { return "Server=db;Password=" + pw + ";" + rest }, [][2]string{
		{"s3cr3t", "SslMode=Required;SslCa=ca.pem"}, {"pw", "ssl mode = 'Verify''Full' ; a==b=\"x"},
		{"p", ";;=;'"},
	})
}

func FuzzMySQLShell(f *testing.F) {
	fuzzParse(f, MySQLShell, func(pw, rest string) string { return "mysqlx://app:" + pw + "@" + rest }, [][2]string{
		{"s3cr3t", "db:33060/shop?ssl-mode=REQUIRED&ssl-ca=(/ca.pem)"}, {"pw", "(/tmp/x.sock)/db?tls-versions=[TLSv1.2,TLSv1.3]"},
		{"p", "%2f?=%&"},
	})
}

func FuzzSqlx(f *testing.F) {
	fuzzParse(f, Sqlx, func(pw, rest string) string { return "mysql://app:" + pw + "@" + rest }, [][2]string{
		{"s3cr3t", "db:3306/shop?ssl-mode=VERIFY_IDENTITY&ssl-ca=/ca.pem"}, {"pw", "db/shop?sslmode=require&SSL-MODE=x"},
	})
}

func FuzzPrisma(f *testing.F) {
	fuzzParse(f, Prisma, func(pw, rest string) string { return "mysql://app:" + pw + "@" + rest }, [][2]string{
		{"s3cr3t", "db:3306/shop?sslcert=./ca.pem&sslaccept=strict"}, {"pw", "db/shop?sslidentity=a.p12&sslpassword=x&sslaccept=y"},
		{"p", "localhost/db?socket=(/tmp/s)&sslAccept&=%zz"},
	})
}

func FuzzNode(f *testing.F) {
	fuzzParse(f, NodeMySQL2, func(pw, rest string) string { return "mysql://app:" + pw + "@" + rest }, [][2]string{
		{"s3cr3t", `db:3306/shop?ssl={"verifyIdentity":true,"ca":"/ca.pem"}`}, {"pw", "db/shop?ssl=%7B%22ca%22%3A%22%5Cu002f%22%7D"},
		{"p", "db?ssl=true&SSL&ssl=Amazon+RDS"},
	})
}

func FuzzORM(f *testing.F) {
	fuzzParse(f, Sequelize, func(pw, rest string) string { return "mysql://app:" + pw + "@" + rest }, [][2]string{
		{"s3cr3t", "db:3306/shop?ssl=Amazon%20RDS"}, {"pw", "db/shop?ssl=true&sslmode=require"},
	})
}

func FuzzPDO(f *testing.F) {
	fuzzParse(f, PDO, func(pw, rest string) string { return "mysql:host=db;password=" + pw + ";" + rest }, [][2]string{
		{"s3cr3t", "dbname=shop;charset=utf8mb4"}, {"pw", "dbname=a;;b; sslmode=require;=;;"},
	})
}

func FuzzRails(f *testing.F) {
	fuzzParse(f, RailsMySQL2, func(pw, rest string) string { return "mysql2://app:" + pw + "@" + rest }, [][2]string{
		{"s3cr3t", "db/shop?ssl_mode=verify_identity&sslca=/ca.pem"}, {"pw", "db/shop?sslverify=false&ssl_mode=&x"},
	})
}

func FuzzTrilogy(f *testing.F) {
	fuzzParse(f, RailsTrilogy, func(pw, rest string) string { return "trilogy://app:" + pw + "@" + rest }, [][2]string{
		{"s3cr3t", "db/shop?ssl_mode=1&ssl=true&ssl_ca=/ca.pem"},
	})
}

func FuzzDjango(f *testing.F) {
	fuzzParse(f, DjangoURL, func(pw, rest string) string { return "mysql://app:" + pw + "@" + rest }, [][2]string{
		{"s3cr3t", "db/shop?ssl-ca=/ca.pem&ssl_mode=VERIFY_CA"}, {"pw", "db/shop?sslmode=require&ssl_mode=verify_ca"},
	})
}

func FuzzDiesel(f *testing.F) {
	fuzzParse(f, Diesel, func(pw, rest string) string { return "mysql://app:" + pw + "@" + rest }, [][2]string{
		{"s3cr3t", "db/shop?ssl_mode=verify_identity&ssl_ca=/ca.pem"}, {"pw", "db/shop?ssl_mode=x&ssl-mode=y&database=z"},
	})
}

func FuzzODBC(f *testing.F) {
	fuzzParse(f, ODBC, func(pw, rest string) string { return "Driver={MySQL ODBC 8.0 Unicode Driver};PWD=" + pw + ";" + rest }, [][2]string{
		{"s3cr3t", "Server=db;SSLMODE=VERIFY_CA;SSLCA={C:\\a;b}}.pem}"}, {"pw", "ssl-mode=require;SSLVERIFY=1;=;{"},
	})
}

func FuzzConnectorNET(f *testing.F) {
	fuzzParse(f, ConnectorNET, func(pw, rest string) string { return "Server=db;Pwd=" + pw + ";" + rest }, [][2]string{
		{"s3cr3t", "ssl-mode=Prefered;ssl-ca=ca.pem"}, {"pw", "SslMode='Verify''CA';TlsVersion=Tls12"},
	})
}

func FuzzDoctrine(f *testing.F) {
	fuzzParse(f, Doctrine, func(pw, rest string) string { return "mysqli://app:" + pw + "@" + rest }, [][2]string{
		{"s3cr3t", "db/shop?serverVersion=8.0&ssl_ca=/ca.pem&sslmode=require"},
	})
}
