package oracle

import (
	"crypto/tls"
	"net"
	"strconv"
	"strings"
	"testing"
)

// TestServers starts servers in parallel from one bootstrap: each gets its
// own data directory, socket and loopback port, whatever the option file
// under test says, and is gone after Stop.
func TestServers(t *testing.T) {
	o := New(t)
	if !strings.HasPrefix(o.Version, "1") || strings.Count(o.Version, ".") != 2 {
		t.Errorf("Version = %q, want N.N.N", o.Version)
	}
	certs := WriteCerts(t, t.TempDir())

	t.Run("tls", func(t *testing.T) {
		t.Parallel()
		// The file tries to move the server elsewhere; the harness's
		// command-line options come after it and win.
		s := o.Start(t, "[mariadbd]\nport=1\nbind-address=0.0.0.0\nsocket=/nonexistent/s.sock\n"+
			"datadir=/nonexistent\nssl-ca="+certs.CA+"\nssl-cert="+certs.Cert+"\nssl-key="+certs.Key+"\n")
		if !s.Started {
			t.Fatalf("not started (exit %d):\n%s", s.ExitCode, s.Log())
		}
		if !s.Greeting.TLS || !strings.Contains(s.Greeting.Version, o.Version+"-MariaDB") {
			t.Errorf("greeting = %+v, want TLS offered by %s", s.Greeting, o.Version)
		}
		got := s.Query(t, "SELECT @@have_ssl, @@bind_address, @@port, @@socket")
		want := strings.Join([]string{"YES", "127.0.0.1", strconv.Itoa(s.Port), s.Socket}, "\t")
		if got != want {
			t.Errorf("server variables = %q, want %q", got, want)
		}
		// The default protocols of 10.11 are TLSv1.2 and TLSv1.3; the
		// server's certificate verifies against the test CA.
		for _, v := range []uint16{tls.VersionTLS12, tls.VersionTLS13} {
			cfg := certs.TLSConfig(t)
			cfg.MinVersion, cfg.MaxVersion = v, v
			st, err := s.Handshake(cfg)
			if err != nil || st.Version != v {
				t.Errorf("handshake with %s: %v, got %s", tls.VersionName(v), err, tls.VersionName(st.Version))
			}
		}
		cfg := certs.TLSConfig(t)
		cfg.MinVersion, cfg.MaxVersion = tls.VersionTLS11, tls.VersionTLS11
		if _, err := s.Handshake(cfg); err == nil || !strings.Contains(err.Error(), "protocol version") {
			t.Errorf("handshake with TLS 1.1: %v, want the protocol_version alert", err)
		}
		out, err := s.Client(t, "--protocol=TCP", "--host=127.0.0.1", "--port="+strconv.Itoa(s.Port),
			"--ssl-ca="+certs.CA, "--user=root", "--batch", "--skip-column-names",
			"--execute=SELECT variable_value FROM information_schema.session_status WHERE variable_name='Ssl_version'")
		if err != nil || strings.TrimSpace(out) != "TLSv1.3" {
			t.Errorf("mariadb over TCP with the test CA: %v: %q, want TLSv1.3", err, out)
		}
		s.Stop(t)
		if _, err := greet(s.Port); err == nil {
			t.Error("the server still answers after Stop")
		}
		if s.cmd.ProcessState == nil || !s.cmd.ProcessState.Exited() || s.cmd.ProcessState.ExitCode() != 0 {
			t.Errorf("after SIGTERM: %v, want a clean exit", s.cmd.ProcessState)
		}
		s.Stop(t) // a second Stop is harmless
	})
	t.Run("no tls", func(t *testing.T) {
		t.Parallel()
		// TZ reaches the server: extra environment is passed on.
		s := o.Start(t, "[mariadbd]\n", "TZ=ORC-3")
		if !s.Started || s.Greeting.TLS {
			t.Fatalf("started=%v greeting=%+v, want a server without TLS:\n%s", s.Started, s.Greeting, s.Log())
		}
		if _, err := s.Handshake(&tls.Config{InsecureSkipVerify: true}); err == nil {
			t.Error("a TLS handshake succeeded with a server that offers no TLS")
		}
		if got := s.Query(t, "SELECT @@system_time_zone"); got != "ORC" {
			t.Errorf("system_time_zone = %q, want ORC from the TZ given to Start", got)
		}
	})
	t.Run("refused", func(t *testing.T) {
		t.Parallel()
		// Option errors are printed to stderr before the error log opens.
		s := o.Start(t, "[mariadbd]\nno-such-option=1\n")
		if s.Started || s.ExitCode <= 0 {
			t.Fatalf("started=%v exit=%d, want a refusal", s.Started, s.ExitCode)
		}
		if !strings.Contains(s.Log(), "unknown variable 'no-such-option=1'") {
			t.Errorf("log lacks the reason:\n%s", s.Log())
		}
	})
}

// fakeTB records what Require does instead of ending the test.
type fakeTB struct {
	testing.TB
	skipped, failed string
}

func (f *fakeTB) Helper()           {}
func (f *fakeTB) Skip(args ...any)  { f.skipped = args[0].(string) }
func (f *fakeTB) Fatal(args ...any) { f.failed = args[0].(string) }

// TestRequire: a missing program skips the test, and fails it under CI=true.
func TestRequire(t *testing.T) {
	for _, ci := range []string{"", "true"} {
		t.Setenv("CI", ci)
		f := &fakeTB{TB: t}
		Require(f, "tlsvet-no-such-program", "some-package")
		got, other := f.skipped, f.failed
		if ci == "true" {
			got, other = other, got
		}
		if !strings.Contains(got, "apt-get install some-package") || other != "" {
			t.Errorf("CI=%q: skipped %q, failed %q", ci, f.skipped, f.failed)
		}
	}
}

// TestGreet reads the handshake of a fake server, and refuses an error
// packet (a server that says "Host is blocked" has not started for us).
func TestGreet(t *testing.T) {
	for _, tc := range []struct {
		packet []byte
		want   Greeting
		ok     bool
	}{
		{append(append([]byte{10}, "5.5.5-10.11.19-MariaDB\x00"...), 1, 0, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8, 0, 0x00, 0x08),
			Greeting{Version: "5.5.5-10.11.19-MariaDB", TLS: true}, true},
		{append(append([]byte{10}, "8.0.36\x00"...), 1, 0, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8, 0, 0xff, 0xf7),
			Greeting{Version: "8.0.36"}, true},
		{append([]byte{0xff, 0x69, 0x04}, "Host is blocked"...), Greeting{}, false},
		{[]byte{10, '8'}, Greeting{}, false},
	} {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		go func() {
			c, err := l.Accept()
			if err != nil {
				return
			}
			n := len(tc.packet)
			c.Write(append([]byte{byte(n), byte(n >> 8), byte(n >> 16), 0}, tc.packet...))
			c.Close()
		}()
		g, err := greet(l.Addr().(*net.TCPAddr).Port)
		l.Close()
		if (err == nil) != tc.ok || g != tc.want {
			t.Errorf("greet(% x) = %+v, %v; want %+v, ok=%v", tc.packet, g, err, tc.want, tc.ok)
		}
	}
}

// TestEnviron: MYSQL_HOST and the like would send the harness's client to
// another server; they are not passed on, the rest is.
func TestEnviron(t *testing.T) {
	t.Setenv("MYSQL_HOST", "192.0.2.1")
	t.Setenv("MARIADB_PASSWORD", "x")
	t.Setenv("TLSVET_ORACLE_KEEP", "1")
	env := strings.Join(environ(), "\n")
	if strings.Contains(env, "MYSQL_HOST=") || strings.Contains(env, "MARIADB_PASSWORD=") || !strings.Contains(env, "TLSVET_ORACLE_KEEP=1") {
		t.Errorf("environ() = %s", env)
	}
}
