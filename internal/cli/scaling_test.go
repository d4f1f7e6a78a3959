package cli

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/tlsvet/tlsvet/internal/corpus"
)

// scalingInputs make a repository whose size grows with n in one
// direction each: the hostile inputs of issue 7. ("**" depth in
// .tlsvet.toml is doubled in internal/config.)
var scalingInputs = []struct {
	name  string
	n     int // the smaller size measured; the test doubles it
	files func(n int) map[string]string
	named string // the path checked ("" for the root)
}{
	{"repeated options", 2000, func(n int) map[string]string {
		return map[string]string{"my.cnf": "[mysqld]\n" + strings.Repeat("tls_version=TLSv1.2\n", n)}
	}, ""},
	{"top-level files", 300, func(n int) map[string]string {
		fs := map[string]string{}
		for i := range n {
			// An empty list next to clients that require TLS: TV102 looks
			// for the clients of the same file.
			fs[fmt.Sprintf("f%05d.cnf", i)] = "[mysqld]\ntls_version=\n[client]\nssl-mode=REQUIRED\n"
		}
		return fs
	}, ""},
	{"comment lines", 20000, func(n int) map[string]string {
		return map[string]string{"my.cnf": "[mysqld]\n" + strings.Repeat("# a comment line\n", n) + "tls_version=TLSv1.2\n"}
	}, ""},
	// MySQL reads at most 4,094 bytes of a line (fgets into a 4 KiB
	// buffer), so one list holds at most about 4,000 tokens.
	{"empty tokens in one list", 1000, func(n int) map[string]string {
		return map[string]string{"my.cnf": "[mysqld]\ntls_version=" + strings.Repeat(",", n) + "TLSv1.2\n"}
	}, ""},
	{"unknown tokens in one list", 300, func(n int) map[string]string {
		toks := make([]string, n)
		for i := range toks {
			toks[i] = fmt.Sprintf("X%d", i)
		}
		return map[string]string{"my.cnf": "[mysqld]\nssl_cipher=" + strings.Join(toks, ":") + "\n"}
	}, ""},
	// Issue 10's dimensions: servers, clients linked to them, included
	// files, and files of every kind.
	{"servers (compose services)", 100, func(n int) map[string]string {
		var b strings.Builder
		b.WriteString("services:\n")
		for i := range n {
			fmt.Fprintf(&b, "  db%d:\n    image: mysql:8.0.36\n    command: [\"--tls-version=TLSv1.3\", \"--require-secure-transport=ON\"]\n", i)
		}
		b.WriteString("  app:\n    image: shop:1\n    environment:\n      DB_DSN: \"app@tcp(db0:3306)/shop?tls=false\"\n")
		return map[string]string{"compose.yaml": b.String()}
	}, ""},
	{"clients linked to one server", 200, func(n int) map[string]string {
		var b strings.Builder
		for i := range n {
			fmt.Fprintf(&b, "DB_%d=app@tcp(db:3306)/shop?tls=preferred\n", i)
		}
		return map[string]string{
			"compose.yaml": "services:\n  db:\n    image: mysql:8.0.36\n    command: [\"--skip-ssl\"]\n  app:\n    image: shop:1\n    env_file: app.env\n",
			"app.env":      b.String(),
		}
	}, ""},
	// Kubernetes projects that each name their database "db": a client
	// links to its own project's, not to every project's (links grew as
	// projects squared, and the mixed corpus ran out of memory at 100k),
	// and finds it without comparing itself with every project's (that
	// took a quarter of a 100k check; 300 projects make it show here).
	{"kubernetes projects of one service name", 300, func(n int) map[string]string {
		fs := map[string]string{}
		for i := range n {
			fs[fmt.Sprintf("p%03d/db.yaml", i)] = "apiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: db\nspec:\n  template:\n    spec:\n" +
				"      containers:\n        - name: mysql\n          image: mysql:8.0.36\n          args: [\"--skip-ssl\"]\n"
			fs[fmt.Sprintf("p%03d/app.yaml", i)] = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: app\nspec:\n  template:\n    spec:\n" +
				"      containers:\n        - name: app\n          image: shop:1\n          env:\n            - name: DB_DSN\n" +
				"              value: \"app@tcp(db:3306)/x?tls=preferred\"\n"
		}
		return fs
	}, ""},
	{"included files", 200, func(n int) map[string]string {
		fs := map[string]string{"my.cnf": "[mysqld]\nssl_cert=/etc/mysql/cert.pem\nssl_key=/etc/mysql/key.pem\n!includedir conf.d\n[client]\nhost=127.0.0.1\n"}
		for i := range n {
			fs[fmt.Sprintf("conf.d/f%04d.cnf", i)] = fmt.Sprintf("[mysqld]\ntls_version=TLSv1.%d\n[client]\ntls-version=TLSv1.2\n", 2+i%2)
		}
		return fs
	}, ""},
	{"files of every kind", 200, func(n int) map[string]string {
		return nil // written by corpus.GenerateMixed (see writeInput)
	}, ""},
	// A directory named on the command line focuses the run on its option
	// files, which the deployment files beside them must not be searched
	// for one by one.
	{"option and deployment files of a named directory", 200, func(n int) map[string]string {
		fs := map[string]string{}
		for i := range n {
			fs[fmt.Sprintf("d/p%04d/my.cnf", i)] = "[mysqld]\ntls_version=TLSv1.1\n"
			fs[fmt.Sprintf("d/p%04d/compose.yaml", i)] = "services:\n  db:\n    image: mysql:8.0.36\n    volumes: [\"./conf:/etc/mysql/conf.d\"]\n"
		}
		return fs
	}, "d"},
}

// cost runs a whole check of dir (JSON report, discarded) and returns the
// heap allocations and bytes it made, the median of three runs, and the
// exit code.
func cost(t testing.TB, dir, named string) (allocs, bytes uint64, code int) {
	if named == "" {
		named = "."
	}
	var as, bs []uint64
	for range 3 {
		c := &Command{Stdout: io.Discard, Stderr: io.Discard, Dir: dir, Getenv: func(string) string { return "" }}
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		code = c.Main([]string{"check", "--format", "json", named})
		runtime.ReadMemStats(&after)
		if code == ExitUsage {
			t.Fatalf("check %s: exit %d", dir, code)
		}
		as = append(as, after.Mallocs-before.Mallocs)
		bs = append(bs, after.TotalAlloc-before.TotalAlloc)
	}
	median := func(v []uint64) uint64 {
		if v[0] > v[1] {
			v[0], v[1] = v[1], v[0]
		}
		return max(v[0], min(v[1], v[2]))
	}
	return median(as), median(bs), code
}

// withFindings are the inputs that must hold findings: one that stopped
// exercising the handshake, include or corpus paths would measure nothing.
var withFindings = map[string]bool{"servers (compose services)": true, "clients linked to one server": true,
	"kubernetes projects of one service name": true,
	"included files": true, "files of every kind": true, "option and deployment files of a named directory": true}

// TestCostLinearInInput doubles each hostile input and requires the
// allocations of a whole check to grow at most 2.2× (the allocated bytes
// at most 2.5×):
// quadratic work (copied Earlier lists, every variant scanned per file, a
// finding per stray comma) shows up as about 4×. Benchmarks below report
// the time.
func TestCostLinearInInput(t *testing.T) {
	if testing.Short() {
		t.Skip("writes and checks repositories of thousands of lines")
	}
	for _, in := range scalingInputs {
		t.Run(in.name, func(t *testing.T) {
			a1, b1, code := cost(t, writeInput(t, in.name, in.files, in.n), in.named)
			a2, b2, _ := cost(t, writeInput(t, in.name, in.files, 2*in.n), in.named)
			if withFindings[in.name] && code != ExitFindings {
				t.Errorf("exit %d, want %d: the input holds findings", code, ExitFindings)
			}
			t.Logf("n=%d: %d allocations, %d bytes; n=%d: %d allocations, %d bytes", in.n, a1, b1, 2*in.n, a2, b2)
			if float64(a2) > 2.2*float64(a1) {
				t.Errorf("doubling n from %d: allocations grew %.2f× (%d → %d), want ≤ 2.2×", in.n, float64(a2)/float64(a1), a1, a2)
			}
			// Bytes get more slack: slices and output buffers grow by
			// doubling, so one more doubling can land inside a run.
			if float64(b2) > 2.5*float64(b1) {
				t.Errorf("doubling n from %d: allocated bytes grew %.2f× (%d → %d), want ≤ 2.5×", in.n, float64(b2)/float64(b1), b1, b2)
			}
		})
	}
}

// writeInput writes input name at size n into a new directory: its files,
// or for "files of every kind" the mixed corpus of n files.
func writeInput(tb testing.TB, name string, files func(int) map[string]string, n int) string {
	tb.Helper()
	if name != "files of every kind" {
		return writeRepo(tb, files(n))
	}
	dir := tb.TempDir()
	if _, err := corpus.GenerateMixed(dir, n, 1); err != nil {
		tb.Fatal(err)
	}
	return dir
}

// writeRepo writes files into a new directory, the scanned root.
func writeRepo(tb testing.TB, files map[string]string) string {
	tb.Helper()
	dir := tb.TempDir()
	for name, text := range files {
		if err := os.MkdirAll(filepath.Dir(filepath.Join(dir, name)), 0o755); err != nil {
			tb.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			tb.Fatal(err)
		}
	}
	return dir
}

// BenchmarkHostile reports the time of a whole check of each hostile input
// at two sizes, for people (docs/performance.md).
func BenchmarkHostile(b *testing.B) {
	for _, in := range scalingInputs {
		for _, n := range []int{in.n, 2 * in.n} {
			b.Run(fmt.Sprintf("%s/n=%d", strings.ReplaceAll(in.name, " ", "_"), n), func(b *testing.B) {
				dir := writeInput(b, in.name, in.files, n)
				b.ReportAllocs()
				for b.Loop() {
					c := &Command{Stdout: io.Discard, Stderr: io.Discard, Dir: dir, Getenv: func(string) string { return "" }}
					c.Main([]string{"check", "--format", "json", "."})
				}
			})
		}
	}
}
