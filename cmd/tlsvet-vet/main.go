// Command tlsvet-vet reports go-sql-driver/mysql TLS mistakes in Go
// source with tlsvet's rules. It runs under go vet:
//
//	go vet -vettool=$(which tlsvet-vet) ./...
//
// and on its own, loading packages itself (with -fix and -diff):
//
//	tlsvet-vet ./...
package main

import (
	"os"
	"slices"
	"strings"

	"github.com/tlsvet/tlsvet/cmd/tlsvet-vet/mysqltls"
	"golang.org/x/tools/go/analysis/singlechecker"
	"golang.org/x/tools/go/analysis/unitchecker"
)

func main() {
	if underVet(os.Args[1:]) {
		unitchecker.Main(mysqltls.Analyzer)
	}
	singlechecker.Main(mysqltls.Analyzer)
}

// underVet reports whether go vet runs the tool: it asks for -V=full and
// -flags, then passes flags and one .cfg file per package (the protocol
// in unitchecker's package doc). singlechecker would run a .cfg too, but
// it would describe its own flags (-c, -test…) to go vet, which passes
// them on and unitchecker then ignores. Anything else is a user's command
// line of package patterns.
func underVet(args []string) bool {
	if len(args) == 0 {
		return false
	}
	return strings.HasSuffix(args[len(args)-1], ".cfg") ||
		slices.Contains(args, "-V=full") || slices.Contains(args, "-flags")
}
