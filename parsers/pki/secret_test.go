package pki

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"fmt"
	"strings"
	"testing"
)

// TestNoKeyMaterial reads private keys in every format and checks that no
// value Read returns prints any base64 line of the key file, whatever the
// verb, and that the keys are what they are.
func TestNoKeyMaterial(t *testing.T) {
	keys(t)
	rsa1024, err := rsa.GenerateKey(rand.Reader, 1024)
	if err != nil {
		t.Fatal(err)
	}
	ec, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	_, ed, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	pkcs8 := func(k any) []byte {
		b, err := x509.MarshalPKCS8PrivateKey(k)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	sec1, err := x509.MarshalECPrivateKey(ec)
	if err != nil {
		t.Fatal(err)
	}
	//lint:ignore SA1019 legacy encrypted PEM is what old key files hold
	encrypted, err := x509.EncryptPEMBlock(rand.Reader, "RSA PRIVATE KEY", x509.MarshalPKCS1PrivateKey(rsaKey), []byte("secret"), x509.PEMCipherAES256)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		file []byte
		want string // Key.String()
	}{
		{"RSA-1024 PKCS#1", pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(rsa1024)}), "RSA-1024 PKCS#1 private key"},
		{"RSA-2048 PKCS#1", pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(rsaKey)}), "RSA-2048 PKCS#1 private key"},
		{"RSA-1024 PKCS#8", pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: pkcs8(rsa1024)}), "RSA-1024 PKCS#8 private key"},
		{"RSA-2048 PKCS#8", pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: pkcs8(rsaKey)}), "RSA-2048 PKCS#8 private key"},
		{"P-256 SEC1", pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: sec1}), "ECDSA-256 SEC1 private key"},
		{"P-256 PKCS#8", pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: pkcs8(ec)}), "ECDSA-256 PKCS#8 private key"},
		{"Ed25519 PKCS#8", pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: pkcs8(ed)}), "Ed25519-256 PKCS#8 private key"},
		{"encrypted legacy PEM", pem.EncodeToMemory(encrypted), "RSA PKCS#1 encrypted private key"},
		{"encrypted PKCS#8", pem.EncodeToMemory(&pem.Block{Type: "ENCRYPTED PRIVATE KEY", Bytes: pkcs8(ec)}), "unknown PKCS#8 encrypted private key"},
		{"DER PKCS#8", pkcs8(ec), "ECDSA-256 PKCS#8 private key"},
		{"truncated", pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: pkcs8(rsaKey)})[:900], ""},
		{"corrupt", bytes.Replace(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: pkcs8(rsaKey)}), []byte("\n"), []byte("\nAAAA"), 3), ""},
	} {
		f := read("server-key.pem", tc.file)
		var printed []string
		add := func(v any) {
			// Not %s: a bad verb prints the source.File of every Span with
			// its content, whatever this package does.
			for _, verb := range []string{"%v", "%+v", "%#v"} {
				printed = append(printed, fmt.Sprintf(verb, v))
			}
		}
		add(f)
		add(*f)
		for _, b := range f.Blocks {
			add(b)
			if b.Key != nil {
				add(b.Key)
				add(*b.Key)
			}
		}
		for _, p := range f.Problems {
			add(p)
			add(p.Error())
		}
		// Look for base64 lines of the file and for the decoded body
		// printed as bytes, hex or text.
		var lines []string
		body := tc.file
		if bytes.HasPrefix(tc.file, []byte("-----")) {
			for l := range strings.SplitSeq(string(tc.file), "\n") {
				if len(l) >= 16 && !strings.Contains(l, "-----") && !strings.Contains(l, ":") {
					lines = append(lines, l[:16]) // a prefix would do to leak
				}
			}
			if p, _ := pem.Decode(tc.file); p != nil {
				body = p.Bytes
			} else {
				body = nil
			}
		}
		if len(body) > 0 {
			mid := body[len(body)/2 : len(body)/2+16]
			lines = append(lines, strings.Trim(fmt.Sprint(mid), "[]"), fmt.Sprintf("%x", mid), string(mid))
		}
		if len(lines) == 0 {
			t.Fatalf("%s: no body lines to look for", tc.name)
		}
		for _, out := range printed {
			for _, l := range lines {
				if strings.Contains(out, l) {
					t.Errorf("%s: printed key material %q in %q", tc.name, l, out)
				}
			}
		}
		keys := f.Keys()
		if tc.want == "" {
			if len(keys) != 0 || len(f.Problems) == 0 {
				t.Errorf("%s: %d keys, problems %v", tc.name, len(keys), f.Problems)
			}
			continue
		}
		if len(keys) != 1 || keys[0].String() != tc.want {
			t.Errorf("%s: keys %v, want %s", tc.name, keys, tc.want)
		}
	}
}
