package facts

import (
	"sort"
	"strings"
)

// CipherClass is MySQL's judgement of a cipher.
type CipherClass uint8

// Cipher classes. Restricted: in MySQL's permanently blocked set, removed from
// every list the server or client configures (SRC-TLSC blocked_tls12_ciphers
// https://github.com/mysql/mysql-server/blob/trunk/include/tls_ciphers.h;
// MY80-PC). Acceptable: MySQL's approved default list (the 13 AEAD ciphers
// with forward secrecy) and the TLSv1.3 suites except CCM_8. Deprecated:
// everything else; MySQL ≥ 8.0.35 warns for these in ssl_cipher and 9.x
// rejects them (ER_BLOCKED_CIPHER, MY95-SV
// https://docs.oracle.com/cd/E17952_01/mysql-9.5-en/server-system-variables.html).
const (
	CipherAcceptable CipherClass = iota
	CipherDeprecated
	CipherRestricted
)

func (c CipherClass) String() string {
	switch c {
	case CipherAcceptable:
		return "acceptable"
	case CipherDeprecated:
		return "deprecated"
	}
	return "restricted"
}

// Cipher is one TLS cipher (suite) as OpenSSL names it.
type Cipher struct {
	Name string // OpenSSL name, "ECDHE-RSA-AES256-GCM-SHA384", or the TLSv1.3 suite "TLS_AES_256_GCM_SHA384"
	IANA string // "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384"
	// Kx is the key exchange: "ECDHE", "DHE", "RSA", "ECDH" and "DH" (static,
	// no forward secrecy), "PSK", "RSAPSK", "DHEPSK", "ECDHEPSK", "SRP", or "any" (TLSv1.3).
	Kx string
	// Auth is the server authentication: "RSA", "ECDSA", "DSS", "PSK", "SRP",
	// "anon", "ECDH"/"DH" (static: the certificate holds an EC/DH key), "any" (TLSv1.3).
	Auth string
	// Enc is the bulk cipher ("AESGCM", "AES", "CHACHA20/POLY1305", "3DES", "None"…);
	// Mac is "AEAD", "SHA1", "SHA256", "SHA384" or "MD5".
	Enc, Mac    string
	MinProtocol Protocol // lowest protocol it works with (AEAD and SHA-2 MACs need TLSv1.2)
	TLS13       bool
	Export      bool
	Class       CipherClass
	Why         string // why restricted or deprecated, short: "RC4", "CBC with SHA-1 MAC"…
}

// CertKey is the key type the server certificate must have for this cipher:
// "RSA", "EC", "DSA", "DH", or "" when no certificate key type is implied
// (TLSv1.3 suites, PSK, SRP, anonymous). ECDSA suites "do not work with
// certificates that use RSA" (MY80-PC https://dev.mysql.com/doc/refman/8.0/en/encrypted-connection-protocols-ciphers.html).
func (c Cipher) CertKey() string {
	switch c.Auth {
	case "RSA":
		return "RSA"
	case "ECDSA", "ECDH":
		return "EC"
	case "DSS":
		return "DSA"
	case "DH":
		return "DH"
	}
	return ""
}

// ForwardSecret reports whether the key exchange is ephemeral.
func (c Cipher) ForwardSecret() bool {
	switch c.Kx {
	case "ECDHE", "DHE", "DHEPSK", "ECDHEPSK", "any":
		return true
	}
	return false
}

type cipherRow struct {
	name, iana string
	min        Protocol
}

// defaultTLS12 is MySQL's approved TLSv1.2 list, in priority order:
// default_tls12_ciphers in SRC-TLSC
// https://github.com/mysql/mysql-server/blob/trunk/include/tls_ciphers.h and
// the 13 ciphers of MY80-PC/MY95-PC.
var defaultTLS12 = []string{
	"ECDHE-ECDSA-AES128-GCM-SHA256",
	"ECDHE-ECDSA-AES256-GCM-SHA384",
	"ECDHE-RSA-AES128-GCM-SHA256",
	"ECDHE-RSA-AES256-GCM-SHA384",
	"ECDHE-ECDSA-CHACHA20-POLY1305",
	"ECDHE-RSA-CHACHA20-POLY1305",
	"ECDHE-ECDSA-AES256-CCM",
	"ECDHE-ECDSA-AES128-CCM",
	"DHE-RSA-AES128-GCM-SHA256",
	"DHE-RSA-AES256-GCM-SHA384",
	"DHE-RSA-AES256-CCM",
	"DHE-RSA-AES128-CCM",
	"DHE-RSA-CHACHA20-POLY1305",
}

// tls13Rows are the five TLSv1.3 suites (RFC 8446 §B.4). MySQL's
// default_tls13_ciphers (SRC-TLSC) has the first four;
// TLS_AES_128_CCM_8_SHA256 is deprecated from 8.0.35 (MY80-PC, MY95-PC).
var tls13Rows = []cipherRow{
	{"TLS_AES_128_GCM_SHA256", "TLS_AES_128_GCM_SHA256", TLSv13},
	{"TLS_AES_256_GCM_SHA384", "TLS_AES_256_GCM_SHA384", TLSv13},
	{"TLS_CHACHA20_POLY1305_SHA256", "TLS_CHACHA20_POLY1305_SHA256", TLSv13},
	{"TLS_AES_128_CCM_SHA256", "TLS_AES_128_CCM_SHA256", TLSv13},
	{"TLS_AES_128_CCM_8_SHA256", "TLS_AES_128_CCM_8_SHA256", TLSv13},
}

var (
	ciphers     map[string]Cipher
	cipherNames []string // sorted, for suggestions
	tls13       []Cipher
)

func init() {
	approved := map[string]bool{}
	for _, n := range defaultTLS12 {
		approved[n] = true
	}
	ciphers = map[string]Cipher{}
	add := func(rows []cipherRow) {
		for _, r := range rows {
			c := deriveCipher(r)
			if approved[c.Name] {
				c.Class, c.Why = CipherAcceptable, ""
			}
			ciphers[c.Name] = c
			cipherNames = append(cipherNames, c.Name)
		}
	}
	add(cipherRows)
	add(legacyCipherRows)
	add(tls13Rows)
	sort.Strings(cipherNames)
	for _, r := range tls13Rows {
		tls13 = append(tls13, ciphers[r.name])
	}
}

// deriveCipher fills in a Cipher from its OpenSSL name and classifies it.
func deriveCipher(r cipherRow) Cipher {
	c := Cipher{Name: r.name, IANA: r.iana, MinProtocol: r.min}
	n := r.name
	if strings.HasPrefix(n, "TLS_") {
		c.TLS13, c.Kx, c.Auth, c.Mac = true, "any", "any", "AEAD"
		c.Enc = encOf(n)
		if strings.Contains(n, "CCM_8") {
			c.Enc = "AESCCM8"
			c.Class, c.Why = CipherDeprecated, "CCM_8 (truncated tag), deprecated in MySQL 8.0.35"
		}
		return c
	}
	if strings.HasPrefix(n, "EXP-") {
		c.Export = true
		n = n[len("EXP-"):]
	}
	prefixes := []struct{ p, kx, auth string }{
		{"ECDHE-ECDSA-", "ECDHE", "ECDSA"},
		{"ECDHE-RSA-", "ECDHE", "RSA"},
		{"ECDHE-PSK-", "ECDHEPSK", "PSK"},
		{"ECDHE-", "ECDHE", "RSA"}, // ECDHE-ARIA128-GCM-SHA256 is ECDHE_RSA
		{"DHE-RSA-", "DHE", "RSA"},
		{"EDH-RSA-", "DHE", "RSA"},
		{"DHE-DSS-", "DHE", "DSS"},
		{"EDH-DSS-", "DHE", "DSS"},
		{"DHE-PSK-", "DHEPSK", "PSK"},
		{"ADH-", "DHE", "anon"},
		{"AECDH-", "ECDHE", "anon"},
		{"ECDH-RSA-", "ECDH", "ECDH"},
		{"ECDH-ECDSA-", "ECDH", "ECDH"},
		{"DH-RSA-", "DH", "DH"},
		{"DH-DSS-", "DH", "DH"},
		{"RSA-PSK-", "RSAPSK", "RSA"},
		{"PSK-", "PSK", "PSK"},
		{"SRP-DSS-", "SRP", "DSS"},
		{"SRP-RSA-", "SRP", "RSA"},
		{"SRP-", "SRP", "SRP"},
	}
	c.Kx, c.Auth = "RSA", "RSA"
	for _, p := range prefixes {
		if strings.HasPrefix(n, p.p) {
			c.Kx, c.Auth = p.kx, p.auth
			break
		}
	}
	c.Enc = encOf(n)
	switch {
	case strings.Contains(c.Enc, "GCM"), strings.Contains(c.Enc, "CCM"), strings.HasPrefix(c.Enc, "CHACHA20"):
		c.Mac = "AEAD"
	case strings.HasSuffix(n, "-SHA384"):
		c.Mac = "SHA384"
	case strings.HasSuffix(n, "-SHA256"):
		c.Mac = "SHA256"
	case strings.HasSuffix(n, "-MD5"):
		c.Mac = "MD5"
	default:
		c.Mac = "SHA1"
	}
	c.Class, c.Why = classify(c)
	return c
}

func encOf(n string) string {
	switch {
	case strings.Contains(n, "CHACHA20"):
		return "CHACHA20/POLY1305"
	case strings.Contains(n, "ARIA") && strings.Contains(n, "GCM"):
		return "ARIAGCM"
	case strings.Contains(n, "GCM"):
		return "AESGCM"
	case strings.Contains(n, "CCM8"), strings.Contains(n, "CCM_8"):
		return "AESCCM8"
	case strings.Contains(n, "CCM"):
		return "AESCCM"
	case strings.Contains(n, "NULL"):
		return "None"
	case strings.Contains(n, "RC4"):
		return "RC4"
	case strings.Contains(n, "RC2"):
		return "RC2"
	case strings.Contains(n, "DES-CBC3"), strings.Contains(n, "3DES"):
		return "3DES"
	case strings.Contains(n, "DES"):
		return "DES"
	case strings.Contains(n, "IDEA"):
		return "IDEA"
	case strings.Contains(n, "SEED"):
		return "SEED"
	case strings.Contains(n, "CAMELLIA"):
		return "Camellia"
	case strings.Contains(n, "ARIA"):
		return "ARIA"
	}
	return "AES"
}

// classify applies MySQL's policy to a TLSv1.2-or-earlier cipher that is not
// on the approved list. Restricted follows blocked_tls12_ciphers in SRC-TLSC
// (!aNULL !eNULL !EXPORT !LOW !MD5 !DES !3DES !RC2 !RC4 !PSK and the static
// DH-RSA/DH-DSS suites) and the restricted DES-CBC3 names of MY57-PC/MY80-PC.
// MySQL's older "!SSLv3" entry is deliberately not applied: read with
// OpenSSL's meaning it would block AES128-SHA and DHE-RSA-AES256-SHA, which
// MySQL 5.7's own default list contains (MY57-PC),
// and the current source list no longer has it. SRP is not in MySQL's blocked
// list, so SRP suites are only deprecated.
func classify(c Cipher) (CipherClass, string) {
	switch {
	case c.Export:
		return CipherRestricted, "EXPORT (40/56-bit)"
	case c.Auth == "anon":
		return CipherRestricted, "anonymous, no authentication (aNULL)"
	case c.Enc == "None":
		return CipherRestricted, "no encryption (eNULL)"
	case c.Enc == "DES":
		return CipherRestricted, "DES"
	case c.Enc == "3DES":
		return CipherRestricted, "3DES"
	case c.Enc == "RC2":
		return CipherRestricted, "RC2"
	case c.Enc == "RC4":
		return CipherRestricted, "RC4"
	case c.Mac == "MD5":
		return CipherRestricted, "MD5"
	case strings.HasSuffix(c.Kx, "PSK"):
		return CipherRestricted, "pre-shared key (PSK)"
	case c.Kx == "DH":
		return CipherRestricted, "static DH key exchange"
	// Deprecated (MY80-PC's deprecated list: SHA-1/SHA-2 CBC suites, static
	// RSA and ECDH key exchange, DSS, CCM_8; MY95-SV approves only the 13).
	case c.Kx == "RSA":
		return CipherDeprecated, "static RSA key exchange (no forward secrecy)"
	case c.Kx == "ECDH":
		return CipherDeprecated, "static ECDH key exchange (no forward secrecy)"
	case c.Kx == "SRP":
		return CipherDeprecated, "SRP key exchange with CBC and SHA-1 MAC"
	case c.Mac == "SHA1":
		return CipherDeprecated, "CBC with SHA-1 MAC"
	case c.Mac == "SHA256" || c.Mac == "SHA384":
		return CipherDeprecated, "CBC mode"
	case c.Enc == "AESCCM8":
		return CipherDeprecated, "CCM_8 (truncated tag)"
	case c.Auth == "DSS":
		return CipherDeprecated, "DSA authentication"
	}
	return CipherDeprecated, c.Enc + " is not in MySQL's approved list"
}

// LookupCipher finds a cipher by its exact OpenSSL name. OpenSSL compares
// cipher names and keywords case-sensitively (strncmp in
// ssl_cipher_process_rulestr, ssl/ssl_ciph.c), so "ecdhe-rsa-aes128-gcm-sha256"
// matches nothing there and is not found here either; SuggestCipher offers
// the right case.
func LookupCipher(name string) (Cipher, bool) {
	c, ok := ciphers[name]
	return c, ok
}

// LookupIANA finds a cipher by its IANA (RFC) name, as Go and Java drivers
// spell it.
func LookupIANA(iana string) (Cipher, bool) {
	for _, n := range cipherNames {
		if c := ciphers[n]; c.IANA == iana {
			return c, true
		}
	}
	return Cipher{}, false
}

// Ciphers returns the whole catalogue, sorted by name.
func Ciphers() []Cipher {
	out := make([]Cipher, 0, len(cipherNames))
	for _, n := range cipherNames {
		out = append(out, ciphers[n])
	}
	return out
}

// TLS13Suites returns the five TLSv1.3 suites, MySQL's default order first,
// TLS_AES_128_CCM_8_SHA256 last.
func TLS13Suites() []Cipher { return append([]Cipher(nil), tls13...) }

// DefaultTLS13Suites is MySQL's default tls_ciphersuites (8.0.16+):
// default_tls13_ciphers in SRC-TLSC. The 8.0 manual says only the first
// three are enabled by default (MY80-PC); the source list has four. OpenSSL
// itself (MariaDB, which has no tls_ciphersuites) enables the three without
// CCM (observed on MariaDB 10.11, docs/mariadb-observations.md §4b).
func DefaultTLS13Suites(t Target) []string {
	switch t.Flavor {
	case MySQL, Percona:
		return []string{"TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256", "TLS_AES_128_CCM_SHA256"}
	}
	return []string{"TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256", "TLS_AES_128_GCM_SHA256"}
}

// DefaultTLS12Ciphers is the TLSv1.2 cipher list a server of t uses when
// ssl_cipher is not set: MySQL's 13 approved ciphers (SRC-TLSC, MY80-PC,
// MY84-PC, MY95-PC) on every version of t, or nil when that is not so — the
// TLS library's default (MariaDB, TiDB) or MySQL's older, longer list (MY57-PC),
// which this package does not model.
func DefaultTLS12Ciphers(t Target) []string {
	mysql := t.MySQLFamily() || t.Flavor == FlavorUnknown && NumberingFlavor(t.Min) == MySQL && NumberingFlavor(t.Max) == MySQL
	// 8.2.0: "server by default uses only those ciphers" (the 13), blog
	// https://dev.mysql.com/blog-archive/improving-tls-ciphers-usage-in-mysql-8-2-0/.
	// 8.0.35 was released with 8.2.0 and the 8.0 manual (MY80-PC) lists the same
	// 13 as 8.0's default; that 8.0.35 is the first such 8.0 release is UNCONFIRMED.
	if mysql && (t.AllAtLeast(V(8, 2, 0)) || t.Min.sameSeries(V(8, 0, 0)) && t.Max.sameSeries(V(8, 0, 0)) && t.AllAtLeast(V(8, 0, 35))) {
		return append([]string(nil), defaultTLS12...)
	}
	return nil
}

// opensslKeywords are OpenSSL cipher-string keywords (OpenSSL ciphers(1),
// "CIPHER STRINGS": https://docs.openssl.org/3.0/man1/openssl-ciphers/).
// The protocol names TLSv1.2, TLSv1.0, TLSv1 and SSLv3 select every cipher
// first defined for that protocol; MariaDB documents ssl_cipher=TLSv1.2 this
// way (MDEV-14101, MDB-OVW
// https://mariadb.com/docs/server/security/encryption/data-in-transit-encryption/secure-connections-overview).
var opensslKeywords = map[string]bool{}

// restrictedKeywords select only ciphers MySQL blocks (SRC-TLSC blocked_tls12_ciphers).
var restrictedKeywords = map[string]bool{}

func init() {
	for _, k := range strings.Fields(`DEFAULT COMPLEMENTOFDEFAULT ALL COMPLEMENTOFALL HIGH MEDIUM LOW
		eNULL NULL aNULL kRSA aRSA RSA kDHr kDHd kDH kDHE kEDH DH DHE EDH ADH kEECDH kECDHE ECDH
		ECDHE EECDH AECDH kECDHr kECDHe kECDH aECDH aDSS DSS aDH aECDSA ECDSA TLSv1.2 TLSv1.0 TLSv1 SSLv3
		AES128 AES256 AES AESGCM AESCCM AESCCM8 ARIA128 ARIA256 ARIA ARIAGCM CAMELLIA128 CAMELLIA256
		CAMELLIA CHACHA20 3DES DES RC4 RC2 IDEA SEED MD5 SHA1 SHA SHA256 SHA384 aGOST aGOST01 kGOST
		GOST94 GOST89MAC PSK kPSK kECDHEPSK kDHEPSK kRSAPSK aPSK SUITEB128 SUITEB128ONLY SUITEB192
		kSRP aSRP SRP EXPORT EXP EXPORT40 EXPORT56 CBC SSLv2 FIPS aGOST12 kGOST18`) {
		opensslKeywords[k] = true
	}
	for _, k := range strings.Fields(`aNULL eNULL NULL EXPORT EXP EXPORT40 EXPORT56 LOW MD5 DES 3DES
		RC2 RC4 PSK kPSK aPSK kECDHEPSK kDHEPSK kRSAPSK ADH AECDH kDHr kDHd kDH aDH`) {
		restrictedKeywords[k] = true
	}
}

// CipherKeyword reports whether tok is an OpenSSL cipher-string keyword or
// combination rather than a single cipher: "HIGH", "!aNULL", "EECDH+AESGCM",
// "@SECLEVEL=1", "@STRENGTH", "TLSv1.2"… A leading "!", "-" or "+" is
// allowed. Keywords are case-sensitive, as in OpenSSL.
func CipherKeyword(tok string) bool {
	tok = strings.TrimLeft(tok, "!-+")
	if tok == "" {
		return false
	}
	if tok == "@STRENGTH" {
		return true
	}
	if strings.HasPrefix(tok, "@SECLEVEL=") {
		n := tok[len("@SECLEVEL="):]
		return len(n) == 1 && n[0] >= '0' && n[0] <= '5'
	}
	for _, part := range strings.Split(tok, "+") {
		if !opensslKeywords[part] {
			return false
		}
	}
	return true
}

// RestrictedKeyword reports whether keyword tok (without a "!"/"-" prefix)
// selects only ciphers MySQL blocks: aNULL, eNULL, NULL, EXPORT, LOW, MD5,
// DES, 3DES, RC2, RC4, PSK and their variants. A "+" combination is
// restricted when any part is.
func RestrictedKeyword(tok string) bool {
	tok = strings.TrimLeft(tok, "+")
	if strings.HasPrefix(tok, "!") || strings.HasPrefix(tok, "-") {
		return false
	}
	for _, part := range strings.Split(tok, "+") {
		if restrictedKeywords[part] {
			return true
		}
	}
	return false
}

// SuggestCipher returns the known cipher name closest to name, or "": a
// case-only difference first, then the OpenSSL name for an IANA name, then
// the shortest name that name is a prefix of, then the closest name by edit
// distance (at most a third of its length).
func SuggestCipher(name string) string {
	for _, n := range cipherNames {
		if strings.EqualFold(n, name) {
			return n
		}
	}
	// Drivers and docs often give the IANA name where OpenSSL wants its own.
	if c, ok := LookupIANA(strings.ToUpper(name)); ok && !c.TLS13 {
		return c.Name
	}
	// A truncated name ("ECDHE-RSA-AES256-GCM"): the shortest name it begins.
	up := strings.ToUpper(name)
	best := ""
	if len(up) >= 8 {
		for _, n := range cipherNames {
			if strings.HasPrefix(n, up) && (best == "" || len(n) < len(best)) {
				best = n
			}
		}
	}
	if best != "" {
		return best
	}
	return closest(up, cipherNames, strings.ToUpper, len(name)/3)
}
