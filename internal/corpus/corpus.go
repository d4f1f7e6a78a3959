// Package corpus generates synthetic repositories of option files for
// benchmarks: realistic server and client files, includes and include
// directories, and a share of misconfigurations, from a fixed seed so that
// every run measures the same bytes.
package corpus

import (
	"fmt"
	"math/rand"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/tlsvet/tlsvet/internal/pkitest"
)

var (
	protocols = []string{"TLSv1.2,TLSv1.3", "TLSv1.3", "TLSv1,TLSv1.2", "TLSv1.1, TLSv1.2", "TLSv1.2", "", "TLSv1,TLSv1.1,TLSv1.2,TLSv1.3"}
	ciphers   = []string{"ECDHE-RSA-AES256-GCM-SHA384:ECDHE-RSA-AES128-GCM-SHA256", "RC4-MD5", "AES128-SHA:DES-CBC3-SHA",
		"ECDHE-ECDSA-AES128-GCM-SHA256", "TLS_AES_256_GCM_SHA384", "HIGH:!aNULL:!MD5"}
	modes  = []string{"VERIFY_IDENTITY", "REQUIRED", "PREFERRED", "DISABLED", "VERIFY_CA"}
	groups = []string{"mysqld", "mysqld-8.0", "server", "mariadb", "mysqld_safe"}
	filler = []string{"max_connections = 500", "innodb_buffer_pool_size = 2G", "log_error = /var/log/mysql/error.log",
		"slow_query_log = 1", "character-set-server = utf8mb4", "bind-address = 0.0.0.0", "skip-name-resolve"}
)

// Generate writes n option files below dir (about one in ten is a
// directory-included fragment) and returns the number of bytes written.
func Generate(dir string, n int, seed int64) (int64, error) {
	r := rand.New(rand.NewSource(seed))
	var total int64
	for i := 0; i < n; i++ {
		svc := filepath.Join(dir, fmt.Sprintf("svc%04d", i/10))
		var name, text string
		switch i % 10 {
		case 0:
			name, text = filepath.Join(svc, "my.cnf"), server(r, true)
		case 1:
			name, text = filepath.Join(svc, "conf.d", "tls.cnf"), server(r, false)
		case 2, 3:
			name, text = filepath.Join(svc, fmt.Sprintf("client%d.cnf", i%10)), client(r)
		default:
			name, text = filepath.Join(svc, fmt.Sprintf("extra%d.cnf", i%10)), server(r, false)
		}
		if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
			return total, err
		}
		if err := os.WriteFile(name, []byte(text), 0o644); err != nil {
			return total, err
		}
		total += int64(len(text))
	}
	return total, nil
}

func pick(r *rand.Rand, s []string) string { return s[r.Intn(len(s))] }

func server(r *rand.Rand, top bool) string {
	var b strings.Builder
	b.WriteString("# generated server configuration\n")
	fmt.Fprintf(&b, "[%s]\n", pick(r, groups))
	for j := 0; j < 5+r.Intn(20); j++ {
		b.WriteString(pick(r, filler) + "\n")
	}
	fmt.Fprintf(&b, "ssl_ca = /etc/mysql/certs/ca.pem\nssl_cert = /etc/mysql/certs/server-cert.pem\n")
	if r.Intn(5) > 0 {
		b.WriteString("ssl_key = /etc/mysql/certs/server-key.pem\n")
	}
	fmt.Fprintf(&b, "tls_version = %s\n", pick(r, protocols))
	if r.Intn(2) == 0 {
		fmt.Fprintf(&b, "ssl_cipher = %s\n", pick(r, ciphers))
	}
	if r.Intn(3) == 0 {
		b.WriteString("require_secure_transport = ON\n")
	}
	if top {
		b.WriteString("!includedir conf.d/\n")
	}
	return b.String()
}

func client(r *rand.Rand) string {
	return fmt.Sprintf("[client]\nuser = app\nssl-mode = %s\nssl-ca = /etc/mysql/certs/ca.pem\n\n[mysql]\nprompt = \"\\\\u@\\\\h> \"\n", pick(r, modes))
}

// dsns are connection strings of several dialects, some sound, some not.
var dsns = []string{
	"app:%s@tcp(db%d:3306)/shop?tls=skip-verify&parseTime=true",
	"app:%s@tcp(db%d:3306)/shop?tls=true",
	"jdbc:mysql://db%[2]d:3306/shop?useSSL=false&user=app&password=%[1]s",
	"jdbc:mariadb://db%[2]d/shop?sslMode=verify-full&password=%[1]s",
	"mysql+pymysql://app:%s@db%d/shop?ssl_ca=/etc/ssl/ca.pem",
	"Server=db%[2]d;Database=shop;Uid=app;Pwd=%[1]s;SslMode=Required;SslCa=ca.pem",
}

// GenerateApps writes n application files (.env, properties, YAML, JSON,
// Go) below dir, each holding connection strings among other settings,
// and returns their total size: the corpus of the connection-string
// readers' benchmark.
func GenerateApps(dir string, n int, seed int64) (int64, error) {
	r := rand.New(rand.NewSource(seed))
	var total int64
	for i := 0; i < n; i++ {
		svc := filepath.Join(dir, fmt.Sprintf("app%04d", i/5))
		dsn := func() string { return fmt.Sprintf(pick(r, dsns), fmt.Sprintf("pw%d", r.Intn(1e6)), r.Intn(100)) }
		var name, text string
		switch i % 5 {
		case 0:
			name = filepath.Join(svc, ".env")
			text = fmt.Sprintf("LOG_LEVEL=info\nPORT=8080\nDB_DSN=\"%s\"\nCACHE_URL=redis://cache:6379/0\n", dsn())
		case 1:
			name = filepath.Join(svc, "src/main/resources/application.properties")
			text = fmt.Sprintf("server.port=8080\nspring.datasource.url=%s\nspring.jpa.open-in-view=false\n", dsn())
		case 2:
			name = filepath.Join(svc, "config/application.yml")
			text = fmt.Sprintf("spring:\n  datasource:\n    url: \"%s\"\n    hikari:\n      maximum-pool-size: 10\nlogging:\n  level: INFO\n", dsn())
		case 3:
			name = filepath.Join(svc, "appsettings.json")
			text = fmt.Sprintf("{\n  \"Logging\": {\"LogLevel\": {\"Default\": \"Information\"}},\n  \"ConnectionStrings\": {\"Shop\": %q}\n}\n", dsn())
		default:
			name = filepath.Join(svc, "db.go")
			text = fmt.Sprintf("package db\n\nconst dsn = %q\n\nfunc Name() string { return \"shop\" }\n", dsn())
		}
		if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
			return total, err
		}
		if err := os.WriteFile(name, []byte(text), 0o644); err != nil {
			return total, err
		}
		total += int64(len(text))
	}
	return total, nil
}

// GenerateCerts writes n files below dir: services of five files each (a
// server option file naming its certificate, key and CA by relative
// paths, the three PEM files, and a verifying client's option file), all
// signed by one CA, with a share of expired, misnamed, weak, wrongly
// signed and mismatched ones. Keys are P-256, made afresh on each run
// (package pkitest), so the bytes differ between runs but not their size
// or the work they cost; the certificates' dates are fixed.
func GenerateCerts(dir string, n int, seed int64) (int64, error) {
	r := rand.New(rand.NewSource(seed))
	files := map[string][]byte{
		"ca/ca.pem":    []byte("!pki cert cn=Corpus-CA ca=yes key=corpus-ca keytype=p256\n"),
		"ca/other.pem": []byte("!pki cert cn=Other-CA ca=yes key=corpus-other keytype=p256\n"),
	}
	for s := 0; s*5 < n; s++ {
		svc := fmt.Sprintf("svc%04d", s)
		key := fmt.Sprintf("key=corpus-%d keytype=p256", s)
		certKey, issuer, until, host := key, "ca/ca.pem", "2120-01-01", svc+".db.internal"
		switch r.Intn(20) {
		case 0:
			until = "2021-01-01" // TV501
		case 1:
			certKey = "key=corpus-weak keytype=rsa-1024" // TV504 (one key for all)
		case 2:
			issuer = "ca/other.pem" // TV406
		case 3:
			host = "db.elsewhere" // TV405
		case 4:
			certKey = fmt.Sprintf("key=corpus-other-%d keytype=p256", s) // TV503
		}
		files[svc+"/my.cnf"] = []byte("[mysqld]\nssl_cert=server-cert.pem\nssl_key=server-key.pem\nssl_ca=ca.pem\n" +
			"require_secure_transport=ON\n" + pick(r, filler) + "\n\n[client]\nhost=" + svc + ".db.internal\n" +
			"ssl-mode=VERIFY_IDENTITY\nssl-ca=ca.pem\n")
		files[svc+"/server-cert.pem"] = []byte(fmt.Sprintf("!pki cert cn=%s dns=%s %s issuer=../%s until=%s eku=server\n",
			svc, host, certKey, issuer, until))
		files[svc+"/server-key.pem"] = []byte("!pki key " + key + "\n")
		files[svc+"/ca.pem"] = []byte("!pki cert cn=Corpus-CA ca=yes key=corpus-ca keytype=p256\n")
		files[svc+"/client.cnf"] = []byte("[client]\nssl-mode=VERIFY_CA\nssl-ca=ca.pem\n" + pick(r, filler) + "\n")
	}
	out, err := pkitest.Expand(files, time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC))
	if err != nil {
		return 0, err
	}
	var total int64
	for name, data := range out {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return total, err
		}
		if err := os.WriteFile(p, data, 0o644); err != nil {
			return total, err
		}
		total += int64(len(data))
	}
	return total, nil
}

// GenerateDeploy writes n deployment files below dir: projects of five
// files, a compose file (a database service with TLS flags and a certificate
// mount, an app with a connection string), a Kubernetes StatefulSet with
// its server arguments, a ConfigMap embedding a my.cnf, a Deployment with
// a connection string in its env, and a Secret with a base64 CA. A share
// disable TLS, allow old protocols or require TLS the app does not use.
func GenerateDeploy(dir string, n int, seed int64) (int64, error) {
	r := rand.New(rand.NewSource(seed))
	images := []string{"mysql:8.0.36", "mysql:8.4.3", "mariadb:10.11", "mariadb:11.4", "percona/percona-server:8.0"}
	flags := []string{"--require-secure-transport=ON", "--tls-version=TLSv1.2,TLSv1.3", "--tls-version=TLSv1,TLSv1.2",
		"--skip-ssl", "--ssl-cipher=ECDHE-RSA-AES128-GCM-SHA256", "--tls-version=TLSv1.3"}
	var total int64
	write := func(name, text string) error {
		if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
			return err
		}
		total += int64(len(text))
		return os.WriteFile(name, []byte(text), 0o644)
	}
	for i := 0; i < n; i++ {
		prj := filepath.Join(dir, fmt.Sprintf("prj%04d", i/5))
		// The apps reach the database as the service db, so they link.
		dsn := strings.Replace(fmt.Sprintf(pick(r, dsns), fmt.Sprintf("pw%d", r.Intn(1e6)), 0), "db0", "db", 1)
		var name, text string
		switch i % 5 {
		case 0:
			name = filepath.Join(prj, "compose.yaml")
			text = fmt.Sprintf("services:\n  db:\n    image: %s\n    command: [\"--ssl-cert=/certs/server-cert.pem\", \"--ssl-key=/certs/server-key.pem\", %q]\n"+
				"    volumes:\n      - ./certs:/certs:ro\n      - db-data:/var/lib/mysql\n    environment:\n      MYSQL_ROOT_PASSWORD_FILE: /run/secrets/root\n"+
				"  app:\n    image: shop:%d\n    depends_on: [db]\n    environment:\n      DB_DSN: %q\n      LOG_LEVEL: info\nvolumes:\n  db-data: {}\n",
				pick(r, images), pick(r, flags), r.Intn(100), dsn)
		case 1:
			name = filepath.Join(prj, "k8s", "db.yaml")
			text = fmt.Sprintf("apiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: db\nspec:\n  serviceName: db\n  replicas: 1\n"+
				"  selector:\n    matchLabels: {app: db}\n  template:\n    metadata:\n      labels: {app: db}\n    spec:\n      containers:\n"+
				"        - name: mysql\n          image: %s\n          args: [%q, \"--ssl-ca=/etc/mysql/certs/ca.pem\"]\n"+
				"          volumeMounts:\n            - name: config\n              mountPath: /etc/mysql/conf.d\n"+
				"      volumes:\n        - name: config\n          configMap:\n            name: db-config\n",
				pick(r, images), pick(r, flags))
		case 2:
			name = filepath.Join(prj, "k8s", "config.yaml")
			text = fmt.Sprintf("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: db-config\ndata:\n  tls.cnf: |\n    [mysqld]\n"+
				"    tls_version = %s\n    ssl_cipher = %s\n    %s\n", pick(r, protocols), pick(r, ciphers), pick(r, filler))
		case 3:
			name = filepath.Join(prj, "k8s", "app.yaml")
			text = fmt.Sprintf("apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: app\nspec:\n  replicas: 2\n"+
				"  selector:\n    matchLabels: {app: app}\n  template:\n    metadata:\n      labels: {app: app}\n    spec:\n      containers:\n"+
				"        - name: app\n          image: shop:%d\n          env:\n            - name: DB_DSN\n              value: %q\n"+
				"            - name: LOG_LEVEL\n              value: info\n", r.Intn(100), dsn)
		default:
			name = filepath.Join(prj, "k8s", "ca.yaml")
			text = fmt.Sprintf("apiVersion: v1\nkind: Secret\nmetadata:\n  name: db-ca-%d\ntype: Opaque\ndata:\n  note: %s\n",
				r.Intn(1000), "aGVsbG8gd29ybGQ=")
		}
		if err := write(name, text); err != nil {
			return total, err
		}
	}
	return total, nil
}

// Mix is the share of each file kind in GenerateMixed's corpus, in
// hundredths: what a repository that keeps its MySQL configuration beside
// its deployment and application files holds.
var Mix = []struct {
	Kind  string
	Share int
	Gen   func(dir string, n int, seed int64) (int64, error)
}{
	{"option files", 60, Generate},
	{"deployment YAML (compose, Kubernetes)", 15, GenerateDeploy},
	{"application files (.env, properties, YAML, JSON, Go)", 15, GenerateApps},
	{"certificate services (PEM files and their option files)", 10, GenerateCerts},
}

// GenerateMixed writes about n files below dir, each kind of Mix in its
// share and its own subdirectory, and returns their total size.
func GenerateMixed(dir string, n int, seed int64) (int64, error) {
	var total int64
	for i, m := range Mix {
		size, err := m.Gen(filepath.Join(dir, fmt.Sprintf("mix%d", i)), n*m.Share/100, seed+int64(i))
		total += size
		if err != nil {
			return total, err
		}
	}
	return total, nil
}
