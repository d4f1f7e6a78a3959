package cli

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
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
			"--client", "app:s3cret-pw@tcp(db:3306)/shop?tls=true")
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
	t.Run("usage", func(t *testing.T) {
		for _, args := range [][]string{{"--server", "my.cnf"}, {"--client", "-"}, {"--server", "nope.cnf", "--client", "my.cnf"},
			{"--server", "my.cnf", "--client", "my.cnf", "--format", "xml"}} {
			if code, _, _ := runNegotiate(t, dir, "", args...); code != ExitUsage {
				t.Errorf("%q: exit %d, want %d", args, code, ExitUsage)
			}
		}
	})
}
