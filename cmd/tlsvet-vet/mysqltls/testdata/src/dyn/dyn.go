package dyn // want package:"registers  \\(and names known only at run time\\)"

import (
	"os"

	"github.com/go-sql-driver/mysql"
)

func init() { mysql.RegisterTLSConfig(os.Getenv("TLS_NAME"), nil) }
