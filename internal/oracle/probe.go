package oracle

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// Observation is what one client saw when it connected: the protocol and
// cipher it agreed on, a plaintext session, or why it failed. The three
// client programs report the same event in different words; the fields
// are normalised so that one expectation (or one prediction of the
// negotiation model) can be compared with any of them.
type Observation struct {
	// Protocol and Cipher as OpenSSL names them ("TLSv1.3",
	// "TLS_AES_256_GCM_SHA384"; TLS 1.0 is "TLSv1"). Both are empty for a
	// plaintext session or a failure.
	Protocol, Cipher string
	// FailureClass is "" when the client connected, else one of the
	// Fail* constants.
	FailureClass string
	// Detail says more about a failure: the alert number for FailAlert
	// ("70"), the server's error number for FailError ("1045"), the
	// client's own reason for FailLocal and FailVerify.
	Detail string
}

// Failure classes, chosen so that the layer that refused is visible: a
// server alert names the server's limits (70: no common protocol version,
// 40: no common cipher, 80: the server's OpenSSL could not do what
// tls_version allowed), a local failure the client's.
const (
	FailNoTLS  = "no-tls"  // the server does not offer TLS, and the client required it
	FailAlert  = "alert"   // the server ended the handshake with a TLS alert
	FailLocal  = "local"   // the client's TLS library gave up on its own
	FailVerify = "verify"  // the server's certificate did not verify
	FailError  = "error"   // the server refused the login with an error packet
	FailOther  = "unknown" // output the probe cannot classify; never expected
)

// String is the observation's one-line form, which ParseObservation reads:
// "TLSv1.3 TLS_AES_256_GCM_SHA384", "plaintext", "alert 70",
// "error 1045", "no-tls", "verify: <reason>", "local: <reason>".
func (o Observation) String() string {
	switch o.FailureClass {
	case "":
		if o.Protocol == "" {
			return "plaintext"
		}
		return o.Protocol + " " + o.Cipher
	case FailNoTLS:
		return FailNoTLS
	case FailAlert, FailError:
		return o.FailureClass + " " + o.Detail
	}
	return o.FailureClass + ": " + o.Detail
}

// ParseObservation reads the form String writes.
func ParseObservation(s string) (Observation, error) {
	s = strings.TrimSpace(s)
	if class, detail, ok := strings.Cut(s, ": "); ok {
		switch class {
		case FailLocal, FailVerify:
			return Observation{FailureClass: class, Detail: detail}, nil
		}
	}
	f := strings.Fields(s)
	switch {
	case s == "plaintext":
		return Observation{}, nil
	case s == FailNoTLS:
		return Observation{FailureClass: FailNoTLS}, nil
	case len(f) == 2 && (f[0] == FailAlert || f[0] == FailError):
		if _, err := strconv.Atoi(f[1]); err != nil {
			return Observation{}, fmt.Errorf("%q: %s needs a number", s, f[0])
		}
		return Observation{FailureClass: f[0], Detail: f[1]}, nil
	case len(f) == 2 && strings.HasPrefix(f[0], "TLSv1"):
		return Observation{Protocol: f[0], Cipher: f[1]}, nil
	}
	return Observation{}, fmt.Errorf("%q is not an observation", s)
}

// Probe is one client connection: which program, with which arguments and
// environment. Args and Env may hold {dir}, the directory of the case's
// files; for GoProbe, Args are goprobe's flags and, last, the DSN's
// parameters (the harness supplies user, address and timeouts).
type Probe struct {
	Program string   // SClient, MariaDB or GoProbe
	Args    []string // the program's arguments beyond the connection itself
	Env     []string // VAR=value added to the client's environment only
}

// Probe programs.
const (
	SClient = "s_client" // openssl s_client -starttls mysql
	MariaDB = "mariadb"  // the mariadb CLI (Connector/C)
	GoProbe = "go"       // go-sql-driver/mysql, through testdata/oracle's goprobe
)

// ParseProbe reads "[VAR=value ...] PROGRAM ARG ...", the form String
// writes.
func ParseProbe(s string) (Probe, error) {
	f := strings.Fields(s)
	var p Probe
	for len(f) > 0 && strings.Contains(f[0], "=") && !strings.HasPrefix(f[0], "-") {
		p.Env, f = append(p.Env, f[0]), f[1:]
	}
	if len(f) == 0 {
		return p, fmt.Errorf("%q names no program", s)
	}
	switch f[0] {
	case SClient, MariaDB, GoProbe:
	default:
		return p, fmt.Errorf("%q: unknown probe program %q", s, f[0])
	}
	p.Program, p.Args = f[0], f[1:]
	if p.Program == GoProbe && len(p.Args) == 0 {
		return p, fmt.Errorf("%q: a go probe ends with the DSN's parameters", s)
	}
	return p, nil
}

func (p Probe) String() string {
	return strings.Join(append(append(append([]string{}, p.Env...), p.Program), p.Args...), " ")
}

// Prober runs probes against one server.
type Prober struct {
	server                    *Server
	dir                       string // replaces {dir} in a probe's arguments and environment
	openssl, mariadb, goprobe string
}

// NewProber finds the client programs (skipping the test without them,
// failing it under CI=true) for probes against s. dir replaces {dir} in a
// probe's arguments and environment; goprobe is BuildGoProbe's program,
// or "" when no go probe is run.
func NewProber(t testing.TB, s *Server, dir, goprobe string) *Prober {
	t.Helper()
	if !s.Started {
		t.Fatalf("no probes against a server that did not start:\n%s", s.Log())
	}
	pr := &Prober{server: s, dir: dir, openssl: Require(t, "openssl", "openssl"), mariadb: s.o.client, goprobe: goprobe}
	if pr.mariadb == "" {
		pr.mariadb = Require(t, "mariadb", "mariadb-client-core")
	}
	return pr
}

// Run runs p and returns what it observed and the program's output. It is
// safe for concurrent use: each probe is its own process and connection.
func (pr *Prober) Run(p Probe) (Observation, string, error) {
	expand := func(ss []string) []string {
		out := make([]string, len(ss))
		for i, s := range ss {
			out[i] = strings.ReplaceAll(s, "{dir}", pr.dir)
		}
		return out
	}
	args, env := expand(p.Args), expand(p.Env)
	port := strconv.Itoa(pr.server.Port)
	var name string
	var classify func(string) Observation
	switch p.Program {
	case SClient:
		// -brief prints the protocol and cipher; the closed stdin ends
		// the session right after the handshake.
		name = pr.openssl
		args = append([]string{"s_client", "-starttls", "mysql", "-connect", "127.0.0.1:" + port, "-brief"}, args...)
		classify = classifySClient
	case MariaDB:
		// --no-defaults: no option file of the host speaks for the probe.
		name = pr.mariadb
		args = append(append([]string{"--no-defaults", "--protocol=TCP", "--host=127.0.0.1", "--port=" + port,
			"--user=root", "--batch", "--skip-column-names"}, args...),
			"--execute=SHOW SESSION STATUS WHERE Variable_name IN ('Ssl_version','Ssl_cipher')")
		classify = classifyMariaDB
	case GoProbe:
		if pr.goprobe == "" || len(args) == 0 {
			return Observation{}, "", fmt.Errorf("probe %s: goprobe not built, or no DSN parameters", p)
		}
		name = pr.goprobe
		last := len(args) - 1
		args = append(args[:last:last], "root@tcp(127.0.0.1:"+port+")/?timeout=5s&readTimeout=5s&"+args[last])
		classify = classifyGo
	default:
		return Observation{}, "", fmt.Errorf("unknown probe program %q", p.Program)
	}
	ctx, cancel := context.WithTimeout(context.Background(), queryTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Env = append(environ(), env...)
	out, _ := cmd.CombinedOutput() // a failed connection is an observation
	if ctx.Err() != nil {
		return Observation{}, string(out), fmt.Errorf("probe %s: no answer within %v", p, queryTimeout)
	}
	return classify(string(out)), string(out), nil
}

// classifySClient reads openssl s_client -brief: "Protocol version: …"
// and "Ciphersuite: …" after a handshake, else an OpenSSL error line
// whose reason says whether the server sent an alert ("… SSL alert number
// 70") or the client refused.
func classifySClient(out string) Observation {
	if strings.Contains(out, "MySQL server does not support SSL") {
		return Observation{FailureClass: FailNoTLS}
	}
	var o Observation
	for _, l := range strings.Split(out, "\n") {
		if v, ok := strings.CutPrefix(l, "Protocol version: "); ok {
			o.Protocol = strings.TrimSpace(v)
		}
		if v, ok := strings.CutPrefix(l, "Ciphersuite: "); ok {
			o.Cipher = strings.TrimSpace(v)
		}
	}
	if o.Protocol != "" {
		return o
	}
	if m := alertNumberRE.FindStringSubmatch(out); m != nil {
		return Observation{FailureClass: FailAlert, Detail: m[1]}
	}
	// error:0A000102:SSL routines:ssl_choose_client_version:unsupported protocol:../ssl/statem/statem_lib.c:1980:
	// (the negotiation model writes the line without the source position,
	// so an alert is also told by its reason).
	if m := opensslErrRE.FindStringSubmatch(out); m != nil {
		if n := alertTexts[m[1]]; n != "" && strings.Contains(m[1], "alert") {
			return Observation{FailureClass: FailAlert, Detail: n}
		}
		return Observation{FailureClass: FailLocal, Detail: m[1]}
	}
	return Observation{FailureClass: FailOther, Detail: firstLine(out)}
}

var (
	alertNumberRE = regexp.MustCompile(`SSL alert number (\d+)`)
	opensslErrRE  = regexp.MustCompile(`error:[0-9A-F]+:[^:]*:[^:]*:([^:\n]+)`)
)

// alertTexts are the names OpenSSL and Go's crypto/tls give the alerts a
// client receives (RFC 8446 §6), by number.
var alertTexts = map[string]string{
	"tlsv1 alert protocol version":   "70",
	"tlsv1 alert internal error":     "80",
	"sslv3 alert handshake failure":  "40",
	"protocol version not supported": "70",
	"internal error":                 "80",
	"handshake failure":              "40",
}

// mariadbVerify are the reasons Connector/C gives for a certificate that
// did not verify (X509_verify_cert_error_string, and its own text for a
// name mismatch).
var mariadbVerify = []string{"certificate", "Validation of SSL server certificate failed", "key too weak", "digest algorithm too weak"}

// classifyMariaDB reads the mariadb CLI's batch output (the two status
// rows; an empty Ssl_version is plaintext) or its ERROR line.
func classifyMariaDB(out string) Observation {
	if m := mariadbErrRE.FindStringSubmatch(out); m != nil {
		if m[1] != "2026" {
			return Observation{FailureClass: FailError, Detail: m[1]}
		}
		reason, _ := strings.CutPrefix(m[2], "TLS/SSL error: ")
		switch {
		case reason == "SSL is required, but the server does not support it":
			return Observation{FailureClass: FailNoTLS}
		case alertTexts[reason] != "" && strings.Contains(reason, "alert"):
			return Observation{FailureClass: FailAlert, Detail: alertTexts[reason]}
		}
		for _, v := range mariadbVerify {
			if strings.Contains(reason, v) {
				return Observation{FailureClass: FailVerify, Detail: reason}
			}
		}
		return Observation{FailureClass: FailLocal, Detail: reason}
	}
	var o Observation
	for _, l := range strings.Split(out, "\n") {
		k, v, _ := strings.Cut(l, "\t")
		switch k {
		case "Ssl_version":
			o.Protocol = v
		case "Ssl_cipher":
			o.Cipher = v
		}
	}
	if !strings.Contains(out, "Ssl_version") {
		return Observation{FailureClass: FailOther, Detail: firstLine(out)}
	}
	return o
}

var mariadbErrRE = regexp.MustCompile(`ERROR (\d+) \([0-9A-Z]+\)(?: at line \d+)?: (.*)`)

// classifyGo reads goprobe's one line: "ok PROTOCOL CIPHER", "ok" for
// plaintext, or "CLASS DETAIL" as goprobe classified the driver's error.
func classifyGo(out string) Observation {
	line := strings.TrimSpace(out)
	class, detail, _ := strings.Cut(line, " ")
	switch class {
	case "ok":
		o := Observation{}
		o.Protocol, o.Cipher, _ = strings.Cut(detail, " ")
		return o
	case FailNoTLS:
		return Observation{FailureClass: FailNoTLS}
	case FailError, FailVerify, FailLocal:
		return Observation{FailureClass: class, Detail: detail}
	case FailAlert:
		if n := alertTexts[detail]; n != "" {
			return Observation{FailureClass: FailAlert, Detail: n}
		}
		return Observation{FailureClass: FailAlert, Detail: detail}
	}
	return Observation{FailureClass: FailOther, Detail: firstLine(out)}
}

func firstLine(s string) string {
	l, _, _ := strings.Cut(strings.TrimSpace(s), "\n")
	return l
}

// BuildGoProbe builds the go-sql-driver/mysql probe from its own module
// (testdata/oracle, so that the product's go.mod does not gain the
// driver) into a temporary directory, once per call. moduleDir is that
// module's directory. Without the go command or the module (offline and
// not in the module cache) the test is skipped, and fails under CI=true.
func BuildGoProbe(t testing.TB, moduleDir string) string {
	t.Helper()
	goCmd := Require(t, "go", "golang")
	dir, err := os.MkdirTemp("", "goprobe")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	bin := filepath.Join(dir, "goprobe")
	ctx, cancel := context.WithTimeout(context.Background(), bootstrapTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, goCmd, "build", "-o", bin, ".")
	cmd.Dir = moduleDir
	cmd.Env = append(environ(), "GOWORK=off")
	if out, err := cmd.CombinedOutput(); err != nil {
		msg := fmt.Sprintf("go build of the go-sql-driver probe in %s: %v\n%s", moduleDir, err, out)
		if os.Getenv("CI") == "true" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	return bin
}
