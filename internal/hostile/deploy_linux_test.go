//go:build linux

package hostile

import (
	"fmt"
	"strings"
	"testing"
)

// deployTrees are hostile deployment files (issue 10): compose files,
// Dockerfiles, manifests and chart values whose mounts and copies point
// outside the repository, through links, or at bombs. Each run keeps
// e.run's properties: nothing outside the root is read (the sentinels'
// marker appears in no output), memory and time stay bounded.
var deployTrees = []struct {
	name string
	test func(t *testing.T, e *env)
}{
	{"compose-mount-escapes", func(t *testing.T, e *env) {
		// A bind mount of ../../etc-like sources and an absolute one, next
		// to a finding that shows the run read the file.
		e.write("deploy/compose.yaml", "services:\n  db:\n    image: mysql:8.0.36\n"+
			"    command: [\"--log-error-verbosity\", \"--require_secure_transport=ON\"]\n"+
			"    volumes:\n      - ../../outside:/etc/mysql/conf.d\n      - "+e.outside+"/x.cnf:/etc/mysql/conf.d/x.cnf\n"+
			"      - ../../outside/fix.cnf:/etc/mysql/conf.d/fix.cnf\n")
		r := e.run()
		wantCode(t, r, 1)
		wantIn(t, r, r.stdout, "deploy/compose.yaml:4:", "[TV010 ")
		r = e.run("--fix")
		wantCode(t, r, 1)
	}},
	{"compose-mount-symlink", func(t *testing.T, e *env) {
		// The mount's source is a link out of the repository, and a link
		// inside it: only the inside one is read.
		e.symlink("conf", e.outside)
		e.write("real/tls.cnf", "[mysqld]\ntls_version=TLSv1,TLSv1.2\n")
		e.symlink("inside.cnf", "real/tls.cnf")
		e.write("compose.yaml", "services:\n  db:\n    image: mysql:8.0.36\n    volumes:\n"+
			"      - ./conf/x.cnf:/etc/mysql/conf.d/x.cnf\n      - ./inside.cnf:/etc/mysql/conf.d/inside.cnf\n")
		r := e.run()
		wantCode(t, r, 1)
		wantIn(t, r, r.stdout, "real/tls.cnf:2:", "[TV104 ")
	}},
	{"dockerfile-copy-outside", func(t *testing.T, e *env) {
		// BuildKit reads COPY ../x as x at the context root; an absolute
		// source the same way: neither reaches outside the repository.
		e.write("db/Dockerfile", "FROM mysql:8.0.36\nCOPY ../../outside/x.cnf /etc/mysql/conf.d/\n"+
			"COPY "+e.outside+"/fix.cnf /etc/mysql/conf.d/\nCOPY ../x.cnf /etc/mysql/conf.d/\n"+
			"CMD [\"mysqld\", \"--tls-version=TLSv1.1\"]\n")
		e.write("db/x.cnf", "[mysqld]\nssl_cipher=RC4-MD5\n")
		r := e.run()
		wantCode(t, r, 1)
		wantIn(t, r, r.stdout, "db/Dockerfile:5:", "[TV105 ", "db/x.cnf:2:")
	}},
	{"deploy-yaml-bombs", func(t *testing.T, e *env) {
		// An alias bomb in a compose file and in chart values, and nesting
		// 100,000 deep in a manifest.
		e.write("compose.yaml", billionLaughs()+"services:\n  db:\n    image: mysql:8.0.36\n    command: [\"--tls-version=TLSv1.1\"]\n")
		e.write("charts/db/values.yaml", billionLaughs()+"image:\n  repository: bitnami/mariadb\n  tag: 11.4.3\n")
		e.write("k8s/deep.yaml", "apiVersion: v1\nkind: ConfigMap\ndata:\n  x: "+strings.Repeat("[", 100000)+"\n")
		r := e.run()
		wantCode(t, r, 0, 1)
		for _, f := range formats {
			e.run("--format", f)
		}
	}},
}

// certTrees are hostile certificate and key files (issue 11): what a
// setting names is read only when it is a regular file inside the root,
// under the size cap, and key bytes appear in no output.
var certTrees = []struct {
	name string
	test func(t *testing.T, e *env)
}{
	{"cert-paths", func(t *testing.T, e *env) {
		e.symlink("certs/environ.pem", "/proc/self/environ")
		e.symlink("certs/outside.pem", e.outside+"/x.cnf")
		e.fifo("certs/fifo.pem")
		e.write("certs/big.pem", "-----BEGIN CERTIFICATE-----\n"+strings.Repeat("QUFB\n", 1<<20)+"-----END CERTIFICATE-----\n")
		e.write("certs/server.key", "-----BEGIN PRIVATE KEY-----\nS0VZLUJZVEVTLU5PVC1UTy1CRS1TSE9XTg==\n-----END PRIVATE KEY-----\n")
		e.write("my.cnf", "[mysqld]\nssl_cert=certs/environ.pem\nssl_key=certs/server.key\nssl_ca=certs/fifo.pem\n"+
			"ssl_crl=certs/outside.pem\n[client]\nssl-ca=certs/big.pem\n")
		r := e.run()
		wantCode(t, r, 0, 1)
		for _, f := range formats {
			r := e.run("--format", f)
			e.noLeak(r.args, "output", r.all(), "S0VZLUJZVEVTLU5PVC1UTy1CRS1TSE9XTg")
		}
		r = e.run("--diff")
		e.noLeak(r.args, "output", r.all(), "S0VZLUJZVEVTLU5PVC1UTy1CRS1TSE9XTg")
	}},
	// A CA directory is listed, not walked: hash-named links to
	// /proc/self/environ, outside the root or to a FIFO are not read, a
	// CRL directory that is a link out of the root is not listed, and
	// thousands of entries cost a bounded listing.
	{"ca-directory", func(t *testing.T, e *env) {
		e.symlink("certs/3387b84d.0", "/proc/self/environ")
		e.symlink("certs/3387b84d.1", e.outside+"/x.cnf")
		e.fifo("certs/3387b84d.2")
		e.symlink("crls", e.outside)
		for i := range 1500 {
			e.write(fmt.Sprintf("certs/c%04d.pem", i), "-----BEGIN X509 CRL-----\nQUFB\n-----END X509 CRL-----\n")
		}
		e.write("my.cnf", "[mysqld]\nssl_capath=certs\nssl_crlpath=crls\n[client]\nssl-capath=/etc/ssl/certs\n")
		wantCode(t, e.run(), 0, 1)
	}},
}
