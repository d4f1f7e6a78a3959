package oracle

import (
	"slices"
	"strings"
	"testing"

	"github.com/tlsvet/tlsvet/internal/facts"
)

var (
	mdb1011 = facts.Exact(facts.MariaDB, facts.V(10, 11, 19))
	// caseFiles are the OPENSSL_CONF files the cases hold.
	caseFiles = map[string][]byte{
		"seclevel0.cnf":      []byte("openssl_conf = openssl_init\n[system_default_sect]\nMinProtocol = TLSv1\nCipherString = DEFAULT@SECLEVEL=0\n"),
		"debian11-style.cnf": []byte("[system_default_sect]\nMinProtocol = TLSv1.2\nCipherString = DEFAULT@SECLEVEL=2\n"),
		"nolevel.cnf":        []byte("[system_default_sect]\nMinProtocol = TLSv1.2\n"),
	}
)

func mustProbe(t *testing.T, s string) Probe {
	t.Helper()
	p, err := ParseProbe(s)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func TestProbeClient(t *testing.T) {
	level0 := &facts.OpenSSLPolicy{Level: 0, MinProtocol: facts.TLSv10}
	for _, c := range []struct {
		probe string
		want  facts.Client
	}{
		{"s_client", facts.Client{Family: facts.ClientOpenSSL}},
		{"s_client -tls1_1", facts.Client{Family: facts.ClientOpenSSL, Protocols: []facts.Protocol{facts.TLSv11}}},
		{"s_client -tls1 -cipher DEFAULT@SECLEVEL=0", facts.Client{Family: facts.ClientOpenSSL,
			Protocols: []facts.Protocol{facts.TLSv10}, OpenSSL: &facts.OpenSSLPolicy{Level: 0}}},
		{"s_client -tls1_2 -cipher AES128-SHA", facts.Client{Family: facts.ClientOpenSSL,
			Protocols: []facts.Protocol{facts.TLSv12}, Ciphers: []string{"AES128-SHA"}}},
		{"s_client -tls1_3 -ciphersuites TLS_AES_128_CCM_SHA256", facts.Client{Family: facts.ClientOpenSSL,
			Protocols: []facts.Protocol{facts.TLSv13}, Suites: []string{"TLS_AES_128_CCM_SHA256"}}},
		{"OPENSSL_CONF={dir}seclevel0.cnf s_client -tls1_1", facts.Client{Family: facts.ClientOpenSSL,
			Protocols: []facts.Protocol{facts.TLSv11}, OpenSSL: level0}},
		{"mariadb", facts.Client{Family: facts.ClientMariaDB, Version: mdb1011}},
		{"mariadb --skip-ssl", facts.Client{Family: facts.ClientMariaDB, Version: mdb1011, Mode: facts.ModeDisabled}},
		{"mariadb --ssl", facts.Client{Family: facts.ClientMariaDB, Version: mdb1011, Mode: facts.ModeRequired}},
		{"mariadb --ssl-verify-server-cert", facts.Client{Family: facts.ClientMariaDB, Version: mdb1011, Mode: facts.ModeVerifyIdentity}},
		{"mariadb --ssl-ca={dir}ca.pem", facts.Client{Family: facts.ClientMariaDB, Version: mdb1011, Mode: facts.ModeRequired, CA: true}},
		{"mariadb --ssl-ca={dir}ca.pem --ssl-verify-server-cert", facts.Client{Family: facts.ClientMariaDB, Version: mdb1011,
			Mode: facts.ModeVerifyIdentity, CA: true}},
		{"OPENSSL_CONF={dir}seclevel0.cnf mariadb --ssl --tls-version=TLSv1.0,TLSv1.1", facts.Client{Family: facts.ClientMariaDB,
			Version: mdb1011, Mode: facts.ModeRequired, Protocols: []facts.Protocol{facts.TLSv10, facts.TLSv11}, OpenSSL: level0}},
		{"mariadb --ssl-cipher=ECDHE-RSA-AES128-GCM-SHA256 --tls-version=TLSv1.2", facts.Client{Family: facts.ClientMariaDB,
			Version: mdb1011, Ciphers: []string{"ECDHE-RSA-AES128-GCM-SHA256"}, Protocols: []facts.Protocol{facts.TLSv12}}},
		{"go tls=false", facts.Client{Family: facts.ClientGo, Mode: facts.ModeDisabled}},
		{"go tls=true", facts.Client{Family: facts.ClientGo, Mode: facts.ModeVerifyIdentity}},
		{"SSL_CERT_FILE={dir}ca.pem go tls=true", facts.Client{Family: facts.ClientGo, Mode: facts.ModeVerifyIdentity}},
		{"go tls=skip-verify", facts.Client{Family: facts.ClientGo, Mode: facts.ModeRequired}},
		{"go tls=preferred", facts.Client{Family: facts.ClientGo, Mode: facts.ModePreferred}},
		{"go -ca {dir}ca.pem -servername db.example.invalid tls=custom", facts.Client{Family: facts.ClientGo,
			Mode: facts.ModeVerifyIdentity, CA: true}},
		// crypto/tls's minimum, TLS 1.2, stays when only -max is set.
		{"go -ca {dir}ca.pem -max TLSv1.2 -ciphers TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256 tls=custom", facts.Client{Family: facts.ClientGo,
			Mode: facts.ModeVerifyIdentity, CA: true, Protocols: []facts.Protocol{facts.TLSv12}, Ciphers: []string{"ECDHE-RSA-AES128-GCM-SHA256"}}},
		{"go -ca {dir}ca.pem -min TLSv1 tls=custom", facts.Client{Family: facts.ClientGo,
			Mode: facts.ModeVerifyIdentity, CA: true, Protocols: facts.Protocols}},
	} {
		got, err := ProbeClient(mustProbe(t, c.probe), mdb1011, caseFiles)
		if err != nil {
			t.Errorf("%s: %v", c.probe, err)
			continue
		}
		c.want.Host, c.want.Transport = "127.0.0.1", facts.TransportTCP
		if !sameClient(got, c.want) {
			t.Errorf("%s:\n got %+v (OpenSSL %+v)\nwant %+v (OpenSSL %+v)", c.probe, got, got.OpenSSL, c.want, c.want.OpenSSL)
		}
	}
	// A probe the mapping does not know is an error, never a guess.
	for _, s := range []string{"s_client -tls1_2 -no_ticket", "mariadb --ssl-crl=x.pem", "go tls=verify-ca", "go -cert x.pem tls=custom",
		"mariadb --tls-version=TLSv1.4", "OPENSSL_CONF={dir}missing.cnf s_client", "OPENSSL_CONF={dir}nolevel.cnf s_client"} {
		if c, err := ProbeClient(mustProbe(t, s), mdb1011, caseFiles); err == nil {
			t.Errorf("%s: %+v, want an error", s, c)
		}
	}
}

func sameClient(a, b facts.Client) bool {
	pa, pb := a.OpenSSL, b.OpenSSL
	a.OpenSSL, b.OpenSSL = nil, nil
	if (pa == nil) != (pb == nil) || pa != nil && *pa != *pb {
		return false
	}
	return a.Family == b.Family && a.Version == b.Version && a.Mode == b.Mode && a.CA == b.CA && a.Host == b.Host &&
		a.Transport == b.Transport && slices.Equal(a.Protocols, b.Protocols) && slices.Equal(a.Ciphers, b.Ciphers) &&
		slices.Equal(a.Suites, b.Suites)
}

func TestProbeTrust(t *testing.T) {
	for _, c := range []struct {
		probe, ca, name string
		checks          bool
	}{
		{"s_client -tls1_2", "", "127.0.0.1", false},
		{"mariadb --ssl", "", "127.0.0.1", true},
		{"mariadb --ssl-ca={dir}other-ca.pem --ssl-verify-server-cert", "other-ca.pem", "127.0.0.1", true},
		{"go tls=true", "", "127.0.0.1", true},
		{"SSL_CERT_FILE={dir}ca.pem go tls=true", "ca.pem", "127.0.0.1", true},
		{"go -ca {dir}ca.pem -servername db.example.invalid tls=custom", "ca.pem", "db.example.invalid", true},
	} {
		ca, name, checks := ProbeTrust(mustProbe(t, c.probe))
		if ca != c.ca || name != c.name || checks != c.checks {
			t.Errorf("%s: %q %q %v, want %q %q %v", c.probe, ca, name, checks, c.ca, c.name, c.checks)
		}
	}
}

func TestHostPolicy(t *testing.T) {
	p, err := HostPolicy([]string{"OPENSSL_CONF={dir}debian11-style.cnf"}, caseFiles)
	if err != nil || p == nil || *p != (facts.OpenSSLPolicy{Level: 2, MinProtocol: facts.TLSv12}) {
		t.Errorf("debian11-style.cnf: %+v, %v", p, err)
	}
	if p, err := HostPolicy([]string{"SSL_CERT_FILE={dir}ca.pem"}, caseFiles); p != nil || err != nil {
		t.Errorf("no OPENSSL_CONF: %+v, %v; want nil (the assumed default)", p, err)
	}
}

func TestPredictionMatches(t *testing.T) {
	tls13 := Observation{Protocol: "TLSv1.3", Cipher: "TLS_AES_256_GCM_SHA384"}
	verify := Observation{FailureClass: FailVerify, Detail: "certificate has expired"}
	for _, c := range []struct {
		p    Prediction
		got  Observation
		want bool
	}{
		{Prediction{Want: tls13}, tls13, true},
		{Prediction{Want: tls13}, verify, false},
		{Prediction{Want: verify}, verify, true},
		{Prediction{Why: "unknown"}, Observation{}, false},
	} {
		if got := c.p.Matches(c.got); got != c.want {
			t.Errorf("%+v matches %s: %v, want %v", c.p, c.got, got, c.want)
		}
	}
}

// TestPredict runs the model on servers like the cases' and writes its
// outcomes in the probes' notation, with no server: the notation must be
// what the probe reads from the program's own output.
func TestPredict(t *testing.T) {
	rsa := func(mod func(*facts.Server)) facts.Server {
		s := facts.Server{Target: mdb1011, TLS: facts.Yes, Key: facts.KeyRSA, SecureTransport: facts.No}
		if mod != nil {
			mod(&s)
		}
		return s
	}
	tls13 := rsa(func(s *facts.Server) { s.Protocols = []facts.Protocol{facts.TLSv13} })
	noTLS := rsa(func(s *facts.Server) { s.TLS = facts.No })
	secureNoTLS := rsa(func(s *facts.Server) { s.TLS, s.SecureTransport = facts.No, facts.Yes })
	old := rsa(func(s *facts.Server) {
		s.Protocols, s.OpenSSL = []facts.Protocol{facts.TLSv10, facts.TLSv11}, &facts.OpenSSLPolicy{Level: 0}
	})
	untrusted := &facts.CertCheck{Chain: facts.No, Untrusted: "self-signed certificate in certificate chain"}
	trusted := &facts.CertCheck{Chain: facts.Yes}
	misnamed := &facts.CertCheck{Chain: facts.Yes, Misnamed: "x509: certificate is valid for localhost, not db.example.invalid"}
	for _, c := range []struct {
		server facts.Server
		probe  string
		want   string // the observation, or "cannot tell: " and the start of the reason
		cert   *facts.CertCheck
	}{
		{rsa(nil), "s_client", "TLSv1.3 TLS_AES_256_GCM_SHA384", nil},
		{rsa(nil), "s_client -tls1_2", "TLSv1.2 ECDHE-RSA-AES256-GCM-SHA384", nil},
		{rsa(nil), "s_client -tls1", "alert 70", nil},
		{rsa(nil), "s_client -tls1_2 -cipher ECDHE-ECDSA-AES128-GCM-SHA256", "alert 40", nil},
		{rsa(nil), "mariadb --ssl-cipher=DES-CBC3-SHA", "local: no cipher match", nil},
		{rsa(nil), "go tls=skip-verify", "TLSv1.3 TLS_AES_128_GCM_SHA256", nil},
		{rsa(nil), "mariadb --ssl-verify-server-cert", "verify: self-signed certificate in certificate chain", untrusted},
		{rsa(nil), "mariadb --ssl-ca={dir}ca.pem --ssl-verify-server-cert", "TLSv1.3 TLS_AES_256_GCM_SHA384", trusted},
		{rsa(nil), "mariadb --ssl-ca={dir}ca.pem --ssl-verify-server-cert", "verify: Validation of SSL server certificate failed", misnamed},
		{rsa(nil), "mariadb --ssl-verify-server-cert", "cannot tell: whether the client accepts the server certificate", nil},
		{rsa(nil), "go tls=true", "verify: certificate signed by unknown authority", untrusted},
		{rsa(nil), "go -ca {dir}ca.pem -servername db.example.invalid tls=custom", "verify: certificate is valid for localhost, not db.example.invalid", misnamed},
		{tls13, "s_client -tls1_2", "alert 70", nil},
		{tls13, "mariadb --ssl --tls-version=TLSv1.2", "alert 70", nil},
		{tls13, "go -ca {dir}ca.pem -max TLSv1.2 tls=custom", "alert 70", nil},
		{rsa(func(s *facts.Server) { s.Protocols = facts.Protocols }), "s_client -tls1_1", "alert 80", nil},
		{old, "s_client -tls1_1", "local: legacy sigalg disallowed or unsupported", nil},
		{old, "s_client -tls1_1 -cipher DEFAULT@SECLEVEL=0", "TLSv1.1 ECDHE-RSA-AES256-SHA", nil},
		{old, "s_client -tls1 -cipher DEFAULT@SECLEVEL=0", "TLSv1 ECDHE-RSA-AES256-SHA", nil},
		{old, "mariadb --ssl --tls-version=TLSv1.1", "cannot tell: the client's error", nil},
		{old, "mariadb --ssl-ca={dir}ca.pem --tls-version=TLSv1.1", "local: legacy sigalg disallowed or unsupported", trusted},
		{old, "mariadb --ssl-ca={dir}other-ca.pem --tls-version=TLSv1.1", "verify: self-signed certificate in certificate chain", untrusted},
		{noTLS, "s_client", "no-tls", nil},
		{noTLS, "go tls=true", "no-tls", nil},
		{noTLS, "mariadb --ssl", "plaintext", nil},
		{noTLS, "go tls=skip-verify", "no-tls", nil},
		{noTLS, "go tls=preferred", "plaintext", nil},
		{secureNoTLS, "mariadb --skip-ssl", "error 1045", nil},
		{secureNoTLS, "go tls=false", "error 1045", nil},
		{secureNoTLS, "mariadb --ssl-verify-server-cert", "no-tls", nil},
	} {
		cl, err := ProbeClient(mustProbe(t, c.probe), mdb1011, caseFiles)
		if err != nil {
			t.Fatal(err)
		}
		cl.Cert = c.cert
		pr := Predict(cl, facts.Negotiate(c.server, cl))
		got := pr.Want.String()
		if pr.Why != "" {
			got = "cannot tell: " + pr.Why
		}
		if want, ok := strings.CutPrefix(c.want, "cannot tell: "); ok && !strings.HasPrefix(pr.Why, want) || !ok && got != c.want {
			t.Errorf("%s against %+v: %s, want %s", c.probe, c.server, got, c.want)
		}
	}
}
