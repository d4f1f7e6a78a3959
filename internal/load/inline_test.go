package load

import (
	"encoding/base64"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/tlsvet/tlsvet/internal/model"
	"github.com/tlsvet/tlsvet/internal/pkitest"
)

// loadInline expands the fixture's !pki directives and loads it.
func loadInline(t *testing.T, files map[string]string) (*model.Project, map[string][]byte) {
	t.Helper()
	in := map[string][]byte{}
	for k, v := range files {
		in[k] = []byte(v)
	}
	out, err := pkitest.Expand(in, time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	fsys := fstest.MapFS{}
	for k, v := range out {
		fsys[k] = &fstest.MapFile{Data: v}
	}
	p, err := Load(Options{FS: fsys, Paths: []string{"."}})
	if err != nil {
		t.Fatal(err)
	}
	return p, out
}

// ref returns the file reference of the setting whose value is v.
func ref(t *testing.T, p *model.Project, v string) model.FileRef {
	t.Helper()
	for _, r := range p.FileRefs {
		if r.Setting.Value == v {
			return r
		}
	}
	t.Fatalf("no file reference %q", v)
	return model.FileRef{}
}

const statefulSet = `---
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: db
spec:
  template:
    spec:
      containers:
        - name: mysql
          image: mysql:8.4.3
          args: ["--ssl-cert=/tls/tls.crt", "--ssl-key=/tls/tls.key", "--ssl-ca=/tls/ca.crt"]
          volumeMounts:
            - name: tls
              mountPath: /tls
      volumes:
        - name: tls
          secret:
            secretName: mysql-tls
`

// TestInlineSecretSpans: a mounted Secret's values are read where the
// YAML holds them: a block scalar's certificate at its exact lines, a
// base64 value at the scalar; stringData overrides data of the same key;
// the key is marked secret line by line and recorded for TV507.
func TestInlineSecretSpans(t *testing.T) {
	p, files := loadInline(t, map[string]string{"k8s/db.yaml": `apiVersion: v1
kind: Secret
metadata:
  name: mysql-tls
type: kubernetes.io/tls
data:
  tls.crt: !pki64 cert cn=old.example.com
  tls.key: !pki64 key
stringData:
  tls.crt: |
    !pki cert cn=db.example.com
  ca.crt: !pki64 cert cn=not-base64-in-stringData
` + statefulSet})
	text := string(files["k8s/db.yaml"])

	cert := ref(t, p, "/tls/tls.crt")
	if cert.Path != "k8s/db.yaml:11:tls.crt" || !strings.Contains(cert.How, "placed at /tls/tls.crt") {
		t.Fatalf("certificate resolved to %q (%s), want the stringData value k8s/db.yaml:11:tls.crt", cert.Path, cert.How)
	}
	pf := p.PKI[cert.Path]
	if pf == nil || len(pf.Certs) != 1 || pf.Certs[0].SubjectCN != "db.example.com" {
		t.Fatalf("certificate file %+v", pf)
	}
	sp := pf.Certs[0].Span
	begin := strings.Index(text, "    -----BEGIN CERTIFICATE-----") + 4
	end := strings.Index(text[begin:], "-----END CERTIFICATE-----\n") + begin + len("-----END CERTIFICATE-----\n")
	if sp.File.Path != "k8s/db.yaml" || sp.Start != begin || sp.End != end {
		t.Errorf("certificate span %d-%d in %s, want the PEM lines %d-%d", sp.Start, sp.End, sp.File.Path, begin, end)
	}

	key := ref(t, p, "/tls/tls.key")
	kf := p.PKI[key.Path]
	if kf == nil || len(kf.Keys) != 1 || kf.Keys[0].KeyType != "RSA" {
		t.Fatalf("key file %+v", kf)
	}
	scalar := strings.Index(text, "tls.key: ") + len("tls.key: ")
	if ks := kf.Keys[0].Span; ks.Start != scalar || ks.End != strings.Index(text[scalar:], "\n")+scalar {
		t.Errorf("key span %d-%d, want the base64 scalar at %d", ks.Start, ks.End, scalar)
	}
	if !kf.Keys[0].Span.File.HasSecret(scalar, scalar+10) {
		t.Error("the base64 key is not marked secret")
	}
	if len(p.KeyFiles) != 1 || p.KeyFiles[0].Span.Start != scalar {
		t.Errorf("key files %+v, want the Secret's tls.key", p.KeyFiles)
	}

	// stringData is not base64: the base64 text is no PEM.
	if ca := p.PKI[ref(t, p, "/tls/ca.crt").Path]; ca == nil || len(ca.Problems) == 0 || len(ca.Certs) != 0 {
		t.Errorf("stringData base64 read as %+v, want a file without PEM", ca)
	}
}

// TestInlineChainIsItsOwnValue: the certificates of other values of the
// same YAML file are not intermediates of a value's chain: the server
// sends tls.crt alone.
func TestInlineChainIsItsOwnValue(t *testing.T) {
	p, _ := loadInline(t, map[string]string{
		"k8s/ca.yaml": `apiVersion: v1
kind: ConfigMap
metadata:
  name: root
data:
  ca.crt: |
    !pki cert cn=Root ca=yes key=root
`,
		"k8s/db.yaml": `apiVersion: v1
kind: Secret
metadata:
  name: mysql-tls
stringData:
  inter.pem: |
    !pki cert cn=Inter ca=yes key=inter issuer=k8s/ca.yaml
  tls.crt: |
    !pki cert cn=db.example.com issuer=k8s/db.yaml
---
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: db
spec:
  template:
    spec:
      containers:
        - name: mysql
          image: mysql:8.4.3
          args: ["--ssl-cert=/tls/tls.crt", "--ssl-ca=/root/ca.crt", "--admin-ssl-ca=/tls/inter.pem"]
          volumeMounts:
            - {name: tls, mountPath: /tls}
            - {name: root, mountPath: /root}
      volumes:
        - {name: tls, secret: {secretName: mysql-tls}}
        - {name: root, configMap: {name: root}}
`})
	leaf, inter, root := p.PKI[ref(t, p, "/tls/tls.crt").Path], p.PKI[ref(t, p, "/tls/inter.pem").Path], p.PKI[ref(t, p, "/root/ca.crt").Path]
	if leaf == nil || inter == nil || root == nil {
		t.Fatal("the values are not read")
	}
	if why := p.Untrusted(leaf.Certs[0], inter.Certs); why != "" {
		t.Errorf("the intermediate does not sign the leaf: %s", why)
	}
	if why := p.Untrusted(leaf.Certs[0], root.Certs); why == "" {
		t.Error("the root verifies the leaf through inter.pem, a value the server does not send with tls.crt")
	}
}

// TestInlineKeyWithoutHints: a YAML file whose text names no database
// and no TLS is still read when it holds PEM text (base64 PEM holds "tls"
// once lower-cased: "LS0tLS1").
func TestInlineKeyWithoutHints(t *testing.T) {
	text := "apiVersion: v1\nkind: Secret\nmetadata:\n  name: app\nstringData:\n  server.key: |\n" +
		"    -----BEGIN PRIVATE KEY-----\n    AAAA\n    -----END PRIVATE KEY-----\n"
	if mayHold([]byte(text)) {
		t.Fatal("the fixture holds a hint: it tests nothing")
	}
	fsys := fstest.MapFS{"app.yaml": {Data: []byte(text)}, "app.json": {Data: []byte(`{"k": "-----BEGIN PRIVATE KEY-----"}`)}}
	if r := readApp(fsys, "app.yaml", nil, nil, nil); r.res == nil {
		t.Error("a YAML file with PEM text is not read")
	}
	if r := readApp(fsys, "app.json", nil, nil, nil); r.res != nil {
		t.Error("a JSON file with PEM text is scanned for connection strings")
	}
	if !mayHold([]byte(base64.StdEncoding.EncodeToString([]byte("-----BEGIN ")))) {
		t.Error("base64 PEM holds no hint")
	}
}
