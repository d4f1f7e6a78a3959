package main

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestGoVet builds tlsvet-vet and runs it on testdata/vetmodule, a module
// whose go-sql-driver/mysql is the stub of the analysistest tests, both
// as `go vet -vettool` (unitchecker, facts passed between packages in
// .vetx files) and on its own (singlechecker, with -fix -diff).
func TestGoVet(t *testing.T) {
	goCmd, err := exec.LookPath("go")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("the go command is required under CI")
		}
		t.Skip("no go command on PATH: go vet -vettool not tested")
	}
	tool := filepath.Join(t.TempDir(), "tlsvet-vet")
	if out, err := exec.Command(goCmd, "build", "-o", tool, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	module, err := filepath.Abs(filepath.Join("testdata", "vetmodule"))
	if err != nil {
		t.Fatal(err)
	}
	run := func(name string, args ...string) (string, int) {
		cmd := exec.Command(name, args...)
		cmd.Dir = module
		// No network and no module download: the driver is a local replace.
		cmd.Env = append(os.Environ(), "GOFLAGS=-mod=mod", "GOPROXY=off", "GOWORK=off", "GOTOOLCHAIN=local")
		out, err := cmd.CombinedOutput()
		var exit *exec.ExitError
		if err != nil && !errors.As(err, &exit) {
			t.Fatalf("%s: %v", name, err)
		}
		return string(out), cmd.ProcessState.ExitCode()
	}
	want := []string{
		"db/db.go:11:45: warning: go-sql-driver/mysql `tls=skip-verify` encrypts but does not verify the server certificate",
		"db/db.go:12:49: warning: go-sql-driver/mysql `tls=other` names a TLS config that neither this package nor the packages it imports register",
		"tlsinit/certs/certs.go:12:48: warning: go-sql-driver/mysql with `MinVersion: tls.VersionTLS11` allows TLSv1.1",
	}
	check := func(how, out string, code, wantCode int) {
		t.Helper()
		if code != wantCode {
			t.Errorf("%s: exit code %d, want %d\n%s", how, code, wantCode, out)
		}
		for _, w := range want {
			if !strings.Contains(out, w) {
				t.Errorf("%s: output lacks %q:\n%s", how, w, out)
			}
		}
		// tls=custom is registered by tlsinit/certs, which db imports
		// through tlsinit: the fact crossed two package boundaries.
		if strings.Contains(out, "tls=custom") {
			t.Errorf("%s: tls=custom reported although tlsinit registers it:\n%s", how, out)
		}
	}
	out, code := run(goCmd, "vet", "-vettool="+tool, "./...")
	check("go vet -vettool", out, code, 1)
	out, code = run(tool, "./...")
	check("standalone", out, code, 3) // singlechecker's exit code for diagnostics

	out, _ = run(tool, "-fix", "-diff", "./...")
	for _, w := range []string{
		`+	sql.Open("mysql", "app:pw@tcp(db:3306)/app?tls=true")`,
		`+	mysql.RegisterTLSConfig("custom", &tls.Config{MinVersion: tls.VersionTLS12})`,
	} {
		if !strings.Contains(out, w) {
			t.Errorf("-fix -diff lacks %q:\n%s", w, out)
		}
	}
}

func TestUnderVet(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want bool
	}{
		{[]string{"-V=full"}, true},
		{[]string{"-flags"}, true},
		{[]string{"-mysqltls", "/tmp/go-build1/b001/vet.cfg"}, true},
		{[]string{"./..."}, false},
		{[]string{"-fix", "-diff", "./..."}, false},
		{nil, false},
	} {
		if got := underVet(tc.args); got != tc.want {
			t.Errorf("underVet(%q) = %v, want %v", tc.args, got, tc.want)
		}
	}
}
