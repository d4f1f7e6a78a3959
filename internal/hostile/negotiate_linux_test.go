//go:build linux

package hostile

import "testing"

// negotiateTrees run tlsvet negotiate, which reads the paths it is given
// and a connection string from its arguments: a server file that links
// out of its directory or is a FIFO is not read, a certificate linked to
// /proc/self/environ is not read, and the connection string's password
// appears in no output.
var negotiateTrees = []struct {
	name string
	test func(t *testing.T, e *env)
}{
	{"negotiate", func(t *testing.T, e *env) {
		const password = "NegotiateSecret-77"
		// skip-verify: the certificate is not read, so whether tls=true accepts it
		// could not be told (exit 3, which the harness reserves).
		dsn := "app:" + password + "@tcp(db:3306)/shop?tls=skip-verify"
		e.symlink("out.cnf", e.outside+"/x.cnf")
		e.fifo("fifo.cnf")
		e.symlink("certs/environ.pem", "/proc/self/environ")
		e.write("my.cnf", "[mysqld]\ntls_version=TLSv1.3\nssl_cert=certs/environ.pem\nssl_key=certs/environ.pem\n")
		for _, server := range []string{"out.cnf", "fifo.cnf"} {
			r := e.run("negotiate", "--server", server, "--target", "mysql-8.0.36", "--client", dsn)
			wantCode(t, r, 2)
			e.noLeak(r.args, "output", r.all(), password)
		}
		for _, format := range []string{"text", "json"} {
			r := e.run("negotiate", "--server", "my.cnf", "--target", "mysql-8.0.36", "--client", dsn, "--format", format)
			wantCode(t, r, 0)
			wantIn(t, r, r.stdout, "TLSv1.3")
			e.noLeak(r.args, "output", r.all(), password)
		}
	}},
}
