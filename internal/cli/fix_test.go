package cli

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// fixFiles have CRLF lines, a comment after the value, no final newline,
// an included file, and a file without fixes. (A byte-order mark makes an
// option file unreadable to MySQL, TV001, so no fix meets one here;
// internal/fix tests that it is kept.)
func fixFiles(t *testing.T) string {
	return writeFiles(t, map[string]string{
		".git/HEAD": "ref: refs/heads/main\n",
		"my.cnf": "# keep me\r\n[mysqld-8.0]\r\ntls_version = TLSv1.1, TLSv1.2   # comment\r\nssl_ca=/x\r\n" +
			"!include tls.cnf\r\n[client]\r\nssl-mode=REQUIRED",
		"tls.cnf":    "# included\n[mysqld-8.0]\ntls_ciphersuites=TLS_AES_128_GCM_SHA256, TLS_AES_256_GCM_SHA384\n",
		"app/my.cnf": "[client]\nssl-mode=VERIFY_IDENTITY\nssl-ca=/etc/ca.pem\n",
	})
}

var fixArgs = []string{"--target", "mysql-8.0.36"}

// TestFix applies every exact fix: only the findings' bytes change, files
// keep their mode, and a second --fix changes nothing.
func TestFix(t *testing.T) {
	dir := fixFiles(t)
	if err := os.Chmod(filepath.Join(dir, "my.cnf"), 0o600); err != nil {
		t.Fatal(err)
	}
	before := readAll(t, dir)
	code, out, stderr := run(t, dir, append(fixArgs, "--fix")...)
	if code != ExitFindings || !strings.Contains(stderr, "tlsvet: applied 3 fixes in 2 files") {
		t.Fatalf("--fix: exit %d, stderr %q", code, stderr)
	}
	// The fixed findings are not reported; what is left is, at its place
	// in the fixed file.
	if strings.Contains(out, "TV107") || strings.Contains(out, "TV104") || strings.Contains(out, "TV207") || !strings.Contains(out, "my.cnf:7:10: warning: ssl-mode=REQUIRED") {
		t.Errorf("report after --fix:\n%s", out)
	}
	after := readAll(t, dir)
	want := map[string]string{
		// Two passes: TV107 takes the space out, then TV104 can drop TLSv1.1.
		"my.cnf": "# keep me\r\n[mysqld-8.0]\r\ntls_version = TLSv1.2   # comment\r\nssl_ca=/x\r\n" +
			"!include tls.cnf\r\n[client]\r\nssl-mode=REQUIRED",
		"tls.cnf":    "# included\n[mysqld-8.0]\ntls_ciphersuites=TLS_AES_128_GCM_SHA256:TLS_AES_256_GCM_SHA384\n",
		"app/my.cnf": before["app/my.cnf"],
		".git/HEAD":  before[".git/HEAD"],
	}
	for name, w := range want {
		if after[name] != w {
			t.Errorf("%s after --fix:\n%q\nwant\n%q", name, after[name], w)
		}
	}
	if len(after) != len(want) {
		t.Errorf("files after --fix: %v (a temporary file left behind?)", keys(after))
	}
	if st, err := os.Stat(filepath.Join(dir, "my.cnf")); err != nil || st.Mode().Perm() != 0o600 {
		t.Errorf("my.cnf mode after --fix: %v %v, want 0600", st.Mode(), err)
	}

	code, out2, stderr := run(t, dir, append(fixArgs, "--fix")...)
	if stderr != "tlsvet: nothing to fix\n" || out2 != out || code != ExitFindings {
		t.Errorf("second --fix: exit %d, stderr %q", code, stderr)
	}
	if again := readAll(t, dir); !equalMaps(again, after) {
		t.Errorf("a second --fix changed files")
	}
}

// TestDiff shows the same fixes as a unified diff that git apply accepts,
// and writes nothing.
func TestDiff(t *testing.T) {
	dir := fixFiles(t)
	before := readAll(t, dir)
	code, diff, stderr := run(t, dir, append(fixArgs, "--diff", "--format", "json=report.json")...)
	if code != ExitFindings || !strings.Contains(stderr, "--fix would apply 3 fixes in 2 files") {
		t.Fatalf("--diff: exit %d, stderr %q", code, stderr)
	}
	for _, w := range []string{
		"--- a/my.cnf\n+++ b/my.cnf\n",
		"-tls_version = TLSv1.1, TLSv1.2   # comment\r\n+tls_version = TLSv1.2   # comment\r\n",
		"--- a/tls.cnf\n+++ b/tls.cnf\n",
		"+tls_ciphersuites=TLS_AES_128_GCM_SHA256:TLS_AES_256_GCM_SHA384\n",
	} {
		if !strings.Contains(diff, w) {
			t.Errorf("diff lacks %q:\n%s", w, diff)
		}
	}
	after := readAll(t, dir)
	delete(after, "report.json")
	if !equalMaps(before, after) {
		t.Fatal("--diff wrote files")
	}
	if data, err := os.ReadFile(filepath.Join(dir, "report.json")); err != nil || !bytes.Contains(data, []byte(`"TV207"`)) {
		t.Errorf("--format json=FILE with --diff: the report of the unfixed files is still written: %v", err)
	}

	// The diff applied with git gives what --fix writes.
	if _, err := exec.LookPath("git"); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("git is not installed; CI must install it")
		}
		t.Skip("git is not installed")
	}
	patch := filepath.Join(t.TempDir(), "fix.diff")
	os.WriteFile(patch, []byte(diff), 0o644)
	cmd := exec.Command("git", "apply", patch)
	cmd.Dir = dir
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("git apply: %v\n%s", err, out)
	}
	applied := readAll(t, dir)
	fixed := fixFiles(t)
	run(t, fixed, append(fixArgs, "--fix")...)
	want := readAll(t, fixed)
	delete(applied, "report.json")
	if !equalMaps(applied, want) {
		t.Errorf("git apply of the diff differs from --fix:\n%q\n%q", applied, want)
	}

	// From a parent directory, paths in the diff are relative to it.
	fresh := fixFiles(t)
	_, diff, _ = run(t, filepath.Dir(fresh), append(fixArgs, "--diff", filepath.Base(fresh))...)
	if !strings.Contains(diff, "--- a/"+filepath.Base(fresh)+"/tls.cnf\n") {
		t.Errorf("diff from the parent directory:\n%s", diff)
	}
	if code, _, stderr := run(t, dir, "--fix", "--diff"); code != ExitUsage || !strings.Contains(stderr, "give one") {
		t.Errorf("--fix --diff: exit %d, %s", code, stderr)
	}
}

// TestFixOnlyFocus: with a file named, only its findings are fixed.
func TestFixOnlyFocus(t *testing.T) {
	dir := fixFiles(t)
	before := readAll(t, dir)
	if code, _, stderr := run(t, dir, append(fixArgs, "--fix", "tls.cnf")...); code != ExitClean || !strings.Contains(stderr, "applied 1 fix in 1 file") {
		t.Fatalf("--fix tls.cnf: exit %d, %s", code, stderr)
	}
	if after := readAll(t, dir); after["my.cnf"] != before["my.cnf"] || after["tls.cnf"] == before["tls.cnf"] {
		t.Errorf("--fix tls.cnf touched my.cnf or left tls.cnf")
	}
}

func readAll(t *testing.T, dir string) map[string]string {
	t.Helper()
	files := map[string]string{}
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(p)
		rel, _ := filepath.Rel(dir, p)
		files[filepath.ToSlash(rel)] = string(data)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

func equalMaps(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if w, ok := b[k]; !ok || w != v {
			return false
		}
	}
	return true
}

func keys(m map[string]string) []string {
	var ks []string
	for k := range m {
		ks = append(ks, k)
	}
	return ks
}
