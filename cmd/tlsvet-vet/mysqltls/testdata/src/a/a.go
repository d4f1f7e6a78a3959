package a

import (
	"database/sql"

	"github.com/go-sql-driver/mysql"
	"github.com/jmoiron/sqlx"
)

const prodDSN = "app:pw@tcp(db:3306)/app?tls=skip-verify" // want `^warning: go-sql-driver/mysql .tls=skip-verify. encrypts but does not verify the server certificate: .* \[TV302 client-no-verify\]$`

func open(dynamic string) {
	sql.Open("mysql", "app:pw@tcp(db:3306)/app?tls=skip-verify&parseTime=true") // want `tls=skip-verify. encrypts but does not verify`
	sql.Open("mysql", `app:pw@tcp(db:3306)/app?parseTime=true&tls=Skip-Verify`) // want `tls=Skip-Verify. encrypts but does not verify`
	sql.Open("mysql", "app:p\x77\u00e9@tcp(db:3306)/app?tls=skip-verify")       // want `tls=skip-verify. encrypts`
	sql.Open("mysql", "app:pw@tcp(db:3306)/app?"+"tls=skip-verify")             // want `tls=skip-verify. encrypts`
	sql.Open("mysql", prodDSN)
	sql.Open("mysql", prodDSN)
	sql.Open("mysql", "app:pw@tcp(db:3306)/app?tls=false")                                 // want `^warning: go-sql-driver/mysql .tls=false. turns TLS off: .* \[TV301 client-tls-disabled\]$`
	sql.Open("mysql", "app:pw@tcp(db:3306)/app?tls=preferred")                             // want `^warning: go-sql-driver/mysql .tls=preferred. falls back to plaintext silently .* \[TV303 client-opportunistic-tls\]$`
	sql.Open("mysql", "app:pw@tcp(db:3306)/app?tls=true&allowFallbackToPlaintext=true")    // want `^warning: go-sql-driver/mysql .allowFallbackToPlaintext=true. falls back .* \[TV303 client-opportunistic-tls\]$`
	sql.Open("mysql", "app:pw@tcp(db:3306)/app?TLS=true")                                  // want `^error: .TLS=true. is not a go-sql-driver/mysql parameter: its names are case-sensitive, .* ERROR 1193 .*; write tls \[TV306 unknown-dsn-param\]$`
	sql.Open("mysql", "app:pw@tcp(db:3306)/app?TLS=true&tls=false")                        // want `TLS=true. is not a go-sql-driver/mysql parameter` `tls=false. turns TLS off`
	sql.Open("mysql", "app:pw@tcp(db:3306)/app?sslmode=require")                           // want `^error: .sslmode=require. is not a go-sql-driver/mysql parameter \(PostgreSQL and other drivers spell it so\), .* ERROR 1193 .*; write tls=true \[TV306 unknown-dsn-param\]$`
	mysql.ParseDSN("app:pw@tcp(db:3306)/app?tls=skip-verify")                              // want `tls=skip-verify. encrypts`
	sqlx.Open("mysql", "app:pw@tcp(db:3306)/app?tls=0")                                    // want `tls=0. turns TLS off`
	sqlx.Connect("mysql", "app:pw@tcp(db:3306)/app?tls=preferred")                         // want `tls=preferred. falls back`
	sql.Open("mysql", "app:pw@tcp(db:3306)/app?tls=custom")                                // want `^warning: go-sql-driver/mysql .tls=custom. names a TLS config that neither this package nor the packages it imports register .* \[TV006 bad-value\]$`
	sql.Open("mysql", "app:pw@unix(/run/mysqld/mysqld.sock)/app?tls=skip-verify&TLS=true") // want `TLS=true. is not a go-sql-driver/mysql parameter`

	// Silent: TLS that verifies, no TLS parameter at all (the driver's
	// default, as tlsvet does not report a [client] group without TLS
	// options), another driver, a DSN known only at run time.
	sql.Open("mysql", "app:pw@tcp(db:3306)/app?tls=true")
	sql.Open("mysql", "app:pw@tcp(db:3306)/app")
	sql.Open("postgres", "postgres://db/app?sslmode=disable")
	sql.Open("mysql", dynamic)
	sql.Open("mysql", "app:pw@tcp(db:3306)/app?tls="+dynamic)
}
