// Command tlsvet checks MySQL and MariaDB TLS configuration before it is
// deployed. See README.md and `tlsvet help`.
package main

import (
	"os"

	"github.com/tlsvet/tlsvet/internal/cli"
)

func main() {
	os.Exit((&cli.Command{Stdout: os.Stdout, Stderr: os.Stderr}).Main(os.Args[1:]))
}
