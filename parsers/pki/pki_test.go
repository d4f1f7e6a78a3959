package pki

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/tlsvet/tlsvet/internal/source"
)

// Fixed dates: no test depends on the wall clock.
var (
	t0 = time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	t1 = time.Date(2034, 1, 1, 0, 0, 0, 0, time.UTC)
	at = time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)
)

var (
	keyOnce sync.Once
	rsaKey  *rsa.PrivateKey // 2048 bits, shared to keep the tests fast
	rsaCA   *rsa.PrivateKey
	ecKey   *ecdsa.PrivateKey
)

func keys(t testing.TB) {
	keyOnce.Do(func() {
		var err error
		if rsaKey, err = rsa.GenerateKey(rand.Reader, 2048); err != nil {
			panic(err)
		}
		if rsaCA, err = rsa.GenerateKey(rand.Reader, 2048); err != nil {
			panic(err)
		}
		if ecKey, err = ecdsa.GenerateKey(elliptic.P256(), rand.Reader); err != nil {
			panic(err)
		}
	})
}

var serial int64

// tmpl is a certificate template valid from t0 to t1.
func tmpl(cn string) *x509.Certificate {
	serial++
	return &x509.Certificate{
		SerialNumber: big.NewInt(serial),
		Subject:      pkix.Name{CommonName: cn},
		NotBefore:    t0,
		NotAfter:     t1,
	}
}

func caTmpl(cn string) *x509.Certificate {
	c := tmpl(cn)
	c.IsCA, c.BasicConstraintsValid = true, true
	c.KeyUsage = x509.KeyUsageCertSign | x509.KeyUsageCRLSign
	return c
}

// issue signs c with parent's key and returns the PEM.
func issue(t testing.TB, c, parent *x509.Certificate, pub crypto.PublicKey, signer crypto.Signer) []byte {
	t.Helper()
	der, err := x509.CreateCertificate(rand.Reader, c, parent, pub, signer)
	if err != nil {
		t.Fatal(err)
	}
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})
}

func read(name string, b []byte) *File { return Read(source.NewFile(name, b)) }

// twoLevels is a root CA and an intermediate it signed, with their
// templates and the intermediate's key, for chain tests.
type twoLevels struct {
	rootT, interT *x509.Certificate
	root, inter   *Cert
	interKey      *rsa.PrivateKey
}

func newTwoLevels(t testing.TB) twoLevels {
	t.Helper()
	keys(t)
	var c twoLevels
	var err error
	if c.interKey, err = rsa.GenerateKey(rand.Reader, 2048); err != nil {
		t.Fatal(err)
	}
	c.rootT = caTmpl("Root")
	c.root = one(t, issue(t, c.rootT, c.rootT, &rsaCA.PublicKey, rsaCA))
	c.interT = caTmpl("Intermediate")
	c.inter = one(t, issue(t, c.interT, c.rootT, &c.interKey.PublicKey, rsaCA))
	return c
}

// writePEM writes the certificates' PEM blocks to dir/name and returns its path.
func writePEM(t testing.TB, dir, name string, cs []*Cert) string {
	t.Helper()
	var b strings.Builder
	for _, c := range cs {
		b.WriteString(c.Span.Text())
	}
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(b.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// one reads a file that must hold one certificate.
func one(t testing.TB, b []byte) *Cert {
	t.Helper()
	f := read("c.pem", b)
	if len(f.Problems) > 0 || len(f.Certs()) != 1 {
		t.Fatalf("problems %v, %d certificates", f.Problems, len(f.Certs()))
	}
	return f.Certs()[0]
}

func TestCertFields(t *testing.T) {
	keys(t)
	ca := caTmpl("Test CA")
	ca.SubjectKeyId = []byte{1, 2, 3}
	caCert := one(t, issue(t, ca, ca, &rsaCA.PublicKey, rsaCA))
	if !caCert.IsCA || !caCert.SelfIssued || caCert.SubjectKeyID != "010203" || caCert.HasEKU {
		t.Errorf("CA: %+v", caCert)
	}

	leaf := tmpl("db.example.com")
	leaf.DNSNames = []string{"db.example.com"}
	leaf.IPAddresses = []net.IP{net.ParseIP("10.0.0.5")}
	leaf.ExtKeyUsage = []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}
	c := one(t, issue(t, leaf, ca, &rsaKey.PublicKey, rsaCA))
	if c.SubjectCN != "db.example.com" || c.IssuerCN != "Test CA" || c.IsCA || c.SelfIssued ||
		c.KeyType != "RSA" || c.Bits != 2048 || c.WeakSignature != "" || c.SignatureAlgorithm != "SHA256-RSA" ||
		!c.HasEKU || !c.ServerAuth || c.ClientAuth || c.AuthorityKeyID != "010203" ||
		!c.NotBefore.Equal(t0) || !c.NotAfter.Equal(t1) || len(c.DNSNames) != 1 || !c.IPs[0].Equal(net.ParseIP("10.0.0.5")) {
		t.Errorf("RSA-2048 leaf: %+v", c)
	}

	small, err := rsa.GenerateKey(rand.Reader, 1024)
	if err != nil {
		t.Fatal(err)
	}
	c = one(t, issue(t, tmpl("small"), ca, &small.PublicKey, rsaCA))
	if c.KeyType != "RSA" || c.Bits != 1024 {
		t.Errorf("RSA-1024: %s %d", c.KeyType, c.Bits)
	}

	c = one(t, issue(t, tmpl("ec"), ca, &ecKey.PublicKey, rsaCA))
	if c.KeyType != "ECDSA" || c.Bits != 256 || c.Curve != "P-256" {
		t.Errorf("ECDSA: %+v", c.PublicKeyInfo)
	}

	sha1 := tmpl("sha1")
	sha1.SignatureAlgorithm = x509.SHA1WithRSA
	c = one(t, issue(t, sha1, ca, &rsaKey.PublicKey, rsaCA))
	if c.WeakSignature != "SHA-1" || c.SignatureAlgorithm != "SHA1-RSA" {
		t.Errorf("SHA-1 signed: %q %q", c.WeakSignature, c.SignatureAlgorithm)
	}
}

func TestReadBlocks(t *testing.T) {
	keys(t)
	ca := caTmpl("CA")
	cert := issue(t, ca, ca, &rsaCA.PublicKey, rsaCA)
	csrDER, err := x509.CreateCertificateRequest(rand.Reader, &x509.CertificateRequest{Subject: pkix.Name{CommonName: "req"}, DNSNames: []string{"req.example"}}, ecKey)
	if err != nil {
		t.Fatal(err)
	}
	crlDER, err := x509.CreateRevocationList(rand.Reader, &x509.RevocationList{Number: big.NewInt(1), ThisUpdate: t0, NextUpdate: at}, caCertX(t, cert), rsaCA)
	if err != nil {
		t.Fatal(err)
	}
	pubDER, _ := x509.MarshalPKIXPublicKey(&ecKey.PublicKey)
	var b strings.Builder
	b.WriteString("Bag Attributes: text before a block is allowed\n")
	b.Write(cert)
	b.Write(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE REQUEST", Bytes: csrDER}))
	b.Write(pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(rsaKey)}))
	b.Write(pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: pubDER}))
	b.Write(pem.EncodeToMemory(&pem.Block{Type: "X509 CRL", Bytes: crlDER}))
	b.Write(pem.EncodeToMemory(&pem.Block{Type: "DH PARAMETERS", Bytes: []byte{0x30, 0}}))
	f := read("bundle.pem", []byte(b.String()))
	if len(f.Problems) > 0 {
		t.Fatalf("problems: %v", f.Problems)
	}
	want := []Kind{Certificate, CSR, PrivateKey, PublicKey, CRL, Unknown}
	if len(f.Blocks) != len(want) {
		t.Fatalf("%d blocks, want %d", len(f.Blocks), len(want))
	}
	for i, blk := range f.Blocks {
		txt := blk.Span.Text()
		if blk.Kind != want[i] || !strings.HasPrefix(txt, "-----BEGIN "+blk.Type+"-----\n") || !strings.HasSuffix(txt, "-----END "+blk.Type+"-----\n") {
			t.Errorf("block %d: kind %v type %q span %q…", i, blk.Kind, blk.Type, txt[:min(len(txt), 30)])
		}
	}
	if r := f.Blocks[1].Request; r == nil || r.SubjectCN != "req" || r.KeyType != "ECDSA" || r.DNSNames[0] != "req.example" {
		t.Errorf("CSR: %+v", r)
	}
	if k := f.Blocks[2].Key; k == nil || !k.Private || k.Format != "PKCS#1" || k.KeyType != "RSA" || k.Bits != 2048 {
		t.Errorf("key: %+v", k)
	}
	if k := f.Blocks[3].Key; k == nil || k.Private || k.Format != "PKIX" || k.Curve != "P-256" {
		t.Errorf("public key: %+v", k)
	}
	if l := f.Blocks[4].List; l == nil || l.IssuerCN != "CA" || !l.NextUpdate.Equal(at) {
		t.Errorf("CRL: %+v", l)
	}
	if len(f.Keys()) != 1 {
		t.Errorf("Keys: %d", len(f.Keys()))
	}
}

func caCertX(t testing.TB, p []byte) *x509.Certificate {
	b, _ := pem.Decode(p)
	x, err := x509.ParseCertificate(b.Bytes)
	if err != nil {
		t.Fatal(err)
	}
	return x
}

func TestProblems(t *testing.T) {
	keys(t)
	ca := caTmpl("CA")
	cert := string(issue(t, ca, ca, &rsaCA.PublicKey, rsaCA))
	der := caCertX(t, []byte(cert)).Raw
	cut := cert[:strings.Index(cert[len(cert)/2:], "\n")+len(cert)/2+1] // cut at a line end, as head -n does
	for _, tc := range []struct {
		name, in string
		want     []ProblemKind
		blocks   int
		der      bool
	}{
		{"empty", "", []ProblemKind{Empty}, 0, false},
		{"blank", " \n\n", []ProblemKind{Empty}, 0, false},
		{"no PEM", "hello\n", []ProblemKind{NoPEM}, 0, false},
		{"truncated", cut, []ProblemKind{Truncated}, 0, false},
		{"truncated then whole", cut + cert, []ProblemKind{Truncated}, 1, false},
		{"cut mid-line then whole", cert[:len(cert)/2] + cert, []ProblemKind{Malformed}, 1, false},
		{"bad base64", strings.Replace(cert, "M", "!", 1), []ProblemKind{Malformed}, 1, false},
		{"END label differs", strings.Replace(cert, "END CERTIFICATE", "END CERT", 1), []ProblemKind{Malformed}, 1, false},
		{"BEGIN without dashes", "-----BEGIN CERTIFICATE\n", []ProblemKind{Malformed}, 0, false},
		{"trailing garbage", cert + "garbage\n", []ProblemKind{TrailingData}, 1, false},
		{"unparseable", "-----BEGIN CERTIFICATE-----\nMAA=\n-----END CERTIFICATE-----\n", []ProblemKind{Unparseable}, 1, false},
		{"DER", string(der), []ProblemKind{DERFile}, 1, true},
		{"CRLF", strings.ReplaceAll(cert, "\n", "\r\n"), nil, 1, false},
	} {
		f := read("x.pem", []byte(tc.in))
		var got []ProblemKind
		for _, p := range f.Problems {
			got = append(got, p.Kind)
			if p.Span.Start < 0 || p.Span.End > len(tc.in) || p.Span.Start > p.Span.End {
				t.Errorf("%s: span %d-%d", tc.name, p.Span.Start, p.Span.End)
			}
		}
		if len(got) != len(tc.want) || len(got) > 0 && got[0] != tc.want[0] || len(f.Blocks) != tc.blocks || f.DER != tc.der {
			t.Errorf("%s: problems %v want %v, %d blocks want %d, DER %v", tc.name, f.Problems, tc.want, len(f.Blocks), tc.blocks, f.DER)
		}
	}
	// A block that cannot be decoded still says what its label promised.
	if f := read("x.pem", []byte(strings.Replace(cert, "M", "!", 1))); f.Blocks[0].Kind != Certificate || f.Blocks[0].Cert != nil {
		t.Errorf("undecodable certificate block: kind %v", f.Blocks[0].Kind)
	}
	// The DER file is still read: a rule can say what it holds.
	if f := read("c.der", der); f.Blocks[0].Cert == nil || f.Blocks[0].Cert.SubjectCN != "CA" {
		t.Errorf("DER certificate not parsed: %+v", f.Blocks)
	}
	// The truncated block's span runs to the next BEGIN.
	f := read("x.pem", []byte(cut+cert))
	if p := f.Problems[0]; p.Span.Start != 0 || p.Span.End != len(cut) || f.Blocks[0].Span.Start != len(cut) {
		t.Errorf("truncated span %d-%d, block at %d", p.Span.Start, p.Span.End, f.Blocks[0].Span.Start)
	}
}

func TestMatches(t *testing.T) {
	keys(t)
	ca := caTmpl("CA")
	cert := one(t, issue(t, tmpl("leaf"), ca, &rsaKey.PublicKey, rsaCA))
	own := read("k.pem", pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(rsaKey)})).Keys()[0]
	other := read("k.pem", pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(rsaCA)})).Keys()[0]
	if !own.Matches(cert) || other.Matches(cert) {
		t.Errorf("own key matches %v, other key matches %v", own.Matches(cert), other.Matches(cert))
	}
	ecDER, _ := x509.MarshalECPrivateKey(ecKey)
	ec := read("k.pem", pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: ecDER})).Keys()[0]
	ecCert := one(t, issue(t, tmpl("ec"), ca, &ecKey.PublicKey, rsaCA))
	if !ec.Matches(ecCert) || ec.Matches(cert) {
		t.Error("EC key match")
	}
}
