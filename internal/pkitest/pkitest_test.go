package pkitest

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/rsa"
	"crypto/x509"
	"encoding/base64"
	"encoding/pem"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/tlsvet/tlsvet/internal/oracle"
)

var now = time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)

func expand(t *testing.T, files map[string]string) map[string][]byte {
	t.Helper()
	in := map[string][]byte{}
	for k, v := range files {
		in[k] = []byte(v)
	}
	out, err := Expand(in, now)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func certs(t *testing.T, data []byte) []*x509.Certificate {
	t.Helper()
	var cs []*x509.Certificate
	for {
		var b *pem.Block
		b, data = pem.Decode(data)
		if b == nil {
			return cs
		}
		c, err := x509.ParseCertificate(b.Bytes)
		if err != nil {
			t.Fatal(err)
		}
		cs = append(cs, c)
	}
}

func TestChainDatesAndNames(t *testing.T) {
	out := expand(t, map[string]string{
		"ca.pem": "!pki cert cn=Test-CA ca=yes key=ca\n",
		"chain.pem": "!pki cert cn=db.example.com dns=db.example.com,db ip=10.0.0.1 issuer=inter.pem eku=server from=-2d until=+10d\n" +
			"!pki cert cn=Inter ca=yes key=inter issuer=ca.pem sig=sha1\n",
		"inter.pem": "!pki cert cn=Inter ca=yes key=inter issuer=ca.pem sig=sha1\n",
		"other.txt": "no directives\n",
	})
	if string(out["other.txt"]) != "no directives\n" {
		t.Errorf("a file without directives changed: %q", out["other.txt"])
	}
	ca := certs(t, out["ca.pem"])[0]
	chain := certs(t, out["chain.pem"])
	if len(chain) != 2 {
		t.Fatalf("chain holds %d certificates, want 2", len(chain))
	}
	leaf, inter := chain[0], chain[1]
	if err := leaf.CheckSignatureFrom(certs(t, out["inter.pem"])[0]); err != nil {
		t.Errorf("the leaf is not signed by inter.pem's certificate: %v", err)
	}
	if !bytes.Equal(inter.RawSubjectPublicKeyInfo, certs(t, out["inter.pem"])[0].RawSubjectPublicKeyInfo) {
		t.Error("key=inter names two keys")
	}
	if inter.SignatureAlgorithm != x509.SHA1WithRSA || leaf.SignatureAlgorithm != x509.SHA256WithRSA {
		t.Errorf("signature algorithms %v, %v", inter.SignatureAlgorithm, leaf.SignatureAlgorithm)
	}
	if !inter.IsCA || leaf.IsCA || inter.Issuer.CommonName != ca.Subject.CommonName {
		t.Errorf("CA flags or issuer wrong: %v %v %q", inter.IsCA, leaf.IsCA, inter.Issuer.CommonName)
	}
	if !leaf.NotBefore.Equal(now.AddDate(0, 0, -2)) || !leaf.NotAfter.Equal(now.AddDate(0, 0, 10)) {
		t.Errorf("validity %v..%v", leaf.NotBefore, leaf.NotAfter)
	}
	if !ca.NotAfter.Equal(time.Date(2120, 1, 1, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("default until %v", ca.NotAfter)
	}
	if strings.Join(leaf.DNSNames, ",") != "db.example.com,db" || len(leaf.IPAddresses) != 1 || len(leaf.ExtKeyUsage) != 1 {
		t.Errorf("names %v %v eku %v", leaf.DNSNames, leaf.IPAddresses, leaf.ExtKeyUsage)
	}
}

func TestKeysMatchByName(t *testing.T) {
	out := expand(t, map[string]string{
		"cert.pem":  "!pki cert cn=x key=k1 keytype=p256\n",
		"same.pem":  "!pki key key=k1 keytype=p256 format=sec1\n",
		"other.pem": "!pki key key=k2 keytype=p256\n",
	})
	c := certs(t, out["cert.pem"])[0]
	b, _ := pem.Decode(out["same.pem"])
	if b == nil || b.Type != "EC PRIVATE KEY" {
		t.Fatalf("sec1 key: %q", out["same.pem"])
	}
	k, err := x509.ParseECPrivateKey(b.Bytes)
	if err != nil {
		t.Fatal(err)
	}
	if !k.PublicKey.Equal(c.PublicKey) {
		t.Error("the same key name gave two keys")
	}
	b, _ = pem.Decode(out["other.pem"])
	k2, err := x509.ParsePKCS8PrivateKey(b.Bytes)
	if err != nil {
		t.Fatal(err)
	}
	if k2.(*ecdsa.PrivateKey).PublicKey.Equal(c.PublicKey) {
		t.Error("two key names gave one key")
	}
}

func TestFormats(t *testing.T) {
	out := expand(t, map[string]string{
		"der.crt":   "!pki cert cn=x format=der\n",
		"trunc.pem": "!pki cert cn=x format=truncated\n",
		"pkcs1.key": "!pki key format=pkcs1 keytype=rsa-1024\n",
		"der.key":   "!pki key format=der keytype=p256\n",
		"enc.key":   "!pki key format=encrypted keytype=rsa-1024\n",
		"req.pem":   "!pki csr cn=x\n",
		"ca.pem":    "!pki cert cn=ca ca=yes key=ca\n",
		"crl.pem":   "!pki crl issuer=ca.pem from=-10d until=-1d\n",
		"values.yaml": "tls:\n  cert: |\n    !pki cert cn=x\n  key: x\n" +
			"data:\n  tls.crt: !pki64 cert cn=y\n",
	})
	if _, err := x509.ParseCertificate(out["der.crt"]); err != nil {
		t.Errorf("der: %v", err)
	}
	if b, _ := pem.Decode(out["trunc.pem"]); b != nil || !bytes.HasPrefix(out["trunc.pem"], []byte("-----BEGIN CERTIFICATE-----\n")) {
		t.Errorf("truncated PEM decodes or lost its header: %q", out["trunc.pem"])
	}
	if b, _ := pem.Decode(out["pkcs1.key"]); b == nil || b.Type != "RSA PRIVATE KEY" {
		t.Errorf("pkcs1: %q", out["pkcs1.key"])
	} else if k, err := x509.ParsePKCS1PrivateKey(b.Bytes); err != nil || k.N.BitLen() != 1024 {
		t.Errorf("pkcs1 key: %v", err)
	}
	if _, err := x509.ParsePKCS8PrivateKey(out["der.key"]); err != nil {
		t.Errorf("der key: %v", err)
	}
	b, _ := pem.Decode(out["enc.key"])
	// Deprecated, but it reads back the legacy format the fixture writes.
	plain, err := x509.DecryptPEMBlock(b, []byte(Passphrase))
	if err != nil {
		t.Errorf("legacy encrypted key: %v", err)
	} else if _, err := x509.ParsePKCS1PrivateKey(plain); err != nil {
		t.Errorf("legacy encrypted key decrypts to junk: %v", err)
	}
	if b, _ := pem.Decode(out["req.pem"]); b == nil || b.Type != "CERTIFICATE REQUEST" {
		t.Errorf("csr: %q", out["req.pem"])
	}
	b, _ = pem.Decode(out["crl.pem"])
	crl, err := x509.ParseRevocationList(b.Bytes)
	if err != nil || !crl.NextUpdate.Equal(now.AddDate(0, 0, -1)) || crl.CheckSignatureFrom(certs(t, out["ca.pem"])[0]) != nil {
		t.Errorf("crl: %v", err)
	}
	y := string(out["values.yaml"])
	if !strings.Contains(y, "  cert: |\n    -----BEGIN CERTIFICATE-----\n    ") || !strings.Contains(y, "    -----END CERTIFICATE-----\n  key: x\n") {
		t.Errorf("indented PEM:\n%s", y)
	}
	_, enc, _ := strings.Cut(y, "tls.crt: ")
	dec, err := base64.StdEncoding.DecodeString(strings.TrimSpace(enc))
	if err != nil || len(certs(t, dec)) != 1 {
		t.Errorf("!pki64: %v", err)
	}
}

// TestEncryptedPKCS8WithOpenSSL has openssl decrypt the PBES2 key with the
// passphrase, as a server with ssl_passphrase would.
func TestEncryptedPKCS8WithOpenSSL(t *testing.T) {
	openssl := oracle.Require(t, "openssl", "openssl")
	out := expand(t, map[string]string{"k.pem": "!pki key key=enc keytype=rsa-2048 format=encrypted-pkcs8\n"})
	if b, _ := pem.Decode(out["k.pem"]); b == nil || b.Type != "ENCRYPTED PRIVATE KEY" {
		t.Fatalf("not an encrypted PKCS#8 key: %q", out["k.pem"])
	}
	p := filepath.Join(t.TempDir(), "k.pem")
	if err := os.WriteFile(p, out["k.pem"], 0o600); err != nil {
		t.Fatal(err)
	}
	plain, err := exec.Command(openssl, "pkey", "-in", p, "-passin", "pass:"+Passphrase).Output()
	if err != nil {
		t.Fatalf("openssl cannot decrypt it: %v", err)
	}
	b, _ := pem.Decode(plain)
	k, err := x509.ParsePKCS8PrivateKey(b.Bytes)
	if err != nil {
		t.Fatal(err)
	}
	if k.(*rsa.PrivateKey).N.BitLen() != 2048 {
		t.Error("wrong key size")
	}
	if err := exec.Command(openssl, "pkey", "-in", p, "-passin", "pass:wrong").Run(); err == nil {
		t.Error("openssl decrypts it with a wrong passphrase")
	}
}

func TestErrors(t *testing.T) {
	for _, files := range []map[string]string{
		{"a.pem": "!pki cert cn=x issuer=b.pem\n", "b.pem": "!pki cert cn=y issuer=a.pem\n"},
		{"a.pem": "!pki cert cn=x issuer=missing.pem\n"},
		{"a.pem": "!pki cert colour=red\n"},
		{"a.pem": "!pki cert from=yesterday\n"},
		{"a.pem": "!pki key keytype=rsa-512\n"},
		{"a.pem": "!pki key keytype=p256 format=pkcs1\n"},
		{"a.pem": "!pki widget\n"},
		{"a.yaml": "x:\n  !pki cert format=der\n"},
		{"a.yaml": "x: !pki cert\n"},
	} {
		in := map[string][]byte{}
		for k, v := range files {
			in[k] = []byte(v)
		}
		if _, err := Expand(in, now); err == nil {
			t.Errorf("%v: no error", files)
		}
	}
}
