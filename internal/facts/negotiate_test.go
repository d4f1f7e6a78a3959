package facts

import (
	"strings"
	"testing"
)

// The tables below are what a real MariaDB 10.11.19 server with Debian 12's
// OpenSSL 3.0.22 did (docs/mariadb-observations.md Appendix F, run of
// 2026-11-21): one row per server configuration (the config numbers of
// Appendix C), one column per client probe. A cell is the observed result
// in the appendix's notation; "" marks a probe whose result depends on the
// certificate store or on the certificate itself (verification), which the
// model leaves to the certificate rules, or on Connector/C reporting a
// verification error in place of the real one (§4d "error masking").

// Observed servers (Appendix C).
var (
	mdb1011  = Exact(MariaDB, V(10, 11, 19))
	level0   = &OpenSSLPolicy{Level: 0}
	tls10to1 = []Protocol{TLSv10, TLSv11}
)

func rsaServer(mod func(*Server)) Server {
	s := Server{Target: mdb1011, TLS: Yes, Key: KeyRSA}
	if mod != nil {
		mod(&s)
	}
	return s
}

var observedServers = map[string]Server{
	"01": rsaServer(nil),
	"02": rsaServer(func(s *Server) { s.Protocols = protos12to13 }),
	"03": rsaServer(func(s *Server) { s.Protocols = []Protocol{TLSv10, TLSv12} }),
	"03b": rsaServer(func(s *Server) {
		s.Protocols = []Protocol{TLSv10, TLSv12}
		s.OpenSSL = level0
	}),
	"04": rsaServer(func(s *Server) { s.Protocols = []Protocol{TLSv13} }),
	"05": rsaServer(func(s *Server) { s.Protocols = []Protocol{} }),
	"07": rsaServer(func(s *Server) { s.Protocols = tls10to1 }),
	"08": rsaServer(func(s *Server) { s.Protocols, s.OpenSSL = tls10to1, level0 }),
	"09": rsaServer(func(s *Server) { s.Ciphers = []string{"ECDHE-ECDSA-AES128-GCM-SHA256"} }),
	"10": rsaServer(func(s *Server) { s.Ciphers, s.Key = []string{"ECDHE-ECDSA-AES128-GCM-SHA256"}, KeyECDSA }),
	"13": rsaServer(nil), // expired certificate: only verification differs
	"16": rsaServer(func(s *Server) { s.SecureTransport = Yes }),
	"17": rsaServer(func(s *Server) { s.TLS, s.Why = No, "no ssl-* options" }),
	"18": rsaServer(func(s *Server) {
		s.Protocols, s.Ciphers = []Protocol{TLSv13}, []string{"ECDHE-ECDSA-AES128-GCM-SHA256"}
	}),
	"19": rsaServer(func(s *Server) { s.Key = KeyECDSA }),
	"21": rsaServer(func(s *Server) { s.Ciphers = []string{"TLS_AES_128_GCM_SHA256"} }),
	"22": rsaServer(func(s *Server) {
		s.Ciphers = []string{"ECDHE-ECDSA-AES128-GCM-SHA256", "ECDHE-RSA-AES256-GCM-SHA384"}
	}),
	"23": rsaServer(func(s *Server) { s.TLS, s.Why = No, "ssl=OFF" }),
	"24": rsaServer(func(s *Server) { s.TLS, s.Why = No, "skip-ssl" }),
	"25": rsaServer(func(s *Server) { s.TLS, s.Why, s.SecureTransport = No, "no ssl-* options", Yes }),
	"26": rsaServer(nil), // certificate for another name: only verification differs
	"29": rsaServer(func(s *Server) {
		// Debian 11's openssl.cnf: MinProtocol = TLSv1.2, CipherString = DEFAULT@SECLEVEL=2.
		s.Protocols, s.OpenSSL = Protocols, &OpenSSLPolicy{Level: 2, MinProtocol: TLSv12}
	}),
	"30": rsaServer(func(s *Server) { s.OpenSSL = level0 }),
	"31": rsaServer(func(s *Server) { s.Protocols, s.OpenSSL = Protocols, level0 }),
	"33": rsaServer(func(s *Server) { s.Protocols = []Protocol{TLSv13} }),
	"34": rsaServer(func(s *Server) { s.Ciphers = []string{"RC4-SHA", "ECDHE-RSA-AES256-GCM-SHA384"} }),
	"36": rsaServer(func(s *Server) { s.Protocols = []Protocol{TLSv13} }),
	"37": rsaServer(func(s *Server) {
		s.Ciphers = []string{"TLS_AES_128_GCM_SHA256", "ECDHE-RSA-AES128-GCM-SHA256"}
	}),
	"38": rsaServer(nil),
	// §4c: all four protocols with OPENSSL_CONF at SECLEVEL=1 (extra config x31b).
	"x31b": rsaServer(func(s *Server) { s.Protocols, s.OpenSSL = Protocols, &OpenSSLPolicy{Level: 1} }),
	// Appendix E, last row: two ECDSA ciphers with the RSA certificate.
	"E-ecdsa": rsaServer(func(s *Server) {
		s.Ciphers = []string{"ECDHE-ECDSA-AES128-GCM-SHA256", "ECDHE-ECDSA-AES256-GCM-SHA384"}
	}),
}

type probe struct {
	name string
	c    Client
}

func sclient(name string, mod func(*Client)) probe {
	c := Client{Family: ClientOpenSSL, Host: "127.0.0.1"}
	if mod != nil {
		mod(&c)
	}
	return probe{name, c}
}

// testPKI is what a client given the test PKI's CA finds of the server
// certificate of every observed configuration whose cells are recorded:
// the CA signs it and it names 127.0.0.1 (configs 13 and 26, where it
// does not, record no verifying cells).
var testPKI = CertCheck{Chain: Yes}

func mariadbCLI(name string, mod func(*Client)) probe {
	c := Client{Family: ClientMariaDB, Version: mdb1011, Host: "127.0.0.1"}
	if mod != nil {
		mod(&c)
	}
	if c.CA && c.Cert == nil {
		c.Cert = &testPKI
	}
	return probe{name, c}
}

func goDriver(name string, mod func(*Client)) probe {
	c := Client{Family: ClientGo, Version: Target{Min: V(1, 10, 1), Max: V(1, 10, 1)}, Host: "127.0.0.1", Mode: ModeVerifyIdentity, CA: true}
	if mod != nil {
		mod(&c)
	}
	if c.CA && c.Cert == nil {
		c.Cert = &testPKI
	}
	return probe{name, c}
}

func only(ps ...Protocol) []Protocol { return ps }

var sclientProtocolProbes = []probe{
	sclient("-tls1", func(c *Client) { c.Protocols = only(TLSv10) }),
	sclient("-tls1_1", func(c *Client) { c.Protocols = only(TLSv11) }),
	sclient("-tls1_2", func(c *Client) { c.Protocols = only(TLSv12) }),
	sclient("-tls1_3", func(c *Client) { c.Protocols = only(TLSv13) }),
	sclient("auto", nil),
	sclient("-tls1 -cipher DEFAULT@SECLEVEL=0", func(c *Client) { c.Protocols, c.OpenSSL = only(TLSv10), level0 }),
	sclient("-tls1_1 -cipher DEFAULT@SECLEVEL=0", func(c *Client) { c.Protocols, c.OpenSSL = only(TLSv11), level0 }),
	sclient("OPENSSL_CONF=seclevel0 -tls1_1", func(c *Client) { c.Protocols, c.OpenSSL = only(TLSv11), level0 }),
}

var sclientCipherProbes = []probe{
	sclient("-tls1_2 -cipher ECDHE-RSA-AES128-GCM-SHA256", func(c *Client) {
		c.Protocols, c.Ciphers = only(TLSv12), []string{"ECDHE-RSA-AES128-GCM-SHA256"}
	}),
	sclient("-tls1_2 -cipher ECDHE-ECDSA-AES128-GCM-SHA256", func(c *Client) {
		c.Protocols, c.Ciphers = only(TLSv12), []string{"ECDHE-ECDSA-AES128-GCM-SHA256"}
	}),
	sclient("-tls1_2 -cipher AES128-SHA", func(c *Client) { c.Protocols, c.Ciphers = only(TLSv12), []string{"AES128-SHA"} }),
	sclient("-tls1_2 -cipher DHE-RSA-AES256-GCM-SHA384", func(c *Client) {
		c.Protocols, c.Ciphers = only(TLSv12), []string{"DHE-RSA-AES256-GCM-SHA384"}
	}),
	sclient("-tls1_3 -ciphersuites TLS_CHACHA20_POLY1305_SHA256", func(c *Client) {
		c.Protocols, c.Suites = only(TLSv13), []string{"TLS_CHACHA20_POLY1305_SHA256"}
	}),
	sclient("-tls1_3 -ciphersuites TLS_AES_128_CCM_SHA256", func(c *Client) {
		c.Protocols, c.Suites = only(TLSv13), []string{"TLS_AES_128_CCM_SHA256"}
	}),
}

// The mariadb CLI's --ssl is REQUIRED without verification; --ssl-ca alone
// verifies the chain only (§4d), which the model leaves to the certificate
// rules, so it reads as REQUIRED with a CA.
var cliConnectProbes = []probe{
	mariadbCLI("no TLS options", nil),
	mariadbCLI("--ssl", func(c *Client) { c.Mode = ModeRequired }),
	mariadbCLI("--skip-ssl", func(c *Client) { c.Mode = ModeDisabled }),
	mariadbCLI("--ssl-verify-server-cert (no CA)", func(c *Client) { c.Mode = ModeVerifyIdentity }),
	mariadbCLI("--ssl-ca=ca --ssl-verify-server-cert", func(c *Client) { c.Mode, c.CA = ModeVerifyIdentity, true }),
	mariadbCLI("--ssl-ca=ca", func(c *Client) { c.Mode, c.CA = ModeRequired, true }),
	mariadbCLI("--ssl-ca=other-ca", func(c *Client) { c.Mode, c.CA = ModeRequired, true }),
	mariadbCLI("--ssl-ca=other-ca --ssl-verify-server-cert", func(c *Client) { c.Mode, c.CA = ModeVerifyIdentity, true }),
}

var cliOptionProbes = []probe{
	mariadbCLI("--ssl --tls-version=TLSv1.3", func(c *Client) { c.Mode, c.Protocols = ModeRequired, only(TLSv13) }),
	mariadbCLI("--ssl --tls-version=TLSv1.2", func(c *Client) { c.Mode, c.Protocols = ModeRequired, only(TLSv12) }),
	mariadbCLI("--ssl --tls-version=TLSv1.1", func(c *Client) { c.Mode, c.Protocols = ModeRequired, only(TLSv11) }),
	mariadbCLI("--ssl --tls-version=TLSv1.0", func(c *Client) { c.Mode, c.Protocols = ModeRequired, only(TLSv10) }),
	mariadbCLI("OPENSSL_CONF=seclevel0 --ssl --tls-version=TLSv1.0,TLSv1.1", func(c *Client) {
		c.Mode, c.Protocols, c.OpenSSL = ModeRequired, tls10to1, level0
	}),
	mariadbCLI("--ssl-cipher=ECDHE-RSA-AES128-GCM-SHA256", func(c *Client) { c.Ciphers = []string{"ECDHE-RSA-AES128-GCM-SHA256"} }),
	mariadbCLI("--ssl-cipher=ECDHE-ECDSA-AES128-GCM-SHA256", func(c *Client) { c.Ciphers = []string{"ECDHE-ECDSA-AES128-GCM-SHA256"} }),
	mariadbCLI("--ssl-cipher=ECDHE-RSA-AES128-GCM-SHA256 --tls-version=TLSv1.2", func(c *Client) {
		c.Ciphers, c.Protocols = []string{"ECDHE-RSA-AES128-GCM-SHA256"}, only(TLSv12)
	}),
	mariadbCLI("--ssl-cipher=TLS_CHACHA20_POLY1305_SHA256", func(c *Client) { c.Ciphers = []string{"TLS_CHACHA20_POLY1305_SHA256"} }),
	mariadbCLI("--ssl-cipher=DES-CBC3-SHA", func(c *Client) { c.Ciphers = []string{"DES-CBC3-SHA"} }),
}

// Go probes: tls=true uses the system store (SSL_CERT_FILE=ca.pem makes it
// trust the test CA); the registered configurations carry RootCAs.
var goProbes = []probe{
	goDriver("tls=false", func(c *Client) { c.Mode, c.CA = ModeDisabled, false }),
	goDriver("tls=true", func(c *Client) { c.CA = false }),
	goDriver("tls=true SSL_CERT_FILE=ca.pem", nil),
	goDriver("tls=skip-verify", func(c *Client) { c.Mode, c.CA = ModeRequired, false }),
	goDriver("tls=preferred", func(c *Client) { c.Mode, c.CA = ModePreferred, false }),
	goDriver("RootCAs", nil),
	goDriver("RootCAs ServerName=db.example.invalid", nil),
	goDriver("Min=Max=1.2", func(c *Client) { c.Protocols = only(TLSv12) }),
	goDriver("Min=Max=1.3", func(c *Client) { c.Protocols = only(TLSv13) }),
	goDriver("Min1.0 Max1.1", func(c *Client) { c.Protocols = tls10to1 }),
	goDriver("Min1.0", func(c *Client) { c.Protocols = Protocols }),
	goDriver("Max1.2 ECDHE-ECDSA-AES128-GCM-SHA256", func(c *Client) {
		c.Protocols, c.Ciphers = only(TLSv12), []string{"ECDHE-ECDSA-AES128-GCM-SHA256"}
	}),
	goDriver("Max1.2 ECDHE-RSA-AES128-GCM-SHA256", func(c *Client) {
		c.Protocols, c.Ciphers = only(TLSv12), []string{"ECDHE-RSA-AES128-GCM-SHA256"}
	}),
}

// token renders an Outcome in the notation of Appendix F.
func token(o Outcome) string {
	switch o.Class {
	case Agree:
		p := strings.TrimPrefix(o.Protocol.String(), "TLSv")
		if p == "1.0" {
			p = "1"
		}
		c := o.Cipher
		switch c {
		case "TLS_AES_256_GCM_SHA384":
			c = "AES256GCM"
		case "TLS_AES_128_GCM_SHA256":
			c = "AES128GCM"
		case "TLS_CHACHA20_POLY1305_SHA256":
			c = "CHACHA20"
		case "":
			c = "?" + o.CipherWhy
		}
		return p + " " + c
	case Plaintext, PlaintextFallback:
		return "plaintext"
	case ServerNoTLS:
		return "noTLS"
	case CannotTell:
		return "cannot tell: " + o.Why
	}
	for tok, k := range map[string]failKind{"A70": kindAlert70, "A80": kindAlert80, "A40": kindAlert40,
		"local: unsupported protocol": kindUnsupportedProtocol, "local: legacy sigalg": kindLegacySigalg} {
		if o.Error == sclientError[k] {
			return tok
		}
	}
	if r, ok := strings.CutPrefix(o.Error, "ERROR 2026 (HY000): TLS/SSL error: "); ok {
		return "2026: " + r
	}
	if o.Code == ErrAccessDenied {
		return "1045"
	}
	return o.Error
}

type row struct {
	cfg  string
	want []string
}

func runTable(t *testing.T, title string, probes []probe, rows []row) {
	t.Helper()
	n := 0
	for _, r := range rows {
		s, ok := observedServers[r.cfg]
		if !ok {
			t.Fatalf("%s: no server %s", title, r.cfg)
		}
		if len(r.want) != len(probes) {
			t.Fatalf("%s config %s: %d cells for %d probes", title, r.cfg, len(r.want), len(probes))
		}
		for i, want := range r.want {
			if want == "" {
				continue
			}
			n++
			o := Negotiate(s, probes[i].c)
			if got := token(o); got != want {
				t.Errorf("%s config %s, %s: got %q, observed %q\nsteps:\n  %s", title, r.cfg, probes[i].name, got, want, strings.Join(o.Steps, "\n  "))
			}
		}
	}
	t.Logf("%s: %d observed probes", title, n)
}

func rep(s string, n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = s
	}
	return out
}

func TestNegotiateSClientProtocols(t *testing.T) {
	const (
		r12  = "1.2 ECDHE-RSA-AES256-GCM-SHA384"
		a13  = "1.3 AES256GCM"
		sig  = "local: legacy sigalg"
		uns  = "local: unsupported protocol"
		r10  = "1 ECDHE-RSA-AES256-SHA"
		r11  = "1.1 ECDHE-RSA-AES256-SHA"
		none = "noTLS"
	)
	def := []string{"A70", "A70", r12, a13, a13, "A70", "A70", "A70"}
	only13 := []string{"A70", "A70", "A70", a13, a13, "A70", "A70", "A70"}
	rows := []row{
		{"01", def}, {"02", def}, {"13", def}, {"16", def}, {"22", def}, {"26", def}, {"29", def},
		{"30", def}, {"34", def}, {"38", def},
		{"03", []string{"A80", "A80", r12, "A70", r12, "A80", "A80", "A80"}},
		{"03b", []string{sig, uns, r12, "A70", r12, r10, uns, uns}},
		{"04", only13}, {"18", only13}, {"33", only13}, {"36", only13},
		{"05", []string{"A80", "A80", r12, a13, a13, "A80", "A80", "A80"}},
		{"07", []string{"A80", "A80", "A80", "A70", "A80", "A80", "A80", "A80"}},
		{"08", []string{sig, sig, uns, "A70", sig, r10, r11, r11}},
		{"09", []string{"A70", "A70", "A40", a13, a13, "A70", "A70", "A70"}},
		{"10", []string{"A70", "A70", "1.2 ECDHE-ECDSA-AES128-GCM-SHA256", a13, a13, "A70", "A70", "A70"}},
		{"17", rep(none, 8)}, {"23", rep(none, 8)}, {"24", rep(none, 8)}, {"25", rep(none, 8)},
		{"19", []string{"A70", "A70", "1.2 ECDHE-ECDSA-AES256-GCM-SHA384", a13, a13, "A70", "A70", "A70"}},
		{"21", []string{"A70", "A70", "A40", "1.3 AES128GCM", "1.3 AES128GCM", "A70", "A70", "A70"}},
		{"31", []string{sig, sig, r12, a13, a13, r10, r11, r11}},
		{"37", []string{"A70", "A70", "1.2 ECDHE-RSA-AES128-GCM-SHA256", "1.3 AES128GCM", "1.3 AES128GCM", "A70", "A70", "A70"}},
		// Level 1 is not enough for TLSv1.0: alert 80 even to a level-0 client (§4c).
		{"x31b", []string{"", "", "", "", "", "A80", "", ""}},
	}
	runTable(t, "s_client protocols", sclientProtocolProbes, rows)
}

func TestNegotiateSClientCiphers(t *testing.T) {
	const (
		rsa128 = "1.2 ECDHE-RSA-AES128-GCM-SHA256"
		ec128  = "1.2 ECDHE-ECDSA-AES128-GCM-SHA256"
		cc     = "1.3 CHACHA20"
	)
	def := []string{rsa128, "A40", "1.2 AES128-SHA", "1.2 DHE-RSA-AES256-GCM-SHA384", cc, "A40"}
	only13 := []string{"A70", "A70", "A70", "A70", cc, "A40"}
	rows := []row{
		{"01", def}, {"02", def}, {"05", def}, {"13", def}, {"16", def}, {"26", def}, {"29", def},
		{"30", def}, {"31", def}, {"38", def},
		{"03", []string{rsa128, "A40", "1.2 AES128-SHA", "1.2 DHE-RSA-AES256-GCM-SHA384", "A70", "A70"}},
		{"03b", []string{rsa128, "A40", "1.2 AES128-SHA", "1.2 DHE-RSA-AES256-GCM-SHA384", "A70", "A70"}},
		{"04", only13}, {"18", only13}, {"33", only13}, {"36", only13},
		{"07", []string{"A40", "A40", "A80", "A40", "A70", "A70"}},
		{"08", []string{"A40", "A40", "local: unsupported protocol", "A40", "A70", "A70"}},
		{"09", []string{"A40", "A40", "A40", "A40", cc, "A40"}},
		{"10", []string{"A40", ec128, "A40", "A40", cc, "A40"}},
		{"19", []string{"A40", ec128, "A40", "A40", cc, "A40"}},
		{"17", rep("noTLS", 6)}, {"23", rep("noTLS", 6)}, {"24", rep("noTLS", 6)}, {"25", rep("noTLS", 6)},
		{"21", rep("A40", 6)},
		{"22", []string{"A40", "A40", "A40", "A40", cc, "A40"}},
		{"34", []string{"A40", "A40", "A40", "A40", cc, "A40"}},
		{"37", []string{rsa128, "A40", "A40", "A40", "A40", "A40"}},
	}
	runTable(t, "s_client ciphers", sclientCipherProbes, rows)
}

func TestNegotiateMariaDBClientConnect(t *testing.T) {
	const (
		a13 = "1.3 AES256GCM"
		r12 = "1.2 ECDHE-RSA-AES256-GCM-SHA384"
		pt  = "plaintext"
	)
	// Columns 4, 7 and 8 verify against a store without the test CA (or the
	// wrong CA): decided by certificates, not by negotiation.
	def := []string{a13, a13, pt, "", a13, a13, "", ""}
	noTLS := []string{pt, pt, pt, "noTLS", "noTLS", pt, pt, "noTLS"}
	a128 := []string{"1.3 AES128GCM", "1.3 AES128GCM", pt, "", "1.3 AES128GCM", "1.3 AES128GCM", "", ""}
	rows := []row{
		{"01", def}, {"02", def}, {"04", def}, {"05", def}, {"09", def}, {"10", def}, {"18", def},
		{"19", def}, {"22", def}, {"29", def}, {"30", def}, {"31", def}, {"33", def}, {"34", def},
		{"36", def}, {"38", def}, {"21", a128}, {"37", a128},
		{"03", []string{r12, r12, pt, "", r12, r12, "", ""}},
		{"03b", []string{r12, r12, pt, "", r12, r12, "", ""}},
		{"07", []string{"2026: tlsv1 alert internal error", "2026: tlsv1 alert internal error", pt,
			"2026: tlsv1 alert internal error", "2026: tlsv1 alert internal error", "2026: tlsv1 alert internal error",
			"2026: tlsv1 alert internal error", "2026: tlsv1 alert internal error"}},
		// Without a CA Connector/C reports the verification result in place of the real error (§4d).
		{"08", []string{"", "", pt, "", "2026: legacy sigalg disallowed or unsupported", "2026: legacy sigalg disallowed or unsupported", "", ""}},
		{"13", []string{a13, a13, pt, "", "", "", "", ""}},
		{"16", []string{a13, a13, "1045", "", a13, a13, "", ""}},
		{"17", noTLS}, {"23", noTLS}, {"24", noTLS},
		{"25", []string{"1045", "1045", "1045", "noTLS", "noTLS", "1045", "1045", "noTLS"}},
		{"26", []string{a13, a13, pt, "", "", a13, "", ""}},
	}
	runTable(t, "mariadb CLI", cliConnectProbes, rows)
}

func TestNegotiateMariaDBClientOptions(t *testing.T) {
	const (
		a13  = "1.3 AES256GCM"
		a128 = "1.3 AES128GCM"
		cc   = "1.3 CHACHA20"
		r12  = "1.2 ECDHE-RSA-AES256-GCM-SHA384"
		r128 = "1.2 ECDHE-RSA-AES128-GCM-SHA256"
		a70  = "2026: tlsv1 alert protocol version"
		a80  = "2026: tlsv1 alert internal error"
		a40  = "2026: sslv3 alert handshake failure"
		ncm  = "2026: no cipher match"
	)
	def := []string{a13, r12, a70, a70, a70, a13, a13, r128, cc, ncm}
	only13 := []string{a13, a70, a70, a70, a70, a13, a13, a70, cc, ncm}
	rows := []row{
		{"01", def}, {"02", def}, {"13", def}, {"16", def}, {"26", def}, {"29", def}, {"30", def}, {"38", def},
		{"04", only13}, {"18", only13}, {"33", only13}, {"36", only13},
		{"03", []string{a70, r12, a80, a80, a80, r128, a40, r128, r12, ncm}},
		{"03b", []string{a70, r12, "2026: unsupported protocol", "", "2026: inappropriate fallback", r128, a40, r128, r12, ncm}},
		{"05", []string{a13, r12, a80, a80, a80, a13, a13, r128, cc, ncm}},
		{"07", []string{a70, a80, a80, a80, a80, a40, a40, a40, a80, ncm}},
		{"08", []string{a70, "2026: unsupported protocol", "", "", "1.1 ECDHE-RSA-AES256-SHA", a40, a40, a40, "", ncm}},
		{"09", []string{a13, a40, a70, a70, a70, a13, a13, a40, cc, ncm}},
		{"10", []string{a13, "1.2 ECDHE-ECDSA-AES128-GCM-SHA256", a70, a70, a70, a13, a13, a40, cc, ncm}},
		{"17", rep("plaintext", 10)}, {"23", rep("plaintext", 10)}, {"24", rep("plaintext", 10)},
		{"19", []string{a13, "1.2 ECDHE-ECDSA-AES256-GCM-SHA384", a70, a70, a70, a13, a13, a40, cc, ncm}},
		{"21", []string{a128, a40, a70, a70, a70, a128, a128, a40, a40, ncm}},
		{"22", []string{a13, r12, a70, a70, a70, a13, a13, a40, cc, ncm}},
		{"25", rep("1045", 10)},
		{"31", []string{a13, r12, "", "", "1.1 ECDHE-RSA-AES256-SHA", a13, a13, r128, cc, ncm}},
		{"34", []string{a13, r12, a70, a70, a70, a13, a13, a40, cc, ncm}},
		{"37", []string{a128, r128, a70, a70, a70, a128, a128, r128, a40, ncm}},
	}
	runTable(t, "mariadb CLI options", cliOptionProbes, rows)
}

func TestNegotiateGoDriver(t *testing.T) {
	const (
		pt   = "plaintext"
		a128 = "1.3 AES128GCM"
		r128 = "1.2 ECDHE-RSA-AES128-GCM-SHA256"
		a70  = "remote error: tls: protocol version not supported"
		a80  = "remote error: tls: internal error"
		a40  = "remote error: tls: handshake failure"
	)
	// Columns 2 and 7 fail or pass on the certificate (system store, server name).
	def := []string{pt, "", a128, a128, a128, a128, "", r128, a128, a70, a128, a40, r128}
	only13 := []string{pt, "", a128, a128, a128, a128, "", a70, a128, a70, a128, a70, a70}
	noTLS := append([]string{pt}, append(rep("noTLS", 3), append([]string{pt}, rep("noTLS", 8)...)...)...)
	rows := []row{
		{"01", def}, {"02", def}, {"29", def}, {"30", def}, {"38", def}, {"37", def},
		{"04", only13}, {"18", only13}, {"33", only13}, {"36", only13},
		{"03", []string{pt, "", r128, r128, r128, r128, "", r128, a70, a80, r128, a40, r128}},
		{"03b", []string{pt, "", r128, r128, r128, r128, "", r128, a70, "1 ECDHE-RSA-AES128-SHA", r128, a40, r128}},
		{"05", []string{pt, "", a128, a128, a128, a128, "", r128, a128, a80, a128, a40, r128}},
		{"07", []string{pt, a70, a70, a70, a70, a70, a70, a70, a70, a80, a80, a70, a70}},
		{"08", []string{pt, a70, a70, a70, a70, a70, a70, a70, a70, "1.1 ECDHE-RSA-AES128-SHA", "1.1 ECDHE-RSA-AES128-SHA", a70, a70}},
		{"09", []string{pt, "", a128, a128, a128, a128, "", a40, a128, a70, a128, a40, a40}},
		{"10", []string{pt, "", a128, a128, a128, a128, "", "1.2 ECDHE-ECDSA-AES128-GCM-SHA256", a128, a70, a128, "1.2 ECDHE-ECDSA-AES128-GCM-SHA256", a40}},
		{"13", []string{pt, "", "", a128, a128, "", "", "", "", a70, "", a40, ""}},
		{"16", []string{"1045", "", a128, a128, a128, a128, "", r128, a128, a70, a128, a40, r128}},
		{"17", noTLS}, {"23", noTLS}, {"24", noTLS},
		{"19", []string{pt, "", a128, a128, a128, a128, "", "1.2 ECDHE-ECDSA-AES128-GCM-SHA256", a128, a70, a128, "1.2 ECDHE-ECDSA-AES128-GCM-SHA256", a40}},
		{"21", []string{pt, "", a128, a128, a128, a128, "", a40, a128, a70, a128, a40, a40}},
		{"22", []string{pt, "", a128, a128, a128, a128, "", "1.2 ECDHE-RSA-AES256-GCM-SHA384", a128, a70, a128, a40, a40}},
		{"25", append([]string{"1045"}, append(rep("noTLS", 3), append([]string{"1045"}, rep("noTLS", 8)...)...)...)},
		{"26", []string{pt, "", "", a128, a128, "", "", "", "", a70, "", a40, ""}},
		{"31", []string{pt, "", a128, a128, a128, a128, "", r128, a128, "1.1 ECDHE-RSA-AES128-SHA", a128, a40, r128}},
		{"34", []string{pt, "", a128, a128, a128, a128, "", "1.2 ECDHE-RSA-AES256-GCM-SHA384", a128, a70, a128, a40, a40}},
	}
	runTable(t, "go-sql-driver/mysql", goProbes, rows)
}

// MariaDB refuses to start when ssl_cipher names nothing OpenSSL 3 has
// (configs 11 and 12, Appendix B).
func TestNegotiateServerDown(t *testing.T) {
	for _, list := range [][]string{{"RC4-SHA"}, {"DES-CBC3-SHA"}} {
		s := rsaServer(func(s *Server) { s.Ciphers = list })
		o := Negotiate(s, cliConnectProbes[0].c)
		if o.Class != ServerDown || !strings.Contains(o.Why, "Failed to set ciphers to use") {
			t.Errorf("ssl_cipher=%v: got %s (%s), want the server not to start", list, o.Class, o.Why)
		}
	}
}

// The errors each family prints when the server has no TLS (Appendix A:
// mariadb, go-mysql and s_client lines for configs 17/23/24).
func TestNegotiateNoTLSErrors(t *testing.T) {
	s := observedServers["17"]
	for _, tc := range []struct {
		p    probe
		want string
	}{
		{cliConnectProbes[4], "ERROR 2026 (HY000): TLS/SSL error: SSL is required, but the server does not support it"},
		{goProbes[2], "TLS requested but server does not support TLS"},
		{sclientProtocolProbes[4], "MySQL server does not support SSL."},
	} {
		o := Negotiate(s, tc.p.c)
		if o.Class != ServerNoTLS || o.Error != tc.want {
			t.Errorf("%s: got %s %q, want %q", tc.p.name, o.Class, o.Error, tc.want)
		}
	}
}

// What the model takes from sources rather than from the MariaDB oracle:
// MySQL's 3159, MySQL clients on a socket, driver defaults, MariaDB 11.4's
// verification default, and "cannot tell" wherever an input is unknown.
func TestNegotiateSourcedFacts(t *testing.T) {
	mysql := Exact(MySQL, V(8, 0, 36))
	mysqlServer := func(mod func(*Server)) Server {
		s := Server{Target: mysql, TLS: Yes, Key: KeyRSA}
		if mod != nil {
			mod(&s)
		}
		return s
	}
	tls13 := func(s *Server) { s.Protocols = only(TLSv13) }
	rst := func(s *Server) { s.SecureTransport = Yes }
	noTLS := func(s *Server) { s.TLS, s.Why = No, "skip-ssl" }
	mysqlCLI := Client{Family: ClientMySQL, Version: mysql, Host: "127.0.0.1", Protocols: only(TLSv12)}
	jdbc := Client{Family: ClientConnectorJ, Version: Target{Min: V(8, 3, 0), Max: V(8, 3, 0)}, Host: "db"}
	goOff := Client{Family: ClientGo, Host: "db", Mode: ModeDisabled}
	mdb114 := Client{Family: ClientMariaDB, Version: Exact(MariaDB, V(11, 4, 2)), Host: "db"}
	for _, tc := range []struct {
		name      string
		s         Server
		c         Client
		class     Class
		code      int
		errPrefix string
	}{
		{"TLSv1.3-only server, client limited to TLSv1.2 over TCP", mysqlServer(tls13), mysqlCLI, NoCommonProtocol, ErrSSLConnection, "ERROR 2026 (HY000): SSL connection error: "},
		{"same over the Unix socket: PREFERRED MySQL clients use no TLS there", mysqlServer(tls13), func() Client { c := mysqlCLI; c.Transport = TransportSocket; return c }(), Plaintext, 0, ""},
		{"same with --ssl-mode=REQUIRED: TLS on the socket too", mysqlServer(tls13), func() Client { c := mysqlCLI; c.Transport, c.Mode = TransportSocket, ModeRequired; return c }(), NoCommonProtocol, ErrSSLConnection, "ERROR 2026 (HY000): SSL connection error: "},
		{"JDBC limited to TLSv1.2, TLSv1.3-only server", mysqlServer(tls13), func() Client { c := jdbc; c.Mode, c.Protocols = ModeRequired, only(TLSv12); return c }(), NoCommonProtocol, 0, ""},
		{"JDBC sslMode=REQUIRED, server with skip-ssl", mysqlServer(noTLS), func() Client { c := jdbc; c.Mode = ModeRequired; return c }(), ServerNoTLS, 0, ""},
		{"JDBC default (PREFERRED), server without TLS", mysqlServer(noTLS), jdbc, PlaintextFallback, 0, ""},
		{"MySQL require_secure_transport, Go tls=false", mysqlServer(rst), goOff, SecureTransport, ErrSecureTransportRequired, "Error 3159 (HY000): Connections using insecure transport"},
		{"MariaDB 10.11 require_secure_transport, Go tls=false", rsaServer(rst), goOff, SecureTransport, ErrAccessDenied, "Error 1045 (28000): Access denied"},
		{"MariaDB 11.2: which error number is not known", func() Server { s := rsaServer(rst); s.Target = Exact(MariaDB, V(11, 2, 0)); return s }(), goOff, SecureTransport, 0, ""},
		{"MySQL client on a socket, require_secure_transport", mysqlServer(rst), Client{Family: ClientMySQL, Transport: TransportSocket, Mode: ModeDisabled}, Plaintext, 0, ""},
		{"MariaDB 11.4 client verifies by default: no TLS on the server", rsaServer(noTLS), mdb114, ServerNoTLS, ErrSSLConnection, "ERROR 2026 (HY000): TLS/SSL error: SSL is required, but the server does not support it"},
		{"MariaDB 11.4 client, MitM-safe plugin", rsaServer(nil), func() Client { c := mdb114; c.Plugin = "ed25519"; return c }(), Agree, 0, ""},
		{"MariaDB 11.4 client, plugin unknown", rsaServer(nil), mdb114, CannotTell, 0, ""},
		{"MariaDB client of unknown version, mode not set", rsaServer(nil), Client{Family: ClientMariaDB, Host: "db"}, CannotTell, 0, ""},
		{"mode cannot be read", rsaServer(nil), Client{Family: ClientGo, Mode: ModeUnknown}, CannotTell, 0, ""},
		{"transport unknown", rsaServer(nil), Client{Family: ClientGo, Mode: ModeRequired, Transport: TransportUnknown}, CannotTell, 0, ""},
		{"server TLS unknown", Server{Target: mysql, TLS: Maybe}, Client{Family: ClientGo, Mode: ModeRequired}, CannotTell, 0, ""},
		{"server tls_version unreadable", mysqlServer(func(s *Server) { s.ProtocolsUnknown = true }), Client{Family: ClientGo, Mode: ModeRequired}, CannotTell, 0, ""},
		{"MySQL tls_version empty: no TLS", mysqlServer(func(s *Server) { s.Protocols = []Protocol{} }), Client{Family: ClientGo, Mode: ModeRequired}, ServerNoTLS, 0, "TLS requested"},
		{"unknown key type, ECDSA-only cipher at TLSv1.2", rsaServer(func(s *Server) { s.Key, s.Ciphers = KeyUnknown, []string{"ECDHE-ECDSA-AES128-GCM-SHA256"} }), Client{Family: ClientGo, Mode: ModeRequired, Protocols: only(TLSv12)}, CannotTell, 0, ""},
	} {
		o := Negotiate(tc.s, tc.c)
		if o.Class != tc.class || o.Code != tc.code || !strings.HasPrefix(o.Error, tc.errPrefix) {
			t.Errorf("%s: got %s, code %d, %q (%s); want %s, code %d, %q…\n  %s", tc.name, o.Class, o.Code, o.Error, o.Why,
				tc.class, tc.code, tc.errPrefix, strings.Join(o.Steps, "\n  "))
		}
		if len(o.Steps) == 0 {
			t.Errorf("%s: no steps", tc.name)
		}
	}
}

// An unset tls_version on MariaDB 10.6 or later: the default was
// TLSv1.1–1.3 before 10.6.16/10.11.6 and TLSv1.2,1.3 since; both give Go
// TLSv1.3, so the answer stands. A TLSv1.1-only client fails on both, with
// alert 80 on the older default and alert 70 on the newer: the class
// stands, the error text is left out. Before 10.3.8 MariaDB had no TLSv1.3,
// so on every version the default client's protocol cannot be told.
func TestNegotiateVersionRange(t *testing.T) {
	s := Server{Target: Target{Flavor: MariaDB, Min: V(10, 6, 0), Max: maxVersion}, TLS: Yes, Key: KeyRSA}
	if o := Negotiate(s, goProbes[3].c); o.Class != Agree || o.Protocol != TLSv13 || o.Cipher != "TLS_AES_128_GCM_SHA256" {
		t.Errorf("default client: got %s %s %s (%s)", o.Class, o.Protocol, o.Cipher, o.Why)
	}
	c := goProbes[3].c
	c.Protocols = only(TLSv11)
	if o := Negotiate(s, c); o.Class != NoCommonProtocol || o.Error != "" {
		t.Errorf("TLSv1.1 client: got %s %q (%s), want no common protocol without an error text", o.Class, o.Error, o.Why)
	}
	s.Target = FullRange(MariaDB)
	if o := Negotiate(s, goProbes[3].c); o.Class != CannotTell {
		t.Errorf("any MariaDB: got %s (%s), want cannot tell", o.Class, o.Why)
	}
}

// Appendix E, last row: the client verified with the right CA, so only the
// protocol decides (the cipher column of that table is not recorded).
func TestNegotiateAppendixE(t *testing.T) {
	verify := func(name string, ps []Protocol) probe {
		return mariadbCLI(name, func(c *Client) { c.Mode, c.CA, c.Protocols = ModeVerifyIdentity, true, ps })
	}
	probes := []probe{
		verify("--ssl-verify-server-cert --ssl-ca --tls-version=TLSv1.2", only(TLSv12)),
		verify("--ssl-verify-server-cert --ssl-ca --tls-version=TLSv1.3", only(TLSv13)),
		verify("--ssl-verify-server-cert --ssl-ca", nil),
	}
	o := Negotiate(observedServers["E-ecdsa"], probes[0].c)
	if o.Error != "ERROR 2026 (HY000): TLS/SSL error: sslv3 alert handshake failure" {
		t.Errorf("%s: got %s %q", probes[0].name, o.Class, o.Error)
	}
	for _, p := range probes[1:] {
		if o := Negotiate(observedServers["E-ecdsa"], p.c); o.Class != Agree || o.Protocol != TLSv13 {
			t.Errorf("%s: got %s %s (%s), want TLSv1.3", p.name, o.Class, o.Protocol, o.Why)
		}
	}
}

// Connector/C checks the certificate before the key exchange that its
// security level refuses, and reports the verification error in place of
// "legacy sigalg" when that failed (configs 08 and 31: "self-signed
// certificate in certificate chain" without a CA, the real error with the
// right one): without a CA the model does not know the words.
func TestNegotiateCertificateMasksLegacySigalg(t *testing.T) {
	old := observedServers["08"]
	c := Client{Family: ClientMariaDB, Version: mdb1011, Mode: ModeRequired, Protocols: only(TLSv11), Host: "127.0.0.1"}
	o := Negotiate(old, c)
	if o.Class != NoCommonProtocol || o.Code != ErrSSLConnection || o.Error != "" || !o.Certificate {
		t.Errorf("without a CA: %s, code %d, error %q, certificate %v; want no common protocol, 2026, no error text, certificate seen",
			o.Class, o.Code, o.Error, o.Certificate)
	}
	c.CA = true
	if o := Negotiate(old, c); o.Error != "ERROR 2026 (HY000): TLS/SSL error: legacy sigalg disallowed or unsupported" || !o.Certificate {
		t.Errorf("with a CA: error %q, certificate %v", o.Error, o.Certificate)
	}
	// s_client reports its own error whatever the certificate.
	s := Client{Family: ClientOpenSSL, Protocols: only(TLSv11), Host: "127.0.0.1"}
	if o := Negotiate(old, s); o.Error != sclientError[kindLegacySigalg] {
		t.Errorf("s_client: error %q", o.Error)
	}
	// A protocol refused by the server's alert comes before the certificate.
	if o := Negotiate(observedServers["04"], s); o.Class != NoCommonProtocol || o.Certificate {
		t.Errorf("alert 70: %s, certificate %v; want no common protocol before the certificate", o.Class, o.Certificate)
	}
	if o := Negotiate(observedServers["01"], Client{Family: ClientOpenSSL, Host: "127.0.0.1"}); o.Class != Agree || !o.Certificate {
		t.Errorf("agree: %s, certificate %v", o.Class, o.Certificate)
	}
}

// TestNegotiateServerRefusesToStart: a server that refuses to start fails every
// client, whatever it asks for.
func TestNegotiateServerRefusesToStart(t *testing.T) {
	tg, err := ParseTarget("mariadb-10.11")
	if err != nil {
		t.Fatal(err)
	}
	s := Server{Target: tg, TLS: Yes, Down: "the key does not belong to the certificate"}
	for _, m := range []TLSMode{ModeDisabled, ModePreferred, ModeVerifyIdentity} {
		o := Negotiate(s, Client{Family: ClientMariaDB, Mode: m, Transport: TransportTCP})
		if o.Class != ServerDown || o.Why != s.Down || !o.Class.Failed() {
			t.Errorf("mode %s: %v %q", m, o.Class, o.Why)
		}
	}
}

// TestNegotiateRefusedCertificate: a certificate below the host's OpenSSL
// level stops MariaDB and leaves MySQL without TLS (Appendix E).
func TestNegotiateRefusedCertificate(t *testing.T) {
	mariadb, _ := ParseTarget("mariadb-10.11")
	mysql, _ := ParseTarget("mysql-8.0.36")
	client := Client{Family: ClientGo, Mode: ModeRequired, Transport: TransportTCP}
	for _, c := range []struct {
		s    Server
		want Class
	}{
		{Server{Target: mariadb, TLS: Yes, Key: KeyRSA, CertBits: 80}, ServerDown},
		{Server{Target: mariadb, TLS: Yes, Key: KeyRSA, CertBits: 80, OpenSSL: &OpenSSLPolicy{Level: 1}}, Agree},
		{Server{Target: mariadb, TLS: Yes, Key: KeyRSA, CertBits: 112, CertWeakSignature: true}, ServerDown},
		{Server{Target: mariadb, TLS: Yes, Key: KeyRSA, CertBits: 112, CertWeakSignature: true, OpenSSL: &OpenSSLPolicy{Level: 0}}, Agree},
		{Server{Target: mysql, TLS: Yes, Key: KeyRSA, CertBits: 80}, ServerNoTLS},
		{Server{Target: mariadb, TLS: Yes, Key: KeyRSA, CertBits: 112}, Agree},
	} {
		if o := Negotiate(c.s, client); o.Class != c.want {
			t.Errorf("%+v: %v (%s), want %v", c.s, o.Class, o.Why, c.want)
		}
	}
}

// TestNegotiateCertificateChecks: which checks each client runs, in which
// order, and the words of the first that fails (configs 13 and 26 of the
// oracle; crypto/tls's and OpenSSL's verification order).
func TestNegotiateCertificateChecks(t *testing.T) {
	s := observedServers["01"]
	const (
		selfSigned = "self-signed certificate in certificate chain"
		goName     = "x509: certificate is valid for db.example.invalid, not 127.0.0.1"
		expired    = "certificate has expired"
	)
	goClient := func(k CertCheck) Client {
		return Client{Family: ClientGo, Host: "127.0.0.1", Mode: ModeVerifyIdentity, CA: true, Cert: &k}
	}
	mdb := func(m TLSMode, ca bool, k *CertCheck) Client {
		return Client{Family: ClientMariaDB, Version: mdb1011, Host: "127.0.0.1", Mode: m, CA: ca, Cert: k}
	}
	for _, tc := range []struct {
		name    string
		c       Client
		class   Class
		problem CertProblem
		code    int
		err     string
	}{
		{"go: the name before the chain", goClient(CertCheck{Chain: Maybe, Misnamed: goName}), CertificateRejected, CertMisnamed, 0,
			"tls: failed to verify certificate: " + goName},
		{"go: the leaf's validity first", goClient(CertCheck{Chain: No, Untrusted: selfSigned, Expired: expired, LeafExpired: true, Misnamed: goName}),
			CertificateRejected, CertExpired, 0, "tls: failed to verify certificate: x509: certificate has expired or is not yet valid"},
		{"go: unknown authority", goClient(CertCheck{Chain: No, Untrusted: selfSigned}), CertificateRejected, CertUntrusted, 0,
			"tls: failed to verify certificate: x509: certificate signed by unknown authority"},
		{"go: the system store", goClient(CertCheck{Chain: Maybe}), CannotTell, CertOK, 0, ""},
		{"go: all pass", goClient(CertCheck{Chain: Yes}), Agree, CertOK, 0, ""},
		{"mariadb: the chain before the validity", mdb(ModeVerifyIdentity, true, &CertCheck{Chain: No, Untrusted: selfSigned, Expired: expired}),
			CertificateRejected, CertUntrusted, ErrSSLConnection, "ERROR 2026 (HY000): TLS/SSL error: " + selfSigned},
		{"mariadb: the validity before the name", mdb(ModeVerifyIdentity, true, &CertCheck{Chain: Yes, Expired: expired, Misnamed: goName}),
			CertificateRejected, CertExpired, ErrSSLConnection, "ERROR 2026 (HY000): TLS/SSL error: " + expired},
		{"mariadb: the name", mdb(ModeVerifyIdentity, true, &CertCheck{Chain: Yes, Misnamed: goName}),
			CertificateRejected, CertMisnamed, ErrSSLConnection, "ERROR 2026 (HY000): TLS/SSL error: Validation of SSL server certificate failed"},
		{"mariadb: the name, the chain unknown", mdb(ModeVerifyIdentity, false, &CertCheck{Chain: Maybe, Misnamed: goName}),
			CertificateRejected, CertMisnamed, ErrSSLConnection, ""},
		{"mariadb --ssl-ca: the chain, not the name", mdb(ModeRequired, true, &CertCheck{Chain: Yes, Misnamed: goName}), Agree, CertOK, 0, ""},
		{"mariadb --ssl-ca: the wrong CA", mdb(ModeRequired, true, &CertCheck{Chain: No, Untrusted: selfSigned}),
			CertificateRejected, CertUntrusted, ErrSSLConnection, "ERROR 2026 (HY000): TLS/SSL error: " + selfSigned},
		{"mariadb --ssl: no checks", mdb(ModeRequired, false, &CertCheck{Chain: No, Untrusted: selfSigned}), Agree, CertOK, 0, ""},
		{"mariadb: no certificate known", mdb(ModeVerifyIdentity, true, nil), CannotTell, CertOK, 0, ""},
		{"mysql: 2026 without words", Client{Family: ClientMySQL, Version: Exact(MySQL, V(8, 0, 36)), Host: "127.0.0.1", Mode: ModeVerifyCA, CA: true, Cert: &CertCheck{Chain: No, Untrusted: selfSigned}},
			CertificateRejected, CertUntrusted, ErrSSLConnection, ""},
	} {
		o := Negotiate(s, tc.c)
		if o.Class != tc.class || o.CertProblem != tc.problem || o.Code != tc.code || o.Error != tc.err {
			t.Errorf("%s: got %s, problem %d, code %d, %q (%s); want %s, problem %d, code %d, %q\n  %s", tc.name, o.Class, o.CertProblem, o.Code,
				o.Error, o.Why, tc.class, tc.problem, tc.code, tc.err, strings.Join(o.Steps, "\n  "))
		}
		if o.Class == CertificateRejected && (!o.Class.Failed() || !o.Certificate || o.Protocol == 0 && o.Why == "") {
			t.Errorf("%s: rejected without the certificate seen or a reason: %+v", tc.name, o)
		}
	}
	// A MariaDB 11.4 client verifying by default, without a CA, accepts
	// what it cannot verify with a MitM-safe plugin (MDB-ZERO).
	c := Client{Family: ClientMariaDB, Version: Exact(MariaDB, V(11, 4, 5)), Host: "127.0.0.1", Plugin: "ed25519",
		Cert: &CertCheck{Chain: No, Untrusted: selfSigned}}
	if o := Negotiate(s, c); o.Class != Agree {
		t.Errorf("11.4 default with ed25519: got %s (%s)", o.Class, o.Why)
	}
	c.Plugin = "caching_sha2_password"
	if o := Negotiate(s, c); o.Class != CannotTell {
		t.Errorf("11.4 default with caching_sha2_password: got %s (%s)", o.Class, o.Why)
	}
	// Error masking with the words known: the legacy-sigalg refusal is
	// reported as the chain's verification error.
	m := mdb(ModeRequired, false, &CertCheck{Chain: No, Untrusted: selfSigned})
	m.Protocols = only(TLSv11)
	if o := Negotiate(observedServers["08"], m); o.Class != NoCommonProtocol || o.Error != "ERROR 2026 (HY000): TLS/SSL error: "+selfSigned {
		t.Errorf("masking: got %s %q", o.Class, o.Error)
	}
}

// A proxy that refuses plaintext clients (MySQL Router's
// client_ssl_mode=REQUIRED) answers a client that does not ask for TLS
// with its own error, before require_secure_transport is asked and over
// any transport; a client that asks for TLS goes on to the handshake.
func TestNegotiateRefusesPlaintext(t *testing.T) {
	router := Server{Target: FullRange(FlavorUnknown), TLS: Yes, SecureTransport: Maybe,
		RefusesPlaintext: &ServerError{Code: ErrSSLConnection, State: "HY000",
			Text: "SSL connection error: SSL is required from client", Why: "MySQL Router's client_ssl_mode=REQUIRED"}}
	for _, tc := range []struct {
		c    Client
		want string
	}{
		{Client{Family: ClientGo, Mode: ModeDisabled, Transport: TransportTCP}, "Error 2026 (HY000): SSL connection error: SSL is required from client"},
		{Client{Family: ClientMySQL, Mode: ModeDisabled, Transport: TransportSocket}, "ERROR 2026 (HY000): SSL connection error: SSL is required from client"},
	} {
		o := Negotiate(router, tc.c)
		if o.Class != SecureTransport || o.Code != ErrSSLConnection || o.Error != tc.want {
			t.Errorf("%s over %s: got %s %d %q, want %s %q", tc.c.Family, tc.c.Transport, o.Class, o.Code, o.Error, SecureTransport, tc.want)
		}
	}
	o := Negotiate(router, Client{Family: ClientGo, Mode: ModeRequired, Transport: TransportTCP})
	if o.Class == SecureTransport {
		t.Errorf("a client that asks for TLS was refused: %s", o.Why)
	}
}
