// Command benchreport measures tlsvet the way issue [10] states its goals,
// in one run, and prints the figures docs/performance.md records:
//
//	go run ./internal/corpus/benchreport            # the 10k corpora
//	TLSVET_BENCH_100K=1 go run ./internal/corpus/benchreport   # and 100k
//
// For each corpus (option files, and the mixed corpus of corpus.Mix) it
// builds the binary as the Dockerfile does, then alternates, runs times
// each: `find DIR -type f -exec cat {} +` (the bare read), the full check,
// and the check of five named files (what pre-commit does). It reports the
// medians of wall time, the child's peak RSS (getrusage, no GNU time
// needed), the ratio to the bare read and the cost per file, with
// GOMAXPROCS=2 for tlsvet. The page cache is warm: each corpus is read once
// before measuring.
//go:build unix

package main

import (
	"flag"
	"fmt"
	"log"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"syscall"
	"time"

	"github.com/tlsvet/tlsvet/internal/corpus"
)

// run is one measured process: its wall time and peak RSS in bytes.
type run struct {
	wall time.Duration
	rss  int64
}

func measure(dir string, env []string, name string, args ...string) run {
	cmd := exec.Command(name, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), env...)
	begin := time.Now()
	err := cmd.Run()
	wall := time.Since(begin)
	// tlsvet exits 1 when it finds something, which the corpora ensure.
	if ee, ok := err.(*exec.ExitError); err != nil && !(ok && ee.ExitCode() == 1) {
		log.Fatalf("%s %v: %v", name, args, err)
	}
	var rss int64
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		rss = ru.Maxrss * 1024 // kilobytes on Linux
	}
	return run{wall, rss}
}

func median(rs []run) run {
	ws := make([]time.Duration, len(rs))
	ms := make([]int64, len(rs))
	for i, r := range rs {
		ws[i], ms[i] = r.wall, r.rss
	}
	slices.Sort(ws)
	slices.Sort(ms)
	return run{ws[len(ws)/2], ms[len(ms)/2]}
}

func main() {
	runs := flag.Int("runs", 11, "runs of each measurement (the median is reported)")
	work := flag.String("dir", "", "where to write the corpora and the binary (default: a temporary directory)")
	flag.Parse()
	dir := *work
	if dir == "" {
		var err error
		if dir, err = os.MkdirTemp("", "tlsvet-benchreport"); err != nil {
			log.Fatal(err)
		}
		defer os.RemoveAll(dir)
	}
	bin := filepath.Join(dir, "tlsvet")
	build := exec.Command("go", "build", "-trimpath", "-ldflags=-s -w", "-o", bin, "./cmd/tlsvet")
	build.Env = append(os.Environ(), "CGO_ENABLED=0")
	build.Stderr = os.Stderr
	if err := build.Run(); err != nil {
		log.Fatalf("go build (run from the repository root): %v", err)
	}
	if fi, err := os.Stat(bin); err == nil {
		fmt.Printf("binary: %.2f MiB (%d bytes), built as the Dockerfile builds it (CI fails at 8 MiB)\n", float64(fi.Size())/(1<<20), fi.Size())
	}
	sizes := []int{10000}
	if os.Getenv("TLSVET_BENCH_100K") == "1" {
		sizes = append(sizes, 100000)
	}
	corpora := []struct {
		name  string
		gen   func(string, int, int64) (int64, error)
		args  []string
		named []string // five files inside the corpus, as pre-commit names them
	}{
		{"option files", corpus.Generate, []string{"--target", "mysql-8.0.36"},
			[]string{"svc0001/my.cnf", "svc0002/client2.cnf", "svc0500/my.cnf", "svc0700/extra5.cnf", "svc0999/conf.d/tls.cnf"}},
		{"mixed", corpus.GenerateMixed, nil,
			[]string{"mix0/svc0001/my.cnf", "mix0/svc0002/client2.cnf", "mix0/svc0300/my.cnf", "mix0/svc0450/extra5.cnf", "mix0/svc0599/conf.d/tls.cnf"}},
	}
	fmt.Printf("%d runs each, medians; GOMAXPROCS=2 for tlsvet; warm page cache\n\n", *runs)
	fmt.Println("| corpus | files | bare read | full check | ratio | per file | peak RSS | RSS per 1k files | 5 named files | named RSS |")
	fmt.Println("|---|---|---|---|---|---|---|---|---|---|")
	env := []string{"GOMAXPROCS=2"}
	for _, c := range corpora {
		for _, n := range sizes {
			repo := filepath.Join(dir, fmt.Sprintf("%s-%d", c.name, n))
			if _, err := c.gen(repo, n, 1); err != nil {
				log.Fatal(err)
			}
			files := 0
			filepath.WalkDir(repo, func(_ string, d os.DirEntry, err error) error {
				if err == nil && d.Type().IsRegular() {
					files++
				}
				return nil
			})
			measure(repo, nil, "sh", "-c", "find . -type f -exec cat {} + >/dev/null") // warm the cache
			var cat, full, named []run
			for i := 0; i < *runs; i++ {
				cat = append(cat, measure(repo, nil, "sh", "-c", "find . -type f -exec cat {} + >/dev/null"))
				full = append(full, measure(repo, env, bin, append(slices.Clone(c.args), ".")...))
				named = append(named, measure(repo, env, bin, append(slices.Clone(c.args), c.named...)...))
			}
			mc, mf, mn := median(cat), median(full), median(named)
			fmt.Printf("| %s | %d | %v | %v | %.1f× | %.1f µs | %.0f MB | %.1f MB | %v | %.0f MB |\n",
				c.name, files, mc.wall.Round(time.Millisecond), mf.wall.Round(time.Millisecond),
				float64(mf.wall)/float64(mc.wall), float64(mf.wall.Microseconds())/float64(files),
				float64(mf.rss)/1e6, float64(mf.rss)/1e6/float64(files)*1000, mn.wall.Round(time.Millisecond), float64(mn.rss)/1e6)
			os.RemoveAll(repo)
		}
	}
}
