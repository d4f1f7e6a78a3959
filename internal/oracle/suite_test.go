package oracle

import (
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/tlsvet/tlsvet/internal/pkitest"
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

	begin := time.Now()
	var configs, probes, agree atomic.Int64
	t.Run("cases", func(t *testing.T) {
		for _, c := range cases {
			t.Run(c.Name, func(t *testing.T) {
				t.Parallel()
				configs.Add(1)
				n, ok := runCase(t, o, c, goprobe)
				probes.Add(int64(n))
				agree.Add(int64(ok))
			})
		}
	})
	summary := fmt.Sprintf("oracle suite: %d configurations, %d probes, %d agree (MariaDB %s, %v)",
		configs.Load(), probes.Load(), agree.Load(), o.Version, time.Since(begin).Round(100*time.Millisecond))
	t.Log(summary)
	fmt.Println(summary)
	if probes.Load() != agree.Load() {
		t.Errorf("%d probes disagree", probes.Load()-agree.Load())
	}
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
func runCase(t *testing.T, o *Oracle, c Case, goprobe string) (probes, agree int) {
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
	s := o.Start(t, strings.ReplaceAll(string(files["my.cnf"]), "{dir}", dir), env...)
	if s.Started != c.Server.Starts {
		t.Fatalf("MariaDB %s started=%v (exit %d), want %v:\n%s", o.Version, s.Started, s.ExitCode, c.Server.Starts, s.Log())
	}
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
	}
	t.Logf("%d probes, %d agree", len(c.Probes), agree)
	return len(c.Probes), agree
}
