package corpus

import (
	"os"
	"path/filepath"
	"testing"
)

func TestGenerateIsDeterministic(t *testing.T) {
	a, b := t.TempDir(), t.TempDir()
	na, err := Generate(a, 50, 1)
	if err != nil {
		t.Fatal(err)
	}
	nb, _ := Generate(b, 50, 1)
	if na != nb || na == 0 {
		t.Fatalf("sizes differ or empty: %d vs %d", na, nb)
	}
	x, _ := os.ReadFile(filepath.Join(a, "svc0001", "my.cnf"))
	y, _ := os.ReadFile(filepath.Join(b, "svc0001", "my.cnf"))
	if string(x) != string(y) || len(x) == 0 {
		t.Fatal("same seed gave different files")
	}
}
