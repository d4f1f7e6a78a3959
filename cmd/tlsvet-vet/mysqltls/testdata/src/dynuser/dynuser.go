package dynuser // want package:"registers  \\(and names known only at run time\\)"

// dynuser names a config that an import may register under a name known
// only at run time: nothing is reported.

import (
	"database/sql"

	_ "dyn"
)

func open() { sql.Open("mysql", "app:pw@tcp(db:3306)/app?tls=anything") }
