package rules_test

import (
	"cmp"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/tlsvet/tlsvet/internal/lint"
	"github.com/tlsvet/tlsvet/internal/linttest"
	"github.com/tlsvet/tlsvet/internal/oracle"
	"github.com/tlsvet/tlsvet/internal/pkitest"
	"github.com/tlsvet/tlsvet/internal/txtar"
	"github.com/tlsvet/tlsvet/rules"
)

// certClaim is a server whose certificate files a rule judges. The files
// are generated from "!pki" directives at the real clock (an expired
// certificate is expired now), linted as a fixture, and served by a real
// MariaDB: it starts or refuses to start as the finding says, and a
// verifying mariadb client prints the error the finding names.
type certClaim struct {
	name string
	// files is a txtar archive. In its option files {dir} is the
	// directory of the certificates: mount (as the repository's deployment
	// names it) for tlsvet, and the directory they are written to for the
	// server, which is started on the option file server (default my.cnf).
	files         string
	server, mount string
	certs         string // the archive directory holding ca.pem…, "" or "certs/"
	starts        bool
	logs          []string // what the server must log ({dir} expanded)
	// level, for a server that refuses to start, is the OpenSSL security
	// level (OPENSSL_CONF) at which it starts, so that what clients say of
	// the certificate can be seen.
	level  int
	probes []certProbe

	rule string
	says string // a regexp the finding's message must match
}

// certProbe runs `mariadb --ssl-verify-server-cert --ssl-ca=ca.pem` (as a
// verifying client is set up) with args against the server; error is
// what it must print after "TLS/SSL error: " and what the finding must
// name, or "" when it must connect.
type certProbe struct {
	args  []string
	error string
}

// oracleTLS is the TLS part of the server's option file; oracleCA a CA
// that signs the server certificates (the key names are this test's own).
const (
	oracleTLS = "-- my.cnf --\n[mariadbd]\nssl_ca={dir}ca.pem\nssl_cert={dir}server-cert.pem\nssl_key={dir}server-key.pem\n"
	oracleCA  = "-- ca.pem --\n!pki cert cn=tlsvet-oracle-CA ca=yes key=oracle-ca\n"
)

// The certificates are issued for localhost and 127.0.0.1, where the probe
// connects, so that only the defect of the case can fail it.
var certClaims = []certClaim{
	{
		name: "TV501 expired",
		files: oracleTLS + oracleCA +
			"-- server-cert.pem --\n!pki cert cn=localhost dns=localhost ip=127.0.0.1 issuer=ca.pem key=oracle-server from=-2d until=-1d\n" +
			"-- server-key.pem --\n!pki key key=oracle-server\n",
		starts: true,
		probes: []certProbe{{error: "certificate has expired"}},
		rule:   "TV501", says: `expired on .*the server still starts`,
	},
	{
		name: "TV501 not yet valid",
		files: oracleTLS + oracleCA +
			"-- server-cert.pem --\n!pki cert cn=localhost dns=localhost ip=127.0.0.1 issuer=ca.pem key=oracle-server from=+1d until=+2d\n" +
			"-- server-key.pem --\n!pki key key=oracle-server\n",
		starts: true,
		probes: []certProbe{{error: "certificate is not yet valid"}},
		rule:   "TV501", says: `is not valid before .*the server still starts`,
	},
	{
		name: "TV503 key does not match the certificate",
		files: oracleTLS + oracleCA +
			"-- server-cert.pem --\n!pki cert cn=localhost dns=localhost ip=127.0.0.1 issuer=ca.pem key=oracle-server\n" +
			"-- server-key.pem --\n!pki key key=oracle-other\n",
		starts: false,
		logs:   []string{"SSL error: Unable to get private key from '{dir}server-key.pem'", "[ERROR] SSL error: Unable to get private key", "[ERROR] Aborting"},
		rule:   "TV503", says: `MariaDB refuses to start \("Unable to get private key"\)`,
	},
	{
		name: "TV504 RSA-1024",
		files: oracleTLS + oracleCA +
			"-- server-cert.pem --\n!pki cert cn=localhost dns=localhost ip=127.0.0.1 issuer=ca.pem key=oracle-weak keytype=rsa-1024\n" +
			"-- server-key.pem --\n!pki key key=oracle-weak keytype=rsa-1024\n",
		starts: false,
		logs:   []string{"SSL error: Unable to get certificate from '{dir}server-cert.pem'", "[ERROR] SSL error: Unable to get certificate", "[ERROR] Aborting"},
		level:  1,
		probes: []certProbe{{error: "EE certificate key too weak"}},
		rule:   "TV504", says: `RSA-1024 key.*MariaDB refuses to start`,
	},
	{
		name: "TV508 SHA-1 signature",
		files: oracleTLS + oracleCA +
			"-- server-cert.pem --\n!pki cert cn=localhost dns=localhost ip=127.0.0.1 issuer=ca.pem key=oracle-server sig=sha1\n" +
			"-- server-key.pem --\n!pki key key=oracle-server\n",
		starts: false,
		logs:   []string{"SSL error: Unable to get certificate from '{dir}server-cert.pem'", "[ERROR] SSL error: Unable to get certificate", "[ERROR] Aborting"},
		level:  0,
		probes: []certProbe{{error: "CA signature digest algorithm too weak"}},
		rule:   "TV508", says: `signed with SHA-1.*MariaDB refuses to start`,
	},
	{
		// The server's own ssl_ca did not sign its certificate: MariaDB
		// starts without a word, and a client given that CA fails.
		name: "TV406 ssl_ca does not sign ssl_cert",
		files: oracleTLS +
			"-- ca.pem --\n!pki cert cn=tlsvet-other-CA ca=yes key=oracle-other-ca\n" +
			"-- signer.pem --\n!pki cert cn=tlsvet-oracle-CA ca=yes key=oracle-ca\n" +
			"-- server-cert.pem --\n!pki cert cn=localhost dns=localhost ip=127.0.0.1 issuer=signer.pem key=oracle-server\n" +
			"-- server-key.pem --\n!pki key key=oracle-server\n",
		starts: true,
		probes: []certProbe{{error: "unable to get local issuer certificate"}},
		rule:   "TV406", says: `the server starts, but clients given this CA fail`,
	},
	{
		// A Rails app reaches the compose service as db; the certificate
		// names only db.example.invalid. The probe connects as 127.0.0.1,
		// which the certificate does not name either.
		name: "TV405 host not in the certificate",
		files: `-- compose.yaml --
services:
  db:
    image: mariadb:10.11
    volumes:
      - ./conf.d:/etc/mysql/conf.d:ro
      - ./certs:/certs:ro
  app:
    image: shop:1
    environment:
      DATABASE_URL: "mysql2://app@db:3306/shop?ssl_mode=verify_identity&sslca=/certs/ca.pem"
-- conf.d/tls.cnf --
[mariadbd]
ssl_ca={dir}ca.pem
ssl_cert={dir}server-cert.pem
ssl_key={dir}server-key.pem
-- certs/ca.pem --
!pki cert cn=tlsvet-oracle-CA ca=yes key=oracle-ca
-- certs/server-cert.pem --
!pki cert cn=db.example.invalid dns=db.example.invalid issuer=certs/ca.pem key=oracle-server
-- certs/server-key.pem --
!pki key key=oracle-server
`,
		server: "conf.d/tls.cnf", mount: "/certs/", certs: "certs/",
		starts: true,
		probes: []certProbe{{error: "Validation of SSL server certificate failed"}},
		rule:   "TV405", says: `names db, but certs/server-cert.pem .*the server starts`,
	},
	{
		// TLSv1.2 has no cipher for an RSA certificate; TLSv1.3 suites do
		// not depend on the certificate type.
		name: "TV204 ECDSA-only ciphers with an RSA certificate",
		files: strings.Replace(oracleTLS, "ssl_key", "ssl_cipher=ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384\nssl_key", 1) + oracleCA +
			"-- server-cert.pem --\n!pki cert cn=localhost dns=localhost ip=127.0.0.1 issuer=ca.pem key=oracle-server\n" +
			"-- server-key.pem --\n!pki key key=oracle-server\n",
		starts: true,
		probes: []certProbe{
			{args: []string{"--tls-version=TLSv1.2"}, error: "sslv3 alert handshake failure"},
			{args: []string{"--tls-version=TLSv1.3"}},
		},
		rule: "TV204", says: `RSA-2048 key: the server starts, but every TLSv1.2 handshake fails.*only TLSv1.3 clients can connect`,
	},
}

// TestMariaDBCertClaims starts MariaDB on each case's certificates and
// checks the finding against what the server and a verifying client did.
func TestMariaDBCertClaims(t *testing.T) {
	t.Parallel()
	o := oracle.New(t)
	for _, c := range certClaims {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			in := map[string][]byte{}
			for _, f := range txtar.Parse([]byte(c.files)).Files {
				in[f.Name] = f.Data
			}
			now := time.Now()
			files, err := pkitest.Expand(in, now)
			if err != nil {
				t.Fatal(err)
			}
			dir := t.TempDir()
			certs := filepath.Join(dir, c.certs) + "/"
			for name, data := range files {
				p := filepath.Join(dir, name)
				if err := os.MkdirAll(filepath.Dir(p), 0o700); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(p, []byte(strings.ReplaceAll(string(data), "{dir}", certs)), 0o600); err != nil {
					t.Fatal(err)
				}
			}
			server := cmp.Or(c.server, "my.cnf")

			s := o.Start(t, strings.ReplaceAll(string(files[server]), "{dir}", certs))
			out := s.Log()
			if s.Started != c.starts {
				t.Fatalf("MariaDB %s started=%v (exit %d), want %v:\n%s", o.Version, s.Started, s.ExitCode, c.starts, out)
			}
			for _, l := range c.logs {
				if l = strings.ReplaceAll(l, "{dir}", certs); !strings.Contains(out, l) {
					t.Errorf("the server did not log %q:\n%s", l, out)
				}
			}
			if !c.starts && len(c.probes) > 0 {
				// Started again at a lower level, so that the clients'
				// error (at their default level) can be seen.
				conf := filepath.Join(dir, "openssl.cnf")
				if err := os.WriteFile(conf, fmt.Appendf(nil, opensslLevel, c.level), 0o600); err != nil {
					t.Fatal(err)
				}
				s.Stop(t)
				s = o.Start(t, strings.ReplaceAll(string(files[server]), "{dir}", certs), "OPENSSL_CONF="+conf)
				if !s.Started {
					t.Fatalf("MariaDB %s does not start at OpenSSL security level %d either:\n%s", o.Version, c.level, s.Log())
				}
			}
			for _, p := range c.probes {
				args := append([]string{"--protocol=TCP", "--host=127.0.0.1", "--port=" + strconv.Itoa(s.Port), "--user=root",
					"--ssl-verify-server-cert", "--ssl-ca=" + certs + "ca.pem", "--execute=SELECT 1"}, p.args...)
				got, err := s.Client(t, args...)
				out += got
				if p.error == "" && err != nil {
					t.Errorf("mariadb %s: %v, want it to connect:\n%s", strings.Join(p.args, " "), err, got)
				}
				if want := "ERROR 2026 (HY000): TLS/SSL error: " + p.error; p.error != "" && !strings.Contains(got, want) {
					t.Errorf("mariadb %s printed %q, want %q", strings.Join(p.args, " "), got, want)
				}
			}
			s.Stop(t)

			ds := tlsvetCerts(t, o.Version, c, files, now)
			checkClaim(t, mariadbClaim{rule: c.rule, starts: c.starts, sev: lint.Error, says: c.says}, ds, out)
			for _, d := range ds {
				if d.RuleID != c.rule {
					continue
				}
				for _, p := range c.probes {
					if p.error != "" && !strings.Contains(d.Message, p.error) {
						t.Errorf("%s does not name the client's error %q: %s", d.RuleID, p.error, d.Message)
					}
				}
			}
		})
	}
}

// opensslLevel is an OPENSSL_CONF file that sets the default security
// level of the program that reads it.
const opensslLevel = `openssl_conf = openssl_init
[openssl_init]
ssl_conf = ssl_sect
[ssl_sect]
system_default = system_default_sect
[system_default_sect]
CipherString = DEFAULT@SECLEVEL=%d
`

// tlsvetCerts runs every rule on the case's files, as the repository
// holds them (the certificates at c.mount), for a MariaDB server of the
// given version. The fixture clock is the midnight that begins now's day:
// a certificate that ended a day before now has ended by then, and one
// that begins a day after now has not begun.
func tlsvetCerts(t *testing.T, version string, c certClaim, files map[string][]byte, now time.Time) []lint.Diagnostic {
	t.Helper()
	names := make([]string, 0, len(files))
	for name := range files {
		names = append(names, name)
	}
	slices.Sort(names)
	var b strings.Builder
	fmt.Fprintf(&b, "now: %s\n-- .tlsvet.toml --\ntarget = [\"mariadb-%s\"]\n", now.UTC().Format("2006-01-02"), version)
	for _, name := range names {
		data := strings.ReplaceAll(string(files[name]), "{dir}", c.mount)
		fmt.Fprintf(&b, "-- %s --\n%s", name, data)
		if !strings.HasSuffix(data, "\n") {
			b.WriteByte('\n')
		}
	}
	return linttest.Check(t, []byte(b.String()), rules.All).Diagnostics
}
