// Command tlsvet checks MySQL and MariaDB TLS configuration before it is
// deployed. See README.md and `tlsvet help`.
package main

import (
	"os"
	"runtime/debug"

	"github.com/tlsvet/tlsvet/internal/cli"
)

// gcPercent is the garbage collector's target when GOGC is not set. A run
// is short and most of what it allocates stays live until the report, so
// Go's default (100: the heap may grow to twice what is live) mostly buys
// peak memory: at 50 the 10k-file corpus peaks about a quarter lower for
// the same CPU time (docs/performance.md).
const gcPercent = 50

func main() {
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(gcPercent)
	}
	os.Exit((&cli.Command{Stdout: os.Stdout, Stderr: os.Stderr}).Main(os.Args[1:]))
}
