package names // want package:"registers custom,local"

import (
	"database/sql"

	"github.com/go-sql-driver/mysql"

	_ "mid"
)

func init() { mysql.RegisterTLSConfig("local", nil) }

func open() {
	sql.Open("mysql", "app:pw@tcp(db:3306)/app?tls=custom") // registered two imports away
	sql.Open("mysql", "app:pw@tcp(db:3306)/app?tls=local")  // registered below
	sql.Open("mysql", "app:pw@tcp(db:3306)/app?tls=Custom") // want `tls=Custom. names a TLS config that neither`
	sql.Open("mysql", "app:pw@tcp(db:3306)/app?tls=cust%6Fm")
}
