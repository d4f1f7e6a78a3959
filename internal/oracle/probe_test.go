package oracle

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The outputs are the programs' own, as the oracle saw them (MariaDB
// 10.11.19, OpenSSL 3.0.22, go-sql-driver/mysql v1.10.1; see
// docs/mariadb-observations.md, Appendix A).
func TestClassify(t *testing.T) {
	for _, c := range []struct {
		name     string
		classify func(string) Observation
		out      string
		want     string
	}{
		{"s_client ok", classifySClient, "CONNECTION ESTABLISHED\nProtocol version: TLSv1.2\nCiphersuite: ECDHE-RSA-AES256-GCM-SHA384\nVerification error: self-signed certificate in certificate chain\n", "TLSv1.2 ECDHE-RSA-AES256-GCM-SHA384"},
		{"s_client alert", classifySClient, "4047FCC0547F0000:error:0A00042E:SSL routines:ssl3_read_bytes:tlsv1 alert protocol version:../ssl/record/rec_layer_s3.c:1602:SSL alert number 70\n", "alert 70"},
		{"s_client local", classifySClient, "40A7C5A3B47F0000:error:0A000102:SSL routines:ssl_choose_client_version:unsupported protocol:../ssl/statem/statem_lib.c:1980:\n", "local: unsupported protocol"},
		{"s_client alert without the source position (the negotiation model's line)", classifySClient, "error:0A000438:SSL routines:ssl3_read_bytes:tlsv1 alert internal error", "alert 80"},
		{"s_client no TLS", classifySClient, "MySQL server does not support SSL.\n", "no-tls"},
		{"s_client other", classifySClient, "connect:errno=111\n", "unknown: connect:errno=111"},
		{"mariadb ok", classifyMariaDB, "Ssl_cipher\tTLS_AES_256_GCM_SHA384\nSsl_version\tTLSv1.3\n", "TLSv1.3 TLS_AES_256_GCM_SHA384"},
		{"mariadb plaintext", classifyMariaDB, "Ssl_cipher\t\nSsl_version\t\n", "plaintext"},
		{"mariadb alert", classifyMariaDB, "ERROR 2026 (HY000): TLS/SSL error: sslv3 alert handshake failure\n", "alert 40"},
		{"mariadb no TLS", classifyMariaDB, "ERROR 2026 (HY000): TLS/SSL error: SSL is required, but the server does not support it\n", "no-tls"},
		{"mariadb verify", classifyMariaDB, "ERROR 2026 (HY000): TLS/SSL error: Validation of SSL server certificate failed\n", "verify: Validation of SSL server certificate failed"},
		{"mariadb expired", classifyMariaDB, "ERROR 2026 (HY000): TLS/SSL error: certificate has expired\n", "verify: certificate has expired"},
		{"mariadb local", classifyMariaDB, "ERROR 2026 (HY000): TLS/SSL error: no cipher match\n", "local: no cipher match"},
		{"mariadb login", classifyMariaDB, "ERROR 1045 (28000): Access denied for user 'root'@'127.0.0.1' (using password: NO)\n", "error 1045"},
		{"mariadb other", classifyMariaDB, "mariadb: unknown option '--tls'\n", "unknown: mariadb: unknown option '--tls'"},
		{"go ok", classifyGo, "ok TLSv1.3 TLS_AES_128_GCM_SHA256\n", "TLSv1.3 TLS_AES_128_GCM_SHA256"},
		{"go plaintext", classifyGo, "ok\n", "plaintext"},
		{"go alert", classifyGo, "alert protocol version not supported\n", "alert 70"},
		{"go verify", classifyGo, "verify certificate signed by unknown authority\n", "verify: certificate signed by unknown authority"},
		{"go no TLS", classifyGo, "no-tls\n", "no-tls"},
		{"go login", classifyGo, "error 1045\n", "error 1045"},
		{"go usage", classifyGo, "goprobe: unknown cipher suite X\n", "unknown: goprobe: unknown cipher suite X"},
	} {
		if got := c.classify(c.out).String(); got != c.want {
			t.Errorf("%s: %q classified as %q, want %q", c.name, c.out, got, c.want)
		}
	}
}

func TestParseObservation(t *testing.T) {
	for _, s := range []string{"TLSv1 ECDHE-RSA-AES256-SHA", "TLSv1.3 TLS_AES_256_GCM_SHA384", "plaintext", "no-tls",
		"alert 70", "error 1045", "verify: certificate has expired", "local: no cipher match"} {
		o, err := ParseObservation(s)
		if err != nil || o.String() != s {
			t.Errorf("ParseObservation(%q) = %+v, %v; String %q", s, o, err, o.String())
		}
	}
	// An unclassified output is never an expectation.
	for _, s := range []string{"", "TLSv1.3", "alert protocol_version", "unknown: x", "ok TLSv1.3 X"} {
		if o, err := ParseObservation(s); err == nil {
			t.Errorf("ParseObservation(%q) = %+v, want an error", s, o)
		}
	}
}

func TestParseProbe(t *testing.T) {
	p, err := ParseProbe("OPENSSL_CONF={dir}seclevel0.cnf mariadb --ssl --tls-version=TLSv1.0,TLSv1.1")
	if err != nil || p.Program != MariaDB || len(p.Env) != 1 || strings.Join(p.Args, " ") != "--ssl --tls-version=TLSv1.0,TLSv1.1" {
		t.Errorf("ParseProbe = %+v, %v", p, err)
	}
	if got := p.String(); got != "OPENSSL_CONF={dir}seclevel0.cnf mariadb --ssl --tls-version=TLSv1.0,TLSv1.1" {
		t.Errorf("String = %q", got)
	}
	for _, s := range []string{"", "A=b", "mysql --ssl", "go"} {
		if p, err := ParseProbe(s); err == nil {
			t.Errorf("ParseProbe(%q) = %+v, want an error", s, p)
		}
	}
}

func TestLoadCase(t *testing.T) {
	dir := t.TempDir()
	load := func(text string) (Case, error) {
		p := filepath.Join(dir, "x.txtar")
		if err := os.WriteFile(p, []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
		return LoadCase(p)
	}
	c, err := load("Old protocols.\nserver-env: OPENSSL_CONF={dir}s0.cnf\nvariables: have_ssl=YES tls_version=\n-- my.cnf --\n[mariadbd]\n-- probes --\ns_client -tls1 => alert 80\ngo tls=false => plaintext\n")
	if err != nil {
		t.Fatal(err)
	}
	if c.Name != "x" || c.Description != "Old protocols." || !c.Server.Starts || len(c.Server.Env) != 1 || len(c.Probes) != 2 ||
		c.Probes[0].Want != (Observation{FailureClass: FailAlert, Detail: "80"}) || c.Probes[1].Probe.Program != GoProbe ||
		len(c.Server.Variables) != 2 || c.Server.Variables["tls_version"] != "" || c.Server.Variables["have_ssl"] != "YES" {
		t.Errorf("LoadCase = %+v", c)
	}
	for _, bad := range []string{
		"-- probes --\ns_client => plaintext\n", // no my.cnf
		"-- my.cnf --\n",                        // starts, yet no probes
		"starts: no\n-- my.cnf --\n-- probes --\ns_client => alert 70\n", // probes of a server that does not start
		"starts: maybe\n-- my.cnf --\n",
		"variables: have_ssl\n-- my.cnf --\n-- probes --\ns_client => alert 70\n",
		"-- my.cnf --\n-- probes --\ns_client alert 70\n",
		"-- my.cnf --\n-- probes --\ns_client => alert seventy\n",
	} {
		if _, err := load(bad); err == nil {
			t.Errorf("LoadCase accepted %q", bad)
		}
	}
}
