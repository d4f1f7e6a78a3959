package rules_test

import (
	"testing"

	"github.com/tlsvet/tlsvet/internal/lint"
	"github.com/tlsvet/tlsvet/internal/linttest"
	"github.com/tlsvet/tlsvet/rules"
)

// TestUnknownOptionSeverity checks that TV002 is an error only where a
// program stops: a unique prefix or a wrongly cased name read by MariaDB
// alone is a warning, an ambiguous prefix or any MySQL reader from 5.7 on
// an error; MySQL 5.6 still applies a unique prefix with a warning.
func TestUnknownOptionSeverity(t *testing.T) {
	for _, tc := range []struct {
		cnf  string
		want lint.Severity
	}{
		{"[mariadbd]\nssl-ciph=AES128-SHA\n", lint.Warning},
		{"[client-mariadb]\nssl-ciph=AES128-SHA\n", lint.Warning},
		{"[mariadbd]\nssl-c=/etc/ca.pem\n", lint.Error},
		{"[mariadbd]\nloose-ssl-c=/etc/ca.pem\n", lint.Error},
		{"[mysqld]\nssl-ciph=AES128-SHA\n", lint.Error},
		{"[mysqld]\nloose-ssl-ciph=AES128-SHA\n", lint.Warning},
		{"[mariadbd]\nSSL_CIPHER=AES128-SHA\n", lint.Warning},
		{"[mysqld-8.0]\nSSL_CIPHER=AES128-SHA\n", lint.Error},
		{"[mysqld-8.0]\nssl-ciph=AES128-SHA\n", lint.Error},
		{"[mysqld-5.6]\nssl-ciph=AES128-SHA\n", lint.Warning},
		{"[mysqld-5.6]\nssl-c=/etc/ca.pem\n", lint.Error},
	} {
		res := linttest.Check(t, []byte("-- my.cnf --\n"+tc.cnf), []*lint.Rule{rules.UnknownOption})
		if len(res.Diagnostics) != 1 {
			t.Errorf("%q: got %d findings %v, want 1", tc.cnf, len(res.Diagnostics), res.Diagnostics)
			continue
		}
		if got := res.Diagnostics[0].Severity; got != tc.want {
			t.Errorf("%q: severity %v, want %v (%s)", tc.cnf, got, tc.want, res.Diagnostics[0].Message)
		}
	}
}
