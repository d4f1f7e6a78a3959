package baseline

import (
	"bytes"
	"os"
	"strings"
	"testing"

	"github.com/tlsvet/tlsvet/internal/lint"
	"github.com/tlsvet/tlsvet/internal/load"
	"github.com/tlsvet/tlsvet/rules"
)

// check loads dir with the real parser and runs every rule, so that
// secrets are marked the way a run marks them.
func check(t *testing.T, dir string) []lint.Diagnostic {
	t.Helper()
	p, err := load.Load(load.Options{FS: os.DirFS(dir), Paths: []string{"."}})
	if err != nil {
		t.Fatal(err)
	}
	return lint.Run(p, rules.All, lint.Options{Policy: lint.DefaultPolicy})
}

// testdata/compat.baseline.json was written by `tlsvet baseline write`
// at commit 55517bf, before secrets were marked: fingerprints of lines
// without secrets must stay what committed baselines hold.
func TestBaselineFromBeforeSecretMarking(t *testing.T) {
	ds := check(t, "testdata/compat")
	if len(ds) == 0 {
		t.Fatal("the fixture has no findings")
	}
	data, err := os.ReadFile("testdata/compat.baseline.json")
	if err != nil {
		t.Fatal(err)
	}
	b, err := Read(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	if fresh, known := b.Filter(ds); len(fresh) != 0 {
		t.Errorf("%d of %d findings known; new: %+v", known, len(ds), fresh)
	}
	var now bytes.Buffer
	if err := Write(&now, ds); err != nil {
		t.Fatal(err)
	}
	if now.String() != string(data) {
		t.Errorf("baseline differs from the one written at 55517bf:\n%s", now.String())
	}
}

// Keys the old regexp mask missed (ssl-key-pass, ssl-pass) and values cut
// at '#' are marked by the parser: neither the file nor a fingerprint
// depends on the secret, so trying a word list recovers nothing.
func TestBaselineHidesSecrets(t *testing.T) {
	const tmpl = "[client]\nssl-key-pass=%s\nssl-pass=%s\nssl-password=%s\nssl-mode=DISABLED\npassword=%s\n" +
		"[mariadbd]\nssl_passphrase=%s#x\n"
	write := func(pw string) string {
		dir := t.TempDir()
		if err := os.WriteFile(dir+"/my.cnf", []byte(strings.ReplaceAll(tmpl, "%s", pw)), 0o644); err != nil {
			t.Fatal(err)
		}
		var buf bytes.Buffer
		if err := Write(&buf, check(t, dir)); err != nil {
			t.Fatal(err)
		}
		return buf.String()
	}
	file := write("hunter2")
	if strings.Contains(file, "hunter2") {
		t.Errorf("the baseline holds the secret:\n%s", file)
	}
	// TV002 on ssl-key-pass, ssl-pass and ssl-password, TV008 on the passphrase.
	if n := strings.Count(file, `"rule"`); n < 5 {
		t.Fatalf("want findings on the secret lines, got %d:\n%s", n, file)
	}
	for _, guess := range []string{"123456", "letmein", "hunter3", "correct horse"} {
		if other := write(guess); other != file {
			t.Errorf("with %q the baseline differs, so a fingerprint depends on the secret:\n%s\n%s", guess, file, other)
		}
	}
}
