package rules_test

import (
	"os"
	"path/filepath"
	"regexp"
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

// chainClaims are certificate setups whose failure TV509–TV513 name by
// OpenSSL's text: the mariadb client, verifying a real server or refused
// by it, must print that text, and the rule must fire on the same files
// and quote it. A client the server refuses uses TLSv1.2, over which the
// server's alert reliably reaches it during the handshake.
var chainClaims = []struct {
	name   string
	rule   *lint.Rule
	files  string // archive: my.cnf (the client's, {dir} for the file directory) and the PKI
	server string // the server's ssl_* settings, relative to {dir}
	starts bool
	says   string // what both the client and the finding say
}{
	{
		name: "TV509 same subject as the CA", rule: rules.SameNameAsCA, starts: true,
		files:  "-- my.cnf --\n[mysqld]\nssl_ca=ca.pem\nssl_cert=server-cert.pem\nssl_key=server-key.pem\n-- ca.pem --\n!pki cert cn=db ca=yes key=ca\n-- server-cert.pem --\n!pki cert cn=db ip=127.0.0.1 issuer=ca.pem key=server\n-- server-key.pem --\n!pki key key=server\n",
		server: "ssl_ca=ca.pem\nssl_cert=server-cert.pem\nssl_key=server-key.pem",
		says:   "self-signed certificate",
	},
	{
		name: "TV510 server certificate for clientAuth", rule: rules.KeyUsageMismatch, starts: true,
		files:  "-- my.cnf --\n[mysqld]\nssl_ca=ca.pem\nssl_cert=server-cert.pem\nssl_key=server-key.pem\n-- ca.pem --\n!pki cert cn=Test-CA ca=yes key=ca\n-- server-cert.pem --\n!pki cert cn=db ip=127.0.0.1 issuer=ca.pem key=server eku=client\n-- server-key.pem --\n!pki key key=server\n",
		server: "ssl_ca=ca.pem\nssl_cert=server-cert.pem\nssl_key=server-key.pem",
		says:   "unsuitable certificate purpose",
	},
	{
		name: "TV509 client certificate with the CA's subject", rule: rules.SameNameAsCA, starts: true,
		files:  "-- my.cnf --\n[client]\nssl-ca=ca.pem\nssl-cert=client-cert.pem\nssl-key=client-key.pem\ntls-version=TLSv1.2\n-- ca.pem --\n!pki cert cn=Test-CA ca=yes key=ca\n-- client-cert.pem --\n!pki cert cn=Test-CA issuer=ca.pem key=app\n-- client-key.pem --\n!pki key key=app\n-- server-cert.pem --\n!pki cert cn=db ip=127.0.0.1 issuer=ca.pem key=server\n-- server-key.pem --\n!pki key key=server\n",
		server: "ssl_ca=ca.pem\nssl_cert=server-cert.pem\nssl_key=server-key.pem",
		says:   "tlsv1 alert unknown ca", // the server's alert
	},
	{
		name: "TV510 client certificate for serverAuth", rule: rules.KeyUsageMismatch, starts: true,
		files:  "-- my.cnf --\n[client]\nssl-ca=ca.pem\nssl-cert=client-cert.pem\nssl-key=client-key.pem\ntls-version=TLSv1.2\n-- ca.pem --\n!pki cert cn=Test-CA ca=yes key=ca\n-- client-cert.pem --\n!pki cert cn=app issuer=ca.pem key=app eku=server\n-- client-key.pem --\n!pki key key=app\n-- server-cert.pem --\n!pki cert cn=db ip=127.0.0.1 issuer=ca.pem key=server\n-- server-key.pem --\n!pki key key=server\n",
		server: "ssl_ca=ca.pem\nssl_cert=server-cert.pem\nssl_key=server-key.pem",
		says:   "sslv3 alert unsupported certificate", // the server's alert
	},
	{
		name: "TV511 expired CRL on the client", rule: rules.CRLUnusable, starts: true,
		files:  "-- my.cnf --\n[client]\nssl-ca=ca.pem\nssl-crl=crl.pem\n-- ca.pem --\n!pki cert cn=Test-CA ca=yes key=ca\n-- crl.pem --\n!pki crl issuer=ca.pem from=-30d until=-1d\n-- server-cert.pem --\n!pki cert cn=db ip=127.0.0.1 issuer=ca.pem key=server\n-- server-key.pem --\n!pki key key=server\n",
		server: "ssl_ca=ca.pem\nssl_cert=server-cert.pem\nssl_key=server-key.pem",
		says:   "CRL has expired",
	},
	{
		name: "TV511 expired CRL on the server", rule: rules.CRLUnusable, starts: true,
		files:  "-- my.cnf --\n[mysqld]\nssl_ca=ca.pem\nssl_crl=crl.pem\n[client]\nssl-ca=ca.pem\nssl-cert=client-cert.pem\nssl-key=client-key.pem\ntls-version=TLSv1.2\n-- ca.pem --\n!pki cert cn=Test-CA ca=yes key=ca\n-- crl.pem --\n!pki crl issuer=ca.pem from=-30d until=-1d\n-- client-cert.pem --\n!pki cert cn=app issuer=ca.pem key=app\n-- client-key.pem --\n!pki key key=app\n-- server-cert.pem --\n!pki cert cn=db ip=127.0.0.1 issuer=ca.pem key=server\n-- server-key.pem --\n!pki key key=server\n",
		server: "ssl_ca=ca.pem\nssl_crl=crl.pem\nssl_cert=server-cert.pem\nssl_key=server-key.pem",
		says:   "sslv3 alert certificate expired", // the server's alert
	},
	{
		name: "TV511 CA file named as the server's CRL", rule: rules.CRLUnusable, starts: true,
		files:  "-- my.cnf --\n[mysqld]\nssl_ca=ca.pem\nssl_crl=ca.pem\n[client]\nssl-ca=ca.pem\nssl-cert=client-cert.pem\nssl-key=client-key.pem\ntls-version=TLSv1.2\n-- ca.pem --\n!pki cert cn=Test-CA ca=yes key=ca\n-- client-cert.pem --\n!pki cert cn=app issuer=ca.pem key=app\n-- client-key.pem --\n!pki key key=app\n-- server-cert.pem --\n!pki cert cn=db ip=127.0.0.1 issuer=ca.pem key=server\n-- server-key.pem --\n!pki key key=server\n",
		server: "ssl_ca=ca.pem\nssl_crl=ca.pem\nssl_cert=server-cert.pem\nssl_key=server-key.pem",
		says:   "tlsv1 alert unknown ca", // the server's alert
	},
	{
		name: "TV513 CA directory without hash links", rule: rules.UnhashedDirectory, starts: true,
		files:  "-- my.cnf --\n[client]\nssl-capath=certs\n-- certs/ca.pem --\n!pki cert cn=Test-CA ca=yes key=ca\n-- server-cert.pem --\n!pki cert cn=db ip=127.0.0.1 issuer=certs/ca.pem key=server\n-- server-key.pem --\n!pki key key=server\n",
		server: "ssl_ca=certs/ca.pem\nssl_cert=server-cert.pem\nssl_key=server-key.pem",
		says:   "self-signed certificate in certificate chain", // the server sends its CA
	},
	{
		name: "TV512 CA first in the chain file", rule: rules.ChainOrder, starts: false,
		files:  "-- my.cnf --\n[mysqld]\nssl_cert=server-chain.pem\nssl_key=server-key.pem\n-- ca.pem --\n!pki cert cn=Test-CA ca=yes key=ca\n-- server-chain.pem --\n!pki cert cn=Test-CA ca=yes key=ca\n!pki cert cn=db ip=127.0.0.1 issuer=ca.pem key=server\n-- server-key.pem --\n!pki key key=server\n",
		server: "ssl_cert=server-chain.pem\nssl_key=server-key.pem",
	},
}

// TestChainClaimsMariaDB starts MariaDB on each setup (certificates made
// for the real clock) and checks that the server starts or refuses to as
// the finding says, and that a verifying mariadb client fails with the
// OpenSSL text the finding quotes.
func TestChainClaimsMariaDB(t *testing.T) {
	t.Parallel()
	o := oracle.New(t)
	for _, c := range chainClaims {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			res := linttest.Check(t, []byte(c.files), []*lint.Rule{c.rule})
			if len(res.Diagnostics) == 0 {
				t.Fatalf("%s does not fire", c.rule.ID)
			}
			msg := res.Diagnostics[0].Message
			if c.says != "" && !strings.Contains(msg, strconv.Quote(c.says)) {
				t.Errorf("%s does not quote %q: %s", c.rule.ID, c.says, msg)
			}

			dir := t.TempDir()
			a := txtar.Parse([]byte(c.files))
			in := map[string][]byte{}
			for _, f := range a.Files {
				in[f.Name] = f.Data
			}
			files, err := pkitest.Expand(in, time.Now())
			if err != nil {
				t.Fatal(err)
			}
			for name, data := range files {
				p := filepath.Join(dir, filepath.FromSlash(name))
				if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(p, data, 0o600); err != nil {
					t.Fatal(err)
				}
			}
			abs := regexp.MustCompile(`(?m)=(\S+)$`)
			cnf := "[mariadbd]\n" + abs.ReplaceAllString(c.server, "="+dir+"/$1") + "\n"
			s := o.Start(t, cnf)
			defer s.Stop(t)
			if s.Started != c.starts {
				t.Fatalf("MariaDB %s started=%v (exit %d), want %v:\n%s", o.Version, s.Started, s.ExitCode, c.starts, s.Log())
			}
			if !c.starts {
				if !regexp.MustCompile(`refuses to start|TLS does not come up`).MatchString(msg) {
					t.Errorf("%s does not say TLS fails to come up: %s", c.rule.ID, msg)
				}
				return
			}
			args := []string{"--protocol=TCP", "--host=127.0.0.1", "--port=" + strconv.Itoa(s.Port), "--user=root",
				"--ssl-verify-server-cert", "--execute=SELECT 1"}
			if _, group, ok := strings.Cut(string(files["my.cnf"]), "[client]\n"); ok {
				group, _, _ = strings.Cut(group, "[")
				for _, l := range strings.Fields(abs.ReplaceAllString(group, "="+dir+"/$1")) {
					args = append(args, "--"+l)
				}
			} else {
				args = append(args, "--ssl-ca="+filepath.Join(dir, "ca.pem"))
			}
			out, err := s.Client(t, args...)
			if err == nil || !strings.Contains(out, c.says) {
				t.Errorf("mariadb %q: %v: %s; want %q", args, err, out, c.says)
			}
		})
	}
}
