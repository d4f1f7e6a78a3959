package rules_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/tlsvet/tlsvet/internal/oracle"
	"github.com/tlsvet/tlsvet/internal/pkitest"
)

// TestMariaDBRelativeCertPaths shows where MariaDB looks for a certificate
// named by a relative path: in its data directory (mariadbd changes into
// it at startup), not beside the option file nor in the directory it was
// started from. tlsvet therefore cannot know the deployed file; it looks
// beside the option file and says that it assumed so
// (docs/certificates.md).
func TestMariaDBRelativeCertPaths(t *testing.T) {
	t.Parallel()
	o := oracle.New(t)
	// A directory beside the server's own temporary directory: reached
	// from the data directory (<tmp>/tvoNNN/data) as ../../<name>, but
	// not from the option file's directory (<tmp>/tvoNNN, where it would
	// name /<name>) nor from the test's working directory.
	certs, err := os.MkdirTemp("", "tvcerts")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(certs) })
	files, err := pkitest.Expand(map[string][]byte{
		"server-cert.pem": []byte("!pki cert cn=localhost dns=localhost ip=127.0.0.1 key=oracle-relative\n"),
		"server-key.pem":  []byte("!pki key key=oracle-relative\n"),
	}, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	for name, data := range files {
		if err := os.WriteFile(filepath.Join(certs, name), data, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	rel := "../../" + filepath.Base(certs) + "/"
	s := o.Start(t, "[mariadbd]\nssl_cert="+rel+"server-cert.pem\nssl_key="+rel+"server-key.pem\n")
	if !s.Started {
		t.Fatalf("MariaDB %s did not start with paths relative to its data directory:\n%s", o.Version, s.Log())
	}
	if got := s.Query(t, "SHOW GLOBAL VARIABLES LIKE 'have_ssl'"); !strings.Contains(got, "YES") {
		t.Errorf("TLS is not up with paths relative to the data directory: %q", got)
	}
	// A bare name is looked for in the data directory too, which does
	// not hold it.
	s = o.Start(t, "[mariadbd]\nssl_cert=server-cert.pem\nssl_key=server-key.pem\n")
	if s.Started {
		t.Errorf("MariaDB %s found server-cert.pem outside its data directory", o.Version)
	}
	if !strings.Contains(s.Log(), "Unable to get certificate from 'server-cert.pem'") {
		t.Errorf("the server did not say it could not get server-cert.pem:\n%s", s.Log())
	}
}
