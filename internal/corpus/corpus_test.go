package corpus

import (
	"fmt"
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

// TestGenerateMixed: each kind of Mix in its share, deterministic where
// the seed decides (the PEM files get new keys).
func TestGenerateMixed(t *testing.T) {
	dir := t.TempDir()
	if _, err := GenerateMixed(dir, 1000, 1); err != nil {
		t.Fatal(err)
	}
	total := 0
	for i, m := range Mix {
		n := 0
		filepath.WalkDir(filepath.Join(dir, fmt.Sprintf("mix%d", i)), func(_ string, d os.DirEntry, err error) error {
			if err == nil && d.Type().IsRegular() {
				n++
			}
			return nil
		})
		// GenerateCerts adds its two CA files.
		if want := m.Share * 10; n < want || n > want+2 {
			t.Errorf("%s: %d files, want %d", m.Kind, n, want)
		}
		total += m.Share
	}
	if total != 100 {
		t.Errorf("shares add up to %d", total)
	}
	a, b := t.TempDir(), t.TempDir()
	for _, d := range []string{a, b} {
		if _, err := GenerateDeploy(d, 10, 7); err != nil {
			t.Fatal(err)
		}
	}
	x, _ := os.ReadFile(filepath.Join(a, "prj0001", "compose.yaml"))
	y, _ := os.ReadFile(filepath.Join(b, "prj0001", "compose.yaml"))
	if len(x) == 0 || string(x) != string(y) || !strings.Contains(string(x), "image: ") {
		t.Errorf("compose.yaml differs between runs or is empty: %q", x)
	}
}
