package cli

import (
	"io"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/tlsvet/tlsvet/internal/corpus"
)

var (
	corpusOnce sync.Once
	corpusDir  string
	corpusErr  error
)

// benchCorpus generates the 10,000-file corpus once per test binary.
func benchCorpus(b *testing.B) string {
	corpusOnce.Do(func() {
		corpusDir, corpusErr = os.MkdirTemp("", "tlsvet-bench")
		if corpusErr == nil {
			_, corpusErr = corpus.Generate(filepath.Join(corpusDir, "repo"), 10000, 1)
		}
	})
	if corpusErr != nil {
		b.Fatal(corpusErr)
	}
	return filepath.Join(corpusDir, "repo")
}

// BenchmarkCheck10k runs the whole check (walk, parse, model, every rule,
// text report) over the generated 10,000-file corpus. See
// docs/performance.md for figures and how to reproduce them.
func BenchmarkCheck10k(b *testing.B) {
	dir := benchCorpus(b)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		c := &Command{Stdout: io.Discard, Stderr: io.Discard, Dir: dir, Getenv: func(string) string { return "" }}
		if code := c.Main([]string{"--target", "mysql-8.0.36", "."}); code != ExitFindings {
			b.Fatalf("exit code %d, want %d (the corpus has findings)", code, ExitFindings)
		}
	}
	b.ReportMetric(float64(10000*b.N)/b.Elapsed().Seconds(), "files/s")
}

var (
	appsOnce sync.Once
	appsDir  string
	appsErr  error
)

// BenchmarkCheckApps10k runs the whole check over 10,000 application
// files (.env, properties, YAML, JSON, Go) holding connection strings of
// several dialects: the connection-string readers' cost per file.
func BenchmarkCheckApps10k(b *testing.B) {
	appsOnce.Do(func() {
		appsDir, appsErr = os.MkdirTemp("", "tlsvet-bench-apps")
		if appsErr == nil {
			_, appsErr = corpus.GenerateApps(filepath.Join(appsDir, "repo"), 10000, 1)
		}
	})
	if appsErr != nil {
		b.Fatal(appsErr)
	}
	dir := filepath.Join(appsDir, "repo")
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		c := &Command{Stdout: io.Discard, Stderr: io.Discard, Dir: dir, Getenv: func(string) string { return "" }}
		if code := c.Main([]string{"."}); code != ExitFindings {
			b.Fatalf("exit code %d, want %d (the corpus has findings)", code, ExitFindings)
		}
	}
	b.ReportMetric(float64(10000*b.N)/b.Elapsed().Seconds(), "files/s")
}

var (
	certsOnce sync.Once
	certsDir  string
	certsErr  error
)

// BenchmarkCheckCerts10k runs the whole check over 2,000 services of five
// files each: option files naming certificate, key and CA files that are
// read, parsed, verified against each other and judged, with a share of
// expired, weak, misnamed, wrongly signed and mismatched ones.
func BenchmarkCheckCerts10k(b *testing.B) {
	certsOnce.Do(func() {
		certsDir, certsErr = os.MkdirTemp("", "tlsvet-bench-certs")
		if certsErr == nil {
			_, certsErr = corpus.GenerateCerts(filepath.Join(certsDir, "repo"), 10000, 1)
		}
	})
	if certsErr != nil {
		b.Fatal(certsErr)
	}
	dir := filepath.Join(certsDir, "repo")
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		c := &Command{Stdout: io.Discard, Stderr: io.Discard, Dir: dir, Getenv: func(string) string { return "" }}
		if code := c.Main([]string{"--target", "mariadb-11.4", "."}); code != ExitFindings {
			b.Fatalf("exit code %d, want %d (the corpus has findings)", code, ExitFindings)
		}
	}
	b.ReportMetric(float64(10000*b.N)/b.Elapsed().Seconds(), "files/s")
}

var (
	mixedOnce sync.Once
	mixedDir  string
	mixedErr  error
)

// BenchmarkCheckMixed10k runs the whole check over 10,000 files of every
// kind in corpus.Mix's shares: option files, compose and Kubernetes files
// linking apps to their databases, application files with connection
// strings, and certificate services.
func BenchmarkCheckMixed10k(b *testing.B) {
	mixedOnce.Do(func() {
		mixedDir, mixedErr = os.MkdirTemp("", "tlsvet-bench-mixed")
		if mixedErr == nil {
			_, mixedErr = corpus.GenerateMixed(filepath.Join(mixedDir, "repo"), 10000, 1)
		}
	})
	if mixedErr != nil {
		b.Fatal(mixedErr)
	}
	dir := filepath.Join(mixedDir, "repo")
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		c := &Command{Stdout: io.Discard, Stderr: io.Discard, Dir: dir, Getenv: func(string) string { return "" }}
		if code := c.Main([]string{"."}); code != ExitFindings {
			b.Fatalf("exit code %d, want %d (the corpus has findings)", code, ExitFindings)
		}
	}
	b.ReportMetric(float64(10000*b.N)/b.Elapsed().Seconds(), "files/s")
}

// BenchmarkCheckNamed5 checks five named files of the 10,000-file corpus,
// as the pre-commit hooks do (--report changed): only the server units
// that read them are parsed and checked (load.Options.Focus).
func BenchmarkCheckNamed5(b *testing.B) {
	dir := benchCorpus(b)
	args := []string{"--target", "mysql-8.0.36", "--report", "changed",
		"svc0001/my.cnf", "svc0002/client2.cnf", "svc0500/my.cnf", "svc0700/extra5.cnf", "svc0999/conf.d/tls.cnf"}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		c := &Command{Stdout: io.Discard, Stderr: io.Discard, Dir: dir, Getenv: func(string) string { return "" }}
		if code := c.Main(args); code != ExitFindings {
			b.Fatalf("exit code %d, want %d (the named files have findings)", code, ExitFindings)
		}
	}
}
