package kube

import (
	"encoding/base64"
	"strings"
	"testing"

	"github.com/tlsvet/tlsvet/internal/source"
	"github.com/tlsvet/tlsvet/parsers/yamlconf"
)

func read(t testing.TB, name, src string) *File {
	t.Helper()
	r := yamlconf.Parse(source.NewFile(name, []byte(src)), yamlconf.Options{})
	for _, p := range r.Problems {
		t.Fatalf("yaml problem: %v", p)
	}
	return Read(r)
}

// wantAt asserts that the decoded bytes of needle in n's value map
// exactly to the file bytes where want (a unique marker) is: the same text.
func wantAt(t *testing.T, src string, n *yamlconf.Node, needle string, fileOff int) source.Span {
	t.Helper()
	i := strings.Index(n.Value, needle)
	if i < 0 {
		t.Fatalf("%q not in value %q", needle, n.Value)
	}
	sp, exact := n.ValueSpan(i, i+len(needle))
	if !exact || sp.Start != fileOff || sp.Text() != needle {
		t.Fatalf("%q: span %d-%d %q exact %v, want at %d", needle, sp.Start, sp.End, sp.Text(), exact, fileOff)
	}
	return sp
}

// The acceptance fixture of issue 10: bitnami/mariadb values without
// image.repository, recognised by their keys and the tag's major version.
func TestBitnamiMariaDBValues(t *testing.T) {
	src := "image:\n  registry: docker.io\n  tag: 11.4.3\nprimary:\n  configuration: |\n    [mysqld]\n    tls_version=TLSv1.0,TLSv1.2\n  extraFlags: --require-secure-transport=ON\ntls:\n  enabled: true\n  existingSecret: db-tls\n  certFilename: tls.crt\n"
	f := read(t, "values.yaml", src)
	if len(f.Values) != 1 || len(f.Objects) != 0 {
		t.Fatalf("values %d objects %d", len(f.Values), len(f.Objects))
	}
	v := f.Values[0]
	if v.Chart.Name != "bitnami/mariadb" || v.ChartBy != "image.tag major 11" {
		t.Fatalf("chart %s by %s", v.Chart.Name, v.ChartBy)
	}
	tag := v.Get(ImageTag)
	if tag == nil || tag.Value.Value != "11.4.3" || tag.Value.Span.Start != strings.Index(src, "11.4.3") {
		t.Fatalf("tag %+v", tag)
	}
	cnf := v.Get(OptionText)
	if cnf == nil || cnf.Value.Style != yamlconf.Literal || cnf.Value.Value != "[mysqld]\ntls_version=TLSv1.0,TLSv1.2\n" {
		t.Fatalf("configuration %+v", cnf)
	}
	sp := wantAt(t, src, cnf.Value, "TLSv1.0,TLSv1.2", strings.Index(src, "TLSv1.0"))
	if p := sp.StartPos(); p.Line != 7 || p.Col != 17 {
		t.Fatalf("at %d:%d, want 7:17", p.Line, p.Col)
	}
	if ref := v.ImageRef(); ref != "11.4.3" {
		t.Errorf("image ref %q", ref)
	}
	for m, want := range map[Meaning]string{ExtraFlags: "--require-secure-transport=ON", TLSEnabled: "true", TLSSecret: "db-tls", TLSCertFile: "tls.crt", ImageRegistry: "docker.io"} {
		if s := v.Get(m); s == nil || s.Value.Value != want {
			t.Errorf("meaning %d: %+v, want %q", m, s, want)
		}
	}
}

func TestBitnamiFlavor(t *testing.T) {
	for src, want := range map[string]string{
		"image:\n  repository: bitnami/mysql\n  tag: 11.0.0\nprimary:\n  extraFlags: x\n": "bitnami/mysql image.repository",
		"image:\n  repository: bitnamilegacy/mariadb\nprimary:\n  extraFlags: x\n":        "bitnami/mariadb image.repository",
		"image:\n  tag: 8.0.36\nprimary:\n  configuration: x\n":                           "bitnami/mysql image.tag major 8",
		"primary:\n  configuration: x\n":                                                  "bitnami/mysql default",
	} {
		f := read(t, "values.yaml", src)
		if len(f.Values) != 1 || f.Values[0].Chart.Name+" "+f.Values[0].ChartBy != want {
			t.Errorf("%q: %+v, want %s", src, f.Values, want)
		}
	}
	if v := read(t, "values.yaml", "image:\n  registry: docker.io\n  repository: bitnami/mysql\n  tag: 8.0.36\nprimary:\n  extraFlags: x\n").Values[0]; v.ImageRef() != "docker.io/bitnami/mysql:8.0.36" {
		t.Errorf("image ref %q", v.ImageRef())
	}
	// A parent chart's values: the subchart key names the flavour.
	src := "replicaCount: 1\nmariadb:\n  primary:\n    configuration: |\n      [mysqld]\n      ssl_ca=/c/ca.pem\n"
	v := read(t, "values.yaml", src).Values
	if len(v) != 1 || v[0].Subchart != "mariadb" || v[0].Chart.Name != "bitnami/mariadb" || v[0].ChartBy != "subchart key" {
		t.Fatalf("subchart values %+v", v)
	}
	wantAt(t, src, v[0].Get(OptionText).Value, "/c/ca.pem", strings.Index(src, "/c/ca.pem"))
	// Values of an unrelated chart are not taken for a database's.
	if f := read(t, "values.yaml", "image:\n  repository: nginx\nreplicaCount: 2\n"); len(f.Values) != 0 {
		t.Errorf("nginx values recognised as %s", f.Values[0].Chart.Name)
	}
}

// Every block-scalar header maps a setting inside the block to its exact
// bytes; the folded style joins lines but keeps columns within one.
func TestBlockScalarStyles(t *testing.T) {
	for _, tc := range []struct {
		header, body, want string
		style              yamlconf.Style
	}{
		{"|", "    [mysqld]\n    ssl_cipher=ECDHE-RSA-AES128-GCM-SHA256\n", "[mysqld]\nssl_cipher=ECDHE-RSA-AES128-GCM-SHA256\n", yamlconf.Literal},
		{"|-", "    [mysqld]\n    ssl_cipher=ECDHE-RSA-AES128-GCM-SHA256\n", "[mysqld]\nssl_cipher=ECDHE-RSA-AES128-GCM-SHA256", yamlconf.Literal},
		{"|+", "    [mysqld]\n    ssl_cipher=ECDHE-RSA-AES128-GCM-SHA256\n\n", "[mysqld]\nssl_cipher=ECDHE-RSA-AES128-GCM-SHA256\n\n", yamlconf.Literal},
		{"|2", "      [mysqld]\n      ssl_cipher=ECDHE-RSA-AES128-GCM-SHA256\n", "  [mysqld]\n  ssl_cipher=ECDHE-RSA-AES128-GCM-SHA256\n", yamlconf.Literal},
		{"|", "    [mysqld]\n    # Größe – ünïcødé ✓\n    ssl_cipher=ECDHE-RSA-AES128-GCM-SHA256\n", "[mysqld]\n# Größe – ünïcødé ✓\nssl_cipher=ECDHE-RSA-AES128-GCM-SHA256\n", yamlconf.Literal},
		{">", "    [mysqld]\n    ssl_cipher=ECDHE-RSA-AES128-GCM-SHA256\n", "[mysqld] ssl_cipher=ECDHE-RSA-AES128-GCM-SHA256\n", yamlconf.Folded},
	} {
		src := "apiVersion: k8s.mariadb.com/v1alpha1\nkind: MariaDB\nmetadata:\n  name: db\nspec:\n  myCnf: " + tc.header + "\n" + tc.body + "  image: mariadb:11.4\n"
		f := read(t, "db.yaml", src)
		if len(f.Values) != 1 || f.Values[0].Chart.Name != "MariaDB" {
			t.Fatalf("%s: values %+v", tc.header, f.Values)
		}
		s := f.Values[0].Get(OptionText)
		if s == nil || s.Value.Style != tc.style || s.Value.Value != tc.want {
			t.Fatalf("%s: %+v", tc.header, s)
		}
		wantAt(t, src, s.Value, "ECDHE-RSA-AES128-GCM-SHA256", strings.Index(src, "ECDHE"))
		if img := f.Values[0].Get(Image); img == nil || img.Value.Span.Text() != "mariadb:11.4" {
			t.Fatalf("%s: image %+v", tc.header, img)
		}
	}
}

// The StatefulSet of the acceptance: image and an args flow sequence,
// each element at its exact bytes, after non-ASCII text on earlier lines
// and in an earlier element.
func TestStatefulSetArgs(t *testing.T) {
	src := `apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: db # Datenbank für Grüße
  namespace: prod
spec:
  template:
    spec:
      containers:
        - name: mysql
          image: mysql:8.0.36
          args: ["--init-file=/grüße.sql", "--ssl-cipher=ECDHE-ECDSA-AES128-GCM-SHA256", --skip-name-resolve]
          env:
            - name: MYSQL_ROOT_PASSWORD
              valueFrom: {secretKeyRef: {name: db, key: pw}}
`
	f := read(t, "sts.yaml", src)
	if len(f.Objects) != 1 || len(f.Objects[0].Containers) != 1 {
		t.Fatalf("objects %+v", f.Objects)
	}
	o := f.Objects[0]
	if o.Kind != "StatefulSet" || o.Name != "db" || o.Namespace != "prod" {
		t.Fatalf("object %s %s/%s", o.Kind, o.Namespace, o.Name)
	}
	c := o.Containers[0]
	if c.Name != "mysql" || c.Image.Value != "mysql:8.0.36" || c.Image.Span.Start != strings.Index(src, "mysql:8.0.36") {
		t.Fatalf("container %s image %+v", c.Name, c.Image)
	}
	if !c.HasArgs || c.HasCommand || len(c.Args) != 3 {
		t.Fatalf("args %+v", c.Args)
	}
	a := c.Args[1]
	if a.Text != "--ssl-cipher=ECDHE-ECDSA-AES128-GCM-SHA256" || a.Expanded || a.Node.Style != yamlconf.DoubleQuoted {
		t.Fatalf("arg %+v", a)
	}
	sp := wantAt(t, src, a.Node, "ECDHE-ECDSA-AES128-GCM-SHA256", strings.Index(src, "ECDHE"))
	if p := sp.StartPos(); p.Line != 12 {
		t.Fatalf("line %d", p.Line)
	}
	if a.Node.Span.Text() != `"--ssl-cipher=ECDHE-ECDSA-AES128-GCM-SHA256"` {
		t.Fatalf("element span %q", a.Node.Span.Text())
	}
	wantAt(t, src, c.Args[2].Node, "--skip-name-resolve", strings.Index(src, "--skip-name"))
	if len(c.Env) != 1 || !c.Env[0].ValueFrom || c.Env[0].Value != nil || c.Env[0].Name != "MYSQL_ROOT_PASSWORD" {
		t.Fatalf("env %+v", c.Env)
	}
}

func TestExpand(t *testing.T) {
	src := `apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  containers:
  - name: db
    image: mariadb:11.4
    command: [mariadbd]
    env:
    - {name: TLS, value: "TLSv1.2,TLSv1.3"}
    - {name: KEY, valueFrom: {secretKeyRef: {name: k, key: k}}}
    - {name: FLAGS, value: "--tls-version=$(TLS)"}
    - {name: KEYFLAG, value: "--ssl-key=$(KEY)"}
    args:
    - --tls-version=$(TLS)
    - --ssl-key=$(KEY)
    - --x=$$(TLS)
    - --y=$(UNDEFINED)
    - --plain
    - $(FLAGS)
    - $(KEYFLAG)
`
	c := read(t, "pod.yaml", src).Objects[0].Containers[0]
	if !c.HasCommand || len(c.Command) != 1 || c.Command[0].Text != "mariadbd" {
		t.Fatalf("command %+v", c.Command)
	}
	want := []struct {
		text              string
		expanded, unknown bool
	}{
		{"--tls-version=TLSv1.2,TLSv1.3", true, false},
		{"--ssl-key=$(KEY)", false, true},
		{"--x=$(TLS)", true, false},
		{"--y=$(UNDEFINED)", false, false},
		{"--plain", false, false},
		{"--tls-version=TLSv1.2,TLSv1.3", true, false},
		{"$(KEYFLAG)", false, true},
	}
	if len(c.Args) != len(want) {
		t.Fatalf("args %+v", c.Args)
	}
	for i, w := range want {
		if a := c.Args[i]; a.Text != w.text || a.Expanded != w.expanded || a.Unknown != w.unknown {
			t.Errorf("arg %d: %+v, want %+v", i, a, w)
		}
	}
	// With envFrom, an undefined name may come from it: unknown.
	out, changed, unknown := Expand("$(A)$(B)", func(n string) (string, bool, bool) { return "a", n == "A", n != "A" })
	if out != "a$(B)" || !changed || !unknown {
		t.Fatalf("Expand: %q %v %v", out, changed, unknown)
	}
	if out, _, _ := Expand("$(A $$ $(B", func(string) (string, bool, bool) { return "x", true, false }); out != "$(A $ $(B" {
		t.Fatalf("unclosed: %q", out)
	}
}

// A ConfigMap's .cnf key mounted into a container: the key is known with
// its container path, through items and through subPath.
func TestConfigMapMount(t *testing.T) {
	src := `apiVersion: v1
kind: ConfigMap
metadata:
  name: mysql-conf
data:
  tls.cnf: |
    [mysqld]
    require_secure_transport = ON
  notes.txt: hello
  custom: "[client]\nssl-mode=REQUIRED\n"
  DATABASE_URL: mysql://app@db.prod.svc.cluster.local:3306/app?tls=skip-verify
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: db}
spec:
  template:
    spec:
      volumes:
      - name: conf
        configMap:
          name: mysql-conf
          items: [{key: tls.cnf, path: 10-tls.cnf}]
      - name: whole
        configMap: {name: mysql-conf}
      - name: certs
        secret: {secretName: db-tls}
      containers:
      - name: mysql
        image: mysql:8.4
        volumeMounts:
        - {name: conf, mountPath: /etc/mysql/conf.d}
        - {name: whole, mountPath: /etc/my.cnf, subPath: tls.cnf}
        - {name: certs, mountPath: /certs}
        - {name: missing, mountPath: /x}
`
	f := read(t, "db.yaml", src)
	if len(f.Objects) != 2 {
		t.Fatalf("objects %d", len(f.Objects))
	}
	cm := f.Objects[0]
	kinds := map[string]Content{}
	for _, e := range cm.Data {
		kinds[e.Key] = e.Content
	}
	if kinds["tls.cnf"] != OptionFile || kinds["notes.txt"] != Other || kinds["custom"] != OptionFile || kinds["DATABASE_URL"] != DSN {
		t.Fatalf("contents %v", kinds)
	}
	e := cm.Data[0]
	if e.KeyNode.Span.Text() != "tls.cnf" || e.Base64 {
		t.Fatalf("entry %+v", e)
	}
	wantAt(t, src, e.Value, "require_secure_transport = ON", strings.Index(src, "require_secure"))
	custom := cm.Data[2]
	wantAt(t, src, custom.Value, "ssl-mode=REQUIRED", strings.Index(src, "ssl-mode"))

	c := f.Objects[1].Containers[0]
	got := map[string]string{}
	for _, k := range c.Mounted {
		got[k.Path] = k.Object + ":" + k.Key
		if k.Path == "/certs" && !k.Secret {
			t.Error("certs not a secret")
		}
	}
	want := map[string]string{"/etc/mysql/conf.d/10-tls.cnf": "mysql-conf:tls.cnf", "/etc/my.cnf": "mysql-conf:tls.cnf", "/certs": "db-tls:"}
	if len(got) != len(want) {
		t.Fatalf("mounted %v", got)
	}
	for p, w := range want {
		if got[p] != w {
			t.Errorf("%s: %q, want %q", p, got[p], w)
		}
	}
	if c.Mounts[3].Volume != nil {
		t.Error("mount of a missing volume linked")
	}
}

func TestSecretData(t *testing.T) {
	cnf := "[client]\nssl-mode=DISABLED\n"
	enc := base64.StdEncoding.EncodeToString([]byte(cnf))
	src := "apiVersion: v1\nkind: Secret\nmetadata: {name: s}\ndata:\n  client.cnf: " + enc[:10] + "\n    " + enc[10:] + "\n  bad: '!!notbase64'\nstringData:\n  url: \"mysql://u:p@db:3306/x?ssl-mode=DISABLED\"\n"
	o := read(t, "s.yaml", src).Objects[0]
	if len(o.Data) != 3 {
		t.Fatalf("data %+v", o.Data)
	}
	d := o.Data[0]
	if !d.Base64 || d.Text != cnf || d.Content != OptionFile || d.Field != "data" {
		t.Fatalf("decoded %+v", d)
	}
	if b := o.Data[1]; !b.BadB64 || b.Text != "" {
		t.Fatalf("bad base64 %+v", b)
	}
	if u := o.Data[2]; u.Base64 || u.Content != DSN || u.Field != "stringData" {
		t.Fatalf("stringData %+v", u)
	}
	// A Secret's other values are secret; the option file and DSN are left
	// to their readers, which mask the password only.
	f := o.Data[0].Value.Span.File
	if b := o.Data[1].Value.Span; !f.HasSecret(b.Start, b.End) {
		t.Error("a Secret value not marked secret")
	}
	if d := o.Data[0].Value.Span; f.HasSecret(d.Start, d.End) {
		t.Error("an option file in a Secret marked secret whole")
	}
}

func TestKustomization(t *testing.T) {
	src := `namespace: prod
configMapGenerator:
- name: mysql-conf
  files: [my.cnf, tls=conf/ssl.cnf, readme.md]
  literals:
  - DATABASE_URL=mysql://db:3306/x?tls=true
secretGenerator:
- name: certs
  files: [ca.pem]
  literals: [blob=hunter2]
`
	f := read(t, "overlays/prod/kustomization.yaml", src)
	if len(f.Kustomizations) != 1 || len(f.Objects) != 0 {
		t.Fatalf("%+v", f)
	}
	k := f.Kustomizations[0]
	if k.Namespace != "prod" || len(k.Generators) != 2 || !k.Generators[1].Secret {
		t.Fatalf("%+v", k)
	}
	g := k.Generators[0]
	if len(g.Files) != 3 || g.Files[0].Key != "my.cnf" || g.Files[0].Content != OptionFile ||
		g.Files[1].Key != "tls" || g.Files[1].Path != "conf/ssl.cnf" || g.Files[2].Content != Other {
		t.Fatalf("files %+v", g.Files)
	}
	l := g.Literals[0]
	sp, exact := l.Node.ValueSpan(l.ValueAt, len(l.Node.Value))
	if l.Key != "DATABASE_URL" || l.Content != DSN || !exact || sp.Text() != "mysql://db:3306/x?tls=true" {
		t.Fatalf("literal %+v %q", l, sp.Text())
	}
	if b := k.Generators[1].Literals[0]; !b.Node.Span.File.HasSecret(strings.Index(src, "hunter2"), strings.Index(src, "hunter2")+7) {
		t.Error("secretGenerator literal not marked secret")
	}
	comp := "apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\nconfigMapGenerator:\n- name: c\n  files: [tls.cnf]\n"
	if f := read(t, "components/tls/kustomization.yaml", comp); len(f.Kustomizations) != 1 || len(f.Objects) != 0 || f.Kustomizations[0].Generators[0].Files[0].Content != OptionFile {
		t.Errorf("component %+v", f)
	}
	// The same content under another name is not a kustomization.
	if f := read(t, "other.yaml", src); len(f.Kustomizations) != 0 {
		t.Fatal("kustomization recognised by content alone")
	}
}

func TestGuards(t *testing.T) {
	src := "[mysqld]\n{{- if .Values.tls.enabled }}\nssl_cert=/c.pem\n  {{ else -}}\nskip_ssl\n{{- end }}\n{{ .Values.extra | nindent 4 }}\nx={{ .Values.x }}\n{% if tls %}\nssl_ca=a\n{% endif %}\n"
	g := Guards(src)
	if len(g) != 4 {
		t.Fatalf("guards %+v", g)
	}
	body := func(i int) string { return src[g[i].Body[0]:g[i].Body[1]] }
	if g[0].Cond != "if .Values.tls.enabled" || body(0) != "ssl_cert=/c.pem\n" || src[g[0].Close[0]:g[0].Close[1]] != "  {{ else -}}" {
		t.Errorf("if: %+v %q", g[0], body(0))
	}
	if g[1].Cond != "else" || body(1) != "skip_ssl\n" || src[g[1].Open[0]:g[1].Open[1]] != "  {{ else -}}" {
		t.Errorf("else: %+v %q", g[1], body(1))
	}
	if !g[2].Expr || g[2].Cond != ".Values.extra | nindent 4" {
		t.Errorf("expr: %+v", g[2])
	}
	if g[3].Cond != "if tls" || body(3) != "ssl_ca=a\n" {
		t.Errorf("jinja: %+v", g[3])
	}
	// Unclosed: the body runs to the end.
	if g := Guards("{{ if x }}\na=1"); len(g) != 1 || g[0].Close[0] != -1 || g[0].Body[1] != len("{{ if x }}\na=1") {
		t.Errorf("unclosed %+v", g)
	}
}

// Guards come with the option text of a chart, at positions ValueSpan maps.
func TestValuesGuardsAndTemplates(t *testing.T) {
	src := "image:\n  repository: bitnami/mysql\n  tag: \"{{ .Values.tag }}\"\nprimary:\n  configuration: |-\n    [mysqld]\n    {{- if .Values.tls.enabled }}\n    ssl_ca={{ .Values.ca }}\n    {{- end }}\n"
	v := read(t, "values.yaml", src).Values[0]
	if tag := v.Get(ImageTag); !tag.Template {
		t.Error("templated tag not marked")
	}
	s := v.Get(OptionText)
	if len(s.Guards) != 1 {
		t.Fatalf("guards %+v", s.Guards)
	}
	g := s.Guards[0]
	sp, exact := s.Value.ValueSpan(g.Open[0], g.Open[1])
	if !exact || sp.Text() != "{{- if .Values.tls.enabled }}" || sp.StartPos().Line != 7 {
		t.Fatalf("open line %q exact %v", sp.Text(), exact)
	}
	sp, _ = s.Value.ValueSpan(g.Body[0], g.Body[1])
	if sp.Text() != "ssl_ca={{ .Values.ca }}\n    " {
		t.Fatalf("body %q", sp.Text())
	}
}

func TestOperatorResources(t *testing.T) {
	src := `apiVersion: pxc.percona.com/v1
kind: PerconaXtraDBCluster
metadata: {name: c}
spec:
  allowUnsafeConfigurations: true
  tls: {enabled: false}
  pxc:
    image: percona/percona-xtradb-cluster:8.0.36-28.1
    configuration: |
      [mysqld]
      pxc-encrypt-cluster-traffic=OFF
---
apiVersion: mysql.oracle.com/v2
kind: InnoDBCluster
metadata: {name: ic}
spec:
  version: 8.4.3
  tlsUseSelfSigned: true
  mycnf: |
    [mysqld]
    tls_version=TLSv1.3
---
apiVersion: moco.cybozu.com/v1beta2
kind: MySQLCluster
metadata: {name: m}
spec:
  mysqlConfigMapName: mycnf
  podTemplate:
    spec:
      containers:
      - name: agent
        image: other:1
      - name: mysqld
        image: ghcr.io/cybozu-go/moco/mysql:8.4.8
`
	f := read(t, "crs.yaml", src)
	if len(f.Values) != 3 || len(f.Objects) != 3 {
		t.Fatalf("values %d objects %d", len(f.Values), len(f.Objects))
	}
	pxc, ic, moco := f.Values[0], f.Values[1], f.Values[2]
	if pxc.Chart.Name != "PerconaXtraDBCluster" || pxc.Get(Unsafe).Value.Value != "true" || pxc.Get(TLSEnabled).Value.Value != "false" ||
		pxc.Get(Image).Value.Value != "percona/percona-xtradb-cluster:8.0.36-28.1" {
		t.Fatalf("pxc %+v", pxc.Settings)
	}
	wantAt(t, src, pxc.Get(OptionText).Value, "pxc-encrypt-cluster-traffic=OFF", strings.Index(src, "pxc-encrypt"))
	if ic.Chart.Name != "InnoDBCluster" || ic.Get(ServerVersion).Value.Value != "8.4.3" || ic.Get(TLSSelfSigned).Value.Value != "true" {
		t.Fatalf("innodbcluster %+v", ic.Settings)
	}
	wantAt(t, src, ic.Get(OptionText).Value, "TLSv1.3", strings.Index(src, "TLSv1.3"))
	if img := moco.Get(Image); img == nil || img.Value.Span.Text() != "ghcr.io/cybozu-go/moco/mysql:8.4.8" || moco.Get(OptionKeys).Value.Value != "mycnf" {
		t.Fatalf("moco %+v", moco.Settings)
	}
}

func TestServiceNames(t *testing.T) {
	f := read(t, "svc.yaml", "apiVersion: v1\nkind: Service\nmetadata: {name: db, namespace: prod}\n---\napiVersion: v1\nkind: Service\nmetadata: {name: cache}\n")
	if got := strings.Join(f.Objects[0].ServiceNames(), " "); got != "db db.prod db.prod.svc db.prod.svc.cluster.local" {
		t.Errorf("names %q", got)
	}
	if got := f.Objects[1].ServiceNames(); len(got) != 1 || got[0] != "cache" {
		t.Errorf("names %q", got)
	}
}

func TestChartTemplate(t *testing.T) {
	exists := func(p string) bool { return p == "charts/db/Chart.yaml" }
	for p, want := range map[string]bool{
		"charts/db/templates/statefulset.yaml":   true,
		"charts/db/templates/sub/configmap.yaml": true,
		"charts/db/values.yaml":                  false,
		"other/templates/x.yaml":                 false,
		"charts/db/templates/../values.yaml":     false,
	} {
		if got := ChartTemplate(p, exists); got != want {
			t.Errorf("%s: %v", p, got)
		}
	}
}

// TestPKIData: certificate and key values are told by their key names or
// a PEM BEGIN line, decoded from base64 in a Secret's data, and marked
// secret line by line; a ConfigMap's CA is PKI too but not secret.
func TestPKIData(t *testing.T) {
	pemText := "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n"
	src := "apiVersion: v1\nkind: Secret\nmetadata: {name: s}\ntype: kubernetes.io/tls\ndata:\n  tls.crt: " +
		base64.StdEncoding.EncodeToString([]byte(pemText)) + "\nstringData:\n  tls.key: |\n    -----BEGIN PRIVATE KEY-----\n    QUFB\n" +
		"    -----END PRIVATE KEY-----\n  bundle: |\n    " + strings.ReplaceAll(pemText, "\n", "\n    ") + "\n  note: text\n" +
		"---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata:\n  ca.crt: x\n"
	f := read(t, "s.yaml", src)
	d := f.Objects[0].Data
	if len(d) != 4 {
		t.Fatalf("data %+v", d)
	}
	for i, want := range []Content{PKI, PKI, PKI, Other} {
		if d[i].Content != want {
			t.Errorf("%s: content %d, want %d", d[i].Key, d[i].Content, want)
		}
	}
	if d[0].Text != pemText {
		t.Errorf("tls.crt decoded to %q", d[0].Text)
	}
	file := d[1].Value.Span.File
	key := d[1].Value.Span
	if !file.HasSecret(key.Start, key.End) || strings.Contains(file.Redact(0, len(src)), "QUFB") {
		t.Error("the key in stringData is not hidden")
	}
	if got, want := strings.Count(file.Redact(0, len(src)), "\n"), strings.Count(src, "\n"); got != want {
		t.Errorf("redacted Secret has %d lines, want %d", got, want)
	}
	if ca := f.Objects[1].Data[0]; ca.Content != PKI || file.HasSecret(ca.Value.Span.Start, ca.Value.Span.End) {
		t.Errorf("ConfigMap ca.crt %+v (secret %v)", ca, file.HasSecret(ca.Value.Span.Start, ca.Value.Span.End))
	}
}

// TestBitnamiInlineTLS: the PEM text keys of bitnami values and the
// switches that say whether the chart uses them; a key is secret, an
// empty one is not (it would mask "" in every output).
func TestBitnamiInlineTLS(t *testing.T) {
	src := "image:\n  repository: bitnami/mysql\nprimary:\n  configuration: |\n    [mysqld]\ntls:\n  enabled: true\n" +
		"  autoGenerated:\n    enabled: false\n    engine: cert-manager\n  cert: |\n    -----BEGIN CERTIFICATE-----\n" +
		"  key: |\n    -----BEGIN PRIVATE KEY-----\n    QUFB\n  ca: \"\"\n"
	v := read(t, "values.yaml", src).Values[0]
	for m, want := range map[Meaning]string{TLSAutoGen: "false", TLSAutoEngine: "cert-manager", TLSCA: ""} {
		if s := v.Get(m); s == nil || scalar(s.Value) != want {
			t.Errorf("meaning %d: %+v, want %q", m, s, want)
		}
	}
	c, k, ca := v.Get(TLSCert), v.Get(TLSKey), v.Get(TLSCA)
	if c == nil || k == nil || !strings.HasPrefix(c.Value.Value, "-----BEGIN CERTIFICATE") {
		t.Fatalf("cert %+v key %+v", c, k)
	}
	f := k.Value.Span.File
	if !f.HasSecret(k.Value.Span.Start, k.Value.Span.End) || f.HasSecret(c.Value.Span.Start, c.Value.Span.End) ||
		f.HasSecret(ca.Value.Span.Start, ca.Value.Span.End) {
		t.Error("only the key's value is secret")
	}
}
