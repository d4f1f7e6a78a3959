package db

import (
	"database/sql"

	_ "example.com/app/tlsinit"
)

func Open() {
	sql.Open("mysql", "app:pw@tcp(db:3306)/app?tls=custom")
	sql.Open("mysql", "app:pw@tcp(db:3306)/app?tls=skip-verify")
	sql.Open("mysql", "app:pw@tcp(db:3306)/app?tls=other")
}
