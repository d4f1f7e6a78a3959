package oracle

import (
	"fmt"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"testing/fstest"
	"time"

	"github.com/tlsvet/tlsvet/internal/facts"
	"github.com/tlsvet/tlsvet/internal/load"
	"github.com/tlsvet/tlsvet/internal/pkitest"
	"github.com/tlsvet/tlsvet/internal/source"
	"github.com/tlsvet/tlsvet/parsers/pki"
	"github.com/tlsvet/tlsvet/rules"
)

// suiteDir holds the oracle suite: the cases and the go-sql-driver
// probe's own module.
const suiteDir = "../../testdata/oracle"

// probeWorkers is how many probes of one server run at once: each is a
// short-lived client process, and two servers run side by side.
const probeWorkers = 4

// TestSuite starts MariaDB on every case's option file and checks that
// the server starts or refuses as the case says, and that every client
// probe observes exactly the expected protocol and cipher or failure.
func TestSuite(t *testing.T) {
	paths, err := filepath.Glob(filepath.Join(suiteDir, "cases", "*.txtar"))
	if err != nil || len(paths) == 0 {
		t.Fatalf("no cases in %s: %v", suiteDir, err)
	}
	var cases []Case
	for _, p := range paths {
		c, err := LoadCase(p)
		if err != nil {
			t.Fatal(err)
		}
		cases = append(cases, c)
	}
	o := New(t)
	Require(t, "openssl", "openssl")
	Require(t, "mariadb", "mariadb-client-core")
	goprobe := BuildGoProbe(t, suiteDir)
	if !aesGCMHardware() {
		t.Fatal("this CPU has no AES-GCM instructions as Go's crypto/tls counts them, so Go clients put ChaCha20-Poly1305 " +
			"first and the go probes' expected ciphers (AES-GCM) do not apply here")
	}

	m := &models{server: facts.Exact(facts.MariaDB, mustVersion(t, o.Version)), client: mariadbClientVersion(t, o),
		cannot: map[string]int{}}
	begin := time.Now()
	var configs, probes, agree atomic.Int64
	t.Run("cases", func(t *testing.T) {
		for _, c := range cases {
			t.Run(c.Name, func(t *testing.T) {
				t.Parallel()
				configs.Add(1)
				n, ok := runCase(t, o, c, goprobe, m)
				probes.Add(int64(n))
				agree.Add(int64(ok))
			})
		}
	})
	summary := fmt.Sprintf("oracle suite: %d configurations, %d probes, %d agree with the expectations; "+
		"the negotiation model: %d predicted, %d agree (%d of them a certificate the client rejects), %d cannot tell (%s); refusals to start: %d of %d predicted (MariaDB %s, client %s, %v)",
		configs.Load(), probes.Load(), agree.Load(), m.predicted, m.agree, m.verifyFailed, m.cannotTell(), strings.Join(m.reasons(), "; "),
		m.downPredicted, m.down, o.Version, m.client, time.Since(begin).Round(100*time.Millisecond))
	t.Log(summary)
	fmt.Println(summary)
	slices.Sort(m.notDown)
	for _, d := range m.notDown {
		t.Log("not predicted: " + d)
		fmt.Println("  not predicted: " + d)
	}
	if probes.Load() != agree.Load() {
		t.Errorf("%d probes disagree with the expectations", probes.Load()-agree.Load())
	}
	if m.predicted != m.agree {
		t.Errorf("%d of the model's predictions disagree with the real server", m.predicted-m.agree)
	}
}

// models compares the negotiation model's predictions with what the real
// server did, case by case, from parallel subtests.
type models struct {
	server, client facts.Target // the started server's and the mariadb CLI's versions

	mu               sync.Mutex
	predicted, agree int
	verifyFailed     int            // agree: predicted and observed a certificate the client rejects
	cannot           map[string]int // reason → probes
	// down counts the servers that refused to start, downPredicted those
	// the model predicted; notDown says what it said of the others.
	down, downPredicted int
	notDown             []string
}

func (m *models) cannotTell() int {
	n := 0
	for _, k := range m.cannot {
		n += k
	}
	return n
}

// reasons are the reasons the model could not tell, the most frequent first.
func (m *models) reasons() []string {
	keys := slices.Collect(maps.Keys(m.cannot))
	slices.SortFunc(keys, func(a, b string) int {
		if m.cannot[a] != m.cannot[b] {
			return m.cannot[b] - m.cannot[a]
		}
		return strings.Compare(a, b)
	})
	out := make([]string, len(keys))
	for i, k := range keys {
		out[i] = fmt.Sprintf("%d× %s", m.cannot[k], k)
	}
	return out
}

func mustVersion(t *testing.T, v string) facts.Version {
	t.Helper()
	tg, err := facts.ParseVersion(v)
	if err != nil || !tg.VersionKnown() {
		t.Fatalf("MariaDB version %q: %v", v, err)
	}
	return tg.Min
}

// mariadbClientVersion is the mariadb CLI's release, from "mariadb Ver 15.1
// Distrib 10.11.19-MariaDB, …".
func mariadbClientVersion(t *testing.T, o *Oracle) facts.Target {
	t.Helper()
	out, err := exec.Command(o.client, "--version").CombinedOutput()
	m := regexp.MustCompile(`Distrib (\d+\.\d+\.\d+)-MariaDB`).FindSubmatch(out)
	if err != nil || m == nil {
		t.Fatalf("%s --version: %v: %s", o.client, err, out)
	}
	return facts.Exact(facts.MariaDB, mustVersion(t, string(m[1])))
}

// serverSide loads the case's option file as tlsvet does, for the version
// the oracle started (the files beside it, {dir} removed, so that tlsvet
// resolves the certificate paths to them), and describes the server for
// the negotiation model; the server host's policy is the case's
// OPENSSL_CONF. sent is the certificate chain the server sends (none when
// it has no certificate file).
func (m *models) serverSide(files map[string][]byte, env []string) (fs facts.Server, sent []*pki.Cert, err error) {
	fsys := fstest.MapFS{}
	for name, data := range files {
		fsys[name] = &fstest.MapFile{Data: []byte(strings.ReplaceAll(string(data), "{dir}", ""))}
	}
	p, err := load.Load(load.Options{FS: fsys, Paths: []string{"my.cnf"}, Targets: []facts.Target{m.server}, TargetBy: "--target"})
	if err != nil {
		return fs, nil, err
	}
	if len(p.Servers) != 1 {
		return fs, nil, fmt.Errorf("my.cnf makes %d servers, want 1", len(p.Servers))
	}
	s := p.Servers[0]
	fs = rules.ServerSide(p, s)
	fs.OpenSSL, err = HostPolicy(env, files)
	file := func(name string) []*pki.Cert {
		if f := s.Settings.Get(name); f != nil && f.HasValue {
			return certsOf(f.Value, files[f.Value])
		}
		return nil
	}
	return fs, pki.ServerChain(file("ssl_cert"), file("ssl_ca")), err
}

// startPredicted checks the model's word on whether the case's server
// starts: it says so (ServerDown) for every client alike, so one client
// asks. A refusal it does not predict is listed with what it said instead.
func (m *models) startPredicted(t *testing.T, name string, fs facts.Server, starts bool) {
	o := facts.Negotiate(fs, facts.Client{Family: facts.ClientOpenSSL, Host: "127.0.0.1"})
	down := o.Class == facts.ServerDown
	if down && starts {
		t.Errorf("the model predicts the server does not start (%s), and it started", o.Why)
	}
	if starts {
		return
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	m.down++
	if down {
		m.downPredicted++
		return
	}
	m.notDown = append(m.notDown, fmt.Sprintf("%s: the server refused to start; the model says %s (%s)", name, o.Class, o.Why))
}

// predict compares the model's prediction for probe p with what it
// observed; it reports a disagreement as an error. sent is the chain the
// server sends.
func (m *models) predict(t *testing.T, fs facts.Server, sent []*pki.Cert, files map[string][]byte, p Probe, got Observation) {
	c, err := ProbeClient(p, m.client, files)
	if err != nil {
		t.Error(err)
		return
	}
	if ca, name, checks := ProbeTrust(p); checks && len(sent) > 0 {
		// The system store holds no certificate of the test's own PKI.
		var roots []*pki.Cert
		if ca != "" {
			roots = certsOf(ca, files[ca])
		}
		k := pki.Check(sent, roots, true, name, c.Family == facts.ClientGo, time.Now())
		c.Cert = &k
	}
	o := facts.Negotiate(fs, c)
	pr := Predict(c, o)
	m.mu.Lock()
	defer m.mu.Unlock()
	if pr.Why != "" {
		m.cannot[pr.Why]++
		return
	}
	m.predicted++
	if !pr.Matches(got) {
		t.Errorf("%s\n  observed  %s\n  predicted %s (the model: %s)\n  %s", p, got, pr.Want, o.Why, strings.Join(o.Steps, "\n  "))
		return
	}
	if got.FailureClass == FailVerify {
		m.verifyFailed++
	}
	m.agree++
}

// certsOf reads the certificates of a case file.
func certsOf(name string, data []byte) []*pki.Cert {
	return pki.Read(source.NewFile(name, data)).Certs()
}

// aesGCMHardware reports what Go's crypto/tls calls
// hasAESGCMHardwareSupport: with it a Go client offers AES-GCM suites
// first, without it ChaCha20-Poly1305, and the server (OpenSSL, honouring
// the client's order) agrees to the first. The go probes' expectations
// assume it. It is read from /proc/cpuinfo's flags; elsewhere it is
// assumed.
// https://github.com/golang/go/blob/go1.26.0/src/crypto/tls/cipher_suites.go (hasGCMAsmAMD64, hasGCMAsmARM64)
func aesGCMHardware() bool {
	info, err := os.ReadFile("/proc/cpuinfo")
	if err != nil {
		return true
	}
	var need []string
	switch runtime.GOARCH {
	case "amd64":
		need = []string{"aes", "pclmulqdq", "sse4_1", "ssse3"}
	case "arm64":
		need = []string{"aes", "pmull"}
	default:
		return true
	}
	have := map[string]bool{}
	for _, l := range strings.Split(string(info), "\n") {
		if k, v, ok := strings.Cut(l, ":"); ok && (strings.TrimSpace(k) == "flags" || strings.TrimSpace(k) == "Features") {
			for _, f := range strings.Fields(v) {
				have[f] = true
			}
		}
	}
	for _, f := range need {
		if !have[f] {
			return false
		}
	}
	return true
}

// runCase starts the case's server and runs its probes; it returns how
// many probes ran and how many observed what the case expects.
func runCase(t *testing.T, o *Oracle, c Case, goprobe string, m *models) (probes, agree int) {
	// Not t.TempDir(): {dir} ends up in the server's log lines, which a
	// short path keeps readable.
	dir, err := os.MkdirTemp("", "tvs")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	dir += "/"
	files, err := pkitest.Expand(c.Server.Files, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	for name, data := range files {
		if err := os.WriteFile(dir+name, []byte(strings.ReplaceAll(string(data), "{dir}", dir)), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	env := make([]string, len(c.Server.Env))
	for i, e := range c.Server.Env {
		env[i] = strings.ReplaceAll(e, "{dir}", dir)
	}
	fs, sent, err := m.serverSide(files, c.Server.Env)
	if err != nil {
		t.Fatal(err)
	}
	s := o.Start(t, strings.ReplaceAll(string(files["my.cnf"]), "{dir}", dir), env...)
	if s.Started != c.Server.Starts {
		t.Fatalf("MariaDB %s started=%v (exit %d), want %v:\n%s", o.Version, s.Started, s.ExitCode, c.Server.Starts, s.Log())
	}
	m.startPredicted(t, c.Name, fs, s.Started)
	log := s.Log()
	for _, l := range c.Server.Log {
		if l = strings.ReplaceAll(l, "{dir}", dir); !strings.Contains(log, l) {
			t.Errorf("the server did not log %q:\n%s", l, log)
		}
	}
	if !s.Started {
		return 0, 0
	}
	if len(c.Server.Variables) > 0 {
		names := slices.Sorted(maps.Keys(c.Server.Variables))
		got := s.Query(t, "SHOW GLOBAL VARIABLES WHERE Variable_name IN ('"+strings.Join(names, "','")+"')")
		var want []string
		for _, k := range names {
			want = append(want, k+"\t"+c.Server.Variables[k])
		}
		if got != strings.Join(want, "\n") {
			t.Errorf("server variables:\n%s\nwant:\n%s", got, strings.Join(want, "\n"))
		}
	}
	pr := NewProber(t, s, dir, goprobe)
	got := make([]Observation, len(c.Probes))
	outs := make([]string, len(c.Probes))
	errs := make([]error, len(c.Probes))
	var wg sync.WaitGroup
	sem := make(chan struct{}, probeWorkers)
	for i, p := range c.Probes {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			got[i], outs[i], errs[i] = pr.Run(p.Probe)
		}()
	}
	wg.Wait()
	for i, p := range c.Probes {
		switch {
		case errs[i] != nil:
			t.Errorf("%v\n%s", errs[i], outs[i])
		case got[i] != p.Want:
			t.Errorf("%s\n  observed %s\n  expected %s\n%s", p.Probe, got[i], p.Want, outs[i])
		default:
			agree++
		}
		if errs[i] == nil {
			m.predict(t, fs, sent, files, p.Probe, got[i])
		}
	}
	t.Logf("%d probes, %d agree", len(c.Probes), agree)
	return len(c.Probes), agree
}
