package pki

import (
	"crypto/x509/pkix"
	"encoding/asn1"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tlsvet/tlsvet/internal/oracle"
)

// rawName builds a DER name from RDNs of (OID, tag, value) attributes, so
// that tests control each value's string type.
func rawName(t testing.TB, rdns ...[]attribute) []byte {
	t.Helper()
	var seq []byte
	for _, rdn := range rdns {
		var set []byte
		for _, a := range rdn {
			b, err := asn1.Marshal(a)
			if err != nil {
				t.Fatal(err)
			}
			set = append(set, b...)
		}
		b, err := asn1.Marshal(asn1.RawValue{Tag: asn1.TagSet, IsCompound: true, Bytes: set})
		if err != nil {
			t.Fatal(err)
		}
		seq = append(seq, b...)
	}
	b, err := asn1.Marshal(asn1.RawValue{Tag: asn1.TagSequence, IsCompound: true, Bytes: seq})
	if err != nil {
		t.Fatal(err)
	}
	return b
}

var (
	oidCN = asn1.ObjectIdentifier{2, 5, 4, 3}
	oidO  = asn1.ObjectIdentifier{2, 5, 4, 10}
	oidOU = asn1.ObjectIdentifier{2, 5, 4, 11}
)

func attr(oid asn1.ObjectIdentifier, tag int, v []byte) attribute {
	return attribute{Type: oid, Value: asn1.RawValue{Tag: tag, Bytes: v}}
}

// hashCases are names whose hashes differ unless canonicalisation is
// exactly OpenSSL's.
func hashCases(t testing.TB) map[string][]byte {
	bmp := func(s string) []byte {
		var b []byte
		for _, r := range s {
			b = append(b, byte(r>>8), byte(r))
		}
		return b
	}
	return map[string][]byte{
		"printable":        rawName(t, []attribute{attr(oidCN, asn1.TagPrintableString, []byte("Test CA"))}),
		"case and spaces":  rawName(t, []attribute{attr(oidO, asn1.TagUTF8String, []byte("  Example \t  Org "))}, []attribute{attr(oidCN, asn1.TagPrintableString, []byte("TEST ca"))}),
		"utf8 non-ASCII":   rawName(t, []attribute{attr(oidCN, asn1.TagUTF8String, []byte("Ünïcode CA"))}),
		"bmp":              rawName(t, []attribute{attr(oidCN, asn1.TagBMPString, bmp("Bmp CA"))}),
		"latin1 t61":       rawName(t, []attribute{attr(oidCN, asn1.TagT61String, []byte{'C', 0xe9, 'A'})}),
		"multi-valued rdn": rawName(t, []attribute{attr(oidOU, asn1.TagUTF8String, []byte("Zeta")), attr(oidCN, asn1.TagUTF8String, []byte("Alpha"))}),
		"numeric kept":     rawName(t, []attribute{attr(oidCN, asn1.TagNumericString, []byte("0012 34"))}),
		"empty":            rawName(t),
	}
}

// TestNameHashKnown checks values openssl x509 -subject_hash printed
// (OpenSSL 3.0) for certificates with these subjects.
func TestNameHashKnown(t *testing.T) {
	for _, tc := range []struct {
		name pkix.Name
		want uint32
	}{
		{pkix.Name{CommonName: "Test CA"}, 0x3387b84d},
		{pkix.Name{Organization: []string{"  Example   Org "}, CommonName: "TEST ca"}, 0x2b2acbf2},
	} {
		der, err := asn1.Marshal(tc.name.ToRDNSequence())
		if err != nil {
			t.Fatal(err)
		}
		if got, err := NameHash(der); err != nil || got != tc.want {
			t.Errorf("NameHash(%v) = %08x, %v; want %08x", tc.name, got, err, tc.want)
		}
	}
	keys(t)
	c := tmpl("Test CA")
	if got := one(t, issue(t, c, c, &rsaKey.PublicKey, rsaKey)).SubjectHash; got != "3387b84d" {
		t.Errorf("a certificate for CN=Test CA has SubjectHash %q, want 3387b84d", got)
	}
}

func TestNameHashErrors(t *testing.T) {
	for name, der := range map[string][]byte{
		"not DER":       []byte("CN=x"),
		"trailing":      append(rawName(t), 0),
		"odd BMPString": rawName(t, []attribute{attr(oidCN, asn1.TagBMPString, []byte{0, 'a', 0})}),
		"bad UTF-8":     rawName(t, []attribute{attr(oidCN, asn1.TagUTF8String, []byte{0xff, 'a'})}),
	} {
		if h, err := NameHash(der); err == nil {
			t.Errorf("%s: NameHash = %08x, want an error", name, h)
		}
	}
}

// TestNameHashAgreesWithOpenSSL compares NameHash with openssl x509
// -subject_hash on certificates whose subjects use each string type and
// the spacing and case that canonicalisation folds.
func TestNameHashAgreesWithOpenSSL(t *testing.T) {
	openssl := oracle.Require(t, "openssl", "openssl")
	keys(t)
	dir := t.TempDir()
	for name, der := range hashCases(t) {
		c := tmpl("x")
		c.RawSubject = der
		p := filepath.Join(dir, strings.ReplaceAll(name, " ", "-")+".pem")
		if err := os.WriteFile(p, issue(t, c, c, &rsaKey.PublicKey, rsaKey), 0o600); err != nil {
			t.Fatal(err)
		}
		out, err := exec.Command(openssl, "x509", "-noout", "-subject_hash", "-in", p).CombinedOutput()
		if err != nil {
			t.Fatalf("%s: openssl: %v: %s", name, err, out)
		}
		got, err := NameHash(der)
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		if want := strings.TrimSpace(string(out)); fmt.Sprintf("%08x", got) != want {
			t.Errorf("%s: NameHash = %08x, openssl -subject_hash = %s", name, got, want)
		}
	}
}

// FuzzNameHash checks that NameHash never panics on any bytes, and that
// a name it hashes hashes the same after re-encoding its canonical form
// (canonicalisation is idempotent, as OpenSSL's is).
func FuzzNameHash(f *testing.F) {
	for _, der := range hashCases(f) {
		f.Add(der)
	}
	f.Add([]byte{0x30, 0x80})
	f.Fuzz(func(t *testing.T, der []byte) {
		h, err := NameHash(der)
		if err != nil {
			return
		}
		canon, err := canonicalName(der)
		if err != nil {
			t.Fatalf("NameHash succeeded (%08x) but canonicalName failed: %v", h, err)
		}
		seq, err := asn1.Marshal(asn1.RawValue{Tag: asn1.TagSequence, IsCompound: true, Bytes: canon})
		if err != nil {
			t.Fatal(err)
		}
		if h2, err := NameHash(seq); err != nil || h2 != h {
			t.Errorf("the canonical form hashes to %08x, %v; the name to %08x", h2, err, h)
		}
	})
}
