package main

import (
	"os"
	"path/filepath"
	"testing"
)

// TestDocsUpToDate fails when docs/rules or the README rule table was not
// regenerated after a rule changed.
func TestDocsUpToDate(t *testing.T) {
	root := filepath.Join("..", "..")
	files, err := generate(root)
	if err != nil {
		t.Fatal(err)
	}
	for name, want := range files {
		got, err := os.ReadFile(filepath.Join(root, name))
		if err != nil || string(got) != string(want) {
			t.Errorf("%s is stale: run `go run ./internal/gendocs`", name)
		}
	}
	on, _ := filepath.Glob(filepath.Join(root, "docs", "rules", "*.md"))
	if len(on) != len(files)-1 {
		t.Errorf("docs/rules has %d files, the rules generate %d: run `go run ./internal/gendocs`", len(on), len(files)-1)
	}
}
