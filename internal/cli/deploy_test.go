package cli

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestComposeLinksAndSoundService: an application's DATABASE_URL whose
// host is a compose service is linked to that service's server in the
// JSON report, and a correctly configured MariaDB service gives no
// finding with every rule on.
func TestComposeLinksAndSoundService(t *testing.T) {
	dir := writeFiles(t, map[string]string{
		"compose.yaml": `services:
  db:
    image: mariadb:11.4.3
    command: ["--require-secure-transport=ON", "--tls-version=TLSv1.2,TLSv1.3"]
    volumes:
      - ./conf/tls.cnf:/etc/mysql/conf.d/tls.cnf:ro
  app:
    image: registry.example.com/shop:1.4
    environment:
      DATABASE_URL: "jdbc:mariadb://db:3306/shop?sslMode=verify-full&serverSslCert=/etc/ssl/db-ca.pem"
`,
		"conf/tls.cnf": "[mariadbd]\nssl_cert=/etc/mysql/certs/server-cert.pem\nssl_key=/etc/mysql/certs/server-key.pem\nssl_ca=/etc/mysql/certs/ca.pem\n",
	})
	code, out, stderr := run(t, dir, "--format", "json", ".")
	var rep struct {
		Findings []struct{ Rule, Message, Path string }
		Links    []struct {
			Client struct{ Kind, Name, Path string }
			Server struct{ Kind, Name, Path string }
			Reason string
		}
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("%v\n%s\n%s", err, out, stderr)
	}
	if code != ExitClean || len(rep.Findings) != 0 {
		t.Errorf("the sound MariaDB service: exit %d, findings %+v", code, rep.Findings)
	}
	if len(rep.Links) != 1 {
		t.Fatalf("links %+v, want one", rep.Links)
	}
	l := rep.Links[0]
	if l.Server.Kind != "compose service" || l.Server.Name != "db" || l.Client.Kind != "MariaDB Connector/J" ||
		!strings.Contains(l.Reason, "compose service db") {
		t.Errorf("link %+v", l)
	}
}

// TestDeploymentFixesApplyWithGit: fixes inside a YAML literal block and
// in a compose list element, shown by --diff, apply with git apply and
// give what --fix writes.
func TestDeploymentFixesApplyWithGit(t *testing.T) {
	files := map[string]string{
		"values.yaml":  "image:\n  repository: bitnami/mariadb\n  tag: 11.4.3\nprimary:\n  configuration: |-\n    [mysqld]\n    tls_version=TLSv1.0,TLSv1.2\n",
		"compose.yaml": "services:\n  db:\n    image: mysql:8.0.36\n    command: [\"--tls-version=TLSv1.1,TLSv1.2,TLSv1.3\"]\n",
	}
	dir := writeFiles(t, files)
	_, diff, stderr := run(t, dir, "--diff", ".")
	for _, w := range []string{"-    tls_version=TLSv1.0,TLSv1.2\n+    tls_version=TLSv1.2\n",
		"-    command: [\"--tls-version=TLSv1.1,TLSv1.2,TLSv1.3\"]\n+    command: [\"--tls-version=TLSv1.2,TLSv1.3\"]\n"} {
		if !strings.Contains(diff, w) {
			t.Errorf("diff lacks %q:\n%s\n%s", w, diff, stderr)
		}
	}
	if _, err := exec.LookPath("git"); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("git is not installed; CI must install it")
		}
		t.Skip("git is not installed")
	}
	patch := filepath.Join(t.TempDir(), "fix.diff")
	os.WriteFile(patch, []byte(diff), 0o644)
	cmd := exec.Command("git", "apply", patch)
	cmd.Dir = dir
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("git apply: %v\n%s", err, out)
	}
	fixed := writeFiles(t, files)
	run(t, fixed, "--fix", ".")
	for name := range files {
		a, _ := os.ReadFile(filepath.Join(dir, name))
		b, _ := os.ReadFile(filepath.Join(fixed, name))
		if string(a) != string(b) {
			t.Errorf("%s: git apply gave\n%s\n--fix wrote\n%s", name, a, b)
		}
	}
}

// TestKubernetesLink: an application's DSN whose host is a StatefulSet's
// Service name (in any of its DNS forms) is linked to that server.
func TestKubernetesLink(t *testing.T) {
	dir := writeFiles(t, map[string]string{
		"k8s/db.yaml": "apiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: db\n  namespace: shop\nspec:\n  template:\n    spec:\n" +
			"      containers:\n        - name: mysql\n          image: mysql:8.4.3\n          args: [\"--require-secure-transport=ON\"]\n",
		"k8s/app.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: app\ndata:\n" +
			"  DB_DSN: \"app@tcp(db.shop.svc.cluster.local:3306)/shop?tls=true\"\n",
	})
	_, out, _ := run(t, dir, "--format", "json", ".")
	var rep struct {
		Links []struct {
			Server struct{ Kind, Name string }
			Reason string
		}
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatal(err)
	}
	if len(rep.Links) != 1 || rep.Links[0].Server.Name != "db/mysql" || !strings.Contains(rep.Links[0].Reason, "db.shop.svc.cluster.local") {
		t.Errorf("links %+v\n%s", rep.Links, out)
	}
}

// TestRouterLinkJSON: a connection string whose host is a MySQL Router
// service is linked to the route in the JSON report, with the Router
// service as its server end, and the finding it gets points at Router's
// client_ssl_mode.
func TestRouterLinkJSON(t *testing.T) {
	dir := writeFiles(t, map[string]string{
		"compose.yaml": `services:
  router:
    image: mysql/mysql-router:8.0
    volumes:
      - ./mysqlrouter.conf:/etc/mysqlrouter/mysqlrouter.conf
  app:
    image: shop:1
    environment:
      DB_DSN: "app@tcp(router:6446)/shop?tls=skip-verify"
`,
		"mysqlrouter.conf": "[routing:rw]\nbind_port = 6446\ndestinations = db:3306\nclient_ssl_mode = DISABLED\n",
	})
	_, out, stderr := run(t, dir, "--format", "json", "--enable", "TV403", ".")
	var rep struct {
		Findings []struct {
			Rule    string
			Related []struct{ Message string }
		}
		Links []struct {
			Server struct{ Kind, Name string }
			Reason string
		}
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("%v\n%s\n%s", err, out, stderr)
	}
	if len(rep.Links) != 1 || rep.Links[0].Server.Name != "router" ||
		rep.Links[0].Reason != "host router is the compose service router, route [routing:rw]" {
		t.Errorf("links %+v", rep.Links)
	}
	if len(rep.Findings) != 1 || rep.Findings[0].Rule != "TV403" || len(rep.Findings[0].Related) != 1 ||
		!strings.HasPrefix(rep.Findings[0].Related[0].Message, "MySQL Router's client_ssl_mode ([routing:rw]") {
		t.Errorf("findings %+v", rep.Findings)
	}
}
