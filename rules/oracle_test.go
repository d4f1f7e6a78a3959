package rules_test

import (
	"crypto/tls"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/tlsvet/tlsvet/internal/fix"
	"github.com/tlsvet/tlsvet/internal/lint"
	"github.com/tlsvet/tlsvet/internal/linttest"
	"github.com/tlsvet/tlsvet/internal/oracle"
	"github.com/tlsvet/tlsvet/rules"
)

// mariadbClaim is one option file whose effect on a real MariaDB server a
// rule states: the server is started on it, and tlsvet, told the server's
// version, must say what the server did.
type mariadbClaim struct {
	name string
	// cnf is the [mariadbd] group after the TLS material; {ca}, {cert},
	// {key} and {both} (certificate and key in one file) name the test PKI.
	cnf    string
	noPKI  bool // cnf alone: no ssl-ca, ssl-cert and ssl-key before it
	starts bool
	logs   []string // lines the server must log (stderr or error log)
	// query, when the server starts, must return value: the setting was
	// applied.
	query, value string
	// check makes further observations of a started server.
	check func(t *testing.T, s *oracle.Server, certs oracle.Certs)

	// rule is the rule whose claim is checked; "" accepts any rule's.
	rule string
	// absentOK: the rule may stay silent (a name the server accepts).
	absentOK bool
	// sev is the finding's severity when the server refuses to start;
	// atMost, when set, bounds it when the server starts.
	sev, atMost lint.Severity
	// says is a regexp the finding's message must match.
	says string
}

// refusal is how a message says the server does not start, and starts how
// it says the opposite; bounded is how it limits such a claim to some
// versions or a condition the file cannot show.
var (
	refusal = regexp.MustCompile(`refuses to start|does not start|stops|exits?\b`)
	starts  = regexp.MustCompile(`\bstarts\b`)
	bounded = regexp.MustCompile(`\b(before|until|unless)\b`)
	quoted  = regexp.MustCompile(`"([^"]+)"`)
)

// The claims observed here were first seen on MariaDB 10.11.19 (Debian 12's
// mariadb-server-core). The server's own version is the target tlsvet
// judges for, so the test stays honest when that package moves on.
var mariadbClaims = []mariadbClaim{
	{
		// A unique prefix is applied, with a note (my_getopt.c,
		// "Using unique option prefix"), since MariaDB kept prefixes that
		// MySQL 5.7 dropped.
		name:   "TV002 unique prefix",
		cnf:    "ssl-ciph=ECDHE-RSA-AES128-GCM-SHA256",
		starts: true,
		logs:   []string{"[Note] Using unique option prefix 'ssl-ciph' is error-prone"},
		query:  "SELECT @@ssl_cipher", value: "ECDHE-RSA-AES128-GCM-SHA256",
		rule: "TV002", atMost: lint.Warning, says: `accepts it`,
	},
	{
		name:   "TV002 ambiguous prefix",
		cnf:    "ssl-c=foo",
		starts: false,
		logs:   []string{"ambiguous option '--ssl-c=foo'"},
		rule:   "TV002", sev: lint.Error,
	},
	{
		// Option names match case-insensitively since MDEV-27126.
		name:   "TV002 wrong case",
		cnf:    "SSL_CIPHER=ECDHE-RSA-AES128-GCM-SHA256",
		starts: true,
		query:  "SELECT @@ssl_cipher", value: "ECDHE-RSA-AES128-GCM-SHA256",
		rule: "TV002", absentOK: true, atMost: lint.Warning,
	},
	{
		name:   "TV105 MySQL's spelling TLSv1",
		cnf:    "tls_version=TLSv1",
		starts: false,
		logs:   []string{"Error while setting value 'TLSv1' to 'tls_version'"},
		rule:   "TV105", sev: lint.Error,
	},
	{
		name:   "TV105 unknown protocol",
		cnf:    "tls_version=TLSv1.4",
		starts: false,
		logs:   []string{"Error while setting value 'TLSv1.4' to 'tls_version'"},
		rule:   "TV105", sev: lint.Error,
	},
	{
		name:   "TV107 space after the comma",
		cnf:    "tls_version=TLSv1.2, TLSv1.3",
		starts: false,
		logs:   []string{"Error while setting value 'TLSv1.2, TLSv1.3' to 'tls_version'"},
		rule:   "TV107", sev: lint.Error,
	},
	{
		name:   "TV202 RC4 only",
		cnf:    "ssl_cipher=RC4-SHA",
		starts: false,
		logs:   []string{"[ERROR] SSL error: Failed to set ciphers to use"},
		rule:   "TV202", sev: lint.Error,
	},
	{
		name:   "TV202 3DES only",
		cnf:    "ssl_cipher=DES-CBC3-SHA",
		starts: false,
		logs:   []string{"[ERROR] SSL error: Failed to set ciphers to use"},
		rule:   "TV202", sev: lint.Error,
	},
	{
		name:   "TV106 one protocol unknown",
		cnf:    "tls_version=TLSv1.2,TLSv9",
		starts: false,
		logs:   []string{"Error while setting value 'TLSv1.2,TLSv9' to 'tls_version'"},
		rule:   "TV106", sev: lint.Error,
	},
	{
		name:   "TV008 semicolon after a protocol list",
		cnf:    "tls_version=TLSv1.2,TLSv1.3 ; no old protocols",
		starts: false,
		logs:   []string{"Error while setting value 'TLSv1.2,TLSv1.3 ; no old protocols' to 'tls_version'"},
		rule:   "TV008", sev: lint.Error,
	},
	{
		name:   "TV006 not a boolean",
		cnf:    "require_secure_transport=yes",
		starts: true,
		logs:   []string{"[Warning] option 'require_secure_transport': boolean value 'yes' wasn't recognized. Set to OFF."},
		query:  "SELECT @@require_secure_transport", value: "0",
		check: plaintextLogin(true),
		rule:  "TV006", says: "warn and set it OFF",
	},
	{
		name:   "TV102 empty tls_version",
		cnf:    "tls_version=",
		starts: true,
		query:  "SELECT @@tls_version", value: "",
		check: protocols(tls.VersionTLS12, tls.VersionTLS13),
		rule:  "TV102", says: "keeps its default protocols",
	},
	{
		name:   "TV103 TLSv1.0 and TLSv1.1",
		cnf:    "tls_version=TLSv1.0,TLSv1.1",
		starts: true,
		logs:   []string{"[Warning] TLSv1.0 and TLSv1.1 are insecure and should not be used for tls_version"},
		query:  "SELECT @@tls_version", value: "TLSv1.0,TLSv1.1",
		rule: "TV103",
	},
	{
		name:   "TV201 restricted cipher beside a usable one",
		cnf:    "ssl_cipher=RC4-SHA:ECDHE-RSA-AES256-GCM-SHA384",
		starts: true,
		query:  "SELECT @@have_ssl", value: "YES",
		check: suites(tls.TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384, tls.TLS_RSA_WITH_RC4_128_SHA),
		rule:  "TV201", says: "if its OpenSSL offers it",
	},
	{
		name:   "TV202 unknown cipher only",
		cnf:    "ssl_cipher=NO-SUCH-CIPHER",
		starts: false,
		logs:   []string{"[ERROR] SSL error: Failed to set ciphers to use"},
		rule:   "TV202", sev: lint.Error,
	},
	{
		name:   "TV603 require_secure_transport without TLS options",
		cnf:    "require_secure_transport=ON",
		noPKI:  true,
		starts: true,
		query:  "SELECT @@have_ssl, @@require_secure_transport", value: "DISABLED\t1",
		check: plaintextLogin(false),
		rule:  "TV603", says: "have_ssl=DISABLED.*MariaDB 10.11 answers ERROR 1045",
	},
	{
		// Any TLS option (ssl, ssl-ca, ssl-cipher) without ssl-cert and
		// ssl-key makes 10.11 set up TLS without a certificate, which
		// fails, so have_ssl=DISABLED is not what happens here (observed on
		// 10.11.19).
		name:   "TV605 only a CA, with require_secure_transport",
		cnf:    "ssl-ca={ca}\nrequire_secure_transport=ON",
		noPKI:  true,
		starts: false,
		logs:   []string{"[ERROR] SSL error: Private key does not match the certificate public key", "[ERROR] Aborting"},
		rule:   "TV605", sev: lint.Error,
	},
	{
		name:   "TV605 cipher list without a certificate",
		cnf:    "ssl-cipher=ECDHE-RSA-AES256-GCM-SHA384",
		noPKI:  true,
		starts: false,
		logs:   []string{"[ERROR] SSL error: Private key does not match the certificate public key"},
		rule:   "TV605", sev: lint.Error, says: "Private key does not match the certificate public key",
	},
	{
		name:   "TV605 bare ssl without a certificate",
		cnf:    "ssl",
		noPKI:  true,
		starts: false,
		logs:   []string{"[ERROR] SSL error: Private key does not match the certificate public key"},
		rule:   "TV605", sev: lint.Error,
	},
	{
		// Not an option that sets TLS up on the server: TV605 stays silent.
		name:   "tls_version alone starts without TLS",
		cnf:    "tls_version=TLSv1.2,TLSv1.3",
		noPKI:  true,
		starts: true,
		query:  "SELECT @@have_ssl", value: "DISABLED",
		absentOK: true,
	},
	{
		// The key is read from the certificate's file (vio/viosslfactories.c).
		name:   "TV604 certificate without key",
		cnf:    "ssl-cert={cert}",
		noPKI:  true,
		starts: false,
		logs:   []string{"Unable to get private key from '{cert}'", "[ERROR] Failed to setup SSL"},
		rule:   "TV604", sev: lint.Warning, says: "same file",
	},
	{
		name:   "TV604 key without certificate",
		cnf:    "ssl-key={key}",
		noPKI:  true,
		starts: false,
		logs:   []string{"Unable to get certificate from '{key}'", "[ERROR] Failed to setup SSL"},
		rule:   "TV604", sev: lint.Warning, says: "same file",
	},
	{
		// The condition TV604 states: a file holding both is enough.
		name:   "TV604 certificate file holding the key",
		cnf:    "ssl-cert={both}",
		noPKI:  true,
		starts: true,
		query:  "SELECT @@have_ssl", value: "YES",
		rule: "TV604", says: "same file",
	},
}

// TestMariaDBClaims starts MariaDB on each option file and checks that
// tlsvet's finding says what the server did: a refusal to start is an
// error (or the stated warning) and says so, quoting only what the server
// logs; a file the server starts with gets no unbounded claim that it
// refuses to start (and, where the case says, at most a warning). A fix
// tlsvet offers must give a file the server starts with.
func TestMariaDBClaims(t *testing.T) {
	t.Parallel()
	o := oracle.New(t)
	certs := oracle.WriteCerts(t, t.TempDir())
	expand := strings.NewReplacer("{ca}", certs.CA, "{cert}", certs.Cert, "{key}", certs.Key, "{both}", certs.Both).Replace
	for _, c := range mariadbClaims {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			cnf := "[mariadbd]\n"
			if !c.noPKI {
				cnf += "ssl-ca=" + certs.CA + "\nssl-cert=" + certs.Cert + "\nssl-key=" + certs.Key + "\n"
			}
			cnf += expand(c.cnf) + "\n"

			s := o.Start(t, cnf)
			log := s.Log()
			if s.Started != c.starts {
				t.Fatalf("MariaDB %s started=%v (exit %d), want %v:\n%s", o.Version, s.Started, s.ExitCode, c.starts, log)
			}
			for _, l := range c.logs {
				if !strings.Contains(log, expand(l)) {
					t.Errorf("the server did not log %q:\n%s", expand(l), log)
				}
			}
			if c.query != "" {
				if got := s.Query(t, c.query); got != c.value {
					t.Errorf("%s = %q, want %q", c.query, got, c.value)
				}
			}
			if c.check != nil {
				c.check(t, s, certs)
			}
			s.Stop(t)

			ds := tlsvet(t, o.Version, cnf)
			checkClaim(t, c, ds, log)
			checkFixStarts(t, o, cnf, ds)
		})
	}
}

// mariadbClientClaims are option files for MariaDB's client: the claim
// is about what the mariadb CLI does with the [mariadb-client] group, which
// only MariaDB clients read. query is run by that client over TCP with
// TLSv1.2, so a cipher setting it applies shows in Ssl_cipher (with
// TLSv1.3 it would not: ssl-cipher names only TLSv1.2 ciphers here).
var mariadbClientClaims = []mariadbClaim{
	{
		name:   "TV002 unique prefix",
		cnf:    "ssl-ciph=ECDHE-RSA-AES128-GCM-SHA256",
		starts: true,
		logs:   []string{"Using unique option prefix 'ssl-ciph' is error-prone"},
		query:  "SHOW SESSION STATUS LIKE 'Ssl_cipher'", value: "Ssl_cipher\tECDHE-RSA-AES128-GCM-SHA256",
		rule: "TV002", atMost: lint.Warning,
	},
	{
		name:   "TV002 ambiguous prefix",
		cnf:    "ssl-c=foo",
		starts: false,
		logs:   []string{"ambiguous option '--ssl-c=foo'"},
		rule:   "TV002", sev: lint.Error,
	},
	{
		name:   "TV002 wrong case",
		cnf:    "SSL_CIPHER=ECDHE-RSA-AES128-GCM-SHA256",
		starts: true,
		query:  "SHOW SESSION STATUS LIKE 'Ssl_cipher'", value: "Ssl_cipher\tECDHE-RSA-AES128-GCM-SHA256",
		rule: "TV002", absentOK: true, atMost: lint.Warning,
	},
}

// TestMariaDBClientClaims runs the mariadb CLI on each [mariadb-client]
// file against a running server and checks tlsvet's claim as
// TestMariaDBClaims does: the client either runs the query or exits.
func TestMariaDBClientClaims(t *testing.T) {
	t.Parallel()
	o := oracle.New(t)
	certs := oracle.WriteCerts(t, t.TempDir())
	s := o.Start(t, "[mariadbd]\nssl-ca="+certs.CA+"\nssl-cert="+certs.Cert+"\nssl-key="+certs.Key+"\n")
	if !s.Started {
		t.Fatalf("the server did not start:\n%s", s.Log())
	}
	for _, c := range mariadbClientClaims {
		t.Run(c.name, func(t *testing.T) {
			cnf := "[mariadb-client]\n" + c.cnf + "\n"
			query := c.query
			if query == "" {
				query = "SELECT 1"
			}
			out, err := s.ClientFile(t, cnf, "--protocol=TCP", "--host=127.0.0.1", "--port="+strconv.Itoa(s.Port),
				"--user=root", "--ssl-ca="+certs.CA, "--tls-version=TLSv1.2", "--batch", "--execute="+query)
			if (err == nil) != c.starts {
				t.Fatalf("mariadb %s: %v, want it to run=%v:\n%s", o.Version, err, c.starts, out)
			}
			for _, l := range c.logs {
				if !strings.Contains(out, l) {
					t.Errorf("the client did not print %q:\n%s", l, out)
				}
			}
			if c.query != "" && !strings.Contains(out, c.value) {
				t.Errorf("%s printed %q, want %q", c.query, out, c.value)
			}
			checkClaim(t, c, tlsvet(t, o.Version, cnf), out)
		})
	}
}

// tlsvet runs every rule on cnf as my.cnf, for a MariaDB server of the
// given version.
func tlsvet(t *testing.T, version, cnf string) []lint.Diagnostic {
	t.Helper()
	archive := fmt.Sprintf("-- .tlsvet.toml --\ntarget = [\"mariadb-%s\"]\n-- my.cnf --\n%s", version, cnf)
	return linttest.Check(t, []byte(archive), rules.All).Diagnostics
}

// checkClaim judges every finding against what the program did (out is
// what it logged or printed) and the case's finding against its claim. A
// quoted text of more than one word in a message is taken to be the
// program's own words, so it must be in out ("…" stands for anything).
func checkClaim(t *testing.T, c mariadbClaim, ds []lint.Diagnostic, out string) {
	t.Helper()
	var found *lint.Diagnostic
	for i := range ds {
		d := &ds[i]
		switch {
		case bounded.MatchString(d.Message):
		case c.starts && refusal.MatchString(d.Message):
			t.Errorf("%s says the program does not start, but it does: %s", d.RuleID, d.Message)
		case !c.starts && starts.MatchString(d.Message):
			t.Errorf("%s says the program starts, but it does not: %s", d.RuleID, d.Message)
		}
		if found == nil && (d.RuleID == c.rule || c.rule == "" && d.Severity == c.sev) {
			found = d
		}
		if c.starts && bounded.MatchString(d.Message) {
			continue // it quotes what the server logs under the condition stated
		}
		for _, q := range quoted.FindAllStringSubmatch(d.Message, -1) {
			if len(strings.Fields(q[1])) > 1 && !logged(out, q[1]) {
				t.Errorf("%s quotes %q, which the program does not print: %s\noutput:\n%s", d.RuleID, q[1], d.Message, out)
			}
		}
	}
	if found == nil {
		if !c.absentOK {
			t.Errorf("no %s finding (%v); got: %s", c.rule, c.sev, messages(ds))
		}
		return
	}
	if c.starts && c.atMost != lint.SeverityDefault && found.Severity > c.atMost {
		t.Errorf("%s is a %v, but the program starts: %s", found.RuleID, found.Severity, found.Message)
	}
	if !c.starts {
		if found.Severity != c.sev {
			t.Errorf("%s is a %v, want %v: %s", found.RuleID, found.Severity, c.sev, found.Message)
		}
		if !refusal.MatchString(found.Message) {
			t.Errorf("%s does not say the program refuses to start: %s", found.RuleID, found.Message)
		}
	}
	if c.says != "" && !regexp.MustCompile(c.says).MatchString(found.Message) {
		t.Errorf("%s does not match %s: %s", found.RuleID, c.says, found.Message)
	}
}

// logged reports whether the log holds text, where "…" in text stands for
// anything on the line.
func logged(log, text string) bool {
	parts := strings.Split(text, "…")
	for i, p := range parts {
		parts[i] = regexp.QuoteMeta(strings.TrimSpace(p))
	}
	return regexp.MustCompile(strings.Join(parts, ".*")).MatchString(log)
}

// checkFixStarts applies every fix tlsvet offers for cnf and starts the
// server on the result: a fix must never leave a file the server refuses.
func checkFixStarts(t *testing.T, o *oracle.Oracle, cnf string, ds []lint.Diagnostic) {
	t.Helper()
	plan := fix.NewPlan(ds)
	for _, ch := range plan.Changes {
		if ch.File.Path != "my.cnf" {
			continue
		}
		s := o.Start(t, string(ch.New))
		if !s.Started {
			t.Errorf("after --fix, MariaDB %s refuses to start (exit %d) on:\n%s\nlog:\n%s", o.Version, s.ExitCode, ch.New, s.Log())
		}
		s.Stop(t)
	}
}

// protocols checks that a client gets exactly the given TLS versions out
// of TLSv1.0 to TLSv1.3.
func protocols(want ...uint16) func(*testing.T, *oracle.Server, oracle.Certs) {
	return func(t *testing.T, s *oracle.Server, certs oracle.Certs) {
		for _, v := range []uint16{tls.VersionTLS10, tls.VersionTLS11, tls.VersionTLS12, tls.VersionTLS13} {
			cfg := certs.TLSConfig(t)
			cfg.MinVersion, cfg.MaxVersion = v, v
			_, err := s.Handshake(cfg)
			if ok := slices.Contains(want, v); ok != (err == nil) {
				t.Errorf("%s: handshake error %v, want it allowed=%v", tls.VersionName(v), err, ok)
			}
		}
	}
}

// suites checks that a TLSv1.2 client offering only the first suite gets
// it, and that the server refuses one offering only any of the others.
func suites(ok uint16, refused ...uint16) func(*testing.T, *oracle.Server, oracle.Certs) {
	return func(t *testing.T, s *oracle.Server, certs oracle.Certs) {
		for _, id := range append([]uint16{ok}, refused...) {
			cfg := certs.TLSConfig(t)
			cfg.MaxVersion, cfg.CipherSuites = tls.VersionTLS12, []uint16{id}
			st, err := s.Handshake(cfg)
			switch {
			case id == ok && (err != nil || st.CipherSuite != id):
				t.Errorf("%s: %v, got %s", tls.CipherSuiteName(id), err, tls.CipherSuiteName(st.CipherSuite))
			case id != ok && (err == nil || !strings.Contains(err.Error(), "remote error")):
				// "remote error": the server refused it, not this client.
				t.Errorf("%s: %v, want the server to refuse it", tls.CipherSuiteName(id), err)
			}
		}
	}
}

// plaintextLogin checks whether root logs in over TCP without TLS; a
// refusal must be MariaDB's ERROR 1045, which is all require_secure_transport
// says to such a client.
func plaintextLogin(ok bool) func(*testing.T, *oracle.Server, oracle.Certs) {
	return func(t *testing.T, s *oracle.Server, _ oracle.Certs) {
		out, err := s.Client(t, "--protocol=TCP", "--host=127.0.0.1", "--port="+strconv.Itoa(s.Port),
			"--skip-ssl", "--user=root", "--execute=SELECT 1")
		if ok && err != nil || !ok && (err == nil || !strings.Contains(out, "ERROR 1045")) {
			t.Errorf("plaintext TCP login: %v: %s, want it to succeed=%v (else ERROR 1045)", err, out, ok)
		}
	}
}

func messages(ds []lint.Diagnostic) string {
	var b strings.Builder
	for _, d := range ds {
		fmt.Fprintf(&b, "\n  %s %v: %s", d.RuleID, d.Severity, d.Message)
	}
	return b.String()
}
