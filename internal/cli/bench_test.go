package cli

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/tlsvet/tlsvet/internal/corpus"
)

// benchCorpora are the generated corpora, each written once per test
// binary, in a temporary directory, by the first benchmark that needs it;
// benchDirs are those directories, removed when the tests end (TestMain).
var (
	benchCorpora sync.Map // name → func() (string, error)
	benchMu      sync.Mutex
	benchDirs    []string
)

func TestMain(m *testing.M) {
	code := m.Run()
	benchMu.Lock()
	for _, d := range benchDirs {
		os.RemoveAll(d)
	}
	benchMu.Unlock()
	os.Exit(code)
}

// benchTree returns the directory of the 10,000-file corpus gen writes.
func benchTree(b *testing.B, name string, gen func(dir string, n int, seed int64) (int64, error)) string {
	return benchTreeN(b, name, 10000, gen)
}

// benchTreeN returns the directory of the n-file corpus gen writes.
func benchTreeN(b *testing.B, name string, n int, gen func(dir string, n int, seed int64) (int64, error)) string {
	once, _ := benchCorpora.LoadOrStore(fmt.Sprint(name, n), sync.OnceValues(func() (string, error) {
		dir, err := os.MkdirTemp("", "tlsvet-bench-"+name)
		if err != nil {
			return "", err
		}
		benchMu.Lock()
		benchDirs = append(benchDirs, dir)
		benchMu.Unlock()
		dir = filepath.Join(dir, "repo")
		_, err = gen(dir, n, 1)
		return dir, err
	}))
	dir, err := once.(func() (string, error))()
	if err != nil {
		b.Fatal(err)
	}
	return dir
}

// benchCorpus is the 10,000 option files of corpus.Generate.
func benchCorpus(b *testing.B) string { return benchTree(b, "options", corpus.Generate) }

// benchCheck runs tlsvet with args in dir b.N times; the corpora hold
// findings, so each run must exit with ExitFindings. files is the number
// of files a run checks, for the files/s figure (0 for none).
func benchCheck(b *testing.B, dir string, files int, args ...string) {
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		c := &Command{Stdout: io.Discard, Stderr: io.Discard, Dir: dir, Getenv: func(string) string { return "" }}
		if code := c.Main(args); code != ExitFindings {
			b.Fatalf("exit code %d, want %d (the corpus has findings)", code, ExitFindings)
		}
	}
	if files > 0 {
		b.ReportMetric(float64(files*b.N)/b.Elapsed().Seconds(), "files/s")
	}
}

// BenchmarkCheck10k runs the whole check (walk, parse, model, every rule,
// text report) over the generated 10,000-file corpus. See
// docs/performance.md for figures and how to reproduce them.
func BenchmarkCheck10k(b *testing.B) {
	benchCheck(b, benchCorpus(b), 10000, "--target", "mysql-8.0.36", ".")
}

// BenchmarkCheckApps10k runs the whole check over 10,000 application
// files (.env, properties, YAML, JSON, Go) holding connection strings of
// several dialects: the connection-string readers' cost per file.
func BenchmarkCheckApps10k(b *testing.B) {
	benchCheck(b, benchTree(b, "apps", corpus.GenerateApps), 10000, ".")
}

// BenchmarkCheckCerts10k runs the whole check over 2,000 services of five
// files each: option files naming certificate, key and CA files that are
// read, parsed, verified against each other and judged, with a share of
// expired, weak, misnamed, wrongly signed and mismatched ones.
func BenchmarkCheckCerts10k(b *testing.B) {
	benchCheck(b, benchTree(b, "certs", corpus.GenerateCerts), 10000, "--target", "mariadb-11.4", ".")
}

// BenchmarkCheckMixed10k runs the whole check over 10,000 files of every
// kind in corpus.Mix's shares: option files, compose and Kubernetes files
// linking apps to their databases, application files with connection
// strings, and certificate services.
func BenchmarkCheckMixed10k(b *testing.B) {
	benchCheck(b, benchTree(b, "mixed", corpus.GenerateMixed), 10000, ".")
}

// BenchmarkCheckNamed5 checks five named files of the 10,000-file corpus,
// as the pre-commit hooks do (--report changed): only the server units
// that read them are parsed and checked (load.Options.Focus).
func BenchmarkCheckNamed5(b *testing.B) {
	benchCheck(b, benchCorpus(b), 0, named5...)
}

// named5 are the arguments of a pre-commit run naming five files of the
// option-file corpus.
var named5 = []string{"--target", "mysql-8.0.36", "--report", "changed",
	"svc0001/my.cnf", "svc0002/client2.cnf", "svc0500/my.cnf", "svc0700/extra5.cnf", "svc0999/conf.d/tls.cnf"}

// The 100,000-file cases, which write 100,000 files each: only with
// TLSVET_BENCH_100K=1 (go run ./internal/corpus/benchreport measures the
// binary on them too).
func bench100k(b *testing.B) {
	if os.Getenv("TLSVET_BENCH_100K") != "1" {
		b.Skip("set TLSVET_BENCH_100K=1 to write and check the 100,000-file corpora")
	}
}

// BenchmarkCheck100k is BenchmarkCheck10k on 100,000 option files: the
// cost per file should stay within 1.25× of the 10k one.
func BenchmarkCheck100k(b *testing.B) {
	bench100k(b)
	benchCheck(b, benchTreeN(b, "options", 100000, corpus.Generate), 100000, "--target", "mysql-8.0.36", ".")
}

// BenchmarkCheckMixed100k is BenchmarkCheckMixed10k on 100,000 files.
func BenchmarkCheckMixed100k(b *testing.B) {
	bench100k(b)
	benchCheck(b, benchTreeN(b, "mixed", 100000, corpus.GenerateMixed), 100000, ".")
}

// BenchmarkCheckNamed5At100k is BenchmarkCheckNamed5 inside 100,000
// option files.
func BenchmarkCheckNamed5At100k(b *testing.B) {
	bench100k(b)
	benchCheck(b, benchTreeN(b, "options", 100000, corpus.Generate), 0, named5...)
}
