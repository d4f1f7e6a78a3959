//go:build linux

package hostile

import (
	"encoding/base64"
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
	{"router-mount-escapes", func(t *testing.T, e *env) {
		// A MySQL Router service mounts a mysqlrouter.conf from outside
		// the repository (../.., an absolute path, a link out of it, a
		// directory link out of it) beside one inside: only the inside
		// route pairs with the application, and the outside file, whose
		// client_ssl_mode would be quoted if read, stays unread.
		e.sentinel("mysqlrouter.conf", "[routing:rw]\nbind_port = 6446\nclient_ssl_mode = "+e.marker+"\n")
		e.symlink("router/mysqlrouter.conf", e.outside+"/mysqlrouter.conf")
		e.symlink("routerdir", e.outside)
		e.write("inside/mysqlrouter.conf", "[routing:ro]\nbind_port = 6447\nclient_ssl_mode = DISABLED\n")
		e.write("compose.yaml", "services:\n  router:\n    image: mysql/mysql-router:8.0\n    volumes:\n"+
			"      - ../../outside/mysqlrouter.conf:/etc/mysqlrouter/a.conf\n"+
			"      - "+e.outside+"/mysqlrouter.conf:/etc/mysqlrouter/b.conf\n"+
			"      - ./router/mysqlrouter.conf:/etc/mysqlrouter/c.conf\n"+
			"      - ./routerdir:/etc/routerdir\n      - ./inside:/etc/mysqlrouter/inside\n"+
			"  app:\n    image: shop:1\n    environment:\n"+
			"      A: \"app@tcp(router:6446)/shop?tls=true\"\n      B: \"app@tcp(router:6447)/shop?tls=true\"\n")
		r := e.run("--enable", "TV403")
		wantCode(t, r, 1)
		wantIn(t, r, r.stdout, "compose.yaml:14:", "[TV403 ", "[routing:ro]")
		if strings.Contains(r.stdout, "compose.yaml:13:") {
			t.Errorf("the route of a file outside the repository was paired:\n%s", r.stdout)
		}
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
	{"secret-values", func(t *testing.T, e *env) {
		// Certificates and keys inside YAML, under the 4 MiB file cap: a
		// Secret whose base64 certificate decodes to a 1.8 MB "PEM" of
		// one endless block, a value of 15,000 empty PEM blocks, one that
		// is not base64, and chart values whose tls.key is a 3 MB "key";
		// each is mounted where a setting names it. Key bytes, plain or
		// base64, appear in no output.
		body := "S0VZLUJZVEVTLU5PVC1UTy1CRS1TSE9XTg"
		key := "-----BEGIN PRIVATE KEY-----\n" + body + "\n-----END PRIVATE KEY-----\n"
		huge := base64.StdEncoding.EncodeToString([]byte("-----BEGIN CERTIFICATE-----\n" + strings.Repeat("QUFB\n", 360000)))
		blocks := base64.StdEncoding.EncodeToString([]byte(strings.Repeat("-----BEGIN CERTIFICATE-----\n-----END CERTIFICATE-----\n", 15000)))
		e.write("k8s/db.yaml", "apiVersion: v1\nkind: Secret\nmetadata:\n  name: tls\ntype: kubernetes.io/tls\ndata:\n"+
			"  tls.crt: "+huge+"\n  ca.crt: "+blocks+"\n  tls.key: "+base64.StdEncoding.EncodeToString([]byte(key))+"\n"+
			"  crl.pem: LS0tLS1CRUdJTi%%%\n---\napiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: db\nspec:\n"+
			"  template:\n    spec:\n      containers:\n        - name: mysql\n          image: mysql:8.4.3\n"+
			"          args: [--ssl-cert=/tls/tls.crt, --ssl-key=/tls/tls.key, --ssl-ca=/tls/ca.crt, --ssl-crl=/tls/crl.pem]\n"+
			"          volumeMounts: [{name: tls, mountPath: /tls}]\n      volumes: [{name: tls, secret: {secretName: tls}}]\n")
		e.write("chart/values.yaml", "image:\n  repository: bitnami/mysql\nprimary:\n  configuration: |-\n    [mysqld]\n"+
			"    ssl_key=/opt/bitnami/mysql/certs/tls.key\ntls:\n  enabled: true\n  autoGenerated: {enabled: false, engine: none}\n"+
			"  key: |\n    -----BEGIN PRIVATE KEY-----\n"+strings.Repeat("    "+body+"\n", 80000)+"    -----END PRIVATE KEY-----\n")
		r := e.run()
		wantCode(t, r, 1)
		wantIn(t, r, r.stdout, "chart/values.yaml:11:tls.key cannot be loaded", "k8s/db.yaml:7:tls.crt cannot be loaded",
			"k8s/db.yaml:10:crl.pem cannot be loaded: the value is not valid base64")
		secrets := []string{body, base64.StdEncoding.EncodeToString([]byte(key))[8:60]}
		for _, f := range formats {
			r := e.run("--format", f)
			e.noLeak(r.args, "output", r.all(), secrets...)
		}
		r = e.run("--diff")
		e.noLeak(r.args, "output", r.all(), secrets...)
	}},
}
