package secret

import "testing"

func TestName(t *testing.T) {
	for name, want := range map[string]bool{
		"password": true, "ssl-password": true, "SSL_PASSPHRASE": true, "ssl-key-pass": true,
		"ssl_key_pass": true, "ssl-pass": true, "loose-password": true, "passwd": true,
		"mysql_pwd": true, "api-token": true, "client_secret": true,
		"ssl-key": false, "ssl_key": false, "ssl-cert": false, "ssl_ca": false,
		"tls_version": false, "ssl-cipher": false, "user": false,
	} {
		if got := Name(name); got != want {
			t.Errorf("Name(%q) = %v, want %v", name, got, want)
		}
	}
}

func TestReference(t *testing.T) {
	for name, want := range map[string]bool{
		"secrets": true, "secretName": true, "secret_key_ref": true, "existingSecret": true, "SECRETREF": true,
		"secret": false, "db_secret": false, "password": false, "secretsfile": false, "tls": false,
	} {
		if got := Reference(name); got != want {
			t.Errorf("Reference(%q) = %v, want %v", name, got, want)
		}
	}
}
