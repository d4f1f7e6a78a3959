package format

import (
	"database/sql"
	"flag"
	"fmt"
)

const tmpl = "%s:%s@tcp(%s)/%s?tls=skip-verify&parseTime=true" // want `tls=skip-verify. encrypts but does not verify`

func open(user, pw, host, db, mode, extra string) {
	sql.Open("mysql", fmt.Sprintf("%s:%s@tcp(%s)/%s?tls=skip-verify&parseTime=true", user, pw, host, db)) // want `tls=skip-verify. encrypts but does not verify`
	sql.Open("mysql", fmt.Sprintf(tmpl, user, pw, host, db))
	sql.Open("mysql", fmt.Sprintf("%[1]s@tcp(%[2]s)/app?charset=%-4s&TLS=true", user, host, "utf8")) // want `TLS=true. is not a go-sql-driver/mysql parameter`

	viaVar := fmt.Sprintf("%s@tcp(%s)/app?tls=preferred", user, host) // want `tls=preferred. falls back`
	sql.Open("mysql", viaVar)
	constVar := "app@tcp(db:3306)/app?tls=false" // want `tls=false. turns TLS off`
	sql.Open("mysql", constVar)

	// Silent: the mode comes from a verb, a verb may add a tls= of its
	// own, the format has a %%, the variable is assigned again or its
	// address taken.
	sql.Open("mysql", fmt.Sprintf("app@tcp(db)/app?tls=%s", mode))
	sql.Open("mysql", fmt.Sprintf("app@tcp(db)/app?tls=custom%s", mode))
	sql.Open("mysql", fmt.Sprintf("app@tcp(db)/app?tls=skip-verify&%s", extra))
	sql.Open("mysql", fmt.Sprintf("app@tcp(db)/app?tls=skip-verify%s", extra))
	sql.Open("mysql", fmt.Sprintf("app:100%%@tcp(%s)/app?tls=skip-verify", host))
	changed := "app@tcp(db:3306)/app?tls=false"
	changed = extra
	sql.Open("mysql", changed)
	flagged := "app@tcp(db:3306)/app?tls=false"
	flag.StringVar(&flagged, "dsn", flagged, "the DSN")
	sql.Open("mysql", flagged)
}
