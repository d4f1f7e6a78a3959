//go:build linux

package hostile

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"
	"unsafe"

	"github.com/tlsvet/tlsvet/internal/cli"
)

// The test binary doubles as tlsvet: with modeVar=limit it lowers its
// address-space limit and execs itself again with modeVar=run, which runs
// cli.Command like cmd/tlsvet (whose main is that one line). The second
// exec matters: RLIMIT_AS applies to later mappings only, so the runtime
// must start under it. Measured with Go 1.26 on linux/amd64: a normal run
// fits in 1 GiB without GOGC or GOMEMLIMIT; below about 300 MB the
// runtime dies at start ("failed to reserve page summary memory").
const (
	modeVar    = "TLSVET_HOSTILE_MODE"
	addrLimit  = 1 << 30
	runTimeout = 10 * time.Second
)

func TestMain(m *testing.M) {
	switch os.Getenv(modeVar) {
	case "limit":
		os.Exit(execLimited())
	case "run":
		os.Exit((&cli.Command{Stdout: os.Stdout, Stderr: os.Stderr}).Main(os.Args[1:]))
	}
	os.Exit(m.Run())
}

// execLimited execs the test binary again, in "run" mode, under
// RLIMIT_AS. This process already holds more address space than the
// limit (the runtime reserves generously at start), so once the limit is
// set it cannot map anything: every argument of execve is built before,
// and execve is a raw system call.
func execLimited() int {
	self, err := os.Executable()
	if err != nil {
		fmt.Fprintln(os.Stderr, "hostile:", err)
		return 3
	}
	os.Setenv(modeVar, "run")
	// glibc gives each thread a malloc arena of 64 MiB address space in a
	// cgo-linked binary; one arena is enough for what the resolver mallocs.
	os.Setenv("MALLOC_ARENA_MAX", "1")
	argv0, err := syscall.BytePtrFromString(self)
	if err != nil {
		return 3
	}
	argv, err := syscall.SlicePtrFromStrings(os.Args)
	if err != nil {
		return 3
	}
	envv, err := syscall.SlicePtrFromStrings(os.Environ())
	if err != nil {
		return 3
	}
	// Threads of a cgo-linked binary (crypto/x509 links net, which links
	// the cgo resolver when a C compiler is present) get glibc's default
	// stack, RLIMIT_STACK (often 8 MiB, reserved up front): with the Go
	// runtime's own reservations that exhausts 1 GiB. Go's goroutines do
	// not use it; 1 MiB keeps the thread stacks small.
	stack := syscall.Rlimit{Cur: 1 << 20, Max: 1 << 20}
	if err := syscall.Setrlimit(syscall.RLIMIT_STACK, &stack); err != nil {
		fmt.Fprintln(os.Stderr, "hostile: setrlimit stack:", err)
		return 3
	}
	lim := syscall.Rlimit{Cur: addrLimit, Max: addrLimit}
	if err := syscall.Setrlimit(syscall.RLIMIT_AS, &lim); err != nil {
		fmt.Fprintln(os.Stderr, "hostile: setrlimit:", err)
		return 3
	}
	_, _, errno := syscall.RawSyscall(syscall.SYS_EXECVE, uintptr(unsafe.Pointer(argv0)),
		uintptr(unsafe.Pointer(&argv[0])), uintptr(unsafe.Pointer(&envv[0])))
	fmt.Fprintln(os.Stderr, "hostile: execve:", errno)
	return 3
}

// env is one hostile layout: tmp/repo (with .git) is scanned, tmp/outside
// holds sentinels that must never be opened, read or written.
type env struct {
	t         *testing.T
	tmp       string
	repo      string
	outside   string
	marker    string            // in every sentinel; must appear in no output
	envMarker string            // in the subprocess environment only
	sentinels map[string]string // outside file -> its content
	dir       string            // working directory of runs; default repo
}

func token(t *testing.T, prefix string) string {
	b := make([]byte, 8)
	if _, err := rand.Read(b); err != nil {
		t.Fatal(err)
	}
	return prefix + hex.EncodeToString(b)
}

func newEnv(t *testing.T) *env {
	t.Helper()
	tmp := t.TempDir()
	e := &env{
		t: t, tmp: tmp,
		repo:      filepath.Join(tmp, "repo"),
		outside:   filepath.Join(tmp, "outside"),
		marker:    token(t, "OUTSIDE-SENTINEL-"),
		envMarker: token(t, "ENV-SENTINEL-"),
		sentinels: map[string]string{},
	}
	e.dir = e.repo
	for _, d := range []string{filepath.Join(e.repo, ".git"), e.outside} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	// Each sentinel would yield a finding quoting the marker if read, and
	// fix.cnf has an exact fix (--fix would rewrite it).
	e.sentinel("x.cnf", "[client]\nssl-mode=DISABLED\nssl-cipher="+e.marker+"\n")
	e.sentinel("fix.cnf", "[mysqld]\ntls_version=TLSv1.2, TLSv1.3\n# "+e.marker+"\n")
	e.sentinel("out.sarif", e.marker+"\n")
	e.sentinel(".tlsvet.toml", "# "+e.marker+"\n[rules]\ndisable = [\"TV0\", \"TV1\", \"TV2\", \"TV3\", \"TV6\"]\n")
	return e
}

func (e *env) sentinel(name, content string) {
	p := filepath.Join(e.outside, name)
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		e.t.Fatal(err)
	}
	e.sentinels[p] = content
}

// path is a repository-relative slash path made absolute.
func (e *env) path(rel string) string { return filepath.Join(e.repo, filepath.FromSlash(rel)) }

func (e *env) mkdirFor(p string) {
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		e.t.Fatal(err)
	}
}

func (e *env) write(rel, content string) {
	p := e.path(rel)
	e.mkdirFor(p)
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		e.t.Fatal(err)
	}
}

func (e *env) symlink(rel, target string) {
	p := e.path(rel)
	e.mkdirFor(p)
	if err := os.Symlink(target, p); err != nil {
		e.t.Fatal(err)
	}
}

func (e *env) fifo(rel string) {
	p := e.path(rel)
	e.mkdirFor(p)
	if err := syscall.Mkfifo(p, 0o644); err != nil {
		e.t.Fatal(err)
	}
}

// result is one finished run.
type result struct {
	args           []string
	code           int
	stdout, stderr string
}

func (r result) all() string { return r.stdout + r.stderr }

// run runs tlsvet with args under the limits and checks what holds for
// every run: it finished within runTimeout with exit 0, 1 or 2 and no Go
// crash, opened nothing outside the root, changed no sentinel and printed
// neither a sentinel's content nor the environment.
func (e *env) run(args ...string) result {
	t := e.t
	t.Helper()
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), runTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, self, args...)
	cmd.Dir = e.dir
	cmd.Env = []string{
		modeVar + "=limit",
		"PATH=" + os.Getenv("PATH"),
		"HOME=" + e.tmp,
		"GIT_CONFIG_NOSYSTEM=1",
		"HOSTILE_SECRET=" + e.envMarker,
	}
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	// A stdin that never ends: a link to /dev/stdin must not wait on it.
	pr, pw, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer pw.Close()
	cmd.Stdin = pr
	cmd.WaitDelay = time.Second
	// The parent of the repository is watched too (a .tlsvet.toml there
	// must not be read): only the repository itself may be opened in it.
	// Outputs the user names outside the repository go to tmp/out, whose
	// files are not watched.
	w := watch(t, func(dir, name string) bool { return dir == e.tmp && (name == "repo" || name == "out") }, e.outside, e.tmp)
	start := time.Now()
	err = cmd.Run()
	elapsed := time.Since(start)
	pr.Close()
	events := w.stop()
	r := result{args: args, stdout: stdout.String(), stderr: stderr.String(), code: -1}
	var ee *exec.ExitError
	switch {
	case ctx.Err() != nil:
		t.Errorf("tlsvet %q: killed after %v (limit %v)", args, elapsed.Round(time.Millisecond), runTimeout)
	case errors.As(err, &ee):
		r.code = ee.ExitCode()
	case err != nil:
		t.Fatalf("tlsvet %q: %v", args, err)
	default:
		r.code = 0
	}
	if r.code == 3 {
		t.Fatalf("tlsvet %q: harness failed: %s", args, r.stderr)
	}
	if ctx.Err() == nil && (r.code < 0 || r.code > 2) {
		t.Errorf("tlsvet %q: exit %d, want 0, 1 or 2", args, r.code)
	}
	for _, crash := range []string{"panic:", "fatal error:", "out of memory", "goroutine ", "SIGSEGV"} {
		if strings.Contains(r.stderr, crash) {
			t.Errorf("tlsvet %q crashed (%q):\n%s", args, crash, head(r.stderr))
			break
		}
	}
	for _, ev := range events {
		t.Errorf("tlsvet %q: %s outside the root", args, ev)
	}
	e.noLeak(r.args, "output", r.all(), e.marker, e.envMarker)
	for p, want := range e.sentinels {
		info, err := os.Lstat(p)
		if err != nil || !info.Mode().IsRegular() {
			t.Errorf("tlsvet %q: sentinel %s replaced (%v)", args, p, err)
			continue
		}
		if got, _ := os.ReadFile(p); string(got) != want {
			t.Errorf("tlsvet %q: sentinel %s changed:\n%s", args, p, head(string(got)))
		}
	}
	return r
}

// noLeak fails when text holds any of secrets.
func (e *env) noLeak(args []string, what, text string, secrets ...string) {
	e.t.Helper()
	for _, s := range secrets {
		if i := strings.Index(text, s); i >= 0 {
			e.t.Errorf("tlsvet %q: %s holds %q: …%s…", args, what, s, text[max(0, i-120):min(len(text), i+len(s)+40)])
		}
	}
}

func head(s string) string {
	if len(s) > 1500 {
		return s[:1500] + "…"
	}
	return s
}

// wantCode fails unless r exited with one of codes.
func wantCode(t *testing.T, r result, codes ...int) {
	t.Helper()
	if r.code >= 0 && !slices.Contains(codes, r.code) {
		t.Errorf("tlsvet %q: exit %d, want one of %v\nstdout:\n%s\nstderr:\n%s", r.args, r.code, codes, head(r.stdout), head(r.stderr))
	}
}

// wantIn fails unless text contains every one of subs.
func wantIn(t *testing.T, r result, text string, subs ...string) {
	t.Helper()
	for _, s := range subs {
		if !strings.Contains(text, s) {
			t.Errorf("tlsvet %q: output lacks %q\nstdout:\n%s\nstderr:\n%s", r.args, s, head(r.stdout), head(r.stderr))
		}
	}
}
