//go:build linux

package hostile

import "testing"

// focusTrees name option files, as pre-commit does, so that the focused
// run (load.Options.Focus) reads every option file a directory at a time
// and follows directive lines: a FIFO and a link to /proc/self/environ
// among them, an include that climbs out of the root, a link to an outside
// directory named in !includedir, and a huge file are not read through,
// and the run still reports the named file.
var focusTrees = []struct {
	name string
	test func(t *testing.T, e *env)
}{
	{"focused run", func(t *testing.T, e *env) {
		e.sentinel("secret.cnf", "[mysqld]\nssl_key=OUTSIDE-SECRET\n")
		e.write("a/my.cnf", "[mysqld]\ntls_version=TLSv1,TLSv1.2\n!include ../../outside/secret.cnf\n!includedir conf.d\n!includedir linked\n")
		e.write("a/conf.d/tls.cnf", "[mysqld]\nssl_cipher=RC4-MD5\n")
		e.fifo("a/conf.d/fifo.cnf")
		e.symlink("a/conf.d/environ.cnf", "/proc/self/environ")
		e.symlink("a/linked", e.outside)
		e.write("b/huge.cnf", "[mysqld]\n"+string(make([]byte, 5<<20)))
		e.fifo("c/fifo.cnf")
		for _, scope := range []string{"changed", "named"} {
			r := e.run("--report", scope, "a/conf.d/tls.cnf", "a/my.cnf")
			wantCode(t, r, 1)
			wantIn(t, r, r.stdout, "RC4-MD5", "TLSv1")
			e.noLeak(r.args, "output", r.all(), "OUTSIDE-SECRET")
		}
	}},
}
