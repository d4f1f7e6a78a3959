package mycnf

import (
	"testing"

	"github.com/tlsvet/tlsvet/internal/source"
)

func TestMarkSecrets(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"[client]\nssl-password=hunter2\n", "[client]\nssl-password=***\n"},
		{"[mariadbd]\nssl_passphrase=hunter2#x\n", "[mariadbd]\nssl_passphrase=***\n"},
		{"[client]\nssl-key-pass = 'hunter2' # old\n", "[client]\nssl-key-pass =***\n"},
		{"[client]\nssl-pass=hunter2\r\nuser=x\n", "[client]\nssl-pass=***\r\nuser=x\n"},
		// Before any group MySQL stops reading, but the line still prints.
		{"password=hunter2\n[client]\n", "password=***\n[client]\n"},
		// Paths and ordinary options are not secrets.
		{"[client]\nssl-key=/k/pass.pem\nssl-cert=c.pem\npassword\n", "[client]\nssl-key=/k/pass.pem\nssl-cert=c.pem\npassword\n"},
	} {
		f := source.NewFile("my.cnf", []byte(tc.in))
		Parse(f)
		if got := f.Redact(0, len(f.Content)); got != tc.want {
			t.Errorf("%q: redacted %q, want %q", tc.in, got, tc.want)
		}
	}
}
