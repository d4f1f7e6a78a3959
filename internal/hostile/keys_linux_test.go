//go:build linux

package hostile

import (
	"bufio"
	"bytes"
	"encoding/base64"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/tlsvet/tlsvet/internal/pkitest"
)

// keyTrees are private keys in every format a repository may hold, and a
// 100 MB "PEM" named where a certificate belongs (issue 11).
var keyTrees = []struct {
	name string
	test func(t *testing.T, e *env)
}{
	{"keys-every-format", func(t *testing.T, e *env) {
		keys := map[string][]byte{
			"certs/server.pem":        []byte("!pki cert cn=db dns=db key=hostile\n"),
			"certs/pkcs8.key":         []byte("!pki key key=hostile\n"),
			"certs/pkcs1.key":         []byte("!pki key key=hostile format=pkcs1\n"),
			"certs/sec1.key":          []byte("!pki key key=hostile-ec keytype=p256 format=sec1\n"),
			"certs/ed25519.key":       []byte("!pki key key=hostile-ed keytype=ed25519\n"),
			"certs/legacy-enc.key":    []byte("!pki key key=hostile format=encrypted\n"),
			"certs/pkcs8-enc.key":     []byte("!pki key key=hostile format=encrypted-pkcs8\n"),
			"certs/server-key.der":    []byte("!pki key key=hostile format=der\n"),
			"certs/bundle.pem":        []byte("!pki cert cn=db dns=db key=hostile\n!pki key key=hostile format=pkcs1\n"),
			"certs/values-key.yaml":   []byte("tls:\n  key: |\n    !pki key key=hostile-ec keytype=p256\n"),
			"certs/secret-key.yaml":   []byte("apiVersion: v1\nkind: Secret\ntype: kubernetes.io/tls\nmetadata:\n  name: db-tls\ndata:\n  tls.key: !pki64 key key=hostile\n"),
			"certs/garbage-key.p12":   []byte("\x30\x82\xff\xff" + strings.Repeat("\x00\xff", 512)),
			"certs/half-key.key":      []byte("-----BEGIN PRIVATE KEY-----\nTUlJRXZRSUJBREFOQmdrcWhraUc5dzBCQVFFRkFBU0NCS2N3Z2dTakFnRUFBb0lCQVFD\n"),
			"certs/key-in-a-cert.pem": []byte("-----BEGIN CERTIFICATE-----\n" + "TUlJRXZRSUJBREFOQmdrcWhraUc5dzBCQVFFRkFBU0NCS2N3Z2dTakFnRUFBb0lCQVFE\n" + "-----END CERTIFICATE-----\n"),
		}
		files, err := pkitest.Expand(keys, time.Now())
		if err != nil {
			t.Fatal(err)
		}
		var cnf strings.Builder
		cnf.WriteString("[mysqld]\nssl_cert=certs/server.pem\n")
		var secrets []string
		for name, data := range files {
			e.write(name, string(data))
			if strings.HasSuffix(name, ".key") || strings.HasSuffix(name, ".der") {
				cnf.WriteString("[mysqld-" + strings.TrimSuffix(name[len("certs/"):], ".key") + "]\nssl_key=" + name + "\n")
			}
			secrets = append(secrets, keyMaterial(name, data)...)
		}
		secrets = append(secrets, "TUlJRXZRSUJBREFOQmdrcWhraUc5dzBCQVFFRkFBU0NCS2N3Z2dTakFnRUFBb0lCQVFD",
			"TUlJRXZRSUJBREFOQmdrcWhraUc5dzBCQVFFRkFBU0NCS2N3Z2dTakFnRUFBb0lCQVFE")
		if len(secrets) < 30 {
			t.Fatalf("only %d key lines to look for", len(secrets))
		}
		e.write("my.cnf", cnf.String())
		r := e.run()
		wantCode(t, r, 1)
		// The .git directory has no index: nothing is tracked, so no TV507.
		wantIn(t, r, r.stdout, "certs/legacy-enc.key is encrypted", "certs/pkcs8-enc.key is encrypted",
			"certs/server-key.der is DER, not PEM")
		for _, f := range formats {
			r := e.run("--format", f)
			wantCode(t, r, 1)
			e.noLeak(r.args, "output", r.all(), secrets...)
		}
		r = e.run("--diff")
		e.noLeak(r.args, "output", r.all(), secrets...)
		r = e.run("baseline", "write", "base.json")
		b, _ := os.ReadFile(e.path("base.json"))
		e.noLeak(r.args, "baseline", r.all()+string(b), secrets...)
	}},
	{"pem-100mb", func(t *testing.T, e *env) {
		e.mkdirFor(e.path("certs/huge.pem"))
		f, err := os.Create(e.path("certs/huge.pem"))
		if err != nil {
			t.Fatal(err)
		}
		w := bufio.NewWriterSize(f, 1<<20)
		w.WriteString("-----BEGIN CERTIFICATE-----\n")
		line := bytes.Repeat([]byte("QUFB"), 16)
		line = append(line, '\n')
		for n := 0; n < 100<<20; n += len(line) {
			w.Write(line)
		}
		w.WriteString("-----END CERTIFICATE-----\n")
		if err := w.Flush(); err != nil {
			t.Fatal(err)
		}
		f.Close()
		e.write("my.cnf", "[mysqld]\nssl_cert=certs/huge.pem\nssl_ca=certs/huge.pem\n[client]\nssl-ca=certs/huge.pem\n")
		// Too large to read: TV001 says so, and no rule judges the
		// contents it did not read.
		r := e.run()
		wantCode(t, r, 1)
		wantIn(t, r, r.stdout, "certs/huge.pem:1:1: error: cannot read: too large")
		if strings.Contains(r.stdout, "TV505") {
			t.Errorf("a file too large to read is judged:\n%s", r.stdout)
		}
		for _, f := range formats {
			wantCode(t, e.run("--format", f), 0, 1)
		}
	}},
}

// keyMaterial is what of a generated key file must never be shown: each
// base64 line of its key blocks (also inside YAML, and a Secret's base64
// of the whole PEM), and the base64 of a DER key.
func keyMaterial(name string, data []byte) []string {
	var out []string
	if strings.HasSuffix(name, ".der") {
		return []string{base64.StdEncoding.EncodeToString(data)[:40]}
	}
	if _, enc, ok := strings.Cut(string(data), "tls.key: "); ok {
		out = append(out, strings.TrimSpace(enc)[:60])
		raw, _ := base64.StdEncoding.DecodeString(strings.TrimSpace(enc))
		data = raw
	}
	text := string(data)
	for {
		i := strings.Index(text, "-----BEGIN ")
		if i < 0 {
			return out
		}
		text = text[i:]
		end := strings.Index(text, "-----END ")
		if end < 0 {
			return out
		}
		block := text[:end]
		text = text[end+9:]
		if !strings.Contains(block[:40], "KEY") {
			continue
		}
		for _, l := range strings.Split(block, "\n")[1:] {
			if l = strings.TrimSpace(l); len(l) >= 40 && !strings.Contains(l, ":") {
				out = append(out, l)
			}
		}
	}
}
