package reg // want package:"registers custom"

import (
	"crypto/tls"

	"github.com/go-sql-driver/mysql"
)

func init() { mysql.RegisterTLSConfig("custom", &tls.Config{ServerName: "db"}) }
