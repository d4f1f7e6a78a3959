package cli

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/tlsvet/tlsvet/internal/pkitest"
)

// runNegotiate runs tlsvet negotiate in dir with stdin.
func runNegotiate(t *testing.T, dir, stdin string, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	c := &Command{Stdout: &out, Stderr: &errb, Dir: dir, Stdin: strings.NewReader(stdin), Getenv: func(string) string { return "" }}
	code := c.Main(append([]string{"negotiate"}, args...))
	return code, out.String(), errb.String()
}

func TestNegotiate(t *testing.T) {
	dir := t.TempDir()
	write := func(name, text string) {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("my.cnf", "[mysqld]\ntls_version=TLSv1.3\n\n[client]\nhost=127.0.0.1\ntls-version=TLSv1.2\n")
	write("server.cnf", "[mysqld]\nskip-ssl\n")
	write("compose.yaml", "services:\n  db:\n    image: mysql:8.0.36\n    command: [\"--require-secure-transport=ON\"]\n"+
		"  cache:\n    image: mariadb:10.11\n    command: [\"--skip-ssl\"]\n  app:\n    image: shop:1\n    environment:\n"+
		"      DB_DSN: \"app:hunter22@tcp(db:3306)/shop?tls=false\"\n")

	t.Run("same file, no common protocol", func(t *testing.T) {
		code, out, _ := runNegotiate(t, dir, "", "--server", "my.cnf", "--client", "my.cnf", "--target", "mysql-8.0.36")
		if code != ExitFail {
			t.Errorf("exit %d, want %d", code, ExitFail)
		}
		for _, want := range []string{"server:  my.cnf [mysqld] (MySQL 8.0.36)", "outcome: no common protocol",
			"ERROR 2026 (HY000)", "steps:\n  1. client: mysql (libmysqlclient)", "in common: no protocol"} {
			if !strings.Contains(out, want) {
				t.Errorf("output lacks %q:\n%s", want, out)
			}
		}
	})
	t.Run("DSN on stdin, JSON", func(t *testing.T) {
		code, out, _ := runNegotiate(t, dir, "app:s3cret-pw@tcp(db:3306)/shop?tls=true\n",
			"--server", "server.cnf", "--target", "mysql-8.0.36", "--client", "-", "--format", "json")
		if code != ExitFail {
			t.Errorf("exit %d, want %d", code, ExitFail)
		}
		var ns []negotiation
		if err := json.Unmarshal([]byte(out), &ns); err != nil {
			t.Fatalf("%v:\n%s", err, out)
		}
		if len(ns) != 1 || ns[0].Outcome != "server without TLS" || ns[0].Connects || ns[0].Client != "go-sql-driver/mysql" || len(ns[0].Steps) == 0 {
			t.Errorf("got %+v", ns)
		}
		if strings.Contains(out, "s3cret-pw") {
			t.Error("the password is in the output")
		}
	})
	t.Run("DSN as an argument is never printed", func(t *testing.T) {
		code, out, errs := runNegotiate(t, dir, "", "--server", "my.cnf", "--target", "mysql-8.0.36",
			"--client", "app:s3cret-pw@tcp(db:3306)/shop?tls=skip-verify")
		if code != ExitAgree || strings.Contains(out+errs, "s3cret-pw") || !strings.Contains(out, "outcome: TLS TLSv1.3") {
			t.Errorf("exit %d:\n%s%s", code, out, errs)
		}
	})
	t.Run("compose services", func(t *testing.T) {
		code, out, errs := runNegotiate(t, dir, "", "--server", "compose.yaml", "--client", "compose.yaml")
		if code != ExitUsage || !strings.Contains(errs, "configures 2 servers") {
			t.Errorf("two servers without --server-service: exit %d: %s%s", code, out, errs)
		}
		code, out, _ = runNegotiate(t, dir, "", "--server", "compose.yaml", "--server-service", "db",
			"--client", "compose.yaml", "--client-service", "app")
		if code != ExitFail || !strings.Contains(out, "secure transport required") || !strings.Contains(out, "3159") ||
			strings.Contains(out, "hunter22") {
			t.Errorf("exit %d:\n%s", code, out)
		}
	})
	t.Run("cannot tell", func(t *testing.T) {
		code, out, _ := runNegotiate(t, dir, "", "--server", "my.cnf", "--target", "mysql-8.0.36",
			"--client", "app@tcp(db:3306)/shop?tls=custom")
		if code != ExitCannotTell || !strings.Contains(out, "cannot tell") {
			t.Errorf("exit %d:\n%s", code, out)
		}
	})
	t.Run("host policy", func(t *testing.T) {
		write("old.cnf", "[mysqld]\nssl_cert=/etc/mysql/cert.pem\nssl_key=/etc/mysql/key.pem\ntls_version=TLSv1.0,TLSv1.1\n\n[client]\nhost=127.0.0.1\ntls-version=TLSv1.1\n")
		code, out, _ := runNegotiate(t, dir, "", "--server", "old.cnf", "--client", "old.cnf", "--target", "mariadb-10.11")
		if code != ExitFail || !strings.Contains(out, "assumed") {
			t.Errorf("at the assumed level 2, TLSv1.1 must fail and say the level was assumed: exit %d:\n%s", code, out)
		}
		code, out, _ = runNegotiate(t, dir, "", "--server", "old.cnf", "--client", "old.cnf", "--target", "mariadb-10.11",
			"--openssl-security-level", "0")
		if code == ExitFail || !strings.Contains(out, "outcome: TLS TLSv1.1") {
			t.Errorf("at level 0, TLSv1.1 connects: exit %d:\n%s", code, out)
		}
	})
	t.Run("certificate checks", func(t *testing.T) {
		files, err := pkitest.Expand(map[string][]byte{
			"tls.cnf":            []byte("[mysqld]\nssl_ca=certs/ca.pem\nssl_cert=certs/server.pem\nssl_key=/etc/mysql/key.pem\n"),
			"certs/ca.pem":       []byte("!pki cert cn=Negotiate-CA ca=yes key=negotiate-ca\n"),
			"certs/server.pem":   []byte("!pki cert cn=db dns=db issuer=ca.pem key=negotiate-server\n"),
			"certs/other-ca.pem": []byte("!pki cert cn=Other-CA ca=yes key=negotiate-other\n"),
			"verify.cnf":         []byte("[client]\nhost=db\nssl-ca=certs/ca.pem\nssl-verify-server-cert\n"),
			"verify-other.cnf":   []byte("[client]\nhost=db\nssl-ca=certs/other-ca.pem\nssl-verify-server-cert\n"),
		}, time.Now())
		if err != nil {
			t.Fatal(err)
		}
		os.MkdirAll(filepath.Join(dir, "certs"), 0o755)
		for name, data := range files {
			write(name, string(data))
		}
		for _, tc := range []struct {
			client, target string
			code           int
			want           []string
		}{
			// Go checks the name first: the missing name decides, whatever the system store holds.
			{"app@tcp(other:3306)/shop?tls=true", "mariadb-10.11", ExitFail,
				[]string{"outcome: certificate rejected: x509: certificate is valid for db, not other", "tls: failed to verify certificate"}},
			// The name is right; whether the system store trusts Negotiate-CA is not known.
			{"app@tcp(db:3306)/shop?tls=true", "mariadb-10.11", ExitCannotTell,
				[]string{"outcome: cannot tell: whether the client accepts the server certificate", "system store", "handshake: TLS TLSv1.3"}},
			{"verify.cnf", "mariadb-10.11", ExitAgree, []string{"outcome: TLS TLSv1.3", "the certificate passes the client's checks"}},
			{"verify-other.cnf", "mariadb-10.11", ExitFail,
				[]string{"outcome: certificate rejected: self-signed certificate in certificate chain", "ERROR 2026 (HY000): TLS/SSL error: self-signed certificate in certificate chain"}},
		} {
			code, out, errs := runNegotiate(t, dir, "", "--server", "tls.cnf", "--target", tc.target, "--client", tc.client)
			if code != tc.code {
				t.Errorf("%s: exit %d, want %d:\n%s%s", tc.client, code, tc.code, out, errs)
			}
			for _, w := range tc.want {
				if !strings.Contains(out, w) {
					t.Errorf("%s: output lacks %q:\n%s", tc.client, w, out)
				}
			}
		}
	})
	t.Run("usage", func(t *testing.T) {
		for _, args := range [][]string{{"--server", "my.cnf"}, {"--client", "-"}, {"--server", "nope.cnf", "--client", "my.cnf"},
			{"--server", "my.cnf", "--client", "my.cnf", "--format", "xml"}} {
			if code, _, _ := runNegotiate(t, dir, "", args...); code != ExitUsage {
				t.Errorf("%q: exit %d, want %d", args, code, ExitUsage)
			}
		}
	})
}

// TestNegotiateRouter: --server-service names a MySQL Router service
// (and, when it runs several routes, the route): Router is the server,
// and its client_ssl_mode=REQUIRED refuses a plaintext client with its
// own error.
func TestNegotiateRouter(t *testing.T) {
	dir := writeFiles(t, map[string]string{
		"compose.yaml": "services:\n  router:\n    image: mysql/mysql-router:8.0\n    volumes:\n" +
			"      - ./mysqlrouter.conf:/etc/mysqlrouter/mysqlrouter.conf\n",
		"mysqlrouter.conf": "[DEFAULT]\nclient_ssl_cert = /etc/r.pem\nclient_ssl_key = /etc/r-key.pem\n\n" +
			"[routing:rw]\nbind_port = 6446\nclient_ssl_mode = REQUIRED\n\n[routing:ro]\nbind_port = 6447\nclient_ssl_mode = DISABLED\n",
	})
	code, _, stderr := runNegotiate(t, dir, "", "--server", ".", "--server-service", "router", "--client", "app@tcp(router:6446)/shop?tls=false")
	if code != ExitUsage || !strings.Contains(stderr, "runs 2 MySQL Router routes (router[routing:rw], router[routing:ro])") {
		t.Errorf("two routes, none named: exit %d, %s", code, stderr)
	}
	code, out, stderr := runNegotiate(t, dir, "", "--server", ".", "--server-service", "router[routing:rw]", "--client", "app@tcp(router:6446)/shop?tls=false")
	if code != ExitFail {
		t.Errorf("exit %d, want %d\n%s", code, ExitFail, stderr)
	}
	for _, want := range []string{"server:  MySQL Router route [routing:rw] (compose service router)",
		"outcome: secure transport required", "Error 2026 (HY000): SSL connection error: SSL is required from client"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	// With TLS the handshake reaches the protocol, which Router's
	// defaults decide: not told, and why.
	_, out, _ = runNegotiate(t, dir, "", "--server", ".", "--server-service", "router[routing:rw]", "--client", "app@tcp(router:6446)/shop?tls=true")
	if !strings.Contains(out, "outcome: cannot tell: MySQL Router has no TLS protocol option") {
		t.Errorf("a TLS client of Router's route:\n%s", out)
	}
}
