package facts

import (
	"os"
	"os/exec"
	"strings"
	"testing"
)

func TestCipherExamples(t *testing.T) {
	tests := []struct {
		name     string
		iana     string
		kx, auth string
		min      Protocol
		class    CipherClass
		why      string // substring of Why
		certKey  string
	}{
		// Acceptable: MySQL's approved list.
		{"ECDHE-RSA-AES256-GCM-SHA384", "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384", "ECDHE", "RSA", TLSv12, CipherAcceptable, "", "RSA"},
		{"ECDHE-ECDSA-AES128-GCM-SHA256", "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", "ECDHE", "ECDSA", TLSv12, CipherAcceptable, "", "EC"},
		{"ECDHE-ECDSA-CHACHA20-POLY1305", "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256", "ECDHE", "ECDSA", TLSv12, CipherAcceptable, "", "EC"},
		{"DHE-RSA-AES256-CCM", "TLS_DHE_RSA_WITH_AES_256_CCM", "DHE", "RSA", TLSv12, CipherAcceptable, "", "RSA"},
		// Deprecated (CBC-SHA1 suites are in MySQL 5.7's default list, MY57-PC: not restricted).
		{"AES128-SHA", "TLS_RSA_WITH_AES_128_CBC_SHA", "RSA", "RSA", TLSv10, CipherDeprecated, "static RSA", "RSA"},
		{"DHE-RSA-AES256-SHA", "TLS_DHE_RSA_WITH_AES_256_CBC_SHA", "DHE", "RSA", TLSv10, CipherDeprecated, "SHA-1", "RSA"},
		{"ECDHE-RSA-AES128-SHA", "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA", "ECDHE", "RSA", TLSv10, CipherDeprecated, "SHA-1", "RSA"},
		{"ECDHE-ECDSA-AES256-SHA384", "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384", "ECDHE", "ECDSA", TLSv12, CipherDeprecated, "CBC", "EC"},
		{"AES128-GCM-SHA256", "TLS_RSA_WITH_AES_128_GCM_SHA256", "RSA", "RSA", TLSv12, CipherDeprecated, "static RSA", "RSA"},
		{"ECDH-ECDSA-AES128-SHA", "TLS_ECDH_ECDSA_WITH_AES_128_CBC_SHA", "ECDH", "ECDH", TLSv10, CipherDeprecated, "static ECDH", "EC"},
		{"ECDHE-ECDSA-AES128-CCM8", "TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8", "ECDHE", "ECDSA", TLSv12, CipherDeprecated, "CCM_8", "EC"},
		{"DHE-DSS-AES128-GCM-SHA256", "TLS_DHE_DSS_WITH_AES_128_GCM_SHA256", "DHE", "DSS", TLSv12, CipherDeprecated, "DSA", "DSA"},
		{"ECDHE-ARIA128-GCM-SHA256", "TLS_ECDHE_RSA_WITH_ARIA_128_GCM_SHA256", "ECDHE", "RSA", TLSv12, CipherDeprecated, "ARIAGCM", "RSA"},
		{"SRP-AES-128-CBC-SHA", "TLS_SRP_SHA_WITH_AES_128_CBC_SHA", "SRP", "SRP", TLSv10, CipherDeprecated, "SRP", ""},
		// Restricted: MySQL's blocked list.
		{"RC4-SHA", "TLS_RSA_WITH_RC4_128_SHA", "RSA", "RSA", TLSv10, CipherRestricted, "RC4", "RSA"},
		{"RC4-MD5", "TLS_RSA_WITH_RC4_128_MD5", "RSA", "RSA", TLSv10, CipherRestricted, "RC4", "RSA"},
		{"DES-CBC3-SHA", "TLS_RSA_WITH_3DES_EDE_CBC_SHA", "RSA", "RSA", TLSv10, CipherRestricted, "3DES", "RSA"},
		{"ECDHE-ECDSA-DES-CBC3-SHA", "TLS_ECDHE_ECDSA_WITH_3DES_EDE_CBC_SHA", "ECDHE", "ECDSA", TLSv10, CipherRestricted, "3DES", "EC"},
		{"EDH-RSA-DES-CBC3-SHA", "TLS_DHE_RSA_WITH_3DES_EDE_CBC_SHA", "DHE", "RSA", TLSv10, CipherRestricted, "3DES", "RSA"},
		{"DES-CBC-SHA", "TLS_RSA_WITH_DES_CBC_SHA", "RSA", "RSA", TLSv10, CipherRestricted, "DES", "RSA"},
		{"EXP-RC4-MD5", "TLS_RSA_EXPORT_WITH_RC4_40_MD5", "RSA", "RSA", TLSv10, CipherRestricted, "EXPORT", "RSA"},
		{"NULL-SHA256", "TLS_RSA_WITH_NULL_SHA256", "RSA", "RSA", TLSv12, CipherRestricted, "eNULL", "RSA"},
		{"ADH-AES256-GCM-SHA384", "TLS_DH_anon_WITH_AES_256_GCM_SHA384", "DHE", "anon", TLSv12, CipherRestricted, "aNULL", ""},
		{"AECDH-AES128-SHA", "TLS_ECDH_anon_WITH_AES_128_CBC_SHA", "ECDHE", "anon", TLSv10, CipherRestricted, "aNULL", ""},
		{"PSK-AES128-GCM-SHA256", "TLS_PSK_WITH_AES_128_GCM_SHA256", "PSK", "PSK", TLSv12, CipherRestricted, "PSK", ""},
		{"ECDHE-PSK-CHACHA20-POLY1305", "TLS_ECDHE_PSK_WITH_CHACHA20_POLY1305_SHA256", "ECDHEPSK", "PSK", TLSv12, CipherRestricted, "PSK", ""},
		{"DH-RSA-AES128-SHA256", "TLS_DH_RSA_WITH_AES_128_CBC_SHA256", "DH", "DH", TLSv12, CipherRestricted, "static DH", "DH"},
		// TLSv1.3 suites.
		{"TLS_AES_256_GCM_SHA384", "TLS_AES_256_GCM_SHA384", "any", "any", TLSv13, CipherAcceptable, "", ""},
		{"TLS_AES_128_CCM_8_SHA256", "TLS_AES_128_CCM_8_SHA256", "any", "any", TLSv13, CipherDeprecated, "8.0.35", ""},
	}
	for _, tt := range tests {
		c, ok := LookupCipher(tt.name)
		if !ok {
			t.Errorf("LookupCipher(%q) not found", tt.name)
			continue
		}
		if c.IANA != tt.iana || c.Kx != tt.kx || c.Auth != tt.auth || c.MinProtocol != tt.min || c.Class != tt.class {
			t.Errorf("%s = {IANA %s Kx %s Auth %s Min %v Class %v}, want {%s %s %s %v %v}",
				tt.name, c.IANA, c.Kx, c.Auth, c.MinProtocol, c.Class, tt.iana, tt.kx, tt.auth, tt.min, tt.class)
		}
		if !strings.Contains(c.Why, tt.why) || (tt.class != CipherAcceptable) != (c.Why != "") {
			t.Errorf("%s: Why = %q, want it to mention %q", tt.name, c.Why, tt.why)
		}
		if c.CertKey() != tt.certKey {
			t.Errorf("%s: CertKey() = %q, want %q", tt.name, c.CertKey(), tt.certKey)
		}
		if c.TLS13 != (tt.min == TLSv13) {
			t.Errorf("%s: TLS13 = %v", tt.name, c.TLS13)
		}
	}
}

func TestCipherCatalogueInvariants(t *testing.T) {
	all := Ciphers()
	if len(all) < 200 {
		t.Fatalf("catalogue has %d ciphers, want the full OpenSSL list plus legacy names", len(all))
	}
	for _, c := range all {
		if c.IANA == "" || c.Kx == "" || c.Auth == "" || c.Enc == "" || c.Mac == "" || c.MinProtocol == 0 {
			t.Errorf("%s: incomplete %+v", c.Name, c)
		}
		// AEAD and SHA-2 MAC suites need TLSv1.2 (RFC 5246), except the PSK
		// CBC-SHA256/384 suites of RFC 5487, which OpenSSL allows from TLSv1.
		if !c.TLS13 && (c.Mac == "AEAD" || (c.Mac != "SHA1" && c.Mac != "MD5" && !strings.Contains(c.Kx, "PSK"))) && c.MinProtocol != TLSv12 {
			t.Errorf("%s: MinProtocol %v, want TLSv1.2", c.Name, c.MinProtocol)
		}
		if c.Class == CipherAcceptable && (!c.ForwardSecret() || c.Mac != "AEAD") {
			t.Errorf("%s: acceptable without forward secrecy or AEAD", c.Name)
		}
		if strings.HasPrefix(c.Name, "ECDHE-ECDSA-") && (c.Auth != "ECDSA" || c.CertKey() != "EC") {
			t.Errorf("%s: ECDSA suite with Auth %s", c.Name, c.Auth)
		}
		if (strings.HasPrefix(c.Name, "ECDHE-RSA-") || strings.HasPrefix(c.Name, "DHE-RSA-")) && c.Auth != "RSA" {
			t.Errorf("%s: RSA suite with Auth %s", c.Name, c.Auth)
		}
		if got, ok := LookupIANA(c.IANA); !ok || got.IANA != c.IANA {
			t.Errorf("LookupIANA(%s) failed", c.IANA)
		}
	}
	// The GCM, SHA-384 and CHACHA20 families need TLSv1.2.
	for _, n := range []string{"ECDHE-RSA-AES128-GCM-SHA256", "AES256-GCM-SHA384", "DHE-RSA-CHACHA20-POLY1305", "ECDHE-RSA-AES256-SHA384"} {
		if c, _ := LookupCipher(n); c.MinProtocol != TLSv12 {
			t.Errorf("%s: MinProtocol %v", n, c.MinProtocol)
		}
	}
}

func TestDefaultTLS12Ciphers(t *testing.T) {
	for _, target := range []string{"mysql-8.4", "mysql-9.x", "mysql-8.2.0", "percona-8.4.3", "mysql-8.0.36", "mysql-26.7.0"} {
		list := DefaultTLS12Ciphers(mustTarget(t, target))
		if len(list) != 13 {
			t.Errorf("DefaultTLS12Ciphers(%s) has %d ciphers, want 13", target, len(list))
		}
		for _, n := range list {
			c, ok := LookupCipher(n)
			if !ok || c.Class != CipherAcceptable || c.MinProtocol != TLSv12 || !c.ForwardSecret() {
				t.Errorf("%s default %q: found=%v %+v", target, n, ok, c)
			}
		}
	}
	for _, target := range []string{"mysql-5.7", "mysql-8.0", "mysql-8.0.20", "mariadb-11.4", "tidb-v8.1.0", "mysql"} {
		if list := DefaultTLS12Ciphers(mustTarget(t, target)); list != nil {
			t.Errorf("DefaultTLS12Ciphers(%s) = %v, want nil (not the approved list on every version)", target, list)
		}
	}
	// The caller owns the slice.
	a := DefaultTLS12Ciphers(mustTarget(t, "mysql-8.4"))
	a[0] = "X"
	if b := DefaultTLS12Ciphers(mustTarget(t, "mysql-8.4")); b[0] == "X" {
		t.Error("DefaultTLS12Ciphers returns shared storage")
	}
	// Every acceptable TLSv1.2 cipher is on the approved list, and the reverse.
	n := 0
	for _, c := range Ciphers() {
		if c.Class == CipherAcceptable && !c.TLS13 {
			n++
		}
	}
	if n != 13 {
		t.Errorf("%d acceptable TLSv1.2 ciphers, want 13", n)
	}
}

func TestTLS13Suites(t *testing.T) {
	s := TLS13Suites()
	if len(s) != 5 {
		t.Fatalf("%d TLSv1.3 suites, want 5", len(s))
	}
	for _, c := range s {
		if !c.TLS13 || c.MinProtocol != TLSv13 {
			t.Errorf("%s: not a TLSv1.3 suite", c.Name)
		}
		if want := c.Name == "TLS_AES_128_CCM_8_SHA256"; want != (c.Class == CipherDeprecated) {
			t.Errorf("%s: class %v", c.Name, c.Class)
		}
	}
	if got := DefaultTLS13Suites(mustTarget(t, "mysql-8.0.36")); len(got) != 4 || got[3] != "TLS_AES_128_CCM_SHA256" {
		t.Errorf("MySQL default suites = %v", got)
	}
	if got := DefaultTLS13Suites(mustTarget(t, "mariadb-10.11")); len(got) != 3 {
		t.Errorf("OpenSSL default suites = %v", got)
	}
}

func TestLookupCipherCaseSensitive(t *testing.T) {
	if _, ok := LookupCipher("ecdhe-rsa-aes128-gcm-sha256"); ok {
		t.Error("OpenSSL names are case-sensitive; lower case must not match")
	}
	if got := SuggestCipher("ecdhe-rsa-aes128-gcm-sha256"); got != "ECDHE-RSA-AES128-GCM-SHA256" {
		t.Errorf("SuggestCipher(lower case) = %q", got)
	}
	if got := SuggestCipher("ECDHE-RSA-AES128-GCM-SHA265"); got != "ECDHE-RSA-AES128-GCM-SHA256" {
		t.Errorf("SuggestCipher(typo) = %q", got)
	}
	if got := SuggestCipher("TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"); got != "ECDHE-RSA-AES128-GCM-SHA256" {
		t.Errorf("SuggestCipher(IANA) = %q", got)
	}
	if got := SuggestCipher("ECDHE-RSA-AES256-GCM"); got != "ECDHE-RSA-AES256-GCM-SHA384" {
		t.Errorf("SuggestCipher(truncated) = %q", got)
	}
	if got := SuggestCipher("hello"); got != "" {
		t.Errorf("SuggestCipher(nonsense) = %q, want empty", got)
	}
}

func TestCipherKeywords(t *testing.T) {
	for _, k := range []string{"ALL", "HIGH", "MEDIUM", "DEFAULT", "COMPLEMENTOFDEFAULT", "aNULL", "!aNULL", "eNULL",
		"kEECDH", "EECDH", "AESGCM", "EECDH+AESGCM", "kEDH+AESGCM", "@SECLEVEL=0", "@SECLEVEL=2", "@STRENGTH",
		"TLSv1.2", "SSLv3", "-RC4", "+RSA", "!3DES"} {
		if !CipherKeyword(k) {
			t.Errorf("CipherKeyword(%q) = false", k)
		}
	}
	for _, k := range []string{"ECDHE-RSA-AES128-GCM-SHA256", "TLS_AES_128_GCM_SHA256", "high", "@SECLEVEL=9", "", "!", "EECDH+FOO", "TLSv1.3"} {
		if CipherKeyword(k) {
			t.Errorf("CipherKeyword(%q) = true", k)
		}
	}
	for _, k := range []string{"aNULL", "eNULL", "NULL", "EXPORT", "EXP", "LOW", "MD5", "DES", "3DES", "RC2", "RC4", "PSK", "ADH", "kDH", "RSA+RC4"} {
		if !RestrictedKeyword(k) {
			t.Errorf("RestrictedKeyword(%q) = false", k)
		}
	}
	for _, k := range []string{"HIGH", "!RC4", "-DES", "SRP", "AESGCM", "DEFAULT", "SSLv3"} {
		if RestrictedKeyword(k) {
			t.Errorf("RestrictedKeyword(%q) = true", k)
		}
	}
}

// TestCatalogueAgainstOpenSSL compares the catalogue's derived attributes
// with what the local OpenSSL prints for every cipher it knows.
func TestCatalogueAgainstOpenSSL(t *testing.T) {
	bin, err := exec.LookPath("openssl")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("openssl is required in CI (apt-get install openssl)")
		}
		t.Skip("openssl not installed; skipping the differential cipher check")
	}
	out, err := exec.Command(bin, "ciphers", "-V", "-stdname", "ALL:COMPLEMENTOFALL:@SECLEVEL=0").Output()
	if err != nil {
		t.Fatalf("openssl ciphers: %v", err)
	}
	kx := map[string]string{"ECDHE": "ECDH", "DHE": "DH"}
	au := map[string]string{"anon": "None"}
	n := 0
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		// 0xC0,0x2C - TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384 - ECDHE-ECDSA-AES256-GCM-SHA384 TLSv1.2 Kx=ECDH Au=ECDSA Enc=AESGCM(256) Mac=AEAD
		f := strings.Fields(line)
		if len(f) < 10 {
			t.Fatalf("unexpected openssl output line %q", line)
		}
		iana, name, proto := f[2], f[4], f[5]
		c, ok := LookupCipher(name)
		if !ok {
			t.Errorf("OpenSSL knows %s, the catalogue does not", name)
			continue
		}
		n++
		want := map[string]string{"Kx": f[6], "Au": f[7], "Enc": f[8], "Mac": f[9]}
		gotKx := c.Kx
		if k, ok := kx[gotKx]; ok {
			gotKx = k
		}
		gotAu := c.Auth
		if a, ok := au[gotAu]; ok {
			gotAu = a
		}
		enc := strings.TrimPrefix(want["Enc"], "Enc=")
		if i := strings.IndexByte(enc, '('); i >= 0 {
			enc = enc[:i]
		}
		if c.IANA != iana {
			t.Errorf("%s: IANA %s, OpenSSL says %s", name, c.IANA, iana)
		}
		if "Kx="+gotKx != want["Kx"] || "Au="+gotAu != want["Au"] || c.Enc != enc || "Mac="+c.Mac != want["Mac"] {
			t.Errorf("%s: Kx=%s Au=%s Enc=%s Mac=%s, OpenSSL says %v", name, gotKx, gotAu, c.Enc, c.Mac, f[6:10])
		}
		wantMin := map[string]Protocol{"SSLv3": TLSv10, "TLSv1": TLSv10, "TLSv1.2": TLSv12, "TLSv1.3": TLSv13}[proto]
		if c.MinProtocol != wantMin {
			t.Errorf("%s: MinProtocol %v, OpenSSL says %s", name, c.MinProtocol, proto)
		}
	}
	if n < 100 {
		t.Errorf("only %d ciphers compared; is this OpenSSL build unusual?", n)
	}
}
