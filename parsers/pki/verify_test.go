package pki

import (
	"crypto/x509"
	"errors"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/tlsvet/tlsvet/internal/oracle"
)

func TestVerify(t *testing.T) {
	tl := newTwoLevels(t)
	rootT, root, interT, inter, interKey := tl.rootT, tl.root, tl.interT, tl.inter, tl.interKey
	leafT := tmpl("leaf")
	leaf := one(t, issue(t, leafT, interT, &rsaKey.PublicKey, interKey))

	chain, err := Verify(leaf, []*Cert{root}, []*Cert{inter}, at)
	if err != nil || len(chain) != 3 || chain[0] != leaf || chain[1] != inter || chain[2] != root {
		t.Fatalf("good chain: %v, %d certificates", err, len(chain))
	}
	// The same chain in one bundle: intermediates may be listed as roots.
	if _, err := Verify(leaf, []*Cert{inter, root}, nil, at); err != nil {
		t.Errorf("intermediate as a trust anchor: %v", err)
	}

	reason := func(err error) Reason {
		var v *VerifyError
		if !errors.As(err, &v) {
			return 0
		}
		return v.Reason
	}
	before, after := t0.Add(-time.Hour), t1.Add(time.Hour)
	if _, err := Verify(leaf, []*Cert{root}, []*Cert{inter}, after); reason(err) != Expired {
		t.Errorf("expired: %v", err)
	}
	if _, err := Verify(leaf, []*Cert{root}, []*Cert{inter}, before); reason(err) != NotYetValid {
		t.Errorf("not yet valid: %v", err)
	}
	// Expired intermediate: the error names it.
	oldInterT := caTmpl("Intermediate")
	oldInterT.NotAfter = time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	oldInter := one(t, issue(t, oldInterT, rootT, &interKey.PublicKey, rsaCA))
	var v *VerifyError
	if _, err := Verify(leaf, []*Cert{root}, []*Cert{oldInter}, at); !errors.As(err, &v) || v.Reason != Expired || v.Cert != oldInter {
		t.Errorf("expired intermediate: %v", err)
	}

	// A CA that did not sign the leaf.
	otherT := caTmpl("Other CA")
	other := one(t, issue(t, otherT, otherT, &interKey.PublicKey, interKey))
	chain, err = Verify(leaf, []*Cert{other}, nil, at)
	if reason(err) != UnknownAuthority || len(chain) != 1 {
		t.Errorf("wrong CA: %v, chain %d", err, len(chain))
	}
	// Missing intermediate.
	if _, err := Verify(leaf, []*Cert{root}, nil, at); reason(err) != UnknownAuthority {
		t.Errorf("missing intermediate: %v", err)
	}
	// A CA with the issuer's name but another key: the signature fails.
	fakeT := caTmpl("Intermediate")
	fake := one(t, issue(t, fakeT, fakeT, &rsaCA.PublicKey, rsaCA))
	if _, err := Verify(leaf, []*Cert{fake}, nil, at); reason(err) != BadSignature {
		t.Errorf("same name, other key: %v", err)
	}
	// A leaf cannot sign: issuer names match but it is not a CA.
	subT := tmpl("sub")
	sub := one(t, issue(t, subT, leafT, &interKey.PublicKey, rsaKey))
	if _, err := Verify(sub, []*Cert{leaf}, nil, at); err == nil {
		t.Error("a certificate signed by a non-CA verified")
	}

	// SHA-1: Go refuses it, OpenSSL below security level 2 does not;
	// Verify builds the chain and leaves the judgement to WeakSignature.
	sha1T := tmpl("sha1")
	sha1T.SignatureAlgorithm = x509.SHA1WithRSA
	sha1 := one(t, issue(t, sha1T, rootT, &rsaKey.PublicKey, rsaCA))
	if _, err := Verify(sha1, []*Cert{root}, nil, at); err != nil || sha1.WeakSignature != "SHA-1" {
		t.Errorf("SHA-1 signed: %v", err)
	}
	sha1Fake := one(t, issue(t, sha1T, fakeT, &rsaKey.PublicKey, interKey))
	if _, err := Verify(sha1Fake, []*Cert{fake}, nil, at); reason(err) != BadSignature {
		t.Errorf("SHA-1 signed by another key: %v", err)
	}
}

func TestVerifyHostname(t *testing.T) {
	keys(t)
	ca := caTmpl("CA")
	san := tmpl("db.example.com")
	san.DNSNames = []string{"db.example.com", "*.db.example.com"}
	san.IPAddresses = []net.IP{net.ParseIP("10.0.0.5")}
	sanCert := one(t, issue(t, san, ca, &rsaKey.PublicKey, rsaCA))
	cnOnly := one(t, issue(t, tmpl("db.example.com"), ca, &rsaKey.PublicKey, rsaCA))
	cnAndSAN := tmpl("cn.example.com")
	cnAndSAN.DNSNames = []string{"san.example.com"}
	cnAndSANCert := one(t, issue(t, cnAndSAN, ca, &rsaKey.PublicKey, rsaCA))
	ipOnly := tmpl("10.0.0.9")
	ipOnly.IPAddresses = []net.IP{net.ParseIP("10.0.0.5")}
	ipCert := one(t, issue(t, ipOnly, ca, &rsaKey.PublicKey, rsaCA))

	cases := []struct {
		name       string
		c          *Cert
		host       string
		go_, opens bool
	}{
		{"SAN", sanCert, "db.example.com", true, true},
		{"SAN wildcard", sanCert, "a.db.example.com", true, true},
		{"SAN mismatch", sanCert, "other.example.com", false, false},
		{"IP SAN", sanCert, "10.0.0.5", true, true},
		{"IP not in SAN", sanCert, "10.0.0.6", false, false},
		{"CN only: OpenSSL falls back, Go does not", cnOnly, "db.example.com", false, true},
		{"CN with a DNS SAN: nobody reads the CN", cnAndSANCert, "cn.example.com", false, false},
		{"DNS SAN beside the CN", cnAndSANCert, "san.example.com", true, true},
		{"an IP host never matches the CN", ipCert, "10.0.0.9", false, false},
		{"IP SAN only", ipCert, "10.0.0.5", true, true},
	}
	for _, tc := range cases {
		if got := tc.c.VerifyHostname(tc.host) == nil; got != tc.go_ {
			t.Errorf("%s: Go rules match %v, want %v", tc.name, got, tc.go_)
		}
		if got := tc.c.VerifyHostnameOpenSSL(tc.host) == nil; got != tc.opens {
			t.Errorf("%s: OpenSSL rules match %v, want %v", tc.name, got, tc.opens)
		}
	}

	// The OpenSSL rules are OpenSSL's: openssl x509 -checkhost and -checkip
	// call X509_check_host and X509_check_ip_asc with default flags.
	openssl := oracle.Require(t, "openssl", "openssl")
	for _, tc := range cases {
		path := filepath.Join(t.TempDir(), "c.pem")
		if err := os.WriteFile(path, []byte(tc.c.Span.Text()), 0o600); err != nil {
			t.Fatal(err)
		}
		flag := "-checkhost"
		if net.ParseIP(tc.host) != nil {
			flag = "-checkip"
		}
		out, err := exec.Command(openssl, "x509", "-in", path, "-noout", flag, tc.host).CombinedOutput()
		if err != nil {
			t.Fatalf("%s: openssl: %v\n%s", tc.name, err, out)
		}
		if got := strings.Contains(string(out), "does match"); got != tc.opens {
			t.Errorf("%s: openssl %s %s says %q, want match %v", tc.name, flag, tc.host, out, tc.opens)
		}
	}
}
