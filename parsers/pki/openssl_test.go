package pki

import (
	"crypto/x509"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/tlsvet/tlsvet/internal/oracle"
)

// opensslCodes are the X509_V_ERR_* numbers openssl verify prints for each
// Reason (include/openssl/x509_vfy.h).
var opensslCodes = map[string]Reason{"0": 0, "10": Expired, "9": NotYetValid, "20": UnknownAuthority, "2": UnknownAuthority, "7": BadSignature}

// TestVerifyAgreesWithOpenSSL runs openssl verify on the chains Verify
// judges and checks that both give the same verdict, and that the text
// Verify uses for it is OpenSSL's.
func TestVerifyAgreesWithOpenSSL(t *testing.T) {
	openssl := oracle.Require(t, "openssl", "openssl")
	tl := newTwoLevels(t)
	rootT, root, interT, inter, interKey := tl.rootT, tl.root, tl.interT, tl.inter, tl.interKey
	leafT := tmpl("leaf")
	leaf := one(t, issue(t, leafT, interT, &rsaKey.PublicKey, interKey))
	fakeT := caTmpl("Intermediate")
	fake := one(t, issue(t, fakeT, fakeT, &rsaCA.PublicKey, rsaCA))
	otherT := caTmpl("Other")
	other := one(t, issue(t, otherT, otherT, &interKey.PublicKey, interKey))
	sha1T := tmpl("sha1")
	sha1T.SignatureAlgorithm = x509.SHA1WithRSA
	sha1 := one(t, issue(t, sha1T, rootT, &rsaKey.PublicKey, rsaCA))

	for _, tc := range []struct {
		name         string
		leaf         *Cert
		roots, inter []*Cert
		at           time.Time
		want         Reason
		level        string // openssl -auth_level; "" is 1
		weak         bool   // openssl refuses the digest (error 68, CA_MD_TOO_WEAK), which Verify leaves to WeakSignature
	}{
		{"good", leaf, []*Cert{root}, []*Cert{inter}, at, 0, "", false},
		{"expired", leaf, []*Cert{root}, []*Cert{inter}, t1.Add(time.Hour), Expired, "", false},
		{"not yet valid", leaf, []*Cert{root}, []*Cert{inter}, t0.Add(-time.Hour), NotYetValid, "", false},
		{"wrong CA", leaf, []*Cert{other}, nil, at, UnknownAuthority, "", false},
		{"missing intermediate", leaf, []*Cert{root}, nil, at, UnknownAuthority, "", false},
		{"same name, other key", leaf, []*Cert{fake}, nil, at, BadSignature, "", false},
		{"SHA-1 at security level 0", sha1, []*Cert{root}, nil, at, 0, "0", false},
		// OpenSSL 3 counts a SHA-1 signature as 63 bits, below level 1's 80.
		{"SHA-1 at security level 1", sha1, []*Cert{root}, nil, at, 0, "1", true},
	} {
		_, err := Verify(tc.leaf, tc.roots, tc.inter, tc.at)
		var v *VerifyError
		var got Reason
		if errors.As(err, &v) {
			got = v.Reason
		}
		if got != tc.want {
			t.Errorf("%s: Verify says %v, want reason %d", tc.name, err, tc.want)
		}

		dir := t.TempDir()
		write := func(name string, cs []*Cert) string { return writePEM(t, dir, name, cs) }
		level := tc.level
		if level == "" {
			level = "1"
		}
		args := []string{"verify", "-auth_level", level, "-attime", strconv.FormatInt(tc.at.Unix(), 10), "-CAfile", write("ca.pem", tc.roots)}
		if len(tc.inter) > 0 {
			args = append(args, "-untrusted", write("inter.pem", tc.inter))
		}
		out, _ := exec.Command(openssl, append(args, write("leaf.pem", []*Cert{tc.leaf}))...).CombinedOutput()
		code := "0"
		if m := regexp.MustCompile(`error (\d+) at`).FindSubmatch(out); m != nil {
			code = string(m[1])
		}
		r, known := opensslCodes[code]
		if tc.weak {
			known, r = code == "68", tc.want
		}
		if !known || r != tc.want {
			t.Errorf("%s: openssl verify says %q, want reason %d", tc.name, out, tc.want)
		}
		if v != nil && !strings.Contains(string(out), reasonText[v.Reason]) {
			t.Errorf("%s: openssl verify says %q, Verify %q", tc.name, out, err)
		}
	}
}

// TestSelfSignedAgreesWithOpenSSL issues certificates with their
// CA's subject and checks that openssl verify stops at "self-signed
// certificate" (error 18) exactly when SelfSigned says so, and that
// a subject key identifier other than the authority key identifier, or
// another key type, keeps OpenSSL looking for the real issuer, and a key
// usage does not.
func TestSelfSignedAgreesWithOpenSSL(t *testing.T) {
	openssl := oracle.Require(t, "openssl", "openssl")
	keys(t)
	caT := caTmpl("Same Name")
	ca := issue(t, caT, caT, &rsaCA.PublicKey, rsaCA)
	caX := caCertX(t, ca)
	dir := t.TempDir()
	caPath := filepath.Join(dir, "ca.pem")
	if err := os.WriteFile(caPath, ca, 0o600); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name  string
		edit  func(*x509.Certificate)
		ec    bool
		looks bool
	}{
		{"plain", func(*x509.Certificate) {}, false, true},
		// Go leaves out the authority key identifier when the names are equal.
		{"authority key identifier only", func(c *x509.Certificate) { c.AuthorityKeyId = caX.SubjectKeyId }, false, true},
		{"both key identifiers", func(c *x509.Certificate) { c.AuthorityKeyId, c.SubjectKeyId = caX.SubjectKeyId, []byte{9, 9, 9} }, false, false},
		{"key usage without certSign", func(c *x509.Certificate) { c.KeyUsage = x509.KeyUsageDigitalSignature }, false, true},
		{"ECDSA key, RSA signature", func(*x509.Certificate) {}, true, false},
	} {
		c := tmpl("Same Name")
		tc.edit(c)
		var pub any = &rsaKey.PublicKey
		if tc.ec {
			pub = &ecKey.PublicKey
		}
		b := issue(t, c, caT, pub, rsaCA)
		cert := one(t, b)
		if cert.SelfSigned != tc.looks || cert.OwnSignature {
			t.Errorf("%s: SelfSigned %v, OwnSignature %v; want %v, false", tc.name, cert.SelfSigned, cert.OwnSignature, tc.looks)
		}
		p := filepath.Join(dir, "leaf.pem")
		if err := os.WriteFile(p, b, 0o600); err != nil {
			t.Fatal(err)
		}
		out, _ := exec.Command(openssl, "verify", "-attime", strconv.FormatInt(at.Unix(), 10), "-CAfile", caPath, p).CombinedOutput()
		if got := strings.Contains(string(out), "error 18 at 0"); got != tc.looks {
			t.Errorf("%s: openssl verify says %q; SelfSigned %v", tc.name, out, tc.looks)
		}
	}
	if root := one(t, ca); !root.SelfSigned || !root.OwnSignature {
		t.Errorf("the CA: SelfSigned %v, OwnSignature %v; want both", root.SelfSigned, root.OwnSignature)
	}
}

// TestPurposeAgreesWithOpenSSL checks ServerAuth and ClientAuth against
// openssl verify -purpose sslserver and sslclient, which fail with error
// 26 ("unsupported certificate purpose") as a client or server does.
func TestPurposeAgreesWithOpenSSL(t *testing.T) {
	openssl := oracle.Require(t, "openssl", "openssl")
	keys(t)
	dir := t.TempDir()
	caT := caTmpl("Purpose CA")
	caPath := filepath.Join(dir, "ca.pem")
	if err := os.WriteFile(caPath, issue(t, caT, caT, &rsaCA.PublicKey, rsaCA), 0o600); err != nil {
		t.Fatal(err)
	}
	for name, eku := range map[string][]x509.ExtKeyUsage{
		"none": nil, "server": {x509.ExtKeyUsageServerAuth}, "client": {x509.ExtKeyUsageClientAuth},
		"both": {x509.ExtKeyUsageServerAuth, x509.ExtKeyUsageClientAuth}, "any": {x509.ExtKeyUsageAny},
		"email": {x509.ExtKeyUsageEmailProtection}, "sgc": {x509.ExtKeyUsageNetscapeServerGatedCrypto},
	} {
		c := tmpl("leaf")
		c.ExtKeyUsage = eku
		b := issue(t, c, caT, &rsaKey.PublicKey, rsaCA)
		cert := one(t, b)
		p := filepath.Join(dir, "leaf.pem")
		if err := os.WriteFile(p, b, 0o600); err != nil {
			t.Fatal(err)
		}
		for purpose, ok := range map[string]bool{"sslserver": cert.ServerAuth || !cert.HasEKU, "sslclient": cert.ClientAuth || !cert.HasEKU} {
			out, _ := exec.Command(openssl, "verify", "-attime", strconv.FormatInt(at.Unix(), 10), "-purpose", purpose, "-CAfile", caPath, p).CombinedOutput()
			if refused := strings.Contains(string(out), "error 26 at 0"); refused == ok {
				t.Errorf("EKU %s, purpose %s: openssl verify says %q; the Cert says usable %v", name, purpose, out, ok)
			}
		}
	}
}
