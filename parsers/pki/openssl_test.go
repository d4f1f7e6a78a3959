package pki

import (
	"crypto/rand"
	"crypto/rsa"
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
	keys(t)
	interKey, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	rootT := caTmpl("Root")
	root := one(t, issue(t, rootT, rootT, &rsaCA.PublicKey, rsaCA))
	interT := caTmpl("Intermediate")
	inter := one(t, issue(t, interT, rootT, &interKey.PublicKey, rsaCA))
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
		write := func(name string, cs []*Cert) string {
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
