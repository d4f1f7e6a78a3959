package load

import (
	"strings"
	"testing"
	"testing/fstest"

	"github.com/tlsvet/tlsvet/internal/model"
)

const routerConf = `[DEFAULT]
client_ssl_cert = /etc/mysqlrouter/router.pem
client_ssl_key = /etc/mysqlrouter/router-key.pem

[routing:rw]
bind_address = 0.0.0.0:6446
destinations = db:3306
client_ssl_mode = REQUIRED
client_ssl_cipher = ECDHE-RSA-AES128-GCM-SHA256

[routing:ro]
bind_port = 6447
destinations = metadata-cache://cluster/?role=SECONDARY
`

// links lists a project's links as "client host:port -> reason".
func links(p *model.Project) string {
	var out []string
	for _, l := range p.Links {
		out = append(out, l.Client.Host+":"+l.Client.Port+" -> "+l.Reason)
	}
	return strings.Join(out, "\n")
}

// TestRouterRoutes: a compose service whose image is MySQL Router runs
// the routes of the mysqlrouter.conf it mounts; an application's
// connection string reaches the route its port names, Router's own leg of
// a route reaches the servers its destinations name, and only a file the
// command line names counts when it names one.
func TestRouterRoutes(t *testing.T) {
	compose := `services:
  db:
    image: mysql:8.0.36
    command: ["--skip-ssl"]
  router:
    image: mysql/mysql-router:8.0
    volumes:
      - ./router:/etc/mysqlrouter
  app:
    image: shop:1
    environment:
      RW: "app@tcp(router:6446)/shop?tls=true"
      RO: "app@tcp(router:6447)/shop?tls=true"
      ANY: "mysql://app@router/shop"
`
	p, err := Load(Options{FS: fstest.MapFS{"compose.yaml": {Data: []byte(compose)},
		"router/mysqlrouter.conf": {Data: []byte(routerConf)}}, Paths: []string{"."}})
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Routes) != 2 {
		t.Fatalf("routes: %d, want 2", len(p.Routes))
	}
	rw, ro := p.Routes[0], p.Routes[1]
	if rw.Name != "routing:rw" || rw.Port != "6446" || rw.Accept != model.AcceptRequired || rw.Mode == nil ||
		rw.Mode.ValueSpan.Text() != "REQUIRED" || rw.Cipher == nil || rw.Cert == nil || rw.ServerMode != "AS_CLIENT" {
		t.Errorf("route rw: %+v", rw)
	}
	if len(rw.Servers) != 1 || rw.Servers[0].Deployment.Name != "db" {
		t.Errorf("route rw's servers: %+v", rw.Servers)
	}
	if ro.Port != "6447" || ro.Accept != model.AcceptPreferred || ro.AcceptBy != "client_ssl_mode unset with a certificate: PREFERRED" || len(ro.Destinations) != 0 {
		t.Errorf("route ro: accept %s by %q, destinations %v", ro.Accept, ro.AcceptBy, ro.Destinations)
	}
	want := ": -> MySQL Router route [routing:rw] of the compose service router connects to db, the compose service db\n" +
		"router:6446 -> host router is the compose service router, route [routing:rw]\n" +
		"router:6447 -> host router is the compose service router, route [routing:ro]\n" +
		"router: -> host router is the compose service router, route [routing:rw]\n" +
		"router: -> host router is the compose service router, route [routing:ro]"
	if got := links(p); got != want {
		t.Errorf("links:\n%s\nwant:\n%s", got, want)
	}

	// A command line that names another file: the mounted one is not read.
	named := strings.Replace(compose, "image: mysql/mysql-router:8.0\n", "image: mysql/mysql-router:8.0\n    command: [\"mysqlrouter\", \"-c\", \"/tmp/mysqlrouter/mysqlrouter.conf\"]\n", 1)
	p, err = Load(Options{FS: fstest.MapFS{"compose.yaml": {Data: []byte(named)},
		"router/mysqlrouter.conf": {Data: []byte(routerConf)}}, Paths: []string{"."}})
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Routes) != 0 || len(p.Links) != 0 {
		t.Errorf("a file the command line does not name was read as Router's: routes %d, links %s", len(p.Routes), links(p))
	}
}

// TestRouterKubernetes: a Kubernetes container whose image is MySQL
// Router runs the mysqlrouter.conf a Kustomize generator places in it.
func TestRouterKubernetes(t *testing.T) {
	manifest := `apiVersion: apps/v1
kind: Deployment
metadata:
  name: router
  namespace: shop
spec:
  template:
    spec:
      containers:
        - name: router
          image: container-registry.oracle.com/mysql/community-router:8.4
          args: ["--config=/etc/mysqlrouter/mysqlrouter.conf"]
          volumeMounts:
            - name: conf
              mountPath: /etc/mysqlrouter
      volumes:
        - name: conf
          configMap:
            name: router-conf
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
spec:
  template:
    spec:
      containers:
        - name: web
          image: shop:1
          env:
            - name: DSN
              value: "app@tcp(router.shop.svc.cluster.local:6446)/shop?tls=false"
`
	kust := "resources:\n  - deploy.yaml\nconfigMapGenerator:\n  - name: router-conf\n    files:\n      - mysqlrouter.conf\n"
	p, err := Load(Options{FS: fstest.MapFS{"k8s/deploy.yaml": {Data: []byte(manifest)},
		"k8s/kustomization.yaml": {Data: []byte(kust)}, "k8s/mysqlrouter.conf": {Data: []byte(routerConf)}}, Paths: []string{"."}})
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Routes) != 2 || p.Routes[0].Deployment.Kind != "Kubernetes container" {
		t.Fatalf("routes: %+v", p.Routes)
	}
	want := "router.shop.svc.cluster.local:6446 -> host router.shop.svc.cluster.local is the Kubernetes container router/router, route [routing:rw]"
	if got := links(p); got != want {
		t.Errorf("links:\n%s\nwant:\n%s", got, want)
	}
}

// TestRouterBootstrapped: a Router with no mysqlrouter.conf of the
// repository (its image bootstraps one) has no known routes.
func TestRouterBootstrapped(t *testing.T) {
	compose := "services:\n  router:\n    image: mysql/mysql-router\n    environment:\n      MYSQL_HOST: db\n" +
		"  app:\n    image: shop:1\n    environment:\n      DSN: \"app@tcp(router:6446)/shop?tls=true\"\n"
	p, err := Load(Options{FS: fstest.MapFS{"compose.yaml": {Data: []byte(compose)},
		"other/mysqlrouter.conf": {Data: []byte(routerConf)}}, Paths: []string{"."}})
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Routes) != 0 || len(p.Links) != 0 {
		t.Errorf("routes %d, links %s", len(p.Routes), links(p))
	}
}
