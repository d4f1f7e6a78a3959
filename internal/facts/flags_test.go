package facts

import "testing"

func TestTakesValue(t *testing.T) {
	for name, want := range map[string]bool{
		"log-error-verbosity": true, "tls-version": true, "loose-ssl-ca": true, "ssl-cipher": true,
		"require_secure_transport": false, "ssl": false, "skip-ssl": false, "innodb-file-per-table": false,
	} {
		if got := TakesValue(name); got != want {
			t.Errorf("TakesValue(%q) = %v, want %v", name, got, want)
		}
	}
}
