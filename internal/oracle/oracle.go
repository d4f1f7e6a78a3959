// Package oracle starts real MariaDB servers for tests, so that a rule's
// claim about what the server does ("refuses to start", "starts and logs a
// note") is checked against the server rather than against a document.
//
// New bootstraps one data directory per test; Start copies it, runs
// mariadbd on the option file under test with a private socket and a free
// 127.0.0.1 port, and waits (bounded) until the server either exits, which
// is a refusal to start, or greets a client on its port. Every server is
// stopped by its own process ID, never by name. When mariadbd is missing
// the test is skipped, and fails under CI=true, so CI cannot pass without
// the oracle.
//
// A Prober connects real clients to a server (openssl s_client, the
// mariadb CLI, and go-sql-driver/mysql through testdata/oracle's goprobe)
// and reduces what each saw to an Observation. TestSuite replays the
// cases of testdata/oracle/cases (LoadCase) against real servers: each
// server configuration, its probes and their expected observations, kept
// apart so that the negotiation model's predictions can be checked
// against the same cases.
package oracle

import (
	"bytes"
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// Bounded waits: generous for a loaded CI machine, yet a hung server
// cannot hold a test forever.
const (
	bootstrapTimeout = 2 * time.Minute
	startTimeout     = time.Minute
	stopTimeout      = 30 * time.Second
	queryTimeout     = 30 * time.Second
)

// Oracle is a MariaDB installation with a bootstrapped data directory that
// every server started from it copies.
type Oracle struct {
	mariadbd string
	client   string // the mariadb CLI, for Query; "" when absent
	template string // the bootstrapped data directory
	// Version is the server's version, "10.11.19", from mariadbd --version.
	Version string
}

// Binaries live in /usr/sbin on Debian, which is not on every user's PATH.
func lookPath(name string) (string, error) {
	p, err := exec.LookPath(name)
	if err == nil {
		return p, nil
	}
	for _, dir := range []string{"/usr/sbin", "/usr/local/sbin"} {
		if q, err2 := exec.LookPath(filepath.Join(dir, name)); err2 == nil {
			return q, nil
		}
	}
	return "", err
}

// Require skips the test when the program is not installed, and fails it
// under CI=true so that a missing package cannot make CI pass.
func Require(t testing.TB, name, pkg string) string {
	t.Helper()
	p, err := lookPath(name)
	if err != nil {
		msg := fmt.Sprintf("%s not found (apt-get install %s); CI=true makes this a failure", name, pkg)
		if os.Getenv("CI") == "true" {
			t.Fatal(msg)
		} else {
			t.Skip(msg)
		}
	}
	return p
}

var versionRE = regexp.MustCompile(`Ver (\d+\.\d+\.\d+)-MariaDB`)

// New finds mariadbd and bootstraps a data directory, removed when t and
// its subtests are done. Call it once in a parent test and Start servers
// from parallel subtests.
func New(t testing.TB) *Oracle {
	t.Helper()
	o := &Oracle{mariadbd: Require(t, "mariadbd", "mariadb-server-core")}
	installDB := Require(t, "mariadb-install-db", "mariadb-server-core")
	o.client, _ = lookPath("mariadb")

	out, err := exec.Command(o.mariadbd, "--version").CombinedOutput()
	m := versionRE.FindSubmatch(out)
	if err != nil || m == nil {
		t.Fatalf("%s --version: %v: %s", o.mariadbd, err, out)
	}
	o.Version = string(m[1])

	dir, err := os.MkdirTemp("", "tlsvet-oracle-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	o.template = filepath.Join(dir, "data")
	// Each bootstrap and server gets its own tmpdir: concurrent ones
	// sharing /tmp failed now and then with "Could not remove temporary
	// table '/tmp/#sql-temptable-…'" and "ERROR: 1051 Unknown table
	// 'mysql.tmp_user_sys'" (observed with two test packages at once).
	bootTmp := filepath.Join(dir, "tmp")
	if err := os.Mkdir(bootTmp, 0o700); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), bootstrapTimeout)
	defer cancel()
	// --no-defaults keeps /etc/mysql and ~/.my.cnf out. The small InnoDB
	// log (96 MiB by default) makes the copy per server cheap; Start
	// passes the same size so the server does not resize it.
	cmd := exec.CommandContext(ctx, installDB, "--no-defaults", "--datadir="+o.template, "--tmpdir="+bootTmp,
		"--auth-root-authentication-method=normal", "--skip-test-db", "--skip-name-resolve",
		"--innodb-log-file-size="+innodbLog, "--innodb-buffer-pool-size="+innodbPool)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("mariadb-install-db: %v\n%s", err, out)
	}
	return o
}

const innodbLog, innodbPool = "4M", "8M"

// Server is one mariadbd run on an option file.
type Server struct {
	// Started reports that the server greeted a client on its port;
	// otherwise it exited before that with ExitCode.
	Started  bool
	ExitCode int
	// Greeting is the server's handshake when it started: its version and
	// whether it offers TLS.
	Greeting Greeting
	Port     int
	Socket   string
	Dir      string // the server's private directory

	o       *Oracle
	cmd     *exec.Cmd
	done    chan struct{} // closed when the process has been waited for
	stopped bool
}

// Start runs mariadbd on the option file text cnf, with env added to its
// environment (OPENSSL_CONF=…), and waits until it greets a client or
// exits. The server is stopped when t ends.
//
// The option file is mariadbd's only one (--defaults-file); the data
// directory, socket, port, logs and bind-address=127.0.0.1 come after it
// on the command line, so the file cannot override them.
func (o *Oracle) Start(t testing.TB, cnf string, env ...string) *Server {
	t.Helper()
	// Not t.TempDir(): a socket path longer than 107 bytes (the test name
	// is part of TempDir's) stops mariadbd.
	dir, err := os.MkdirTemp("", "tvo")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	cnfPath := filepath.Join(dir, "my.cnf")
	if err := os.WriteFile(cnfPath, []byte(cnf), 0o600); err != nil {
		t.Fatal(err)
	}
	// A port found free can be taken before mariadbd binds it; the server
	// then stops at once with "Bind on TCP/IP port", and a new port is
	// tried.
	for attempt := 0; ; attempt++ {
		s := o.start(t, dir, cnfPath, env)
		if s.Started || attempt == 2 || !strings.Contains(s.Log(), "Bind on TCP/IP port") {
			return s
		}
	}
}

func (o *Oracle) start(t testing.TB, dir, cnfPath string, env []string) *Server {
	t.Helper()
	data := filepath.Join(dir, "data")
	if err := os.RemoveAll(data); err != nil {
		t.Fatal(err)
	}
	if err := os.CopyFS(data, os.DirFS(o.template)); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{"error.log", "stderr.log"} {
		os.Remove(filepath.Join(dir, f))
	}
	tmp := filepath.Join(dir, "tmp")
	if err := os.MkdirAll(tmp, 0o700); err != nil {
		t.Fatal(err)
	}
	s := &Server{o: o, Dir: dir, Socket: filepath.Join(dir, "s.sock"), Port: freePort(t), ExitCode: -1}
	args := []string{
		"--defaults-file=" + cnfPath, // must come first
		"--datadir=" + data,
		"--tmpdir=" + tmp,
		"--socket=" + s.Socket,
		"--port=" + strconv.Itoa(s.Port),
		"--bind-address=127.0.0.1",
		"--log-error=" + filepath.Join(dir, "error.log"),
		"--pid-file=" + filepath.Join(dir, "mariadbd.pid"),
		"--skip-name-resolve",
		"--innodb-log-file-size=" + innodbLog,
		"--innodb-buffer-pool-size=" + innodbPool,
	}
	if os.Geteuid() == 0 {
		// mariadbd refuses to run as root without it.
		args = append(args, "--user=root")
	}
	stderr, err := os.Create(filepath.Join(dir, "stderr.log"))
	if err != nil {
		t.Fatal(err)
	}
	defer stderr.Close()
	s.cmd = exec.Command(o.mariadbd, args...)
	s.cmd.Env = append(environ(), env...)
	// Option errors and early notes go to stderr before the error log is
	// opened.
	s.cmd.Stdout, s.cmd.Stderr = stderr, stderr
	dieWithParent(s.cmd)
	if err := s.cmd.Start(); err != nil {
		t.Fatalf("start mariadbd: %v", err)
	}
	s.done = make(chan struct{})
	go func() {
		// This process is the parent and reaps the server: no zombie
		// looks alive to a later check.
		s.cmd.Wait()
		close(s.done)
	}()
	t.Cleanup(func() { s.Stop(t) })

	// Ready means this server said so in its own error log and then
	// greets on its port: a greeting alone could come from another
	// process that took the port after this server failed to bind it.
	deadline := time.Now().Add(startTimeout)
	for {
		select {
		case <-s.done:
			s.ExitCode = s.cmd.ProcessState.ExitCode()
			return s
		case <-time.After(20 * time.Millisecond):
		}
		log, _ := os.ReadFile(filepath.Join(dir, "error.log"))
		if bytes.Contains(log, []byte("ready for connections")) {
			if g, err := greet(s.Port); err == nil {
				s.Started, s.Greeting = true, g
				return s
			}
		}
		if time.Now().After(deadline) {
			s.Stop(t)
			t.Fatalf("mariadbd neither exited nor accepted connections within %v:\n%s", startTimeout, s.Log())
		}
	}
}

// environ is this process's environment without the variables that
// MariaDB programs read as defaults (MYSQL_HOST, MYSQL_PWD,
// MYSQL_UNIX_PORT…), which would send a client to another server or
// log it in with another password; CI machines often set them.
func environ() []string {
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "MYSQL_") && !strings.HasPrefix(kv, "MARIADB_") {
			env = append(env, kv)
		}
	}
	return env
}

// freePort asks the kernel for a free port on 127.0.0.1.
func freePort(t testing.TB) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// Log is what the server wrote to stderr and to its error log.
func (s *Server) Log() string {
	var b bytes.Buffer
	for _, f := range []string{"stderr.log", "error.log"} {
		data, _ := os.ReadFile(filepath.Join(s.Dir, f))
		b.Write(data)
	}
	return b.String()
}

// Stop ends the server by its process ID: SIGTERM, then SIGKILL after a
// bounded wait. It is safe to call more than once.
func (s *Server) Stop(t testing.TB) {
	t.Helper()
	if s.stopped || s.cmd == nil {
		return
	}
	s.stopped = true
	select {
	case <-s.done:
		return
	default:
	}
	s.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-s.done:
	case <-time.After(stopTimeout):
		s.cmd.Process.Kill()
		<-s.done
		t.Errorf("mariadbd (pid %d) did not stop within %v and was killed", s.cmd.Process.Pid, stopTimeout)
	}
}

// Client runs the mariadb CLI with --no-defaults and args against this
// server (the test names the socket or 127.0.0.1 and the port) and returns
// what it printed to stdout and stderr.
func (s *Server) Client(t testing.TB, args ...string) (string, error) {
	t.Helper()
	return s.run(t, append([]string{"--no-defaults"}, args...))
}

// run runs the mariadb CLI with args, the option-file option first.
func (s *Server) run(t testing.TB, args []string) (string, error) {
	t.Helper()
	if !s.Started {
		t.Fatalf("mariadb %q: the server did not start:\n%s", args, s.Log())
	}
	if s.o.client == "" {
		Require(t, "mariadb", "mariadb-client-core")
	}
	ctx, cancel := context.WithTimeout(context.Background(), queryTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, s.o.client, args...)
	cmd.Env = environ()
	out, err := cmd.CombinedOutput()
	return string(out), err
}

// ClientFile runs the mariadb CLI like Client, but with the option file
// text cnf as its only one (--defaults-file), to see how the client reads
// it.
func (s *Server) ClientFile(t testing.TB, cnf string, args ...string) (string, error) {
	t.Helper()
	f, err := os.CreateTemp(s.Dir, "client*.cnf")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := f.WriteString(cnf); err != nil {
		t.Fatal(err)
	}
	return s.run(t, append([]string{"--defaults-file=" + f.Name()}, args...))
}

// Query runs one SQL statement as root over the server's socket, without
// TLS (the 10.11 client would otherwise try TLS even there), and returns
// the tab-separated result rows.
func (s *Server) Query(t testing.TB, sql string) string {
	t.Helper()
	out, err := s.Client(t, "--skip-ssl", "--socket="+s.Socket, "--user=root", "--batch",
		"--skip-column-names", "--execute="+sql)
	if err != nil {
		t.Fatalf("query %q: %v: %s", sql, err, out)
	}
	return strings.TrimSuffix(out, "\n")
}

// Greeting is what the server says first on a new connection (the
// protocol's initial handshake packet).
type Greeting struct {
	Version string // as sent: "5.5.5-10.11.19-MariaDB-…" for MariaDB
	TLS     bool   // CLIENT_SSL: the server offers TLS
}

// clientSSL is the capability flag of a server that offers TLS.
// https://mariadb.com/docs/server/reference/clientserver-protocol/1-connecting/connection
const clientSSL = 0x0800

// greet connects to 127.0.0.1:port and reads the server's greeting.
func greet(port int) (Greeting, error) {
	c, err := dial(port)
	if err != nil {
		return Greeting{}, err
	}
	defer c.Close()
	return readGreeting(c)
}

func dial(port int) (net.Conn, error) {
	c, err := net.DialTimeout("tcp", net.JoinHostPort("127.0.0.1", strconv.Itoa(port)), time.Second)
	if err != nil {
		return nil, err
	}
	c.SetDeadline(time.Now().Add(5 * time.Second))
	return c, nil
}

// readGreeting reads the initial handshake: protocol version 10, the
// server version (NUL-terminated), a 4-byte connection id, 8 bytes of
// scramble, a filler byte, then the lower two bytes of the capability
// flags.
func readGreeting(c net.Conn) (Greeting, error) {
	var hdr [4]byte
	if _, err := io.ReadFull(c, hdr[:]); err != nil {
		return Greeting{}, err
	}
	n := int(hdr[0]) | int(hdr[1])<<8 | int(hdr[2])<<16
	body := make([]byte, n)
	if _, err := io.ReadFull(c, body); err != nil {
		return Greeting{}, err
	}
	if n == 0 || body[0] != 10 {
		// 0xff is an error packet, e.g. "Host is blocked".
		return Greeting{}, fmt.Errorf("not a handshake packet: % x", body)
	}
	v, rest, ok := bytes.Cut(body[1:], []byte{0})
	if !ok || len(rest) < 4+8+1+2 {
		return Greeting{}, errors.New("short handshake packet")
	}
	caps := int(rest[13]) | int(rest[14])<<8
	return Greeting{Version: string(v), TLS: caps&clientSSL != 0}, nil
}

// Handshake connects to the server's port, asks for TLS as a client does
// (an SSLRequest packet after the greeting) and runs the TLS handshake
// with cfg: which protocol and cipher a client gets, or the alert it is
// refused with.
func (s *Server) Handshake(cfg *tls.Config) (tls.ConnectionState, error) {
	c, err := dial(s.Port)
	if err != nil {
		return tls.ConnectionState{}, err
	}
	defer c.Close()
	g, err := readGreeting(c)
	if err != nil {
		return tls.ConnectionState{}, err
	}
	if !g.TLS {
		return tls.ConnectionState{}, errors.New("the server does not offer TLS")
	}
	// SSLRequest, sequence 1: capabilities (CLIENT_LONG_PASSWORD,
	// CLIENT_PROTOCOL_41, CLIENT_SSL, CLIENT_SECURE_CONNECTION), the
	// maximum packet size, a character set and 23 bytes of filler.
	// https://mariadb.com/docs/server/reference/clientserver-protocol/1-connecting/connection
	req := make([]byte, 4+32)
	req[0], req[3] = 32, 1
	caps := uint32(0x1 | 0x200 | clientSSL | 0x8000)
	req[4], req[5], req[6], req[7] = byte(caps), byte(caps>>8), byte(caps>>16), byte(caps>>24)
	req[11] = 1  // 16 MiB maximum packet
	req[12] = 45 // utf8mb4_general_ci
	if _, err := c.Write(req); err != nil {
		return tls.ConnectionState{}, err
	}
	tc := tls.Client(c, cfg)
	if err := tc.Handshake(); err != nil {
		return tls.ConnectionState{}, err
	}
	return tc.ConnectionState(), nil
}
