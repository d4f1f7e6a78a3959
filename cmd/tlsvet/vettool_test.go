package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestVetTool runs `go vet` and `go test` in cmd/tlsvet-vet, a module of
// its own so that tlsvet and its pre-commit hook neither link nor download
// golang.org/x/tools; a `go test ./...` at the root skips nested modules,
// so without this test the README's test command would not cover it.
func TestVetTool(t *testing.T) {
	ci := os.Getenv("CI") == "true"
	goCmd, err := exec.LookPath("go")
	if err != nil {
		if ci {
			t.Fatal("go is not on PATH, and CI=true")
		}
		t.Skip("go is not on PATH: cmd/tlsvet-vet not tested")
	}
	dir := filepath.Join(moduleRoot(t), "cmd", "tlsvet-vet")
	goIn := func(args ...string) (string, error) {
		cmd := exec.Command(goCmd, args...)
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), "GOWORK=off")
		out, err := cmd.CombinedOutput()
		return string(out), err
	}
	if out, err := goIn("mod", "download"); err != nil {
		if ci {
			t.Fatalf("go mod download in cmd/tlsvet-vet: %v\n%s", err, out)
		}
		t.Skipf("cmd/tlsvet-vet's modules (golang.org/x/tools) cannot be downloaded, so it is not tested: %v\n%s", err, out)
	}
	for _, args := range [][]string{{"vet", "./..."}, {"test", "./..."}} {
		if out, err := goIn(args...); err != nil {
			t.Errorf("go %s in cmd/tlsvet-vet: %v\n%s", strings.Join(args, " "), err, out)
		}
	}
}
