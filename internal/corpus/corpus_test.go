package corpus

import (
	"os"
	"path/filepath"
	"strings"
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

func TestGenerateAppsIsDeterministic(t *testing.T) {
	a, b := t.TempDir(), t.TempDir()
	na, err := GenerateApps(a, 25, 1)
	if err != nil {
		t.Fatal(err)
	}
	nb, _ := GenerateApps(b, 25, 1)
	if na != nb || na == 0 {
		t.Fatalf("sizes differ or empty: %d vs %d", na, nb)
	}
	for _, name := range []string{".env", "src/main/resources/application.properties", "config/application.yml", "appsettings.json", "db.go"} {
		x, _ := os.ReadFile(filepath.Join(a, "app0002", name))
		y, _ := os.ReadFile(filepath.Join(b, "app0002", name))
		if string(x) != string(y) || len(x) == 0 {
			t.Fatalf("%s: same seed gave different or empty files", name)
		}
	}
}

func TestGenerateCerts(t *testing.T) {
	a, b := t.TempDir(), t.TempDir()
	if _, err := GenerateCerts(a, 50, 1); err != nil {
		t.Fatal(err)
	}
	if _, err := GenerateCerts(b, 50, 1); err != nil {
		t.Fatal(err)
	}
	// The option files, and so the defects they hold, repeat with the
	// seed; the PEM files are made afresh (new keys).
	x, _ := os.ReadFile(filepath.Join(a, "svc0003", "my.cnf"))
	y, _ := os.ReadFile(filepath.Join(b, "svc0003", "my.cnf"))
	if string(x) != string(y) || len(x) == 0 {
		t.Fatal("same seed gave different option files")
	}
	for _, name := range []string{"server-cert.pem", "ca.pem"} {
		if c, _ := os.ReadFile(filepath.Join(a, "svc0009", name)); !strings.HasPrefix(string(c), "-----BEGIN CERTIFICATE-----\n") {
			t.Errorf("%s: %q", name, c)
		}
	}
	if k, _ := os.ReadFile(filepath.Join(a, "svc0009", "server-key.pem")); !strings.HasPrefix(string(k), "-----BEGIN PRIVATE KEY-----\n") {
		t.Errorf("server-key.pem: %q", k)
	}
}
