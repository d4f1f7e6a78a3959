// Command gencorpus writes the benchmark corpus to a directory:
//
//	go run ./internal/corpus/gencorpus -n 10000 -o /tmp/tlsvet-corpus
package main

import (
	"flag"
	"fmt"
	"log"

	"github.com/tlsvet/tlsvet/internal/corpus"
)

func main() {
	n := flag.Int("n", 10000, "number of option files")
	out := flag.String("o", "tlsvet-corpus", "output directory")
	seed := flag.Int64("seed", 1, "random seed")
	apps := flag.Bool("apps", false, "write application files with connection strings instead of option files")
	certs := flag.Bool("certs", false, "write services with certificate, key and CA files instead of option files alone")
	mixed := flag.Bool("mixed", false, "write every file kind in corpus.Mix's shares (option files, deployment YAML, application files, certificates)")
	flag.Parse()
	gen := corpus.Generate
	switch {
	case *apps:
		gen = corpus.GenerateApps
	case *certs:
		gen = corpus.GenerateCerts
	case *mixed:
		gen = corpus.GenerateMixed
	}
	size, err := gen(*out, *n, *seed)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("wrote %d files, %d bytes, to %s\n", *n, size, *out)
}
