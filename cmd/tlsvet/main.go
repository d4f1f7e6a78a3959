// Command tlsvet checks MySQL and MariaDB TLS configuration before it is
// deployed. See README.md and `tlsvet help`.
package main

import (
	"math"
	"os"
	"runtime"
	"runtime/debug"

	"github.com/tlsvet/tlsvet/internal/cli"
)

// gcPercent is the garbage collector's target when GOGC is not set. A run
// is short and most of what it allocates stays live until the report, so
// Go's default (100: the heap may grow to twice what is live) mostly buys
// peak memory: at 50 the 10k-file corpus peaks about a quarter lower for
// the same CPU time (docs/performance.md).
const gcPercent = 50

// firstGC is the heap at which the first collection runs. Below it a run
// collects nothing: at 50 the runtime starts collecting at 2 MiB, and a
// pre-commit run of a few files in a large repository spent a tenth of its
// time in a dozen collections of a heap that never reached 20 MiB.
const firstGC = 48 << 20

func main() {
	if os.Getenv("GOGC") == "" && os.Getenv("GOMEMLIMIT") == "" {
		// No target until the heap reaches firstGC (the memory limit then
		// starts a collection); the first collection runs the finalizer,
		// which sets the target and lifts the limit. The sentinel is 16
		// bytes: a smaller pointer-free object shares a tiny block, and its
		// finalizer may never run (runtime.SetFinalizer).
		debug.SetGCPercent(-1)
		debug.SetMemoryLimit(firstGC)
		runtime.SetFinalizer(new([16]byte), func(*[16]byte) {
			debug.SetGCPercent(gcPercent)
			debug.SetMemoryLimit(math.MaxInt64)
		})
	}
	os.Exit((&cli.Command{Stdout: os.Stdout, Stderr: os.Stderr}).Main(os.Args[1:]))
}
